// Tests of signing in, links, passwords and sessions. This file runs after
// api_test.go: moto keeps every email of the package, and those tests count theirs.

package httpapi_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
	roster "github.com/rosterhq/roster/shared"
)

// emailedLink returns the token of the newest email to `to` holding a link
// to page (invitation, reset-password), and how many such emails there are.
func (s *server) emailedLink(t *testing.T, to, page string) (token string, count int) {
	t.Helper()
	mails, err := motoserver.SentEmails(context.Background(), s.ses)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if len(m.To) != 1 || m.To[0] != to {
			continue
		}
		_, rest, ok := strings.Cut(m.Text, "https://roster.test/"+page+"#")
		if !ok {
			continue
		}
		if !strings.Contains(m.HTML, "https://roster.test/"+page+"#") {
			t.Errorf("the HTML part of the email to %s has no %s link", to, page)
		}
		token, count = strings.Fields(rest)[0], count+1
	}
	return token, count
}

// at fixes the service's clock at the start of a throttle window plus
// offset, so that counting does not straddle two windows.
func (s *server) at(offset time.Duration) time.Time {
	now := time.Now().UTC().Truncate(accounts.ThrottleWindow).Add(offset)
	s.clock.Set(now)
	return now
}

// signInAs returns a client signed in with login and password in org "mine".
func (s *server) signInAs(t *testing.T, login, password string) (*client, map[string]any) {
	t.Helper()
	c := s.client(t)
	me := c.want(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": login, "password": password}), 200).json(t)
	return c, me
}

func errorMessage(t *testing.T, r response) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

func TestAPI_LoginThrottle(t *testing.T) {
	s := newServer(t)
	s.app.Accounts.Limits = accounts.Limits{SignInPerAccount: 3, SignInPerAddress: 5, ResetPerAccount: 3, ResetPerAddress: 5}
	s.at(time.Minute)
	c := s.client(t)
	wrong := map[string]string{"org": "mine", "login": s.mine.Owner.Email, "password": "not the password"}
	right := map[string]string{"org": "mine", "login": s.mine.Owner.Email, "password": s.mine.Password}

	t.Run("failures per account, then refused even with the right password", func(t *testing.T) {
		for range 3 {
			c.on(t).wantError(c.do("POST", "/api/auth/login", wrong), 401, "")
		}
		r := c.on(t).want(c.do("POST", "/api/auth/login", right), 429)
		if got := r.header.Get("Retry-After"); got != "840" {
			t.Errorf("Retry-After = %q, want 840 (14 minutes left in the window)", got)
		}
		if msg := errorMessage(t, r); msg != "too many sign-in attempts: try again in 14 minutes" {
			t.Errorf("message = %q", msg)
		}
		if r.json(t)["error"].(map[string]any)["code"] != "too_many_requests" {
			t.Errorf("body %s", r.body)
		}
	})
	t.Run("the window ends", func(t *testing.T) {
		s.at(accounts.ThrottleWindow + time.Minute)
		me := c.on(t).want(c.do("POST", "/api/auth/login", right), 200).json(t)
		if me["passwordChangeRequired"] != false {
			t.Errorf("passwordChangeRequired = %v, want false", me["passwordChangeRequired"])
		}
		if me := c.on(t).want(c.do("GET", "/api/me", nil), 200).json(t); me["user"].(map[string]any)["id"] != s.mine.Owner.ID {
			t.Errorf("signed in after the window as %v, want the owner", me["user"])
		}
	})
	t.Run("failures per client address, whatever the account", func(t *testing.T) {
		s.at(2*accounts.ThrottleWindow + time.Minute)
		for i := range 5 {
			body := map[string]string{"org": "mine", "login": "ghost" + string(rune('a'+i)) + "@mine.example", "password": "guess it"}
			c.on(t).wantError(c.do("POST", "/api/auth/login", body), 401, "")
		}
		r := c.on(t).want(c.do("POST", "/api/auth/login", right), 429)
		if msg := errorMessage(t, r); !strings.HasPrefix(msg, "too many sign-in attempts: try again in") {
			t.Errorf("message = %q", msg)
		}
	})
	t.Run("successes do not count", func(t *testing.T) {
		s.at(3*accounts.ThrottleWindow + time.Minute)
		for range 6 {
			c.on(t).want(c.do("POST", "/api/auth/login", right), 200)
		}
	})
}

func TestAPI_Invitation(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	u := owner.want(owner.do("POST", "/api/users", map[string]any{"firstName": "Ivy", "lastName": "Invited", "email": "ivy@mine.example", "approve": true, "notify": true}), 201).json(t)
	id := u["id"].(string)
	first, n := s.emailedLink(t, "ivy@mine.example", "invitation")
	if n != 1 {
		t.Fatalf("%d invitations, want 1", n)
	}
	anon := s.client(t)

	t.Run("checking spends nothing", func(t *testing.T) {
		for range 2 {
			info := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": first}), 200).json(t)
			org := info["organization"].(map[string]any)
			if info["purpose"] != "invitation" || info["firstName"] != "Ivy" || info["login"] != "ivy@mine.example" || org["slug"] != "mine" || info["expiresAt"] == nil {
				t.Errorf("check = %v", info)
			}
		}
	})
	t.Run("a new invitation retires the earlier one", func(t *testing.T) {
		r := owner.on(t).want(owner.do("POST", "/api/users/actions/notify", map[string]any{"userIds": []string{id}}), 200)
		if !strings.Contains(string(r.body), `"done":1`) {
			t.Fatalf("notify: %s", r.body)
		}
		second, n := s.emailedLink(t, "ivy@mine.example", "invitation")
		if n != 2 || second == first {
			t.Fatalf("%d invitations, want 2 with different links", n)
		}
		r = anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": first}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "newer link") || !strings.Contains(msg, "administrator") {
			t.Errorf("message = %q", msg)
		}
		anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": first, "password": "ivy's own password"}), 410)
		first = second
	})
	t.Run("unknown and tampered tokens", func(t *testing.T) {
		for _, token := range []string{"nosuchtoken", first[:len(first)-1], first + "A", strings.Repeat("x", 500)} {
			r := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 404)
			if msg := errorMessage(t, r); msg != "this link is not valid" {
				t.Errorf("message = %q", msg)
			}
			anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": token, "password": "ivy's own password"}), 404)
		}
		anon.on(t).wantError(anon.do("POST", "/api/auth/links/check", map[string]string{"token": ""}), 422, "token")
	})
	t.Run("bad passwords spend nothing", func(t *testing.T) {
		for name, tt := range map[string]struct{ password, message string }{
			"too short": {"seven c", "must be at least 8 characters"},
			"too long":  {strings.Repeat("p", 129), "must be at most 128 characters"},
			"the email": {"IVY@mine.example", "must not be your email or user ID"},
			"missing":   {"", "is required"},
		} {
			t.Run(name, func(t *testing.T) {
				r := anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": first, "password": tt.password}), 422)
				if msg := errorMessage(t, r); msg != tt.message {
					t.Errorf("message = %q, want %q", msg, tt.message)
				}
			})
		}
		anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": first}), 200)
	})
	t.Run("no access: neutral refusal, nothing spent", func(t *testing.T) {
		owner.on(t).want(owner.do("POST", "/api/users/actions/deactivate", map[string]any{"userIds": []string{id}}), 200)
		anon.on(t).wantError(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": first, "password": "ivy's own password"}), 401, "")
		owner.on(t).want(owner.do("POST", "/api/users/actions/activate", map[string]any{"userIds": []string{id}}), 200)
		anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": first}), 200)
	})
	t.Run("spent once, by one of two at the same moment", func(t *testing.T) {
		statuses, errs := make([]int, 2), make([]error, 2)
		clients := []*client{s.client(t), s.client(t)}
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				var r response
				r, errs[i] = clients[i].try("POST", "/api/auth/links/redeem", map[string]string{"token": first, "password": "ivy's own password"})
				statuses[i] = r.status
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if !(statuses[0] == 200 && statuses[1] == 410 || statuses[0] == 410 && statuses[1] == 200) {
			t.Fatalf("statuses = %v, want one 200 and one 410", statuses)
		}
		winner := clients[0]
		if statuses[1] == 200 {
			winner = clients[1]
		}
		me := winner.on(t).want(winner.do("GET", "/api/me", nil), 200).json(t)
		if me["user"].(map[string]any)["id"] != id || me["passwordChangeRequired"] != false {
			t.Errorf("me = %v", me)
		}
		r := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": first}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "already used") {
			t.Errorf("message = %q", msg)
		}
		s.signInAs(t, "ivy@mine.example", "ivy's own password")
	})
	t.Run("expired", func(t *testing.T) {
		owner.on(t).want(owner.do("POST", "/api/users/actions/notify", map[string]any{"userIds": []string{id}}), 200)
		token, _ := s.emailedLink(t, "ivy@mine.example", "invitation")
		s.clock.Advance(accounts.InvitationTTL + time.Minute)
		defer s.clock.Reset()
		r := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "has expired") || !strings.Contains(msg, "administrator") {
			t.Errorf("message = %q", msg)
		}
		anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": token, "password": "another of ivy's"}), 410)
	})
}

