package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/httpapi"
)

// send makes one request with the given headers and the client's cookies.
func (c *client) send(method, path, body string, header http.Header) response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if header != nil {
		req.Header = header.Clone()
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func TestAPI_CrossOriginRequestsAreRefused(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	ctx := context.Background()
	refusals := map[string]http.Header{
		"another site's Origin":            {"Origin": {"https://evil.example"}},
		"Sec-Fetch-Site cross":             {"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}},
		"Sec-Fetch-Site sibling":           {"Sec-Fetch-Site": {"same-site"}},
		"an http origin of APP_URL's host": {"Origin": {"http://roster.test:8443"}},
	}
	newUser := `{"firstName":"Mallory","lastName":"Cross","email":"mallory@mine.example"}`
	for name, h := range refusals {
		t.Run(name, func(t *testing.T) {
			c := owner.on(t)
			r := c.send("POST", "/api/users", newUser, h)
			c.wantError(r, 403, "")
			if msg := r.json(t)["error"].(map[string]any)["message"]; msg != "this request came from another site, so it was refused: use Roster from its own address" {
				t.Errorf("message = %q", msg)
			}
			if _, err := s.app.Store.FindUserByLogin(ctx, s.mine.Organization.ID, "mallory@mine.example"); !roster.IsCode(err, roster.CodeNotFound) {
				t.Fatalf("a cross-origin request added a user: %v", err)
			}
			// A cross-origin sign-in sets no cookie.
			login := c.send("POST", "/api/auth/login", `{"org":"mine","login":"`+s.mine.Owner.Email+`","password":"`+s.mine.Password+`"}`, h)
			c.wantError(login, 403, "")
			if len(login.header.Values("Set-Cookie")) != 0 {
				t.Error("a cross-origin sign-in set a cookie")
			}
		})
	}
	t.Run("reads are not refused", func(t *testing.T) {
		c := owner.on(t)
		c.want(c.send("GET", "/api/me", "", http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}), 200)
	})
	accepted := map[string]http.Header{
		"same origin (Sec-Fetch-Site)": {"Sec-Fetch-Site": {"same-origin"}, "Origin": {s.URL}},
		"same origin (Origin = Host)":  {"Origin": {s.URL}},
		"APP_URL's origin":             {"Origin": {"https://roster.test"}},
		"no Origin (not a browser)":    {},
	}
	i := 0
	for name, h := range accepted {
		i++
		t.Run(name, func(t *testing.T) {
			c := owner.on(t)
			email := strings.ReplaceAll(strings.Fields(name)[0], "'", "") + string(rune('a'+i)) + "@mine.example"
			c.want(c.send("POST", "/api/users", `{"firstName":"Fine","lastName":"Here","email":"`+email+`"}`, h), 201)
		})
	}
	t.Run("every state-changing route", func(t *testing.T) {
		for _, rt := range httpapi.Routes {
			if rt.Method == http.MethodGet {
				continue
			}
			c := owner.on(t)
			r := c.send(rt.Method, strings.ReplaceAll(rt.Path, "{id}", s.mine.Owner.ID), "{}", http.Header{"Origin": {"https://evil.example"}})
			if r.status != 403 || !strings.Contains(string(r.body), "from another site") {
				t.Errorf("%s from another site: %d %s, want 403", rt.Pattern(), r.status, r.body)
			}
		}
	})
}
