// Package devserver runs the whole of Roster on this machine: DynamoDB Local
// and moto's SES, the table created from template.yaml, a seeded demo
// organization, the stream fed to the consumer, the API under /api, the built
// front end at /, and a mailbox of sent emails at /dev/mailbox. It binds
// loopback only and is never deployed. infra/localstack/serve is its command; the
// browser tests run it in-process.
package devserver

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/rosterhq/roster/infra/deploy/tabledef"
	"github.com/rosterhq/roster/infra/localstack/dynamolocal"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/localstack/s3gate"
	"github.com/rosterhq/roster/infra/localstack/streams"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/files"
)

// Settings configure a dev server.
type Settings struct {
	Port    int    // on 127.0.0.1; 0 picks a free port
	DataDir string // DynamoDB Local's files; empty keeps everything in memory
	WebDir  string // the built front end
	Table   string
	Bucket  string // the S3 bucket of uploads and exports, on moto
	Sender  string // the SES sender identity verified in moto
	// JobThreshold is the largest filter selection an action runs inline
	// (JOB_THRESHOLD); 0 means the service's default.
	JobThreshold int
	// ReminderInterval is how often the reminders run, the first time at
	// start (REMINDER_INTERVAL); 0 runs them only on request (POST
	// /dev/reminders, `make reminders`).
	ReminderInterval time.Duration
	// ReminderNoticeDays is REMINDER_NOTICE_DAYS: how many days before its
	// due date training is due soon; 0 means the service's default.
	ReminderNoticeDays int
	// StateFile, when set, is where the running server records its address
	// for `make reminders`; it is removed when the server stops.
	StateFile string
	Demo      Demo
	Log       *slog.Logger
	Out       io.Writer        // where the banner with the sign-in goes
	OnReady   func(url string) // called once the server accepts requests
}

