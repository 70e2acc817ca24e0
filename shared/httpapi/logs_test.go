package httpapi_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"strings"
	"testing"
)

// TestAPI_LogsHoldNoSecrets walks the flows that carry an email address, a
// password, a token or a link (sign-in right and wrong, invitations, reset
// links, forgot password, password changes, one-time passwords,
// registration, a throttled login), then reads every line the API, the
// service and the stream consumer logged, at every level: none may hold
// any of them.
func TestAPI_LogsHoldNoSecrets(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	anon := s.client(t)
	secrets := []string{s.mine.Owner.Email, s.mine.Password, "https://roster.test/"}

	// A wrong password, then a right one, and a throttled login.
	s.at(0)
	wrong := map[string]string{"org": "mine", "login": s.mine.Owner.Email, "password": "a wrong password 1"}
	secrets = append(secrets, wrong["password"])
	anon.want(anon.do("POST", "/api/auth/login", wrong), 401)
	for range 10 {
		anon.do("POST", "/api/auth/login", wrong)
	}
	anon.want(anon.do("POST", "/api/auth/login", wrong), 429)
	s.at(accounts.ThrottleWindow + 1)

	// An invitation, checked and redeemed with a new password.
	const ivy = "ivy.secret@mine.example"
	owner.want(owner.do("POST", "/api/users", map[string]any{"firstName": "Ivy", "lastName": "Invited", "email": ivy, "approve": true, "notify": true}), 201)
	invite, n := s.emailedLink(t, ivy, "invitation")
	if n != 1 {
		t.Fatalf("%d invitations to %s, want 1", n, ivy)
	}
	const ivyPassword = "ivy's chosen password"
	anon.want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": invite}), 200)
	anon.want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": invite, "password": ivyPassword}), 200)
	anon.want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": invite, "password": ivyPassword}), 410)
	secrets = append(secrets, ivy, invite, ivyPassword)

	// Ivy changes her password, then forgets it; an administrator sends a
	// reset link and sets a one-time password.
	ivyClient, me := s.signInAs(t, ivy, ivyPassword)
	const ivyNext = "ivy's next password"
	ivyClient.want(ivyClient.do("POST", "/api/me/password", map[string]string{"currentPassword": ivyPassword, "newPassword": ivyNext}), 200)
	ivyClient.wantError(ivyClient.do("POST", "/api/me/password", map[string]string{"currentPassword": "a guess at it", "newPassword": "ivy's third one"}), 422, "currentPassword")
	secrets = append(secrets, ivyNext, "a guess at it", "ivy's third one")
	s.app.Accounts.ForgotMinDuration = 0
	anon.want(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": ivy}), 202)
	anon.want(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": "nobody.secret@mine.example"}), 202)
	secrets = append(secrets, "nobody.secret@mine.example")
	reset, n := s.emailedLink(t, ivy, "reset-password")
	if n != 1 {
		t.Fatalf("%d reset links to %s, want 1", n, ivy)
	}
	secrets = append(secrets, reset)
	anon.want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": reset}), 200)
	user, _ := me["user"].(map[string]any)
	id, _ := user["id"].(string)
	if id == "" {
		t.Fatalf("the sign-in answered %v, with no user id", me)
	}
	owner.want(owner.do("POST", "/api/users/"+id+"/password-reset", nil), 202)
	otp := owner.want(owner.do("POST", "/api/users/"+id+"/one-time-password", nil), 200).json(t)
	for _, v := range otp {
		if p, ok := v.(string); ok && len(p) >= 16 {
			secrets = append(secrets, p)
		}
	}
	anon.want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": "not-a-token-at-all-but-long-enough-0123456789"}), 404)

	// Registration through the organization's link.
	reg := owner.want(owner.do("PUT", "/api/organization/registration", map[string]any{"enabled": true}), 200).json(t)
	token := registrationToken(t, reg)
	const newcomer = "newcomer.secret@mine.example"
	anon.want(anon.do("POST", "/api/auth/register", map[string]string{"token": token, "firstName": "New", "lastName": "Comer", "email": newcomer}), 202)
	secrets = append(secrets, token, newcomer)
	s.settle(t)

	logs := s.logs.String()
	if !strings.Contains(logs, `"route":"POST /api/auth/login"`) {
		t.Fatalf("the log holds no request line for the sign-in: the test reads the wrong log\n%s", logs)
	}
	for _, secret := range secrets {
		if secret != "" && strings.Contains(logs, secret) {
			t.Errorf("a log line holds %q", secret)
		}
	}
	if t.Failed() {
		t.Logf("the log:\n%s", logs)
	}
}
