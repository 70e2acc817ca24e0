// Package dynamolocal runs AWS's DynamoDB Local (a Java program) as a child
// process, for the dev server and for integration tests.
//
// DynamoDB Local is taken from the npm package amplify-dynamodb-simulator
// (see Ensure) and cached outside the clone, in the user's cache directory.
// It needs Java 17 or later on PATH (or in $JAVA_HOME/bin).
//
// Every server runs with -sharedDb: all clients see the same tables whatever
// credentials and region they sign with. Without it, DynamoDB Local keeps a
// separate database per access key and region, and a client configured from
// the environment would silently see none of the tables.
//
// DynamoDB Local 1.25.1 has no option to choose its listen address: it
// listens on every IPv4 interface (0.0.0.0), not only on loopback. The
// endpoints this package returns always use 127.0.0.1.
package dynamolocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/rosterhq/roster/infra/localstack/childproc"
)

// The region and static credentials Client and StreamsClient sign with.
// DynamoDB Local accepts any; with -sharedDb they do not select a database.
const (
	Region          = "us-east-1"
	AccessKeyID     = "local"
	SecretAccessKey = "local"
)

// ErrJavaNotFound is returned, wrapped, by Start when no java executable is
// found in $JAVA_HOME/bin or on PATH.
var ErrJavaNotFound = errors.New("java not found: install Java 17 (apt-get install openjdk-17-jre-headless)")

// defaultStartTimeout bounds Start when its context has no deadline. It
// covers the JVM's start on a loaded machine, not the first download.
const defaultStartTimeout = 60 * time.Second

// Options configures Start.
type Options struct {
	// DBPath is the directory DynamoDB Local keeps its database file in; it
	// is created if missing. Empty runs the server in memory (-inMemory):
	// everything is lost when it stops.
	DBPath string
	// Port is the TCP port to listen on. Zero picks a free one.
	Port int
	// Output receives DynamoDB Local's standard output and error. Nil
	// discards them; the last few kilobytes are kept for error messages
	// either way.
	Output io.Writer
	// JavaOptions are extra JVM options placed before -jar, for example
	// "-XX:TieredStopAtLevel=1", which starts faster but runs heavy
	// workloads more slowly.
	JavaOptions []string
}

// Server is a running DynamoDB Local.
type Server struct {
	// Endpoint is the base URL to give an SDK client, http://127.0.0.1:PORT.
	Endpoint string

	proc *childproc.Process
}

// Start runs DynamoDB Local (fetching it first if needed, see Ensure) and
// returns once it answers ListTables.
//
// ctx bounds the start only (60 s if it has no deadline, plus the download
// if DynamoDB Local is not cached yet); the server runs until Stop is called.
// On Linux the server is also killed if this process dies without calling
// Stop.
//
// On error no process is left running. The error wraps ErrJavaNotFound or
// ErrNPMNotFound if a tool is missing, and otherwise includes the end of the
// server's output. If Port is zero and the chosen port is taken before the
// server binds it, Start retries with another port.
func Start(ctx context.Context, opts Options) (*Server, error) {
	java, err := findJava()
	if err != nil {
		return nil, fmt.Errorf("start dynamodb local: %w", err)
	}
	dir, err := Ensure(ctx)
	if err != nil {
		return nil, fmt.Errorf("start dynamodb local: %w", err)
	}
	storage := []string{"-inMemory"}
	if opts.DBPath != "" {
		dbPath, err := filepath.Abs(opts.DBPath)
		if err != nil {
			return nil, fmt.Errorf("start dynamodb local: database path: %w", err)
		}
		if err := os.MkdirAll(dbPath, 0o755); err != nil {
			return nil, fmt.Errorf("start dynamodb local: database path: %w", err)
		}
		storage = []string{"-dbPath", dbPath}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStartTimeout)
		defer cancel()
	}

	srv, err := childproc.StartOnPort(opts.Port, func(port int) (*Server, error) {
		args := append([]string{}, opts.JavaOptions...)
		args = append(args,
			"-Djava.library.path="+filepath.Join(dir, libDirName),
			"-jar", filepath.Join(dir, jarName),
			"-disableTelemetry", "-sharedDb", "-port", strconv.Itoa(port))
		args = append(args, storage...)
		cmd := exec.Command(java, args...)
		cmd.Dir = dir
		return launch(ctx, cmd, port, opts.Output)
	})
	if err != nil {
		return nil, fmt.Errorf("start dynamodb local: %w", err)
	}
	return srv, nil
}

// launch starts cmd and waits until the server on port answers.
func launch(ctx context.Context, cmd *exec.Cmd, port int, out io.Writer) (*Server, error) {
	p, err := childproc.Start("dynamodb local", cmd, out)
	if err != nil {
		return nil, err
	}
	srv := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), proc: p}
	client := Client(ctx, srv.Endpoint)
	probe := func(ctx context.Context) error {
		_, err := client.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(1)},
			func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
		return err
	}
	// DynamoDB Local does not exit when it cannot bind its port.
	if err := p.WaitReady(ctx, port, probe, "Failed to bind", "BindException"); err != nil {
		return nil, err
	}
	return srv, nil
}

// Stop stops the server and waits for it to exit: SIGTERM, then SIGKILL
// after 5 s. It returns an error if the server had already exited on its
// own (with the end of its output) or could not be killed. Calling Stop
// again returns the same result.
func (s *Server) Stop() error {
	if err := s.proc.Stop(); err != nil {
		return fmt.Errorf("stop dynamodb local: %w", err)
	}
	return nil
}

// Client returns a DynamoDB client for the server at endpoint, signing with
// the static credentials and region above and ignoring the AWS environment
// and shared config files. It performs no I/O and cannot fail; ctx is
// unused.
func Client(ctx context.Context, endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
	})
}

// StreamsClient returns a DynamoDB Streams client for the server at
// endpoint (DynamoDB Local serves both APIs on one port), configured like
// Client. It performs no I/O and cannot fail; ctx is unused.
func StreamsClient(ctx context.Context, endpoint string) *dynamodbstreams.Client {
	return dynamodbstreams.New(dynamodbstreams.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
	})
}

// findJava returns $JAVA_HOME/bin/java if it exists, else java from PATH.
func findJava() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		if p, err := exec.LookPath(filepath.Join(home, "bin", "java")); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", ErrJavaNotFound
	}
	return p, nil
}
