package httpapi_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// registrationToken returns the token of a registration answer's url.
func registrationToken(t *testing.T, reg map[string]any) string {
	t.Helper()
	url, _ := reg["url"].(string)
	prefix := "https://roster.test/register#"
	if reg["enabled"] != true || !strings.HasPrefix(url, prefix) || len(url) < len(prefix)+40 {
		t.Fatalf("registration = %v, want enabled with a url %s<token>", reg, prefix)
	}
	return strings.TrimPrefix(url, prefix)
}

func TestAPI_Registration(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	owner := s.signIn(t, s.mine)
	anonymous := s.client(t)
	const path = "/api/organization/registration"

	off := owner.want(owner.do("GET", path, nil), 200).json(t)
	if off["enabled"] != false || off["url"] != nil {
		t.Fatalf("registration of a new organization = %v, want off", off)
	}
	token := registrationToken(t, owner.want(owner.do("PUT", path, map[string]any{"enabled": true}), 200).json(t))
	if again := registrationToken(t, owner.want(owner.do("PUT", path, map[string]any{"enabled": true}), 200).json(t)); again != token {
		t.Errorf("turning on a link that is on changed it")
	}
	if got := registrationToken(t, owner.want(owner.do("GET", path, nil), 200).json(t)); got != token {
		t.Errorf("GET shows another link than PUT made")
	}

	t.Run("check names the organization and changes nothing", func(t *testing.T) {
		c := anonymous.on(t)
		org := c.want(c.do("POST", "/api/auth/register/check", map[string]string{"token": token}), 200).json(t)["organization"].(map[string]any)
		if org["id"] != s.mine.Organization.ID || org["slug"] != "mine" || org["name"] != "Org mine" {
			t.Errorf("organization = %v", org)
		}
		for _, bad := range []string{token + "x", "nothing", s.mine.Organization.ID + ".guess", s.theirs.Organization.ID + "." + strings.SplitN(token, ".", 2)[1]} {
			r := c.do("POST", "/api/auth/register/check", map[string]string{"token": bad})
			c.wantError(r, 404, "")
			if msg := r.json(t)["error"].(map[string]any)["message"]; msg != "this registration link is not valid: it may have been renewed or turned off" {
				t.Errorf("message = %q", msg)
			}
		}
		c.wantError(c.do("POST", "/api/auth/register/check", map[string]string{"token": ""}), 422, "token")
		c.wantError(c.do("POST", "/api/auth/register/check", map[string]any{"token": token, "org": "mine"}), 400, "org")
	})

	register := func(c *client, token, first, email string) response {
		return c.do("POST", "/api/auth/register", map[string]string{"token": token, "firstName": first, "lastName": "Newcomer", "email": email})
	}

	t.Run("a registered person is a pending learner", func(t *testing.T) {
		c := anonymous.on(t)
		r := c.want(register(c, token, "Nina", "nina@mine.example"), 202)
		if strings.TrimSpace(string(r.body)) != "{}" {
			t.Errorf("body = %s, want {}", r.body)
		}
		if len(r.header.Values("Set-Cookie")) != 0 {
			t.Error("registering signed the person in")
		}
		u, err := s.app.Store.FindUserByLogin(ctx, s.mine.Organization.ID, "nina@mine.example")
		if err != nil {
			t.Fatal(err)
		}
		if u.State != roster.StatePending || u.Role != roster.RoleLearner || u.FirstName != "Nina" || u.ChangedBy != u.ID {
			t.Errorf("registered user = %+v, want a pending learner who added themselves", u)
		}
		if _, err := s.app.Store.GetPasswordHash(ctx, s.mine.Organization.ID, u.ID); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("a registered person has a password (%v): only the invitation sets one", err)
		}
		c.want(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "nina@mine.example", "password": "anything at all"}), 401)

		// The same answer for an email already on the roster, and nothing written.
		c.want(register(c, token, "Impostor", "NINA@mine.example"), 202)
		c.want(register(c, token, "Impostor", s.mine.Owner.Email), 202)
		if again, _ := s.app.Store.GetUser(ctx, s.mine.Organization.ID, u.ID); again.FirstName != "Nina" || again.Version != 1 {
			t.Errorf("registering a taken email changed the user: %+v", again)
		}
		if o, _ := s.app.Store.GetUser(ctx, s.mine.Organization.ID, s.mine.Owner.ID); o.FirstName != "Olive" || o.Version != 1 {
			t.Errorf("registering the owner's email changed the owner: %+v", o)
		}
	})

	t.Run("bad input changes nothing", func(t *testing.T) {
		c := anonymous.on(t)
		for _, tt := range []struct {
			body  map[string]string
			field string
		}{
			{map[string]string{"token": token, "firstName": "", "lastName": "B", "email": "e1@mine.example"}, "firstName"},
			{map[string]string{"token": token, "firstName": "A", "lastName": strings.Repeat("b", 101), "email": "e2@mine.example"}, "lastName"},
			{map[string]string{"token": token, "firstName": "A", "lastName": "B", "email": "not-an-email"}, "email"},
			{map[string]string{"token": token, "firstName": "A", "lastName": "B", "email": ""}, "email"},
			{map[string]string{"token": "", "firstName": "A", "lastName": "B", "email": "e3@mine.example"}, "token"},
		} {
			c.wantError(c.do("POST", "/api/auth/register", tt.body), 422, tt.field)
		}
		c.wantError(c.do("POST", "/api/auth/register", map[string]string{"token": token, "firstName": "A", "lastName": "B", "email": "e4@mine.example", "role": "owner"}), 400, "role")
		c.wantError(register(c, "nothing", "A", "e5@mine.example"), 404, "")
		for _, e := range []string{"e1", "e2", "e3", "e4", "e5"} {
			if _, err := s.app.Store.FindUserByLogin(ctx, s.mine.Organization.ID, e+"@mine.example"); !roster.IsCode(err, roster.CodeNotFound) {
				t.Errorf("a refused registration wrote %s: %v", e, err)
			}
		}
	})

	t.Run("renewing or turning off ends the old link", func(t *testing.T) {
		c := owner.on(t)
		renewed := registrationToken(t, c.want(c.do("PUT", path, map[string]any{"enabled": true, "renew": true}), 200).json(t))
		if renewed == token {
			t.Fatal("renew kept the token")
		}
		anonymous.on(t).wantError(register(anonymous.on(t), token, "Late", "late@mine.example"), 404, "")
		anonymous.on(t).want(anonymous.on(t).do("POST", "/api/auth/register/check", map[string]string{"token": renewed}), 200)
		c.wantError(c.do("PUT", path, map[string]any{"enabled": false, "renew": true}), 422, "renew")
		c.wantError(c.do("PUT", path, map[string]any{}), 422, "enabled")
		c.wantError(c.do("PUT", path, map[string]any{"enabled": "yes"}), 400, "enabled")
		off := c.want(c.do("PUT", path, map[string]any{"enabled": false}), 200).json(t)
		if off["enabled"] != false || off["url"] != nil {
			t.Errorf("turned off = %v", off)
		}
		anonymous.on(t).wantError(anonymous.on(t).do("POST", "/api/auth/register/check", map[string]string{"token": renewed}), 404, "")
		org, _ := s.app.Store.GetOrganization(ctx, s.mine.Organization.ID)
		if org.RegistrationToken != "" {
			t.Error("turning registration off kept the token")
		}
		back := registrationToken(t, c.want(c.do("PUT", path, map[string]any{"enabled": true}), 200).json(t))
		if back == renewed || back == token {
			t.Error("turning registration on again brought an old link back")
		}
	})

	t.Run("learners cannot see or change the link", func(t *testing.T) {
		s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lee", LastName: "Learner", Email: "lee@mine.example"}, "learner password")
		c := s.client(t)
		c.want(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "lee@mine.example", "password": "learner password"}), 200)
		c.wantError(c.do("GET", path, nil), 403, "")
		c.wantError(c.do("PUT", path, map[string]any{"enabled": false}), 403, "")
		if org, _ := s.app.Store.GetOrganization(ctx, s.mine.Organization.ID); org.RegistrationToken == "" {
			t.Error("a learner turned registration off")
		}
	})
}

