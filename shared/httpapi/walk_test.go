package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/rosterhq/roster/infra/fixtures"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/httpapi"
)

// snapshot returns every item of the organization's partition as canonical
// JSON, one string per item in key order: equal snapshots mean nothing of
// the organization changed.
func (s *server) snapshot(t *testing.T, org *fixtures.Org) []string {
	t.Helper()
	items, err := s.app.Store.OrganizationItems(context.Background(), org.Organization.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(items))
	for i, it := range items {
		var m map[string]any
		if err := attributevalue.UnmarshalMap(it, &m); err != nil {
			t.Fatal(err)
		}
		for _, v := range m {
			if set, ok := v.([]string); ok { // string sets come in any order
				slices.Sort(set)
			}
		}
		b, _ := json.Marshal(m)
		out[i] = string(b)
	}
	return out
}

// wantUnchanged fails when the organization's items differ from before.
func (s *server) wantUnchanged(t *testing.T, org *fixtures.Org, before []string, what string) {
	t.Helper()
	after := s.snapshot(t, org)
	if slices.Equal(before, after) {
		return
	}
	for _, b := range before {
		if !slices.Contains(after, b) {
			t.Errorf("%s changed organization %s: gone or changed: %s", what, org.Organization.Slug, b)
		}
	}
	for _, a := range after {
		if !slices.Contains(before, a) {
			t.Errorf("%s changed organization %s: new or changed: %s", what, org.Organization.Slug, a)
		}
	}
}

// fillPath puts id in every {name} segment of a route's path.
func fillPath(path, id string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			parts[i] = id
		}
	}
	return strings.Join(parts, "/")
}

// TestAPI_Authorization walks every route of the route table as each kind of
// caller and checks the status against the route's Access: the one
// authorization table. A route added later is walked with no change here.
// Refusals carry a fixed message and change nothing.
func TestAPI_Authorization(t *testing.T) {
	s := newServer(t)
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lee", LastName: "Learner", Email: "lee@mine.example"}, "learner password")
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "ann@mine.example", Role: roster.RoleAdmin}, "admin password")
	// Ids in paths are a learner's, whom every role that may act may change.
	target := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Tess", LastName: "Target", Email: "tess@mine.example"}, "")
	s.settle(t)

	type caller struct {
		name   string
		rank   httpapi.Access // the highest Access the caller passes
		signIn func(t *testing.T) *client
	}
	as := func(email, password string) func(t *testing.T) *client {
		return func(t *testing.T) *client { c, _ := s.signInAs(t, email, password); return c }
	}
	callers := []caller{
		{"no session", httpapi.Public, func(t *testing.T) *client { return s.client(t) }},
		{"a forged session", httpapi.Public, func(t *testing.T) *client {
			c := s.client(t)
			u, _ := url.Parse(s.URL)
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: httpapi.SessionCookie, Value: s.mine.Organization.ID + "." + target.ID + ".forged", Path: "/api"}})
			return c
		}},
		{"learner", httpapi.Member, as("lee@mine.example", "learner password")},
		{"admin", httpapi.Admin, as("ann@mine.example", "admin password")},
		{"owner", httpapi.Owner, as(s.mine.Owner.Email, s.mine.Password)},
	}
	messages := map[httpapi.Access]string{httpapi.Admin: "this needs an administrator", httpapi.Owner: "this needs an owner"}

	call := func(c *client, rt httpapi.Route) response {
		body := "{}"
		if rt.Method == "GET" || rt.Method == "DELETE" {
			body = ""
		}
		return c.send(rt.Method, fillPath(rt.Path, target.ID), body, nil)
	}

	// Refusals first, on a snapshot: none of them may change anything.
	before := s.snapshot(t, s.mine)
	refused := 0
	for _, rt := range httpapi.Routes {
		for _, cl := range callers {
			if rt.Access <= cl.rank {
				continue
			}
			refused++
			t.Run(rt.Pattern()+" as "+cl.name, func(t *testing.T) {
				c := cl.signIn(t).on(t)
				r := call(c, rt)
				msg, _ := r.json(t)["error"].(map[string]any)["message"].(string)
				switch {
				case cl.rank == httpapi.Public:
					c.wantError(r, 401, "")
				default:
					c.wantError(r, 403, "")
					if msg != messages[rt.Access] {
						t.Errorf("message = %q, want %q", msg, messages[rt.Access])
					}
				}
			})
		}
	}
	s.settle(t)
	s.wantUnchanged(t, s.mine, before, "a refused request")
	if refused == 0 {
		t.Fatal("no refusal was walked")
	}

	// Then every call the table allows: never 401 or 403.
	for _, rt := range httpapi.Routes {
		for _, cl := range callers {
			if rt.Access > cl.rank || cl.name == "a forged session" {
				continue
			}
			t.Run(rt.Pattern()+" as "+cl.name+" is let through", func(t *testing.T) {
				c := cl.signIn(t).on(t)
				if r := call(c, rt); r.status == 401 || r.status == 403 || r.status >= 500 {
					t.Errorf("status %d, want a 2xx or another 4xx: %s", r.status, r.body)
				}
			})
		}
	}
}
