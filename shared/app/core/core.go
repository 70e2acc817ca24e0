// Package core builds Roster from its parts: the configuration from the
// environment, the store, the service and the API. It constructs only the
// DynamoDB client; an Adapter adds SES or S3 to the functions that need them
// (shared/app/withmail, shared/app/withfiles), so that a function links only
// the AWS clients it uses. Package app wires every part, for the dev server
// and tests.
package core

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/httpapi"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/lambdahttp"
	"github.com/rosterhq/roster/shared/stream"
)

// Config is what Roster reads from its environment.
type Config struct {
	TableName        string // TABLE_NAME, required
	DynamoDBEndpoint string // DYNAMODB_ENDPOINT: empty means AWS's own
	SESEndpoint      string // SES_ENDPOINT: empty means AWS's own
	Sender           string // SES_SENDER: the verified address emails come from
	AppURL           string // APP_URL: the front end's address, for links in emails
	JobThreshold     int    // JOB_THRESHOLD: the largest filter selection run inline; 0 means the default
	ReminderNotice   int    // REMINDER_NOTICE_DAYS: how many days before its due date training is due soon; 0 means 7
	DailyEmailQuota  int    // DAILY_EMAIL_QUOTA: invitation and reset emails per organization per UTC day; 0 means 2,000
	SecureCookies    bool   // SECURE_COOKIES: false only for plain-HTTP local use
	OriginSecret     string // ORIGIN_SECRET: what CloudFront adds to each API request; empty without CloudFront
	FilesBucket      string // FILES_BUCKET: the bucket of uploads and exports; empty means no files
	FilesEndpoint    string // FILES_ENDPOINT: empty means AWS's own S3; set, buckets are addressed by path
	LogLevel         slog.Level
}

// ConfigFromEnv reads the Config, naming the variable that is wrong.
func ConfigFromEnv() (Config, error) {
	c := Config{
		TableName:        os.Getenv("TABLE_NAME"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		SESEndpoint:      os.Getenv("SES_ENDPOINT"),
		Sender:           os.Getenv("SES_SENDER"),
		AppURL:           os.Getenv("APP_URL"),
		OriginSecret:     os.Getenv("ORIGIN_SECRET"),
		FilesBucket:      os.Getenv("FILES_BUCKET"),
		FilesEndpoint:    os.Getenv("FILES_ENDPOINT"),
		SecureCookies:    true,
	}
	if c.TableName == "" {
		return c, fmt.Errorf("TABLE_NAME is not set")
	}
	if c.AppURL != "" {
		u, err := url.Parse(c.AppURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
			return c, fmt.Errorf("APP_URL: %q is not an origin such as https://roster.example.com", c.AppURL)
		}
	}
	if c.OriginSecret != "" && !strongHeaderValue(c.OriginSecret) {
		return c, fmt.Errorf("ORIGIN_SECRET: must be at least %d visible ASCII characters without spaces", minOriginSecret)
	}
	if v := os.Getenv("SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("SECURE_COOKIES: %q is not true or false", v)
		}
		c.SecureCookies = b
	}
	if v := os.Getenv("JOB_THRESHOLD"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("JOB_THRESHOLD: %q is not a positive number", v)
		}
		c.JobThreshold = n
	}
	if v := os.Getenv("REMINDER_NOTICE_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 90 {
			return c, fmt.Errorf("REMINDER_NOTICE_DAYS: %q is not a number of days from 1 to 90", v)
		}
		c.ReminderNotice = n
	}
	if v := os.Getenv("DAILY_EMAIL_QUOTA"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("DAILY_EMAIL_QUOTA: %q is not a positive number of emails", v)
		}
		c.DailyEmailQuota = n
	}
	if v := os.Getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("LOG_LEVEL: %w", err)
		}
	}
	return c, nil
}

// minOriginSecret is the shortest ORIGIN_SECRET taken: the template
// generates 48 letters and digits.
const minOriginSecret = 32

// strongHeaderValue reports whether s is long enough to be a secret and
// travels unchanged in an HTTP header.
func strongHeaderValue(s string) bool {
	if len(s) < minOriginSecret {
		return false
	}
	for i := range len(s) {
		if s[i] < '!' || s[i] > '~' {
			return false
		}
	}
	return true
}

// App is Roster assembled.
type App struct {
	Config Config
	Log    *slog.Logger
	DB     *dynamodb.Client
	Store  *dynamo.Store
	*Services
	API   *httpapi.API
	Files roster.Files // nil without FILES_BUCKET
}

// Parts are what an Adapter or the caller of Assemble adds to the service:
// each nil part is left out.
type Parts struct {
	Mailer    roster.Mailer                                             // sends email
	Files     roster.Files                                              // uploads and exports
	OpenSheet func(r io.Reader, name string) (imports.RowReader, error) // reads uploads
}

// An Adapter adds to parts the clients it builds from the AWS configuration
// and c: SES (withmail), S3 (withfiles).
type Adapter func(awsCfg aws.Config, c Config, parts *Parts)

