package dynamo_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"sync/atomic"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

func (f *fixture) link(t *testing.T, token string, u *roster.User, purpose accounts.LinkPurpose, ttl time.Duration) *accounts.Link {
	t.Helper()
	l := &accounts.Link{TokenHash: roster.HashToken(token), Purpose: purpose, OrgID: u.OrgID, UserID: u.ID, CreatedAt: f.now, ExpiresAt: f.now.Add(ttl)}
	if err := f.store.CreateLink(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestStore_Links(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.newUser(t, "o1", "Ivy", "Invited", "ivy@example.com", "", nil)
	first := f.link(t, "first", u, accounts.LinkInvitation, time.Hour)
	reset := f.link(t, "reset", u, accounts.LinkPasswordReset, time.Hour)

	latest := func(l *accounts.Link) bool {
		t.Helper()
		got, isLatest, err := f.store.GetLink(ctx, l.TokenHash)
		if err != nil || got.UserID != u.ID || got.OrgID != "o1" || got.Purpose != l.Purpose || !got.ExpiresAt.Equal(l.ExpiresAt) {
			t.Fatalf("GetLink = %+v, %v", got, err)
		}
		return isLatest
	}
	if !latest(first) || !latest(reset) {
		t.Fatal("a user's only link of each purpose is not their latest")
	}
	second := f.link(t, "second", u, accounts.LinkInvitation, time.Hour)
	if latest(first) || !latest(second) || !latest(reset) {
		t.Error("a new invitation does not retire only the earlier invitation")
	}
	if err := f.store.CreateLink(ctx, second); !roster.IsCode(err, roster.CodeConflict) {
		t.Errorf("the same token twice: %v, want a conflict", err)
	}
	if _, _, err := f.store.GetLink(ctx, roster.HashToken("nothing")); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("unknown token: %v, want not found", err)
	}

	spend := func(l *accounts.Link) error {
		_, err := f.store.SetPassword(ctx, "o1", u.ID, "hash-"+l.TokenHash[:8], accounts.PasswordWrite{SpendLink: l}, func(u *roster.User) error {
			u.SessionsEndedAt = &f.now
			return nil
		})
		return err
	}
	t.Run("a superseded link cannot be spent, and nothing is written", func(t *testing.T) {
		if err := spend(first); !roster.IsCode(err, roster.CodeGone) {
			t.Fatalf("spend the first invitation: %v, want gone", err)
		}
		if h, err := f.store.GetPasswordHash(ctx, "o1", u.ID); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("password after a refused spend: %q, %v", h, err)
		}
		if got, _ := f.store.GetUser(ctx, "o1", u.ID); got.Version != 1 || got.SessionsEndedAt != nil {
			t.Errorf("user after a refused spend: version %d, sessionsEndedAt %v", got.Version, got.SessionsEndedAt)
		}
	})
	t.Run("spent once", func(t *testing.T) {
		if err := spend(second); err != nil {
			t.Fatal(err)
		}
		got, _, _ := f.store.GetLink(ctx, second.TokenHash)
		if got.SpentAt == nil || !got.SpentAt.Equal(f.now) {
			t.Errorf("spentAt = %v, want %v", got.SpentAt, f.now)
		}
		if h, _ := f.store.GetPasswordHash(ctx, "o1", u.ID); h != "hash-"+second.TokenHash[:8] {
			t.Errorf("password hash = %q", h)
		}
		if err := spend(second); !roster.IsCode(err, roster.CodeGone) {
			t.Errorf("spent again: %v, want gone", err)
		}
	})
	t.Run("an expired link cannot be spent", func(t *testing.T) {
		f.now = f.now.Add(time.Hour)
		defer func() { f.now = f.now.Add(-time.Hour) }()
		if err := spend(reset); !roster.IsCode(err, roster.CodeGone) {
			t.Errorf("spend an expired link: %v, want gone", err)
		}
	})
	t.Run("a link and its user keep their linksRetiredAt", func(t *testing.T) {
		retired := f.now.Add(-time.Minute)
		stamped, err := f.store.UpdateUser(ctx, "o1", u.ID, 0, func(u *roster.User) error { u.LinksRetiredAt = &retired; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.store.GetUser(ctx, "o1", u.ID); !got.LinksRetiredAt.Equal(retired) {
			t.Errorf("user's linksRetiredAt = %v, want %v", got.LinksRetiredAt, retired)
		}
		l := &accounts.Link{TokenHash: roster.HashToken("stamped"), Purpose: accounts.LinkInvitation, OrgID: "o1", UserID: u.ID,
			CreatedAt: f.now, ExpiresAt: f.now.Add(time.Hour), LinksRetiredAt: stamped.LinksRetiredAt}
		if err := f.store.CreateLink(ctx, l); err != nil {
			t.Fatal(err)
		}
		if got, _, err := f.store.GetLink(ctx, l.TokenHash); err != nil || got.LinksRetiredAt == nil || !got.LinksRetiredAt.Equal(retired) {
			t.Errorf("link's linksRetiredAt = %v, %v; want %v", got.LinksRetiredAt, err, retired)
		}
	})
	t.Run("deleting the user removes the latest-link pointers", func(t *testing.T) {
		if err := f.store.DeleteUser(ctx, "o1", u.ID, func(*roster.User) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, isLatest, err := f.store.GetLink(ctx, reset.TokenHash); err != nil || isLatest {
			t.Errorf("after deleting the user: latest %v, %v; want the link no one's latest", isLatest, err)
		}
	})
}

func TestStore_SessionStamps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.newUser(t, "o1", "Sam", "Sessions", "sam@example.com", "", nil)
	open := func(token string) *accounts.Session {
		t.Helper()
		got, _ := f.store.GetUser(ctx, "o1", u.ID)
		s := &accounts.Session{TokenHash: roster.HashToken(token), OrgID: "o1", UserID: u.ID, CreatedAt: f.now, ExpiresAt: f.now.Add(time.Hour), SessionsEndedAt: got.SessionsEndedAt}
		if err := f.store.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := func(s *accounts.Session) bool {
		t.Helper()
		sess, user, err := f.store.GetSession(ctx, s.TokenHash, "o1", u.ID)
		if roster.IsCode(err, roster.CodeNotFound) {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		return sess.Valid(user, f.now)
	}
	laptop, phone := open("laptop"), open("phone")
	if !valid(laptop) || !valid(phone) {
		t.Fatal("new sessions are not valid")
	}

	t.Run("a new password keeps the one session named", func(t *testing.T) {
		ended := f.now.Add(time.Minute)
		_, err := f.store.SetPassword(ctx, "o1", u.ID, "new-hash", accounts.PasswordWrite{KeepSession: phone.TokenHash}, func(u *roster.User) error {
			u.SessionsEndedAt = &ended
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if valid(laptop) || !valid(phone) {
			t.Errorf("laptop valid %v, phone valid %v; want false, true", valid(laptop), valid(phone))
		}
	})
	t.Run("keeping a session that is gone writes nothing", func(t *testing.T) {
		before, _ := f.store.GetUser(ctx, "o1", u.ID)
		_, err := f.store.SetPassword(ctx, "o1", u.ID, "other-hash", accounts.PasswordWrite{KeepSession: roster.HashToken("gone")}, func(u *roster.User) error {
			now := f.now.Add(2 * time.Minute)
			u.SessionsEndedAt = &now
			return nil
		})
		if !roster.IsCode(err, roster.CodeUnauthorized) {
			t.Fatalf("SetPassword = %v, want unauthorized", err)
		}
		after, _ := f.store.GetUser(ctx, "o1", u.ID)
		if h, _ := f.store.GetPasswordHash(ctx, "o1", u.ID); h != "new-hash" || after.Version != before.Version {
			t.Errorf("after a refused write: hash %q, version %d (was %d)", h, after.Version, before.Version)
		}
	})
	t.Run("a password write opens a session under the new stamp", func(t *testing.T) {
		ended := f.now.Add(3 * time.Minute)
		s := &accounts.Session{TokenHash: roster.HashToken("fresh"), OrgID: "o1", UserID: u.ID, CreatedAt: f.now, ExpiresAt: f.now.Add(time.Hour)}
		if _, err := f.store.SetPassword(ctx, "o1", u.ID, "hash-3", accounts.PasswordWrite{OpenSession: s}, func(u *roster.User) error {
			u.SessionsEndedAt = &ended
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !valid(s) || valid(phone) {
			t.Errorf("fresh valid %v, phone valid %v; want true, false", valid(s), valid(phone))
		}
	})
	t.Run("ending every session deletes this one", func(t *testing.T) {
		current := open("current")
		other := open("other")
		ended := f.now.Add(4 * time.Minute)
		if _, err := f.store.EndSessions(ctx, "o1", u.ID, current.TokenHash, func(u *roster.User) error {
			u.SessionsEndedAt = &ended
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.store.GetSession(ctx, current.TokenHash, "o1", u.ID); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("this session after ending every session: %v, want not found", err)
		}
		if valid(other) {
			t.Error("another session is still valid")
		}
	})
}

func TestStore_Throttle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	window := f.now.Truncate(accounts.ThrottleWindow)
	expires := window.Add(accounts.ThrottleWindow)
	take := func(key string, w time.Time, limit int) bool {
		t.Helper()
		ok, err := f.store.TakeAttempt(ctx, key, w, limit, expires)
		if err != nil {
			t.Fatalf("TakeAttempt(%s): %v", key, err)
		}
		return ok
	}

	t.Run("up to the limit, then refused", func(t *testing.T) {
		for i := range 3 {
			if !take("account-key", window, 3) {
				t.Fatalf("attempt %d refused, want counted", i+1)
			}
		}
		if take("account-key", window, 3) {
			t.Error("a fourth attempt under a limit of 3 was counted")
		}
		if !take("address-key", window, 3) {
			t.Error("another key shares the count")
		}
		if !take("account-key", window.Add(accounts.ThrottleWindow), 3) {
			t.Error("the next window shares the count")
		}
	})
	t.Run("a returned attempt frees its place", func(t *testing.T) {
		if err := f.store.ReturnAttempt(ctx, "account-key", window); err != nil {
			t.Fatal(err)
		}
		if !take("account-key", window, 3) || take("account-key", window, 3) {
			t.Error("after a return, want one more attempt counted, and only one")
		}
	})
	t.Run("returning where nothing was counted changes nothing", func(t *testing.T) {
		for range 2 {
			if err := f.store.ReturnAttempt(ctx, "never-key", window); err != nil {
				t.Fatal(err)
			}
		}
		if !take("never-key", window, 1) || take("never-key", window, 1) {
			t.Error("a return below zero let more attempts through")
		}
	})
	t.Run("40 at once under a limit of 10: exactly 10 counted", func(t *testing.T) {
		results := make(chan error, 40)
		var counted atomic.Int32
		for range 40 {
			go func() {
				ok, err := f.store.TakeAttempt(ctx, "crowded-key", window, 10, expires)
				if ok {
					counted.Add(1)
				}
				results <- err
			}()
		}
		for range 40 {
			if err := <-results; err != nil {
				t.Errorf("TakeAttempt: %v", err)
			}
		}
		if got := counted.Load(); got != 10 {
			t.Errorf("%d attempts counted, want 10", got)
		}
	})
}

func TestStore_EmailQuota(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	day := f.now.Truncate(24 * time.Hour)
	sent := func(org string, d time.Time) int {
		t.Helper()
		n, err := f.store.EmailsSent(ctx, org, d)
		if err != nil {
			t.Fatalf("EmailsSent: %v", err)
		}
		return n
	}
	if n := sent("o1", day); n != 0 {
		t.Fatalf("EmailsSent before any = %d, want 0", n)
	}
	t.Run("10 at once under a quota of 3: exactly 3 counted", func(t *testing.T) {
		results := make(chan error, 10)
		var counted atomic.Int32
		for range 10 {
			go func() {
				ok, err := f.store.TakeEmail(ctx, "o1", day, 3)
				if ok {
					counted.Add(1)
				}
				results <- err
			}()
		}
		for range 10 {
			if err := <-results; err != nil {
				t.Errorf("TakeEmail: %v", err)
			}
		}
		if got := counted.Load(); got != 3 {
			t.Errorf("%d emails counted, want 3", got)
		}
		if n := sent("o1", day); n != 3 {
			t.Errorf("EmailsSent = %d, want 3", n)
		}
	})
	t.Run("per organization and per day", func(t *testing.T) {
		if n := sent("o2", day); n != 0 {
			t.Errorf("another organization's count = %d, want 0", n)
		}
		if ok, err := f.store.TakeEmail(ctx, "o1", day.AddDate(0, 0, 1), 3); err != nil || !ok {
			t.Errorf("the next day: %v, %v; want counted", ok, err)
		}
	})
	t.Run("a returned email frees its place", func(t *testing.T) {
		if err := f.store.ReturnEmail(ctx, "o1", day); err != nil {
			t.Fatal(err)
		}
		if n := sent("o1", day); n != 2 {
			t.Errorf("EmailsSent after a return = %d, want 2", n)
		}
		if ok, err := f.store.TakeEmail(ctx, "o1", day, 3); err != nil || !ok {
			t.Errorf("after a return: %v, %v; want counted", ok, err)
		}
	})
}