func TestAPI_RegistrationThrottle(t *testing.T) {
	s := newServer(t)
	s.clock.Set(time.Date(2030, 5, 1, 9, 0, 0, 0, time.UTC))
	owner := s.signIn(t, s.mine)
	token := registrationToken(t, owner.want(owner.do("PUT", "/api/organization/registration", map[string]any{"enabled": true}), 200).json(t))
	c := s.client(t)
	body := func(i int, email string) map[string]string {
		return map[string]string{"token": token, "firstName": "Person", "lastName": "Number", "email": email}
	}
	// registered fails unless email was written as a Pending learner.
	registered := func(email string) {
		t.Helper()
		u, err := s.app.Store.FindUserByLogin(context.Background(), s.mine.Organization.ID, email)
		if err != nil {
			t.Errorf("the accepted registration of %s was not written: %v", email, err)
		} else if u.State != roster.StatePending || u.Role != roster.RoleLearner || u.FirstName != "Person" {
			t.Errorf("registered %+v, want a Pending learner", u)
		}
	}
	// Every attempt counts, refused ones too.
	for i := range s.app.Accounts.Limits.RegisterPerAddress {
		if i%2 == 0 {
			c.want(c.do("POST", "/api/auth/register", body(i, "not an email")), 422)
		} else {
			c.want(c.do("POST", "/api/auth/register", body(i, "p"+string(rune('a'+i))+"@mine.example")), 202)
			registered("p" + string(rune('a'+i)) + "@mine.example")
		}
	}
	r := c.do("POST", "/api/auth/register", body(0, "one.too.many@mine.example"))
	c.wantError(r, 429, "")
	if got := r.header.Get("Retry-After"); got != "900" {
		t.Errorf("Retry-After = %q, want 900 (the 15-minute window)", got)
	}
	if msg := r.json(t)["error"].(map[string]any)["message"]; msg != "too many registrations from your network: try again in 15 minutes" {
		t.Errorf("message = %q", msg)
	}
	if _, err := s.app.Store.FindUserByLogin(context.Background(), s.mine.Organization.ID, "one.too.many@mine.example"); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("a throttled registration was written: %v", err)
	}
	s.clock.Advance(accounts.ThrottleWindow)
	c.want(c.do("POST", "/api/auth/register", body(0, "one.too.many@mine.example")), 202)
	registered("one.too.many@mine.example")
}
