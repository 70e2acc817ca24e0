// Package motoserver runs moto's standalone server (moto_server, from the
// Python package moto) as a child process that stands in for Amazon SES and S3,
// and reads back the emails it accepted.
//
// moto_server must be on PATH; it is installed with pip install
// 'moto[server]'. Like SES, moto refuses to send from an address that has
// not been verified (VerifyEmailIdentity), and it never delivers anything:
// SentEmails returns what it kept.
package motoserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/rosterhq/roster/infra/localstack/childproc"
)

// The region and static credentials Client signs with. moto accepts any,
// but keeps separate state per account and region: a client that signs for
// another region does not see identities verified through this one.
// SentEmails reads every region's emails.
const (
	Region          = "us-east-1"
	AccessKeyID     = "local"
	SecretAccessKey = "local"
)

// ErrMotoNotFound is returned, wrapped, by Start when moto_server is not on
// PATH.
var ErrMotoNotFound = errors.New("moto_server not found: install it with pip install 'moto[server]'")

// defaultStartTimeout bounds Start when its context has no deadline.
const defaultStartTimeout = 30 * time.Second

// Options configures Start.
type Options struct {
	// Port is the TCP port to listen on, on 127.0.0.1 only. Zero picks a
	// free one.
	Port int
	// Output receives moto_server's standard output and error (an access
	// log of methods and paths: no bodies, so no addresses). Nil discards
	// them; the last few kilobytes are kept for error messages either way.
	Output io.Writer
}

// Server is a running moto_server.
type Server struct {
	// Endpoint is the base URL to give an SDK client, http://127.0.0.1:PORT.
	Endpoint string

	proc *childproc.Process
}

// Start runs moto_server on 127.0.0.1 and returns once it answers HTTP.
//
// ctx bounds the start only (30 s if it has no deadline); the server runs
// until Stop is called. On Linux the server is also killed if this process
// dies without calling Stop.
//
// On error no process is left running. The error wraps ErrMotoNotFound if
// moto_server is missing, and otherwise includes the end of the server's
// output. If Port is zero and the chosen port is taken before the server
// binds it, Start retries with another port.
func Start(ctx context.Context, opts Options) (*Server, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, fmt.Errorf("start moto: %w", ErrMotoNotFound)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStartTimeout)
		defer cancel()
	}
	srv, err := childproc.StartOnPort(opts.Port, func(port int) (*Server, error) {
		cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
		return launch(ctx, cmd, port, opts.Output)
	})
	if err != nil {
		return nil, fmt.Errorf("start moto: %w", err)
	}
	return srv, nil
}

// launch starts cmd and waits until the server on port answers.
func launch(ctx context.Context, cmd *exec.Cmd, port int, out io.Writer) (*Server, error) {
	p, err := childproc.Start("moto_server", cmd, out)
	if err != nil {
		return nil, err
	}
	srv := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), proc: p}
	// moto_server exits when it cannot bind its port.
	err = p.WaitReady(ctx, port, func(ctx context.Context) error { return probe(ctx, srv.Endpoint) }, "already in use")
	if err != nil {
		return nil, err
	}
	return srv, nil
}

// probe checks that moto's own API answers at endpoint.
func probe(ctx context.Context, endpoint string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/moto-api/", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /moto-api/: %s", resp.Status)
	}
	return nil
}

// Stop stops the server and waits for it to exit: SIGTERM, then SIGKILL
// after 5 s. It returns an error if the server had already exited on its
// own (with the end of its output) or could not be killed. Calling Stop
// again returns the same result.
func (s *Server) Stop() error {
	if err := s.proc.Stop(); err != nil {
		return fmt.Errorf("stop moto: %w", err)
	}
	return nil
}

// Client returns an SES client for the server at endpoint, signing with the
// static credentials and region above and ignoring the AWS environment and
// shared config files. It performs no I/O and cannot fail; ctx is unused.
func Client(ctx context.Context, endpoint string) *ses.Client {
	return ses.New(ses.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
	})
}

// S3Client returns an S3 client for the server at endpoint, with the same
// static credentials and region as Client, addressing buckets by path
// (moto has no per-bucket host names).
func S3Client(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
	})
}

// S3Credentials are the credentials S3Client signs with, for checking
// presigned links (package s3gate).
func S3Credentials() aws.Credentials {
	return aws.Credentials{AccessKeyID: AccessKeyID, SecretAccessKey: SecretAccessKey}
}
