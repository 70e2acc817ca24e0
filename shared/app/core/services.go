package core

import (
	"crypto/rand"
	"io"
	"log/slog"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/accounts"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/exports"
	"github.com/rosterhq/roster/shared/groups"
	"github.com/rosterhq/roster/shared/httpapi"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/reminders"
	"github.com/rosterhq/roster/shared/training"
)

// Deps are what the domain services are built from. The zero value of an
// optional field means the production default; a nil Mailer or Files means
// no function sends email or keeps files here.
type Deps struct {
	Store  *dynamo.Store
	Log    *slog.Logger
	Now    roster.NowFunc // nil: time.Now
	NewID  func() string  // nil: roster.NewRandomID
	Random io.Reader      // nil: crypto/rand
	Argon2 *accounts.Argon2Params
	Mailer roster.Mailer
	Files  roster.Files
	AppURL string
	// OpenSheet reads uploads; nil: no imports here.
	OpenSheet func(r io.Reader, name string) (imports.RowReader, error)

	JobThreshold       int // zero: roster.DefaultJobThreshold
	JobChunkSize       int // zero: roster.DefaultJobChunkSize
	ReminderNoticeDays int // zero: reminders.DefaultNoticeDays
	DailyEmailQuota    int // zero: roster.DefaultDailyEmailQuota
}

// Services are Roster's domain services, each built once by NewServices
// and given the services of the domains below it.
type Services struct {
	// Service is the root package's: the domains not moved
	// into a package of their own yet.
	Service   *roster.Service
	Accounts  *accounts.Service
	Reminders *reminders.Service
	Exports   *exports.Service
	Audit     *audit.Service
	Groups    *groups.Service
	Training  *training.Service
	Imports   *imports.Service
}

// NewServices builds every domain service on d and wires them together: the
// one place a service is built, for the Lambda functions, the dev server
// and the tests alike.
func NewServices(d Deps) *Services {
	svc := roster.NewService(d.Store, d.Log)
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.NewID == nil {
		d.NewID = roster.NewRandomID
	}
	if d.Random == nil {
		d.Random = rand.Reader
	}
	svc.Now, svc.NewID = d.Now, d.NewID
	acc := accounts.NewService(d.Store, d.Log)
	acc.Now, acc.NewID, acc.Random = d.Now, d.NewID, d.Random
	if d.Argon2 != nil {
		acc.Argon2 = *d.Argon2
	}
	acc.Mailer, acc.AppURL, acc.DailyEmailQuota = d.Mailer, d.AppURL, d.DailyEmailQuota
	svc.Invitations = acc
	trn := &training.Service{Store: d.Store, Now: d.Now, NewID: d.NewID, Log: d.Log}
	svc.Training = trn
	svc.Mailer, svc.Files, svc.AppURL = d.Mailer, d.Files, d.AppURL
	imp := &imports.Service{Service: svc, Store: d.Store, OpenSheet: d.OpenSheet}
	svc.Imports = imp
	svc.JobThreshold, svc.JobChunkSize = d.JobThreshold, d.JobChunkSize
	return &Services{
		Service:  svc,
		Accounts: acc,
		Reminders: &reminders.Service{Store: d.Store, Now: d.Now, Log: d.Log, Mailer: d.Mailer, AppURL: d.AppURL,
			NoticeDays: d.ReminderNoticeDays},
		Audit:    &audit.Service{Store: d.Store},
		Training: trn,
		Imports:  imp,
		Groups:   &groups.Service{Store: d.Store, Now: d.Now, NewID: d.NewID, Log: d.Log},
		Exports:  &exports.Service{Store: d.Store, Records: trn, Files: d.Files, Now: d.Now, NewID: d.NewID, Log: d.Log},
	}
}

// SetClock makes every service read the time from now: tests move time
// with one clock, set before the server starts.
func (s *Services) SetClock(now roster.NowFunc) {
	s.Service.Now = now
	s.Accounts.Now = now
	s.Reminders.Now = now
	s.Exports.Now = now
	s.Groups.Now = now
	s.Training.Now = now
}

// API returns the HTTP API on these services.
func (s *Services) API(log *slog.Logger, secureCookies bool, originSecret string) *httpapi.API {
	return &httpapi.API{Service: s.Service, Accounts: s.Accounts, Exports: s.Exports, Audit: s.Audit, Groups: s.Groups, Training: s.Training, Imports: s.Imports, Log: log, SecureCookies: secureCookies, OriginSecret: originSecret}
}
