// Package testenv gives integration tests real local backends: a fresh
// DynamoDB table created from template.yaml on DynamoDB Local, moto's SES
// with the sender identity verified, and a bucket of moto's S3 (a moto of
// its own) behind the gateway that checks presigned links.
//
// Each test binary starts at most one DynamoDB Local and one moto_server,
// lazily, on free loopback ports, and stops them when its tests are done.
// For that, every package that uses testenv must have
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// On Linux the emulators are also killed if the test binary dies without
// reaching the end of Main (a -timeout panic, kill -9).
//
// Nothing here skips a test: if Java, npm or moto_server is missing, the
// test fails with a one-line message saying what to install.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/rosterhq/roster/infra/deploy/tabledef"
	"github.com/rosterhq/roster/infra/localstack/dynamolocal"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/localstack/s3gate"
	"github.com/rosterhq/roster/shared/files"
)

// Sender is the address SES verifies as a sender identity on moto.
const Sender = "no-reply@roster.test"

// startTimeout bounds starting an emulator, including the first download
// of DynamoDB Local (about 56 MB) on a fresh machine.
const startTimeout = 5 * time.Minute

// javaOptions make the JVM start faster; tests are short, so its peak
// speed matters less than its start.
var javaOptions = []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"}

// Table is a table of its own for one test, on the test binary's DynamoDB
// Local. It is deleted when the test ends. Client and Streams are shared by
// all the binary's tests and safe for concurrent use.
type Table struct {
	Client    *dynamodb.Client
	Streams   *dynamodbstreams.Client
	Name      string
	Endpoint  string // DynamoDB Local's base URL, for clients of one's own
	StreamARN string // the table's stream (NEW_AND_OLD_IMAGES)
}

var (
	mainCalled atomic.Bool

	dynamo      lazy[*dynamoEnv]
	moto        lazy[*motoserver.Server]
	motoS3      lazy[*motoserver.Server]
	tableCount  atomic.Int64
	bucketCount atomic.Int64
)

type dynamoEnv struct {
	server  *dynamolocal.Server
	client  *dynamodb.Client
	streams *dynamodbstreams.Client
	table   *tabledef.Table
}

// Main runs the tests, then stops the emulators they started. Call it from
// TestMain; it returns so that the testing package exits with the tests'
// status. A failure to stop an emulator is printed to standard error: by
// then the tests have run, and an emulator that died early has already
// failed them.
func Main(m *testing.M) {
	mainCalled.Store(true)
	m.Run()
	var errs []error
	if env, ok := dynamo.made(); ok {
		errs = append(errs, env.server.Stop())
	}
	if srv, ok := moto.made(); ok {
		errs = append(errs, srv.Stop())
	}
	if srv, ok := motoS3.made(); ok {
		errs = append(errs, srv.Stop())
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
	}
}

// DynamoDB returns a new, empty table created from template.yaml (keys,
// indexes, stream, TTL) on the test binary's DynamoDB Local, starting it on
// first use. The table is deleted when tb ends. Its name is unique and
// derived from the test's name.
//
// It fails tb (Fatal) if TestMain does not call Main, if DynamoDB Local
// cannot start (for example when Java is missing, with the message saying
// how to install it), or if the table cannot be created. A failed start is
// not retried for later tests of the binary: they fail with the same error.
func DynamoDB(tb testing.TB) *Table {
	tb.Helper()
	requireMain(tb)
	env, err := dynamo.get(startDynamo)
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	name := tableName(tb.Name(), tableCount.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := env.table.Create(ctx, env.client, name); err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := env.client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			tb.Errorf("testenv: delete table %s: %v", name, err)
		}
	})
	out, err := env.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		tb.Fatalf("testenv: describe table %s: %v", name, err)
	}
	return &Table{
		Client:    env.client,
		Streams:   env.streams,
		Name:      name,
		Endpoint:  env.server.Endpoint,
		StreamARN: aws.ToString(out.Table.LatestStreamArn),
	}
}

// SES returns the endpoint of the test binary's moto_server, starting it on
// first use, with Sender verified. Every test of the binary shares it, so a
// test should find its emails (motoserver.SentEmails) by the MessageId SES
// returned or by a recipient of its own, not by position.
//
// It fails tb (Fatal) if TestMain does not call Main, or if moto cannot
// start or verify Sender (for example when moto_server is missing, with the
// message saying how to install it). A failed start is not retried.
func SES(tb testing.TB) string {
	tb.Helper()
	requireMain(tb)
	srv, err := moto.get(startMoto)
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	return srv.Endpoint
}