// New builds the App: the DynamoDB client from the default credential chain
// (with the configured endpoint), what each adapter adds, the store, the
// service and the API.
func New(ctx context.Context, c Config, log *slog.Logger, adapters ...Adapter) (*App, error) {
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	db := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if c.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(c.DynamoDBEndpoint)
		}
	})
	var parts Parts
	for _, add := range adapters {
		add(awsCfg, c, &parts)
	}
	return Assemble(c, log, db, parts), nil
}

// Assemble builds the App on existing clients: the store, the service and
// the API. Without a mailer nothing sends email; without files nothing
// stores them.
func Assemble(c Config, log *slog.Logger, db *dynamodb.Client, parts Parts) *App {
	store := dynamo.New(db, c.TableName)
	svcs := NewServices(Deps{Store: store, Log: log, AppURL: c.AppURL, OpenSheet: parts.OpenSheet,
		Mailer: parts.Mailer, Files: parts.Files, JobThreshold: c.JobThreshold,
		ReminderNoticeDays: c.ReminderNotice, DailyEmailQuota: c.DailyEmailQuota})
	return &App{
		Config:   c,
		Log:      log,
		DB:       db,
		Store:    store,
		Services: svcs,
		API:      svcs.API(log, c.SecureCookies, c.OriginSecret),
		Files:    parts.Files,
	}
}

// StreamConsumer returns the consumer of the table's stream: it hands what
// it decodes to the domain's recorder, which decides the side effects and
// persists them through the store.
func (a *App) StreamConsumer() *stream.Consumer {
	rec := changes.NewRecorder(a.Store)
	return &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: rec, DecodeFigures: dynamo.SeatFiguresFromStream, Ledger: rec, Log: a.Log}
}

// JobWorker returns the worker that runs background jobs from the table's stream.
func (a *App) JobWorker() *stream.JobWorker {
	return &stream.JobWorker{Decode: dynamo.JobStepFromStream, Jobs: a.Service, Log: a.Log}
}

// SendReminders is the scheduled reminder function's Lambda handler: one
// run of Reminders.SendReminders, whatever the event says. An error makes
// Lambda retry the invocation, which sends nothing twice.
func (a *App) SendReminders(ctx context.Context, _ events.EventBridgeEvent) error {
	_, err := a.Reminders.SendReminders(ctx)
	return err
}

// ExportWorker returns the worker that writes exports from the table's stream.
func (a *App) ExportWorker() *stream.ExportWorker {
	return &stream.ExportWorker{Decode: dynamo.ExportFromStream, Exports: a.Exports, Log: a.Log}
}

// LambdaLogger returns the JSON logger every Lambda function logs with.
func LambdaLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level}))
}

// memoryLimit returns the Go runtime's soft memory limit for a Lambda
// function: 90% of the memory it has (AWS_LAMBDA_FUNCTION_MEMORY_SIZE, in
// MiB), so that the garbage collector works harder as the heap nears it,
// not Lambda ending the function. ok is false when GOMEMLIMIT is set (the
// runtime applies it) or the size is missing or not a positive number.
func memoryLimit(getenv func(string) string) (limit int64, ok bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	mib, err := strconv.ParseInt(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 10, 64)
	if err != nil || mib <= 0 || mib > 1<<30 {
		return 0, false
	}
	return mib << 20 / 10 * 9, true
}

// fromEnv is where every function starts: the memory limit, the
// configuration, the App with the adapters the function needs.
func fromEnv(ctx context.Context, adapters []Adapter) (*App, error) {
	if limit, ok := memoryLimit(os.Getenv); ok {
		debug.SetMemoryLimit(limit)
	}
	c, err := ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	return New(ctx, c, LambdaLogger(c.LogLevel), adapters...)
}

// ServeFunction runs one API function in Lambda; it returns only when it
// cannot start.
func ServeFunction(ctx context.Context, function string, adapters ...Adapter) error {
	a, err := fromEnv(ctx, adapters)
	if err != nil {
		return err
	}
	h, err := a.API.FunctionHandler(function)
	if err != nil {
		return err
	}
	lambdahttp.Start(h)
	return nil
}

// ServeJobWorker runs the job worker in Lambda; it returns only when it
// cannot start.
func ServeJobWorker(ctx context.Context, adapters ...Adapter) error {
	a, err := fromEnv(ctx, adapters)
	if err != nil {
		return err
	}
	lambda.Start(a.JobWorker().Handle)
	return nil
}

// ServeExportWorker runs the export worker in Lambda; it returns only when
// it cannot start.
func ServeExportWorker(ctx context.Context, adapters ...Adapter) error {
	a, err := fromEnv(ctx, adapters)
	if err != nil {
		return err
	}
	lambda.Start(a.ExportWorker().Handle)
	return nil
}

// ServeStream runs the stream consumer in Lambda; it returns only when it
// cannot start.
func ServeStream(ctx context.Context, adapters ...Adapter) error {
	a, err := fromEnv(ctx, adapters)
	if err != nil {
		return err
	}
	lambda.Start(a.StreamConsumer().Handle)
	return nil
}

// ServeReminders runs the scheduled reminder function in Lambda; it returns
// only when it cannot start.
func ServeReminders(ctx context.Context, adapters ...Adapter) error {
	a, err := fromEnv(ctx, adapters)
	if err != nil {
		return err
	}
	lambda.Start(a.SendReminders)
	return nil
}