// DefaultSettings reads PORT, ROSTER_OWNER_EMAIL, ROSTER_OWNER_PASSWORD,
// SES_SENDER and JOB_THRESHOLD, naming the variable that is wrong. Without a password it makes
// up a random one, which the banner prints.
func DefaultSettings() (Settings, error) {
	s := Settings{
		DataDir: ".local/dynamodb",
		WebDir:  "web/dist",
		Table:   "roster-local",
		Bucket:  "roster-files-local",
		// The dev server's own state, beside the data: its address while it runs.
		StateFile:        ".local/devserver.json",
		ReminderInterval: time.Hour,
		Sender:           envOr("SES_SENDER", "no-reply@roster.test"),
		Demo: Demo{
			Slug:          "demo",
			Name:          "Demo Foods Ltd",
			Users:         300,
			OwnerEmail:    envOr("ROSTER_OWNER_EMAIL", "owner@demo-foods.example"),
			OwnerPassword: os.Getenv("ROSTER_OWNER_PASSWORD"),
			DueTraining:   true,
		},
		Log: slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Out: os.Stdout,
	}
	port, err := strconv.Atoi(envOr("PORT", "8080"))
	if err != nil || port < 0 || port > 65535 {
		return s, fmt.Errorf("PORT=%q is not a port number", os.Getenv("PORT"))
	}
	s.Port = port
	if v := os.Getenv("JOB_THRESHOLD"); v != "" {
		if s.JobThreshold, err = strconv.Atoi(v); err != nil || s.JobThreshold < 1 {
			return s, fmt.Errorf("JOB_THRESHOLD=%q is not a positive number", v)
		}
	}
	if v := os.Getenv("REMINDER_INTERVAL"); v != "" {
		if s.ReminderInterval, err = time.ParseDuration(v); err != nil || s.ReminderInterval < 0 {
			return s, fmt.Errorf("REMINDER_INTERVAL=%q is not a duration such as 1h or 10m (0: only on request)", v)
		}
	}
	if v := os.Getenv("REMINDER_NOTICE_DAYS"); v != "" {
		if s.ReminderNoticeDays, err = strconv.Atoi(v); err != nil || s.ReminderNoticeDays < 1 || s.ReminderNoticeDays > 90 {
			return s, fmt.Errorf("REMINDER_NOTICE_DAYS=%q is not a number of days from 1 to 90", v)
		}
	}
	if err := roster.ValidateEmail("ROSTER_OWNER_EMAIL", s.Demo.OwnerEmail); err != nil {
		return s, err
	}
	if s.Demo.OwnerPassword == "" {
		s.Demo.OwnerPassword = roster.NewRandomID()[:16]
	} else if err := accounts.ValidatePassword("ROSTER_OWNER_PASSWORD", s.Demo.OwnerPassword, nil); err != nil {
		return s, err
	}
	return s, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// CheckPrerequisites returns, for the first missing tool, one line saying what to install.
func CheckPrerequisites() error {
	for _, p := range []struct{ bin, install string }{
		{"java", "install Java 17 or later (Debian: apt-get install openjdk-17-jre-headless)"},
		{"npm", "install Node.js 20 with npm (Debian: apt-get install nodejs npm)"},
		{"moto_server", "install moto's server (pip install 'moto[server]')"},
	} {
		if _, err := exec.LookPath(p.bin); err != nil {
			return fmt.Errorf("%s not found: %s", p.bin, p.install)
		}
	}
	return nil
}

// Run starts everything and serves until ctx ends; it stops the emulators it
// started before returning.
func Run(ctx context.Context, s Settings) error {
	if err := CheckPrerequisites(); err != nil {
		return err
	}
	if s.Bucket == "" || s.Table == "" {
		// The files gateway serves /<bucket>/: without a name it would take every path.
		return errors.New("devserver: Settings needs a Table and a Bucket")
	}
	// Listen first: a taken port should fail before anything starts.
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)))
	if err != nil {
		return fmt.Errorf("listen on 127.0.0.1:%d: %w (set PORT to use another port)", s.Port, err)
	}
	defer ln.Close()

	fmt.Fprintln(s.Out, "Starting DynamoDB Local and moto (the first run fetches DynamoDB Local from npm)...")
	if s.DataDir != "" {
		if s.DataDir, err = filepath.Abs(s.DataDir); err != nil {
			return err
		}
		if err := os.MkdirAll(s.DataDir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", s.DataDir, err)
		}
		unlock, err := lockDir(s.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	// A quick-starting JVM: DynamoDB Local is short-lived and small here.
	db, err := dynamolocal.Start(ctx, dynamolocal.Options{DBPath: s.DataDir, JavaOptions: []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"}})
	if err != nil {
		return err
	}
	defer db.Stop()
	moto, err := motoserver.Start(ctx, motoserver.Options{})
	if err != nil {
		return err
	}
	defer moto.Stop()

	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	if err != nil {
		return err
	}
	dbClient := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(db.Endpoint)
		// DynamoDB Local sends a zero CRC32 with some error answers (a table
		// not found yet); the SDK would warn about each.
		o.DisableValidateResponseChecksum = true
	})
	streamsClient := dynamodbstreams.NewFromConfig(awsCfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(db.Endpoint) })
	sesClient := ses.NewFromConfig(awsCfg, func(o *ses.Options) { o.BaseEndpoint = aws.String(moto.Endpoint) })

	streamARN, err := ensureTable(ctx, dbClient, s.Table)
	if err != nil {
		return err
	}
	// Like SES, moto refuses to send from an unverified address.
	if _, err := sesClient.VerifyEmailIdentity(ctx, &ses.VerifyEmailIdentityInput{EmailAddress: aws.String(s.Sender)}); err != nil {
		return fmt.Errorf("verify the sender identity in moto: %w", err)
	}

	// S3 on a moto of its own: moto's /moto-api/data.json, where the mailbox
	// reads SES's emails, fails once S3 holds objects.
	motoS3, err := motoserver.Start(ctx, motoserver.Options{})
	if err != nil {
		return err
	}
	defer motoS3.Stop()
	// moto forgets its buckets when it stops: make the bucket at each start.
	s3Client := motoserver.S3Client(motoS3.Endpoint)
	if _, err := s3Client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s.Bucket)}); err != nil {
		return fmt.Errorf("create the files bucket in moto: %w", err)
	}
	gateway, err := s3gate.New(motoS3.Endpoint, motoserver.S3Credentials(), motoserver.Region)
	if err != nil {
		return err
	}

	url := "http://" + ln.Addr().String()
	// Presigned links point at this server, which checks them (s3gate) and
	// passes them to moto: same origin for the browser.
	bucket := files.New(s3Client, s.Bucket, url)
	a := app.Assemble(app.Config{TableName: s.Table, Sender: s.Sender, AppURL: url, SecureCookies: false, JobThreshold: s.JobThreshold, FilesBucket: s.Bucket, ReminderNotice: s.ReminderNoticeDays}, s.Log, dbClient, sesClient, bucket)
	// Readers of the stream, as AWS has event source mappings: the side
	// effects of user changes, and the background jobs. The poller does
	// not filter records as the job worker's mapping does, so it reads them
	// in large batches and the worker passes over what is not a job's.
	consumer := &streams.Poller{Client: streamsClient, StreamARN: streamARN, Handler: a.StreamConsumer().Handle, Log: s.Log}
	go func() { _ = consumer.Run(ctx) }()
	worker := &streams.Poller{Client: streamsClient, StreamARN: streamARN, Handler: a.JobWorker().Handle, Log: s.Log, BatchSize: 1000}
	go func() { _ = worker.Run(ctx) }()
	// And a third, as AWS's export worker: it runs each export created.
	exporter := &streams.Poller{Client: streamsClient, StreamARN: streamARN, Handler: a.ExportWorker().Handle, Log: s.Log, BatchSize: 1000}
	go func() { _ = exporter.Run(ctx) }()

	fmt.Fprintln(s.Out, "Seeding the demo organization...")
	created, err := seedDemo(ctx, a.Store, s.Demo, a.Accounts.Argon2)
	if err != nil {
		return fmt.Errorf("seed the demo organization: %w", err)
	}

	go runReminders(ctx, a.Reminders.SendReminders, s.ReminderInterval, s.Log)

	srv := &http.Server{
		Handler:           newServer(a.API.Handler(), s.WebDir, moto.Endpoint, a.Reminders.SendReminders, s.Log, filesRoute{bucket: s.Bucket, gateway: gateway, origin: url}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	seeded := "kept from the last run"
	if created {
		seeded = fmt.Sprintf("seeded with %d users", s.Demo.Users)
	}
	fmt.Fprintf(s.Out, `
Roster is running.
  Front end:     %s/
  API:           %s/api
  Mailbox:       %s/dev/mailbox
  Organization:  %s (%s)
  Sign in as:    %s
  Password:      %s
Data lives in %s. Stop with Ctrl-C.
`, url, url, url, s.Demo.Slug, seeded, s.Demo.OwnerEmail, s.Demo.OwnerPassword, displayDir(s.DataDir))
	if s.StateFile != "" {
		remove, err := writeState(s.StateFile, State{URL: url, PID: os.Getpid()})
		if err != nil {
			return err
		}
		defer remove()
	}
	if s.OnReady != nil {
		s.OnReady(url)
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return ctx.Err()
}

// lockDir makes sure one dev server at a time uses the data folder: two
// DynamoDB Local processes on one database file lose each other's writes.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another Roster dev server is using %s: stop it first, or give this one -data elsewhere", dir)
	}
	return func() { f.Close() }, nil
}

func displayDir(dir string) string {
	if dir == "" {
		return "memory (gone when it stops)"
	}
	return dir
}

// ensureTable creates the table from template.yaml unless it exists, adds
// the indexes a newer template declares to a table kept from an earlier
// run, and returns the table's stream ARN.
func ensureTable(ctx context.Context, db *dynamodb.Client, name string) (string, error) {
	tpl, err := tabledef.FindTemplate()
	if err != nil {
		return "", err
	}
	def, err := tabledef.Load(tpl)
	if err != nil {
		return "", err
	}
	if _, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &name}); err != nil {
		if err := def.Create(ctx, db, name); err != nil {
			return "", fmt.Errorf("create the table from %s: %w", tpl, err)
		}
	} else if _, err := def.AddMissingIndexes(ctx, db, name); err != nil {
		return "", err
	}
	desc, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &name})
	if err != nil {
		return "", fmt.Errorf("describe table: %w", err)
	}
	if desc.Table.LatestStreamArn == nil {
		return "", fmt.Errorf("table %s has no stream: run `make reset` and start again", name)
	}
	return *desc.Table.LatestStreamArn, nil
}