// FilesBucket is a bucket of its own for one test, on the test binary's moto,
// with presigned links pointing at a gateway that checks them as S3 does
// (package s3gate).
type FilesBucket struct {
	Bucket *files.Bucket
	Name   string
	Client *s3.Client // moto directly, path-style
	URL    string     // the gateway's base URL, where presigned links point

	mu     sync.Mutex
	offset time.Duration
}

// Later moves the gateway's clock d ahead, so that links expire.
func (f *FilesBucket) Later(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.offset += d
}

func (f *FilesBucket) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Now().Add(f.offset)
}

// Files returns a new, empty bucket on the test binary's moto_server for
// S3, starting it on first use, behind a gateway of its own that is closed
// when tb ends. S3 has a moto of its own: moto's /moto-api/data.json, where
// SES's emails are read, fails once S3 holds objects.
//
// It fails tb (Fatal) as SES does.
func Files(tb testing.TB) *FilesBucket {
	tb.Helper()
	requireMain(tb)
	srv, err := motoS3.get(startMotoS3)
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	endpoint := srv.Endpoint
	name := fmt.Sprintf("files-%d-%d", os.Getpid(), bucketCount.Add(1))
	client := motoserver.S3Client(endpoint)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		tb.Fatalf("testenv: create bucket %s: %v", name, err)
	}
	gw, err := s3gate.New(endpoint, motoserver.S3Credentials(), motoserver.Region)
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	f := &FilesBucket{Name: name, Client: client}
	gw.Now = f.now
	front := httptest.NewServer(gw)
	tb.Cleanup(front.Close)
	f.URL = front.URL
	f.Bucket = files.New(client, name, front.URL)
	return f
}

func requireMain(tb testing.TB) {
	tb.Helper()
	if !mainCalled.Load() {
		tb.Fatal("testenv: this package must stop the emulators it starts: add " +
			"func TestMain(m *testing.M) { testenv.Main(m) }")
	}
}

func startDynamo() (*dynamoEnv, error) {
	path, err := tabledef.FindTemplate()
	if err != nil {
		return nil, err
	}
	def, err := tabledef.Load(path)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	srv, err := dynamolocal.Start(ctx, dynamolocal.Options{JavaOptions: javaOptions})
	if err != nil {
		return nil, err
	}
	return &dynamoEnv{
		server:  srv,
		client:  dynamolocal.Client(ctx, srv.Endpoint),
		streams: dynamolocal.StreamsClient(ctx, srv.Endpoint),
		table:   def,
	}, nil
}

func startMoto() (*motoserver.Server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	srv, err := motoserver.Start(ctx, motoserver.Options{})
	if err != nil {
		return nil, err
	}
	_, err = motoserver.Client(ctx, srv.Endpoint).VerifyEmailIdentity(ctx,
		&ses.VerifyEmailIdentityInput{EmailAddress: aws.String(Sender)})
	if err != nil {
		_ = srv.Stop()
		return nil, fmt.Errorf("verify the sender identity on moto: %w", err)
	}
	return srv, nil
}

func startMotoS3() (*motoserver.Server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	return motoserver.Start(ctx, motoserver.Options{})
}

// tableName turns a test name into a valid, unique DynamoDB table name:
// at most 255 characters from [a-zA-Z0-9_.-].
func tableName(testName string, n int64) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return '_'
	}, testName)
	suffix := fmt.Sprintf("-%d", n)
	if limit := 255 - len("t-") - len(suffix); len(clean) > limit {
		clean = clean[:limit]
	}
	return "t-" + clean + suffix
}

// lazy holds a value that is made once, on first use, together with the
// error of making it.
type lazy[T any] struct {
	mu   sync.Mutex
	done bool
	val  T
	err  error
}

func (l *lazy[T]) get(create func() (T, error)) (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.val, l.err = create()
		l.done = true
	}
	return l.val, l.err
}

// made returns the value without making it; ok is false unless it was
// made without error.
func (l *lazy[T]) made() (val T, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.val, l.done && l.err == nil
}