func TestAPI_ForgotPassword(t *testing.T) {
	s := newServer(t)
	s.app.Accounts.ForgotMinDuration = 0
	rita := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Rita", LastName: "Reset", Email: "rita@mine.example"}, "rita's old password")
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Dee", LastName: "Deactivated", Email: "dee@mine.example", State: roster.StateDeactivated}, "dee's password")
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Nell", LastName: "NoEmail", UserID: "NELL7"}, "nell's password")
	anon := s.client(t)
	forgot := func(t *testing.T, org, login string) response {
		t.Helper()
		return anon.on(t).want(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": org, "login": login}), 202)
	}

	t.Run("the same answer whether or not the account exists", func(t *testing.T) {
		want := string(forgot(t, "mine", "rita@mine.example").body)
		if strings.TrimSpace(want) != "{}" {
			t.Errorf("body = %s, want {}", want)
		}
		for _, tt := range [][2]string{{"mine", "nobody@mine.example"}, {"nosuchorg", "rita@mine.example"}, {"mine", "dee@mine.example"}, {"mine", "NELL7"}, {"theirs", "rita@mine.example"}} {
			if got := string(forgot(t, tt[0], tt[1]).body); got != want {
				t.Errorf("%v: body %s, want %s", tt, got, want)
			}
		}
		if _, n := s.emailedLink(t, "rita@mine.example", "reset-password"); n != 1 {
			t.Errorf("rita got %d reset emails, want 1", n)
		}
		if _, n := s.emailedLink(t, "dee@mine.example", "reset-password"); n != 0 {
			t.Errorf("a deactivated user got %d reset emails", n)
		}
		anon.on(t).wantError(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": ""}), 422, "login")
	})
	t.Run("a newer link retires the earlier one; redeeming ends every other session", func(t *testing.T) {
		older, _ := s.emailedLink(t, "rita@mine.example", "reset-password")
		forgot(t, "mine", "rita@mine.example")
		token, n := s.emailedLink(t, "rita@mine.example", "reset-password")
		if n != 2 || token == older {
			t.Fatalf("%d reset emails, want 2 different links", n)
		}
		r := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": older}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "newer link") || !strings.Contains(msg, "sign-in page") {
			t.Errorf("message = %q", msg)
		}
		info := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 200).json(t)
		if info["purpose"] != "password-reset" {
			t.Errorf("check = %v", info)
		}
		elsewhere, _ := s.signInAs(t, "rita@mine.example", "rita's old password")
		browser := s.client(t)
		browser.on(t).want(browser.do("POST", "/api/auth/links/redeem", map[string]string{"token": token, "password": "rita's new password"}), 200)
		if me := browser.on(t).want(browser.do("GET", "/api/me", nil), 200).json(t); me["user"].(map[string]any)["id"] != rita.ID {
			t.Errorf("signed in by the link as %v, want rita", me["user"])
		}
		elsewhere.on(t).wantError(elsewhere.do("GET", "/api/me", nil), 401, "")
		anon.on(t).wantError(anon.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "rita@mine.example", "password": "rita's old password"}), 401, "")
		s.signInAs(t, "rita@mine.example", "rita's new password")
		r = anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": token, "password": "rita's newer password"}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "already used") {
			t.Errorf("message = %q", msg)
		}
		// The audit trail shows that she ended her sessions herself.
		s.settle(t)
		owner := s.signIn(t, s.mine)
		var page struct {
			Items []struct {
				Actor   struct{ ID string }
				Changes []struct{ Field string }
			}
		}
		if err := json.Unmarshal(owner.on(t).want(owner.do("GET", "/api/users/"+rita.ID+"/audit", nil), 200).body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 || page.Items[0].Actor.ID != rita.ID || len(page.Items[0].Changes) != 1 || page.Items[0].Changes[0].Field != "sessionsEndedAt" {
			t.Errorf("rita's latest audit entry = %+v, want her own change of sessionsEndedAt", page.Items)
		}
	})
	t.Run("expires after an hour", func(t *testing.T) {
		forgot(t, "mine", "rita@mine.example")
		token, _ := s.emailedLink(t, "rita@mine.example", "reset-password")
		s.clock.Advance(accounts.PasswordResetTTL + time.Second)
		defer s.clock.Reset()
		r := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "has expired") {
			t.Errorf("message = %q", msg)
		}
	})
	t.Run("throttled per login, every request counting", func(t *testing.T) {
		s.app.Accounts.Limits = accounts.Limits{SignInPerAccount: 10, SignInPerAddress: 100, ResetPerAccount: 2, ResetPerAddress: 100}
		s.at(accounts.ThrottleWindow*1000 + 3*time.Minute) // a fresh window
		defer s.clock.Reset()
		forgot(t, "mine", "ghost@mine.example")
		forgot(t, "mine", "GHOST@mine.example ")
		r := anon.on(t).want(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": "ghost@mine.example"}), 429)
		if msg := errorMessage(t, r); msg != "too many password reset requests: try again in 12 minutes" || r.header.Get("Retry-After") != "720" {
			t.Errorf("message = %q, Retry-After %q", msg, r.header.Get("Retry-After"))
		}
		s.at(accounts.ThrottleWindow*1001 + 3*time.Minute)
		forgot(t, "mine", "ghost@mine.example")
	})
}

