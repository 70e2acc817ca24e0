// Package app assembles the whole of Roster: every part wired, as the local
// dev server and the tests run it. The Lambda functions start from
// shared/app/core with only the adapters they need (withmail, withfiles).
package app

import (
	"context"
	"io"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/rosterhq/roster/shared/app/core"
	"github.com/rosterhq/roster/shared/app/withfiles"
	"github.com/rosterhq/roster/shared/app/withmail"
	"github.com/rosterhq/roster/shared/files"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/ses"
)

// Config is what Roster reads from its environment.
type Config = core.Config

// App is Roster assembled.
type App = core.App

// Deps are what the domain services are built from (core.Deps).
type Deps = core.Deps

// Services are Roster's domain services, wired (core.Services).
type Services = core.Services

// NewServices builds and wires every domain service on d.
func NewServices(d Deps) *Services { return core.NewServices(d) }

// ConfigFromEnv reads the Config, naming the variable that is wrong.
func ConfigFromEnv() (Config, error) { return core.ConfigFromEnv() }

// New builds the App with every part: AWS clients from the default
// credential chain (with the configured endpoints), the store, the service
// and the API.
func New(ctx context.Context, c Config, log *slog.Logger) (*App, error) {
	return core.New(ctx, c, log, withmail.Adapter, withfiles.Adapter)
}

// Assemble builds the App on existing clients (tests and the dev server pass
// their own). Without a sender or an SES client, nothing sends email;
// without a bucket, nothing stores files.
func Assemble(c Config, log *slog.Logger, db *dynamodb.Client, mail ses.Client, bucket *files.Bucket) *App {
	parts := core.Parts{OpenSheet: OpenSheet}
	if c.Sender != "" && mail != nil {
		parts.Mailer = ses.New(mail, c.Sender)
	}
	if bucket != nil {
		parts.Files = bucket
	}
	return core.Assemble(c, log, db, parts)
}

// OpenSheet reads an upload within the limits README states.
func OpenSheet(r io.Reader, name string) (imports.RowReader, error) {
	return withfiles.OpenSheet(r, name)
}

// LambdaLogger returns the JSON logger every Lambda function logs with.
func LambdaLogger(level slog.Level) *slog.Logger { return core.LambdaLogger(level) }
