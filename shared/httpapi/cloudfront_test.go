package httpapi_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"net/http"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/httpapi"
)

// viaCloudFront returns the headers CloudFront adds to a request from viewer
// ("IP:port") when the deployment's origin secret is secret.
func viaCloudFront(secret, viewer string) http.Header {
	return http.Header{httpapi.OriginSecretHeader: {secret}, httpapi.ViewerAddressHeader: {viewer}}
}

// Every request of these tests reaches the API from 127.0.0.1, as every
// request through one CloudFront edge reaches API Gateway from that edge.
func TestAPI_BehindCloudFront(t *testing.T) {
	s := newServer(t)
	s.app.API.OriginSecret = originSecret // read per request
	s.app.Accounts.Limits = accounts.Limits{SignInPerAccount: 3, SignInPerAddress: 5, ResetPerAccount: 3, ResetPerAddress: 5}
	s.at(time.Minute)
	login := func(login, password string) string {
		return `{"org":"mine","login":"` + login + `","password":"` + password + `"}`
	}
	right := login(s.mine.Owner.Email, s.mine.Password)
	attacker := viaCloudFront(originSecret, "203.0.113.7:46532")
	neighbour := viaCloudFront(originSecret, "2001:db8::1:51000")

	t.Run("failures count against the viewer, not the edge", func(t *testing.T) {
		c := s.client(t)
		for i := range 5 {
			c.wantError(c.send("POST", "/api/auth/login", login("ghost"+string(rune('a'+i))+"@mine.example", "guess it"), attacker), 401, "")
		}
		c.want(c.send("POST", "/api/auth/login", right, attacker), 429)
		// Another viewer behind the same edge signs in.
		other := s.client(t)
		other.want(other.send("POST", "/api/auth/login", right, neighbour), 200)
		// The same viewer on another port is the same address.
		c.want(c.send("POST", "/api/auth/login", right, viaCloudFront(originSecret, "203.0.113.7:46999")), 429)
	})

	refused := map[string]http.Header{
		"no secret, a forged viewer address":   {httpapi.ViewerAddressHeader: {"198.51.100.9:1234"}},
		"a wrong secret":                       viaCloudFront("x"+originSecret[1:], "198.51.100.9:1234"),
		"the secret in another header":         {"X-Origin-Secret": {originSecret}, httpapi.ViewerAddressHeader: {"198.51.100.9:1234"}},
		"nothing (the execute-api address)":    {},
		"an empty secret":                      viaCloudFront("", "198.51.100.9:1234"),
		"the secret with a trailing character": viaCloudFront(originSecret+"x", "198.51.100.9:1234"),
	}
	for name, h := range refused {
		t.Run("refused without the secret: "+name, func(t *testing.T) {
			c := s.client(t)
			r := c.send("POST", "/api/auth/login", right, h)
			c.wantError(r, 403, "")
			if msg := errorMessage(t, r); msg != "this API answers only at Roster's own address" {
				t.Errorf("message = %q", msg)
			}
			if len(r.header.Values("Set-Cookie")) != 0 {
				t.Error("a refused sign-in set a cookie")
			}
			c.wantError(c.send("GET", "/api/no-such-path", "", h), 403, "")
			c.wantError(c.send("DELETE", "/api/auth/login", "", h), 403, "")
		})
	}

	t.Run("a refused request writes nothing", func(t *testing.T) {
		owner := s.client(t)
		owner.want(owner.send("POST", "/api/auth/login", right, neighbour), 200)
		owner.wantError(owner.send("POST", "/api/users", `{"firstName":"Dee","lastName":"Rect","email":"dee@mine.example"}`, http.Header{}), 403, "")
		if _, err := s.app.Store.FindUserByLogin(context.Background(), s.mine.Organization.ID, "dee@mine.example"); !roster.IsCode(err, roster.CodeNotFound) {
			t.Fatalf("a request without the secret added a user: %v", err)
		}
		owner.want(owner.send("POST", "/api/users", `{"firstName":"Dee","lastName":"Rect","email":"dee@mine.example"}`, neighbour), 201)
	})
}