func TestAPI_Sessions(t *testing.T) {
	s := newServer(t)
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Sam", LastName: "Sessions", Email: "sam@mine.example"}, "sam's password")

	t.Run("log out everywhere ends every session", func(t *testing.T) {
		laptop, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		phone, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		r := phone.on(t).want(phone.do("POST", "/api/auth/logout-everywhere", nil), 204)
		if c := r.header.Get("Set-Cookie"); !strings.Contains(c, "roster_session=;") || !strings.Contains(c, "Max-Age=0") {
			t.Errorf("Set-Cookie = %q, want the cookie cleared", c)
		}
		laptop.on(t).wantError(laptop.do("GET", "/api/me", nil), 401, "")
		phone.on(t).wantError(phone.do("GET", "/api/me", nil), 401, "")
		again, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		again.on(t).want(again.do("GET", "/api/me", nil), 200)
	})
	t.Run("change password: this session stays, the others end", func(t *testing.T) {
		laptop, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		phone, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		change := func(current, next string) response {
			return phone.on(t).do("POST", "/api/me/password", map[string]string{"currentPassword": current, "newPassword": next})
		}
		for _, tt := range []struct{ current, next, field string }{
			{"not sam's password", "a brand new one", "currentPassword"},
			{"sam's password", "short", "newPassword"},
			{"sam's password", "SAM@mine.example", "newPassword"},
			{"sam's password", "sam's password", "newPassword"},
			{"", "a brand new one", "currentPassword"},
		} {
			phone.on(t).wantError(change(tt.current, tt.next), 422, tt.field)
		}
		laptop.on(t).want(laptop.do("GET", "/api/me", nil), 200) // nothing changed yet
		me := phone.on(t).want(change("sam's password", "a brand new one"), 200).json(t)
		if me["passwordChangeRequired"] != false || me["user"].(map[string]any)["email"] != "sam@mine.example" {
			t.Errorf("me = %v", me)
		}
		phone.on(t).want(phone.do("GET", "/api/me", nil), 200)
		laptop.on(t).wantError(laptop.do("GET", "/api/me", nil), 401, "")
		s.client(t).wantError(s.client(t).do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "sam@mine.example", "password": "sam's password"}), 401, "")
		s.signInAs(t, "sam@mine.example", "a brand new one")
	})
	t.Run("wrong current passwords are throttled", func(t *testing.T) {
		s.app.Accounts.Limits.SignInPerAccount = 2
		s.at(accounts.ThrottleWindow*2000 + 5*time.Minute)
		defer func() { s.clock.Reset(); s.app.Accounts.Limits = accounts.DefaultLimits }()
		c, _ := s.signInAs(t, "sam@mine.example", "a brand new one")
		for range 2 {
			c.on(t).wantError(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "a guess", "newPassword": "a brand new two"}), 422, "currentPassword")
		}
		r := c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "a brand new one", "newPassword": "a brand new two"}), 429)
		if msg := errorMessage(t, r); msg != "too many wrong passwords: try again in 10 minutes" {
			t.Errorf("message = %q", msg)
		}
		s.at(accounts.ThrottleWindow*2001 + 5*time.Minute)
		c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "a brand new one", "newPassword": "a brand new two"}), 200)
		s.signInAs(t, "sam@mine.example", "a brand new two")
	})
	t.Run("a forged or tampered cookie", func(t *testing.T) {
		u, _ := http.NewRequest("GET", s.URL, nil)
		for _, value := range []string{"", "a.b.c", s.mine.Organization.ID + "." + s.mine.Owner.ID + ".forged"} {
			forged := s.client(t)
			forged.http.Jar.SetCookies(u.URL, []*http.Cookie{{Name: "roster_session", Value: value, Path: "/api"}})
			forged.on(t).wantError(forged.do("GET", "/api/me", nil), 401, "")
		}
	})
}

