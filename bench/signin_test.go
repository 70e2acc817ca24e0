package bench

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/ses"
)

// signInRounds is how many times each sign-in case runs.
const signInRounds = 30

// reportTimes reports the median and 95th percentile of times.
func reportTimes(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkArgon2 measures hashing and verifying a password at the
// production parameters (OWASP's: 19 MiB, 2 passes, 1 thread): the CPU time
// and memory of every sign-in and every password set.
func BenchmarkArgon2(b *testing.B) {
	hash, err := accounts.HashPassword("correct horse battery staple", accounts.OWASPArgon2)
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		run  func() error
	}{
		{"hash", func() error {
			_, err := accounts.HashPassword("correct horse battery staple", accounts.OWASPArgon2)
			return err
		}},
		{"verify", func() error { _, err := accounts.VerifyPassword("correct horse battery staple", hash); return err }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				times := make([]time.Duration, signInRounds)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for i := range times {
					start := time.Now()
					if err := tt.run(); err != nil {
						b.Fatal(err)
					}
					times[i] = time.Since(start)
				}
				runtime.ReadMemStats(&after)
				reportTimes(b, times)
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(signInRounds)/(1<<20), "MiB/op")
			}
		})
	}
}

// BenchmarkSession measures, against DynamoDB Local, a whole sign-in at the
// production parameters and the session check every request makes: the
// DynamoDB requests, the capacity they consume and the time.
func BenchmarkSession(b *testing.B) {
	tbl := testenv.DynamoDB(b)
	client := &countingClient{db: tbl.Client}
	store := dynamo.New(client, tbl.Name)
	svc := accounts.NewService(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Limits = accounts.Limits{SignInPerAccount: 1 << 30, SignInPerAddress: 1 << 30, ResetPerAccount: 1 << 30, ResetPerAddress: 1 << 30}
	svc.ForgotMinDuration = 0
	endpoint := testenv.SES(b)
	svc.Mailer, svc.AppURL = ses.New(motoserver.Client(context.Background(), endpoint), testenv.Sender), "https://roster.test"
	org := fixtures.NewOrg(b, store, "bench-sessions")
	const password = "correct horse battery staple"
	u := org.AddUser(b, store, &roster.User{FirstName: "Sam", LastName: "Signin", Email: "sam@bench.example"}, "")
	hash, err := accounts.HashPassword(password, accounts.OWASPArgon2)
	if err != nil {
		b.Fatal(err)
	}
	if err := store.SetPasswordHash(context.Background(), org.Organization.ID, u.ID, hash); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	in := accounts.LoginInput{Org: org.Organization.Slug, Login: u.Email, Password: password, ClientAddress: "203.0.113.7"}
	signIn, err := svc.Login(ctx, in)
	if err != nil {
		b.Fatal(err)
	}

	measure := func(b *testing.B, run func() error) {
		for b.Loop() {
			times := make([]time.Duration, signInRounds)
			client.reset()
			for i := range times {
				start := time.Now()
				if err := run(); err != nil {
					b.Fatal(err)
				}
				times[i] = time.Since(start)
			}
			requests, capacity := client.totals()
			reportTimes(b, times)
			b.ReportMetric(float64(requests)/signInRounds, "requests/op")
			b.ReportMetric(capacity/signInRounds, "RCU/op") // reads only: the client sees no write capacity
		}
	}
	b.Run("session-check", func(b *testing.B) {
		measure(b, func() error { _, err := svc.Authenticate(ctx, signIn.Token, "bench"); return err })
	})
	b.Run("sign-in", func(b *testing.B) {
		measure(b, func() error { _, err := svc.Login(ctx, in); return err })
	})
	b.Run("sign-in-wrong-password", func(b *testing.B) {
		wrong := in
		wrong.Password = "not the password"
		measure(b, func() error {
			if _, err := svc.Login(ctx, wrong); !roster.IsCode(err, roster.CodeUnauthorized) {
				return err
			}
			return nil
		})
	})
	// The work of "forgot password" with no time floor: what the floor
	// (roster.DefaultForgotMinDuration) must cover for both answers to take
	// the same time.
	b.Run("forgot-existing", func(b *testing.B) {
		measure(b, func() error {
			return svc.ForgotPassword(ctx, accounts.ForgotInput{Org: in.Org, Login: in.Login, ClientAddress: "203.0.113.8"})
		})
	})
	b.Run("forgot-unknown", func(b *testing.B) {
		measure(b, func() error {
			return svc.ForgotPassword(ctx, accounts.ForgotInput{Org: in.Org, Login: "nobody@bench.example", ClientAddress: "203.0.113.9"})
		})
	})
}
