package accounts_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/accounts"
)

// fakeThrottles counts attempts in memory, each key against its limit; the
// rest of the store is left to the embedded nil interface, or reports
// that nothing exists.
type fakeThrottles struct {
	accounts.Store
	mu       sync.Mutex
	counts   map[string]int
	returned int
}

func (f *fakeThrottles) TakeAttempt(_ context.Context, key string, window time.Time, limit int, _ time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := key + window.String()
	if f.counts[k] >= limit {
		return false, nil
	}
	f.counts[k]++
	return true, nil
}

func (f *fakeThrottles) ReturnAttempt(_ context.Context, key string, window time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[key+window.String()]--
	f.returned++
	return nil
}

func (f *fakeThrottles) FindOrganizationBySlug(context.Context, string) (*roster.Organization, error) {
	return nil, roster.NotFound("no such organization")
}

func TestService_Login_Throttled(t *testing.T) {
	store := &fakeThrottles{counts: map[string]int{}}
	s := accounts.NewService(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Argon2 = accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}
	s.Limits = accounts.Limits{SignInPerAccount: 3, SignInPerAddress: 100}
	now := time.Date(2026, 3, 2, 9, 1, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	in := accounts.LoginInput{Org: "acme", Login: "ada@acme.example", Password: "not the password", ClientAddress: "203.0.113.7"}
	for i := range 3 {
		if _, err := s.Login(context.Background(), in); !roster.IsCode(err, roster.CodeUnauthorized) {
			t.Fatalf("attempt %d: %v, want unauthorized", i+1, err)
		}
	}
	_, err := s.Login(context.Background(), in)
	var e *roster.Error
	if !roster.IsCode(err, roster.CodeTooMany) || !strings.Contains(err.Error(), "try again in 14 minutes") {
		t.Fatalf("past the account's limit: %v, want too many requests, waiting until the window ends", err)
	}
	if roster.ErrorCode(err) == roster.CodeTooMany {
		e = err.(*roster.Error)
		if got, want := e.RetryAfter, 14*time.Minute; got != want {
			t.Errorf("RetryAfter = %v, want %v", got, want)
		}
	}
	if store.returned != 1 {
		t.Errorf("attempts given back: %d, want 1 (the address's, taken before the account refused)", store.returned)
	}
}