func TestAPI_AdminPasswords(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	nell := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Nell", LastName: "NoEmail", UserID: "NELL7"}, "nell's password")
	ada := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ada", LastName: "Admin", Email: "ada@mine.example", Role: roster.RoleAdmin}, "ada's password")
	dee := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Dee", LastName: "Deactivated", Email: "dee@mine.example", State: roster.StateDeactivated}, "")
	lucy := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lucy", LastName: "Learner", Email: "lucy@mine.example"}, "lucy's password")
	admin, _ := s.signInAs(t, "ada@mine.example", "ada's password")

	t.Run("reset link sent by an administrator", func(t *testing.T) {
		admin.on(t).want(admin.do("POST", "/api/users/"+lucy.ID+"/password-reset", nil), 202)
		token, n := s.emailedLink(t, "lucy@mine.example", "reset-password")
		if n != 1 {
			t.Fatalf("%d reset emails, want 1", n)
		}
		if info := admin.on(t).want(admin.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 200).json(t); info["purpose"] != "password-reset" || info["login"] != "lucy@mine.example" {
			t.Errorf("the link sent = %v, want lucy's password reset", info)
		}
		admin.on(t).wantError(admin.do("POST", "/api/users/"+nell.ID+"/password-reset", nil), 422, "email")
		admin.on(t).wantError(admin.do("POST", "/api/users/"+dee.ID+"/password-reset", nil), 422, "status")
		admin.on(t).wantError(admin.do("POST", "/api/users/"+s.mine.Owner.ID+"/password-reset", nil), 403, "")
		admin.on(t).wantError(admin.do("POST", "/api/users/"+s.theirs.Owner.ID+"/password-reset", nil), 404, "")
		admin.on(t).wantError(admin.do("POST", "/api/users/"+lucy.ID+"/password-reset", `{"to":"me@evil.example"}`), 400, "to")
	})
	t.Run("one-time password: shown once, must be changed, ends sessions", func(t *testing.T) {
		nellBefore, _ := s.signInAs(t, "NELL7", "nell's password")
		r := admin.on(t).want(admin.do("POST", "/api/users/"+nell.ID+"/one-time-password", nil), 200).json(t)
		otp, _ := r["password"].(string)
		if len(otp) != accounts.OneTimePasswordLength {
			t.Fatalf("password %q, want %d characters", otp, accounts.OneTimePasswordLength)
		}
		nellBefore.on(t).wantError(nellBefore.do("GET", "/api/me", nil), 401, "")
		s.client(t).wantError(s.client(t).do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "NELL7", "password": "nell's password"}), 401, "")
		c, me := s.signInAs(t, "nell7", otp)
		if me["passwordChangeRequired"] != true {
			t.Errorf("sign-in with a one-time password: passwordChangeRequired = %v", me["passwordChangeRequired"])
		}
		me = c.on(t).want(c.do("GET", "/api/me", nil), 200).json(t)
		if me["passwordChangeRequired"] != true {
			t.Errorf("me: passwordChangeRequired = %v", me["passwordChangeRequired"])
		}
		c.on(t).wantError(c.do("POST", "/api/me/password", map[string]string{"currentPassword": otp, "newPassword": otp}), 422, "newPassword")
		me = c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": otp, "newPassword": "nell chose this"}), 200).json(t)
		if me["passwordChangeRequired"] != false {
			t.Errorf("after the change: passwordChangeRequired = %v", me["passwordChangeRequired"])
		}
		s.signInAs(t, "NELL7", "nell chose this")
	})
	t.Run("until changed, only the change is open", func(t *testing.T) {
		r := owner.on(t).want(owner.do("POST", "/api/users/"+ada.ID+"/one-time-password", "{}"), 200).json(t)
		admin.on(t).wantError(admin.do("GET", "/api/users", nil), 401, "") // her sessions ended
		c, _ := s.signInAs(t, "ada@mine.example", r["password"].(string))
		r2 := c.on(t).want(c.do("GET", "/api/users", nil), 403)
		if msg := errorMessage(t, r2); msg != "change your one-time password first" {
			t.Errorf("message = %q", msg)
		}
		c.on(t).want(c.do("POST", "/api/users/"+lucy.ID+"/one-time-password", nil), 403)
		c.on(t).want(c.do("GET", "/api/me", nil), 200)
		c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": r["password"].(string), "newPassword": "ada's own again"}), 200)
		c.on(t).want(c.do("GET", "/api/users", nil), 200)
	})
	t.Run("manage rules", func(t *testing.T) {
		c, _ := s.signInAs(t, "ada@mine.example", "ada's own again")
		c.on(t).wantError(c.do("POST", "/api/users/"+s.mine.Owner.ID+"/one-time-password", nil), 403, "")
		c.on(t).wantError(c.do("POST", "/api/users/"+s.theirs.Owner.ID+"/one-time-password", nil), 404, "")
		c.on(t).wantError(c.do("POST", "/api/users/nosuchuser/one-time-password", nil), 404, "")
		s.signInAs(t, "ada@mine.example", "ada's own again") // nothing changed
	})
}
