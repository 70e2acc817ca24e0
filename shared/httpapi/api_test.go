package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/files"
	"github.com/rosterhq/roster/shared/httpapi"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// server is the API over plain HTTP on a fresh table, with two organizations.
type server struct {
	*httptest.Server
	app    *app.App
	poller *streams.Poller
	// jobWorker feeds the job worker from the stream, once a test runs jobs.
	jobWorker *streams.Poller
	ses       string // moto's endpoint: the mailbox
	mine      *fixtures.Org
	theirs    *fixtures.Org

	// clock is the service's clock, set before the server starts: tests
	// move it while handlers read it.
	clock *fixtures.Clock
	// logs holds every line the service and the API logged, at every level.
	logs *lockedBuffer
}

// lockedBuffer is a log destination that handlers write to while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The AWS calls each request makes are recorded as its route's function's,
// and the stream consumer's as the stream function's; when the test ends,
// every one must be allowed by that function's policy in template.yaml.
func newServer(t *testing.T) *server {
	t.Helper()
	tbl := testenv.DynamoDB(t)
	logs := &lockedBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sesEndpoint := testenv.SES(t)
	rec := iamcheck.NewRecorder()
	t.Cleanup(func() { iamcheck.CheckTemplate(t, rec) })
	fb := testenv.Files(t)
	a := app.Assemble(app.Config{TableName: tbl.Name, Sender: testenv.Sender, AppURL: "https://roster.test"}, log,
		rec.DynamoDB(tbl.Client), rec.SES(motoserver.Client(context.Background(), sesEndpoint)), files.New(rec.S3(fb.Client), fb.Name, fb.URL))
	a.Accounts.Argon2 = fixtures.FastArgon2
	clock := &fixtures.Clock{}
	a.SetClock(clock.Now)
	s := &server{app: a, Server: httptest.NewServer(byFunction(a.API.Handler())), ses: sesEndpoint, clock: clock, logs: logs}
	t.Cleanup(s.Close)
	s.poller = &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: iamcheck.AsFunction("stream", a.StreamConsumer().Handle), Log: log}
	s.mine = fixtures.NewOrg(t, a.Store, "mine")
	s.theirs = fixtures.NewOrg(t, a.Store, "theirs")
	return s
}

// byFunction serves each request with h in the context of the function its
// route belongs to (iamcheck.WithFunction), found by the route table's patterns.
func byFunction(h http.Handler) http.Handler {
	patterns := http.NewServeMux()
	function := map[string]string{}
	for _, rt := range httpapi.Routes {
		patterns.Handle(rt.Pattern(), http.NotFoundHandler())
		function[rt.Pattern()] = rt.Function
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := patterns.Handler(r); function[pattern] != "" {
			r = r.WithContext(iamcheck.WithFunction(r.Context(), function[pattern]))
		}
		h.ServeHTTP(w, r)
	})
}

// settle runs the stream consumer over everything written so far.
func (s *server) settle(t *testing.T) {
	t.Helper()
	if err := s.poller.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// on returns the client reporting to t, for use inside a subtest.
func (c *client) on(t *testing.T) *client {
	cp := *c
	cp.t = t
	return &cp
}

// client is a browser: it keeps the session cookie.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (s *server) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: s.URL, http: &http.Client{Jar: jar}}
}

// signIn returns a client signed in as the organization's owner.
func (s *server) signIn(t *testing.T, org *fixtures.Org) *client {
	t.Helper()
	c := s.client(t)
	c.want(c.do("POST", "/api/auth/login", map[string]string{"org": org.Organization.Slug, "login": org.Owner.Email, "password": org.Password}), 200)
	return c
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// do sends body as JSON (a string is sent as it is).
func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	r, err := c.try(method, path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	return r
}

// try is do for goroutines, which must not end the test (t.Fatal only
// works on the test's goroutine): it returns the error instead.
func (c *client) try(method, path string, body any) (response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: read the body: %w", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// object is r's JSON object if r has the status, or an error saying what
// came instead: want and json for goroutines, which must not end the test.
func (r response) object(status int) (map[string]any, error) {
	if r.status != status {
		return nil, fmt.Errorf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		return nil, fmt.Errorf("body %q is not a JSON object: %v", r.body, err)
	}
	return m, nil
}

func (c *client) want(r response, status int) response {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// wantError checks the status and the error's field, and that the message is for people.
func (c *client) wantError(r response, status int, field string) {
	c.t.Helper()
	c.want(r, status)
	e, _ := r.json(c.t)["error"].(map[string]any)
	if e == nil || e["message"] == "" {
		c.t.Fatalf("body %s has no error message", r.body)
	}
	if got, _ := e["field"].(string); got != field {
		c.t.Fatalf("error field = %q, want %q (%s)", got, field, r.body)
	}
}

func TestAPI_Login(t *testing.T) {
	s := newServer(t)
	c := s.client(t)
	good := map[string]string{"org": "mine", "login": s.mine.Owner.Email, "password": s.mine.Password}

	refused := map[string]map[string]string{
		"wrong password":     {"org": "mine", "login": s.mine.Owner.Email, "password": "wrong password"},
		"unknown org":        {"org": "nobody", "login": s.mine.Owner.Email, "password": s.mine.Password},
		"unknown account":    {"org": "mine", "login": "ghost@mine.example", "password": s.mine.Password},
		"another org's user": {"org": "mine", "login": s.theirs.Owner.Email, "password": s.theirs.Password},
	}
	var messages []string
	for name, body := range refused {
		t.Run(name, func(t *testing.T) {
			c := c.on(t)
			r := c.do("POST", "/api/auth/login", body)
			c.wantError(r, 401, "")
			if len(r.header.Values("Set-Cookie")) != 0 {
				t.Error("a refused sign-in set a cookie")
			}
			messages = append(messages, string(r.body[:strings.Index(string(r.body), `"requestId"`)]))
		})
	}
	for _, m := range messages[1:] {
		if m != messages[0] {
			t.Errorf("refusals differ, telling which part was wrong: %q vs %q", m, messages[0])
		}
	}
	t.Run("bad input", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("POST", "/api/auth/login", `{"org":"mine",`), 400, "")
		c.wantError(c.do("POST", "/api/auth/login", `{"org":"mine","login":"a","password":"b","admin":true}`), 400, "admin")
		c.wantError(c.do("POST", "/api/auth/login", `{"org":7}`), 400, "org")
		c.wantError(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "x"}), 422, "password")
		c.wantError(c.do("POST", "/api/auth/login", `{"org":"a"} {"org":"b"}`), 400, "")
		c.wantError(c.do("POST", "/api/auth/login", `{"org":"`+strings.Repeat("a", 300<<10)+`"}`), 413, "")
	})
	t.Run("success sets a strict HttpOnly session cookie", func(t *testing.T) {
		c := c.on(t)
		r := c.want(c.do("POST", "/api/auth/login", good), 200)
		cookie := r.header.Get("Set-Cookie")
		for _, want := range []string{"roster_session=", "HttpOnly", "SameSite=Strict", "Path=/api"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("Set-Cookie %q lacks %s", cookie, want)
			}
		}
		me := c.want(c.do("GET", "/api/me", nil), 200).json(t)
		if me["organization"].(map[string]any)["slug"] != "mine" {
			t.Errorf("/api/me = %v", me)
		}
	})
	t.Run("logout ends the session", func(t *testing.T) {
		c := c.on(t)
		c.want(c.do("POST", "/api/auth/logout", nil), 204)
		c.wantError(c.do("GET", "/api/me", nil), 401, "")
	})
}

func TestAPI_Users(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	loc, group := s.mine.LocationIDs[0], s.mine.GroupIDs[0]

	created := c.want(c.do("POST", "/api/users", map[string]any{
		"firstName": "Ada", "lastName": "Lovelace", "email": "ada@mine.example", "locationId": loc, "groupIds": []string{group}, "expiresAt": "2030-01-31",
	}), 201).json(t)
	id := created["id"].(string)
	if created["status"] != "pending" || created["version"] != 1.0 || created["userId"] != nil || created["expiresAt"] != "2030-01-31T00:00:00Z" {
		t.Errorf("created user = %v", created)
	}

	t.Run("bad input changes nothing", func(t *testing.T) {
		c := c.on(t)
		cases := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"duplicate email", map[string]any{"firstName": "A", "lastName": "B", "email": "ADA@mine.example"}, 409, "email"},
			{"bad email", map[string]any{"firstName": "A", "lastName": "B", "email": "ada@"}, 422, "email"},
			{"no email nor user ID", map[string]any{"firstName": "A", "lastName": "B"}, 422, "email"},
			{"long name", map[string]any{"firstName": strings.Repeat("n", 101), "lastName": "B", "email": "n@mine.example"}, 422, "firstName"},
			{"unknown location", map[string]any{"firstName": "A", "lastName": "B", "email": "l@mine.example", "locationId": "nowhere"}, 422, "locationId"},
			{"another org's location", map[string]any{"firstName": "A", "lastName": "B", "email": "l@mine.example", "locationId": s.theirs.LocationIDs[0]}, 422, "locationId"},
			{"another org's group", map[string]any{"firstName": "A", "lastName": "B", "email": "g@mine.example", "groupIds": []string{s.theirs.GroupIDs[0]}}, 422, "groupIds"},
			{"bad date", map[string]any{"firstName": "A", "lastName": "B", "email": "d@mine.example", "expiresAt": "31/01/2030"}, 422, "expiresAt"},
			{"unknown role", map[string]any{"firstName": "A", "lastName": "B", "email": "o@mine.example", "role": "boss"}, 422, "role"},
			{"unknown field", map[string]any{"firstName": "A", "lastName": "B", "email": "u@mine.example", "salary": 1}, 400, "salary"},
			{"wrong type", map[string]any{"firstName": 5, "lastName": "B"}, 400, "firstName"},
			{"malformed", `{"firstName":`, 400, ""},
			{"not JSON", "firstName=A", 400, ""},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) { c.on(t).wantError(c.on(t).do("POST", "/api/users", tt.body), tt.status, tt.field) })
		}
		s.settle(t)
		page := c.want(c.do("GET", "/api/users", nil), 200).json(t)
		if page["total"] != 2.0 { // the owner and Ada
			t.Errorf("total after refused adds = %v, want 2", page["total"])
		}
	})

	t.Run("patch", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("PATCH", "/api/users/"+id, map[string]any{"firstName": "Augusta"}), 422, "version")
		c.wantError(c.do("PATCH", "/api/users/"+id, map[string]any{"version": 9, "firstName": "Augusta"}), 409, "version")
		c.wantError(c.do("PATCH", "/api/users/"+id, map[string]any{"version": 1, "createdAt": "2020-01-01"}), 400, "createdAt")
		c.wantError(c.do("PATCH", "/api/users/"+id, map[string]any{"version": 1, "email": "nope"}), 422, "email")
		u := c.want(c.do("PATCH", "/api/users/"+id, map[string]any{"version": 1, "firstName": "Augusta", "expiresAt": nil, "locationId": nil}), 200).json(t)
		if u["firstName"] != "Augusta" || u["version"] != 2.0 || u["expiresAt"] != nil || u["locationId"] != nil || u["email"] != "ada@mine.example" {
			t.Errorf("patched user = %v", u)
		}
		// Every kind of item a user write holds: the email's reservation
		// moved (a put and a delete), a location and a group checked, a
		// membership left (template.yaml's policy is checked against them).
		otherLoc, otherGroup := s.mine.LocationIDs[1], s.mine.GroupIDs[1]
		u = c.want(c.do("PATCH", "/api/users/"+id, map[string]any{"version": 2, "email": "augusta@mine.example", "locationId": otherLoc, "groupIds": []string{otherGroup}}), 200).json(t)
		if u["email"] != "augusta@mine.example" || u["locationId"] != otherLoc || fmt.Sprint(u["groupIds"]) != fmt.Sprint([]any{otherGroup}) {
			t.Errorf("patched user = %v, want the new email, location %s and only group %s", u, otherLoc, otherGroup)
		}
	})

	t.Run("list query errors", func(t *testing.T) {
		c := c.on(t)
		for _, q := range []struct{ query, field string }{
			{"limit=ten", "limit"}, {"cursor=garbage", "cursor"},
			{"sort=name", "sort"}, {"status=active&status=pending", "status"},
		} {
			c.wantError(c.do("GET", "/api/users?"+q.query, nil), 400, q.field)
		}
		c.wantError(c.do("GET", "/api/users?limit=0", nil), 422, "limit")
		c.wantError(c.do("GET", "/api/users?limit=201", nil), 422, "limit")
		c.wantError(c.do("GET", "/api/users?archived=sometimes", nil), 422, "archived")
		c.wantError(c.do("GET", "/api/users?status=asleep", nil), 422, "status")
	})

	t.Run("unknown id", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("GET", "/api/users/nobody", nil), 404, "")
		c.wantError(c.do("GET", "/api/nothing-here", nil), 404, "")
		r := c.do("DELETE", "/api/users", nil)
		c.wantError(r, 405, "")
		if allow := r.header.Get("Allow"); allow != "GET, POST" {
			t.Errorf("Allow = %q, want GET, POST", allow)
		}
	})
}

func TestAPI_ArchiveAndUnarchive(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	var ids []string
	for _, name := range []string{"Ada", "Alan", "Grace"} {
		u := c.want(c.do("POST", "/api/users", map[string]any{"firstName": name, "lastName": "Night", "email": strings.ToLower(name) + "@mine.example", "groupIds": []string{s.mine.GroupIDs[1]}}), 201).json(t)
		ids = append(ids, u["id"].(string))
	}
	theirs := s.theirs.AddUser(t, s.app.Store, &roster.User{FirstName: "Eve", LastName: "Other", Email: "eve@theirs.example"}, "")

	res := c.want(c.do("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{ids[0], ids[0], theirs.ID, s.mine.Owner.ID}}), 200).json(t)
	results := res["results"].([]any)
	want := []struct{ outcome, reason string }{{"done", ""}, {"skipped", "no such user"}, {"skipped", "you cannot archive yourself"}}
	if len(results) != len(want) || res["done"] != 1.0 || res["skipped"] != 2.0 {
		t.Fatalf("archive result = %s", res)
	}
	for i, w := range want {
		r := results[i].(map[string]any)
		if r["outcome"] != w.outcome || (w.reason != "" && r["reason"] != w.reason) {
			t.Errorf("result %d = %v, want %s %q", i, r, w.outcome, w.reason)
		}
	}
	again := c.want(c.do("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{ids[0]}}), 200).json(t)
	if r := again["results"].([]any)[0].(map[string]any); r["outcome"] != "skipped" || r["reason"] != "already archived" {
		t.Errorf("archiving an archived user = %v, want skipped: already archived", r)
	}
	archived := c.want(c.do("GET", "/api/users/"+ids[0], nil), 200).json(t)
	r := c.do("PATCH", "/api/users/"+ids[0], map[string]any{"version": archived["version"], "firstName": "Edited"})
	c.wantError(r, 422, "")
	if !bytes.Contains(r.body, []byte("unarchive the user first")) {
		t.Errorf("editing an archived user: %s, want the reason", r.body)
	}
	if u := c.want(c.do("GET", "/api/users/"+ids[0], nil), 200).json(t); u["firstName"] != "Ada" || u["version"] != archived["version"] {
		t.Errorf("an archived user was edited: %v", u)
	}
	if u, _ := s.app.Store.GetUser(context.Background(), s.theirs.Organization.ID, theirs.ID); u.Archived() {
		t.Error("another organization's user was archived")
	}

	s.settle(t)
	org := c.want(c.do("GET", "/api/organization", nil), 200).json(t)
	if org["activeCount"] != 3.0 || org["archivedCount"] != 1.0 { // owner, Alan, Grace; Ada
		t.Errorf("organization counts = %v, want 3 active, 1 archived", org)
	}

	t.Run("by filter, checked against the expected count", func(t *testing.T) {
		c := c.on(t)
		filter := map[string]any{"group": s.mine.GroupIDs[1]}
		c.wantError(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": filter}), 422, "expectedCount")
		c.wantError(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": filter, "expectedCount": 5}), 409, "expectedCount")
		c.wantError(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": filter, "userIds": ids, "expectedCount": 2}), 422, "userIds")
		c.wantError(c.do("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{}}), 422, "userIds")
		c.wantError(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": map[string]any{"role": "boss"}, "expectedCount": 1}), 422, "filter.role")
		c.wantError(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": map[string]any{"colour": "red"}, "expectedCount": 1}), 400, "filter.colour")
		res := c.want(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": filter, "expectedCount": 2}), 200).json(t)
		if res["done"] != 2.0 {
			t.Errorf("archive by filter = %s", res)
		}
		s.settle(t)
		res = c.want(c.do("POST", "/api/users/actions/unarchive", map[string]any{"filter": map[string]any{"group": s.mine.GroupIDs[1], "archived": "only"}, "expectedCount": 3}), 200).json(t)
		if res["done"] != 3.0 {
			t.Errorf("unarchive by filter = %s", res)
		}
		s.settle(t)
		org := c.want(c.do("GET", "/api/organization", nil), 200).json(t)
		if org["activeCount"] != 4.0 || org["archivedCount"] != 0.0 {
			t.Errorf("counts after unarchiving all = %v", org)
		}
	})
}

func TestAPI_LosingAccessEndsTheSession(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	signIn := func(email string) *client {
		c := s.client(t)
		c.want(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": email, "password": "admin password"}), 200)
		return c
	}
	for _, tt := range []struct {
		name   string
		change func(*roster.User)
		status int
	}{
		{"archived", func(u *roster.User) { now := time.Now(); u.ArchivedAt = &now }, 401},
		{"deactivated", func(u *roster.User) { u.State = roster.StateDeactivated }, 401},
		{"expired", func(u *roster.User) { past := time.Now().Add(-time.Minute); u.ExpiresAt = &past }, 401},
		{"demoted to learner", func(u *roster.User) { u.Role = roster.RoleLearner }, 403},
	} {
		t.Run(tt.name, func(t *testing.T) {
			email := strings.ReplaceAll(tt.name, " ", "-") + "@mine.example"
			admin := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: email, Role: roster.RoleAdmin}, "admin password")
			c := signIn(email).on(t)
			c.want(c.do("GET", "/api/users", nil), 200)
			if _, err := s.app.Store.UpdateUser(ctx, s.mine.Organization.ID, admin.ID, 0, func(u *roster.User) error { tt.change(u); return nil }); err != nil {
				t.Fatal(err)
			}
			c.wantError(c.do("GET", "/api/users", nil), tt.status, "")
		})
	}
	t.Run("deleted", func(t *testing.T) {
		admin := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "deleted@mine.example", Role: roster.RoleAdmin}, "admin password")
		c := signIn("deleted@mine.example").on(t)
		c.want(c.do("GET", "/api/users", nil), 200)
		owner := s.signIn(t, s.mine).on(t)
		if res := owner.want(owner.do("POST", "/api/users/actions/delete", map[string]any{"userIds": []string{admin.ID}, "confirmation": "delete 1 user"}), 200).json(t); res["done"] != 1.0 {
			t.Fatalf("delete = %v", res)
		}
		c.wantError(c.do("GET", "/api/me", nil), 401, "")
		c.wantError(c.do("GET", "/api/users", nil), 401, "")
	})
}

func TestAPI_AdminsManageLearnersOnly(t *testing.T) {
	s := newServer(t)
	other := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Otto", LastName: "Other", Email: "otto@mine.example", Role: roster.RoleAdmin}, "")
	learner := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lee", LastName: "Learner", Email: "lee@mine.example"}, "")
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "ann@mine.example", Role: roster.RoleAdmin}, "admin password")
	admin := s.client(t)
	admin.want(admin.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "ann@mine.example", "password": "admin password"}), 200)

	for _, target := range []*roster.User{other, s.mine.Owner} {
		admin.wantError(admin.do("PATCH", "/api/users/"+target.ID, map[string]any{"version": 1, "email": "taken-over@mine.example"}), 403, "")
		res := admin.want(admin.do("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{target.ID}}), 200).json(t)
		if r := res["results"].([]any)[0].(map[string]any); r["outcome"] != "skipped" || r["reason"] != "only an owner can change an administrator or an owner" {
			t.Errorf("admin archiving %s %s = %v, want skipped", target.FirstName, target.LastName, r)
		}
	}
	admin.want(admin.do("PATCH", "/api/users/"+learner.ID, map[string]any{"version": 1, "lastName": "Learned"}), 200)

	owner := s.signIn(t, s.mine)
	owner.want(owner.do("PATCH", "/api/users/"+other.ID, map[string]any{"version": 1, "lastName": "Changed"}), 200)
	for _, u := range []*roster.User{other, s.mine.Owner} {
		got, _ := s.app.Store.GetUser(context.Background(), s.mine.Organization.ID, u.ID)
		if got.Archived() || got.Email == "taken-over@mine.example" {
			t.Errorf("an admin changed %s: %+v", u.FirstName, got)
		}
	}
	for id, want := range map[string]string{learner.ID: "Learned", other.ID: "Changed"} {
		if got, _ := s.app.Store.GetUser(context.Background(), s.mine.Organization.ID, id); got.LastName != want || got.Version != 2 {
			t.Errorf("after the accepted change, %s is %q (version %d), want %q (version 2)", got.FirstName, got.LastName, got.Version, want)
		}
	}
}

func TestAPI_Actions(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	ctx := context.Background()
	add := func(body map[string]any) string {
		return c.want(c.do("POST", "/api/users", body), 201).json(t)["id"].(string)
	}
	ada := add(map[string]any{"firstName": "Ada", "lastName": "Lovelace", "email": "ada@mine.example"})
	bob := add(map[string]any{"firstName": "Bob", "lastName": "Hourly", "userId": "EMP-7"})
	act := func(t *testing.T, action string, body map[string]any) (outcome, reason string) {
		t.Helper()
		res := c.on(t).want(c.do("POST", "/api/users/actions/"+action, body), 200).json(t)
		r := res["results"].([]any)[0].(map[string]any)
		reason, _ = r["reason"].(string)
		return r["outcome"].(string), reason
	}
	status := func(t *testing.T, id string) string {
		t.Helper()
		return c.on(t).want(c.do("GET", "/api/users/"+id, nil), 200).json(t)["status"].(string)
	}
	only := func(id string, params ...any) map[string]any {
		body := map[string]any{"userIds": []string{id}}
		for i := 0; i < len(params); i += 2 {
			body[params[i].(string)] = params[i+1]
		}
		return body
	}
	sent := func(t *testing.T) []motoserver.SentEmail {
		t.Helper()
		mails, err := motoserver.SentEmails(ctx, s.ses)
		if err != nil {
			t.Fatal(err)
		}
		return mails
	}

	t.Run("approve and notify sends one invitation with a single-use link", func(t *testing.T) {
		if o, r := act(t, "approve", only(ada, "notify", true)); o != "done" {
			t.Fatalf("approve = %s %s", o, r)
		}
		u := c.on(t).want(c.do("GET", "/api/users/"+ada, nil), 200).json(t)
		if u["status"] != "activated" || u["approvedAt"] == nil || u["notifiedAt"] == nil {
			t.Errorf("after approve and notify: %v", u)
		}
		mails := sent(t)
		if len(mails) != 1 || mails[0].To[0] != "ada@mine.example" || !strings.Contains(mails[0].Subject, "Org mine") {
			t.Fatalf("emails = %+v", mails)
		}
		i := strings.Index(mails[0].Text, "https://roster.test/invitation#")
		if i < 0 {
			t.Fatalf("no invitation link in:\n%s", mails[0].Text)
		}
		token := strings.Fields(mails[0].Text[i+len("https://roster.test/invitation#"):])[0]
		if len(token) < 43 { // 256 bits in base64url
			t.Errorf("token %q has fewer than 256 bits", token)
		}
		if !strings.Contains(mails[0].HTML, token) {
			t.Error("the HTML part lacks the link")
		}
	})
	t.Run("skips say why", func(t *testing.T) {
		cases := []struct{ action, id, reason string }{
			{"approve", ada, "already approved"},
			{"notify", bob, "not approved: approve the user first"},
		}
		for _, tt := range cases {
			if o, r := act(t, tt.action, only(tt.id)); o != "skipped" || r != tt.reason {
				t.Errorf("%s = %s %q, want skipped %q", tt.action, o, r, tt.reason)
			}
		}
		act(t, "approve", only(bob))
		if o, r := act(t, "notify", only(bob)); o != "skipped" || !strings.HasPrefix(r, "no email address") {
			t.Errorf("notify without email = %s %q", o, r)
		}
	})
	t.Run("deactivate, and a deactivated user is never emailed", func(t *testing.T) {
		before := len(sent(t))
		act(t, "deactivate", only(ada))
		if got := status(t, ada); got != "deactivated" {
			t.Errorf("status = %s", got)
		}
		if o, _ := act(t, "notify", only(ada)); o != "skipped" || len(sent(t)) != before {
			t.Error("a deactivated user was emailed")
		}
		act(t, "activate", only(ada))
		if got := status(t, ada); got != "activated" {
			t.Errorf("status after activate = %s", got)
		}
	})
	t.Run("expiration", func(t *testing.T) {
		act(t, "set-expiration", only(ada, "expiresAt", "2020-01-01"))
		if got := status(t, ada); got != "expired" {
			t.Errorf("status = %s, want expired", got)
		}
		if o, r := act(t, "activate", only(ada)); o != "skipped" || r != "expired: move the expiration date to the future to restore access" {
			t.Errorf("activate expired = %s %q", o, r)
		}
		act(t, "set-expiration", only(ada, "expiresAt", time.Now().AddDate(1, 0, 0).Format(time.DateOnly)))
		if got := status(t, ada); got != "activated" {
			t.Errorf("status after moving the date = %s", got)
		}
		act(t, "set-expiration", only(ada, "expiresAt", nil))
		c.wantError(c.do("POST", "/api/users/actions/set-expiration", only(ada, "expiresAt", "next week")), 422, "expiresAt")
		c.wantError(c.do("POST", "/api/users/actions/set-expiration", only(ada)), 422, "expiresAt")
		if u := c.want(c.do("GET", "/api/users/"+ada, nil), 200).json(t); u["expiresAt"] != nil {
			t.Errorf("expiresAt = %v, want cleared, and left so by the refusals", u["expiresAt"])
		}
	})
	t.Run("groups, location, role", func(t *testing.T) {
		g := s.mine.GroupIDs[0]
		c.wantError(c.do("POST", "/api/users/actions/add-to-groups", only(ada, "groupIds", []string{"nope"})), 422, "groupIds")
		c.wantError(c.do("POST", "/api/users/actions/add-to-groups", only(ada, "groupIds", []string{s.theirs.GroupIDs[0]})), 422, "groupIds")
		if o, _ := act(t, "add-to-groups", only(ada, "groupIds", []string{g})); o != "done" {
			t.Error("add-to-groups not done")
		}
		if o, r := act(t, "add-to-groups", only(ada, "groupIds", []string{g})); o != "skipped" || r != "already in these groups" {
			t.Errorf("add again = %s %q", o, r)
		}
		act(t, "remove-from-groups", only(ada, "groupIds", []string{g}))
		if o, r := act(t, "remove-from-groups", only(ada, "groupIds", []string{g})); o != "skipped" || r != "not in these groups" {
			t.Errorf("remove again = %s %q", o, r)
		}
		c.wantError(c.do("POST", "/api/users/actions/set-location", only(ada, "locationId", "nowhere")), 422, "locationId")
		act(t, "set-location", only(ada, "locationId", s.mine.LocationIDs[1]))
		if u := c.want(c.do("GET", "/api/users/"+ada, nil), 200).json(t); u["locationId"] != s.mine.LocationIDs[1] {
			t.Errorf("location = %v", u["locationId"])
		}
		c.wantError(c.do("POST", "/api/users/actions/set-role", only(ada, "role", "boss")), 422, "role")
		if o, _ := act(t, "set-role", only(ada, "role", "admin")); o != "done" {
			t.Error("set-role not done by the owner")
		}
		if u := c.want(c.do("GET", "/api/users/"+ada, nil), 200).json(t); u["role"] != "admin" {
			t.Errorf("role = %v, want admin", u["role"])
		}
	})
	t.Run("add, approve and notify at once", func(t *testing.T) {
		before := len(sent(t))
		u := c.want(c.do("POST", "/api/users", map[string]any{"firstName": "Cy", "lastName": "New", "email": "cy@mine.example", "approve": true, "notify": true}), 201).json(t)
		if u["status"] != "activated" || u["approvedAt"] == nil || u["notifiedAt"] == nil || len(sent(t)) != before+1 {
			t.Errorf("added and invited: %v, %d emails sent", u, len(sent(t))-before)
		}
		c.wantError(c.do("POST", "/api/users", map[string]any{"firstName": "Di", "lastName": "New", "email": "di@mine.example", "notify": true}), 422, "notify")
		c.wantError(c.do("POST", "/api/users", map[string]any{"firstName": "Ed", "lastName": "New", "userId": "ED-1", "approve": true, "notify": true}), 422, "notify")
	})
	t.Run("bad requests", func(t *testing.T) {
		c.wantError(c.do("POST", "/api/users/actions/approve", only(ada, "groupIds", []string{"x"})), 400, "groupIds")
		c.wantError(c.do("POST", "/api/users/actions/dance", only(ada)), 404, "")
		c.wantError(c.do("GET", "/api/users/actions/approve", nil), 405, "")
	})
}

func TestAPI_GroupsAuditAndDelete(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	ctx := context.Background()
	group := c.want(c.do("POST", "/api/groups", map[string]string{"name": "Bakers"}), 201).json(t)
	gid := group["id"].(string)
	var ids []string
	for _, name := range []string{"Ada", "Alan"} {
		u := c.want(c.do("POST", "/api/users", map[string]any{"firstName": name, "lastName": "Baker", "email": strings.ToLower(name) + "@mine.example", "groupIds": []string{gid}}), 201).json(t)
		ids = append(ids, u["id"].(string))
	}
	s.settle(t)

	t.Run("rename and delete a group", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("PATCH", "/api/groups/"+gid, map[string]any{"version": 1, "name": "Day shift"}), 409, "name")
		c.wantError(c.do("PATCH", "/api/groups/"+gid, map[string]any{"version": 1, "name": ""}), 422, "name")
		c.wantError(c.do("PATCH", "/api/groups/"+gid, map[string]any{"name": "Cooks"}), 422, "version")
		renamed := c.want(c.do("PATCH", "/api/groups/"+gid, map[string]any{"version": 1, "name": "Cooks"}), 200).json(t)
		if renamed["name"] != "Cooks" || renamed["version"] != 2.0 {
			t.Errorf("renamed = %v", renamed)
		}
		c.wantError(c.do("DELETE", "/api/groups/"+gid+"?version=2", nil), 422, "expectedMembers")
		c.wantError(c.do("DELETE", "/api/groups/"+gid+"?version=2&expectedMembers=5", nil), 409, "expectedMembers")
		c.wantError(c.do("DELETE", "/api/groups/"+s.theirs.GroupIDs[0]+"?version=1&expectedMembers=0", nil), 404, "")
		res := c.want(c.do("DELETE", "/api/groups/"+gid+"?version=2&expectedMembers=2", nil), 200).json(t)
		if res["membersTakenOut"] != 2.0 {
			t.Errorf("delete = %v", res)
		}
		for _, id := range ids {
			if u := c.want(c.do("GET", "/api/users/"+id, nil), 200).json(t); len(u["groupIds"].([]any)) != 0 {
				t.Errorf("a member keeps the deleted group: %v", u["groupIds"])
			}
		}
	})
	t.Run("the audit trail names who did what", func(t *testing.T) {
		c := c.on(t)
		s.settle(t)
		log := c.want(c.do("GET", "/api/users/"+ids[0]+"/audit", nil), 200).json(t)
		items := log["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("Ada's history = %v, want created then taken out of the group", items)
		}
		newest := items[0].(map[string]any)
		actor := newest["actor"].(map[string]any)
		if newest["action"] != "user.updated" || actor["id"] != s.mine.Owner.ID || actor["name"] != "Olive Owner" || newest["requestId"] == "" {
			t.Errorf("newest entry = %v", newest)
		}
		org := c.want(c.do("GET", "/api/audit?action=user.created&limit=1", nil), 200).json(t)
		if n := len(org["items"].([]any)); n != 1 || org["nextCursor"] == nil {
			t.Errorf("first page of creations = %v", org)
		}
		c.wantError(c.do("GET", "/api/audit?cursor=nonsense", nil), 400, "cursor")
		c.wantError(c.do("GET", "/api/audit?from=yesterday", nil), 422, "from")
		theirs := c.want(c.do("GET", "/api/users/"+s.theirs.Owner.ID+"/audit", nil), 200).json(t)
		if n := len(theirs["items"].([]any)); n != 0 {
			t.Errorf("another organization's history leaked: %d entries", n)
		}
	})
	t.Run("delete users: owners only, typed confirmation", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("POST", "/api/users/actions/delete", map[string]any{"userIds": ids}), 422, "confirmation")
		c.wantError(c.do("POST", "/api/users/actions/delete", map[string]any{"userIds": ids, "confirmation": "delete 1 user"}), 422, "confirmation")
		res := c.want(c.do("POST", "/api/users/actions/delete", map[string]any{"userIds": ids, "confirmation": "delete 2 users"}), 200).json(t)
		if res["done"] != 2.0 {
			t.Fatalf("delete = %v", res)
		}
		c.wantError(c.do("GET", "/api/users/"+ids[0], nil), 404, "")
		if _, err := s.app.Store.FindUserByLogin(ctx, s.mine.Organization.ID, "ada@mine.example"); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("the deleted user's email still finds someone: %v", err)
		}
	})
}

func TestAPI_TwoAdministratorsAtOnce(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "ann@mine.example", Role: roster.RoleAdmin}, "admin password")
	ann := s.client(t)
	ann.want(ann.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "ann@mine.example", "password": "admin password"}), 200)
	var ids []string
	for i := range 30 {
		u := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Learner", LastName: fmt.Sprintf("%02d", i), UserID: fmt.Sprintf("L%02d", i)}, "")
		ids = append(ids, u.ID)
	}
	s.settle(t)

	// Both archive all thirty, and one of them sets a location, at the same time.
	var wg sync.WaitGroup
	calls := []struct {
		who  string
		c    *client
		path string
		body map[string]any
	}{
		{"the owner", owner, "/api/users/actions/archive", map[string]any{"userIds": ids}},
		{"Ann", ann, "/api/users/actions/archive", map[string]any{"userIds": ids}},
		{"Ann", ann, "/api/users/actions/set-location", map[string]any{"userIds": ids, "locationId": s.mine.LocationIDs[0]}},
	}
	results, errs := make([]map[string]any, len(calls)), make([]error, len(calls))
	for i, call := range calls {
		wg.Go(func() {
			r, err := call.c.try("POST", call.path, call.body)
			if err == nil {
				results[i], err = r.object(200)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s's %s: %v", calls[i].who, calls[i].path, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	if done := results[0]["done"].(float64) + results[1]["done"].(float64); done != 30 {
		t.Errorf("archived %v times in all, want each of the 30 once (%v, %v)", done, results[0], results[1])
	}
	s.settle(t)
	ctx := context.Background()
	located := map[string]bool{}
	for _, r := range results[2]["results"].([]any) {
		r := r.(map[string]any)
		located[r["id"].(string)] = r["outcome"] == "done" // skipped when the archive came first
	}
	for _, id := range ids {
		u, _ := s.app.Store.GetUser(ctx, s.mine.Organization.ID, id)
		// A location reported set is there, archive or not: no lost update.
		if !u.Archived() || located[id] != (u.LocationID == s.mine.LocationIDs[0]) {
			t.Errorf("%s: archived %v, location %q, reported set %v", u.LastName, u.Archived(), u.LocationID, located[id])
		}
	}
	counts, _ := s.app.Store.GetRosterCounts(ctx, s.mine.Organization.ID)
	if counts.Archived != 30 {
		t.Errorf("archived count = %d, want 30: an effect was applied twice or lost", counts.Archived)
	}
	log := owner.want(owner.do("GET", "/api/audit?action=user.archived&limit=100", nil), 200).json(t)
	if n := len(log["items"].([]any)); n != 30 {
		t.Errorf("%d archive audit entries, want 30", n)
	}
}

func TestAPI_Jobs(t *testing.T) {
	s := newServer(t)
	s.app.Service.JobThreshold = 3
	worker := &streams.Poller{Client: s.poller.Client, StreamARN: s.poller.StreamARN, Handler: iamcheck.AsFunction("job-worker", s.app.JobWorker().Handle), Log: s.poller.Log}
	runJobs := func(t *testing.T) {
		t.Helper()
		for {
			before := worker.Delivered() + s.poller.Delivered()
			if err := worker.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			s.settle(t)
			if worker.Delivered()+s.poller.Delivered() == before {
				return
			}
		}
	}
	c := s.signIn(t, s.mine)
	group := s.mine.GroupIDs[0]
	for _, name := range []string{"Ada", "Alan", "Grace", "Hedy", "Joan"} {
		c.want(c.do("POST", "/api/users", map[string]any{"firstName": name, "lastName": "Batch", "userId": "batch-" + name, "groupIds": []string{group}}), 201)
	}
	s.settle(t)

	started := c.want(c.do("POST", "/api/users/actions/archive", map[string]any{"filter": map[string]any{"group": group}, "expectedCount": 5}), 202).json(t)
	job, _ := started["job"].(map[string]any)
	id, _ := job["id"].(string)
	if id == "" || job["status"] != "snapshotting" || job["expectedCount"] != 5.0 {
		t.Fatalf("202 body = %s, want a snapshotting job expecting 5", started)
	}
	runJobs(t)
	got := c.want(c.do("GET", "/api/jobs/"+id, nil), 200).json(t)
	if got["status"] != "done" || got["done"] != 5.0 || got["total"] != 5.0 || got["finishedAt"] == nil {
		t.Fatalf("job = %v, want done with 5 done", got)
	}
	page := c.want(c.do("GET", "/api/jobs/"+id+"/outcomes?result=done&limit=3", nil), 200).json(t)
	items, _ := page["items"].([]any)
	if len(items) != 3 || page["nextCursor"] == nil || items[0].(map[string]any)["lastName"] != "Batch" {
		t.Fatalf("outcomes page = %v, want 3 named outcomes and a cursor", page)
	}
	rest := c.want(c.do("GET", "/api/jobs/"+id+"/outcomes?limit=3&cursor="+page["nextCursor"].(string), nil), 200).json(t)
	if n := len(rest["items"].([]any)); n != 2 || rest["nextCursor"] != nil {
		t.Fatalf("second outcomes page = %v, want the last 2", rest)
	}
	c.wantError(c.do("GET", "/api/jobs/"+id+"/outcomes?cursor=not*a*cursor", nil), 400, "cursor")
	c.wantError(c.do("GET", "/api/jobs/"+id+"/outcomes?result=maybe", nil), 422, "result")
	c.wantError(c.do("POST", "/api/jobs/"+id+"/cancel", map[string]any{}), 409, "status")
	org := c.want(c.do("GET", "/api/organization", nil), 200).json(t)
	if org["archivedCount"] != 5.0 {
		t.Errorf("organization = %v, want 5 archived (the stream followed the job)", org)
	}

	t.Run("a count that changed is refused before any job", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("POST", "/api/users/actions/unarchive", map[string]any{"filter": map[string]any{"group": group, "archived": "only"}, "expectedCount": 6}), 409, "expectedCount")
	})
	t.Run("another organization's job is not found", func(t *testing.T) {
		theirs := s.signIn(t, s.theirs)
		if list := theirs.want(theirs.do("GET", "/api/jobs", nil), 200).json(t); len(list["items"].([]any)) != 0 {
			t.Errorf("another organization lists jobs %v", list)
		}
		theirs.wantError(theirs.do("GET", "/api/jobs/"+id, nil), 404, "")
		theirs.wantError(theirs.do("GET", "/api/jobs/"+id+"/outcomes", nil), 404, "")
		theirs.wantError(theirs.do("POST", "/api/jobs/"+id+"/cancel", map[string]any{}), 404, "")
	})
	t.Run("cancel a job before it runs", func(t *testing.T) {
		c := c.on(t)
		started := c.want(c.do("POST", "/api/users/actions/unarchive", map[string]any{"filter": map[string]any{"group": group, "archived": "only"}, "expectedCount": 5}), 202).json(t)
		id := started["job"].(map[string]any)["id"].(string)
		cancelled := c.want(c.do("POST", "/api/jobs/"+id+"/cancel", map[string]any{}), 200).json(t)
		if cancelled["status"] != "cancelled" {
			t.Fatalf("cancel = %v", cancelled)
		}
		runJobs(t)
		got := c.want(c.do("GET", "/api/jobs/"+id, nil), 200).json(t)
		if got["status"] != "cancelled" || got["done"] != 0.0 {
			t.Fatalf("job = %v, want cancelled with nobody changed", got)
		}
		list := c.want(c.do("GET", "/api/jobs", nil), 200).json(t)
		items := list["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["id"] != id || items[0].(map[string]any)["action"] != "unarchive" {
			t.Errorf("recent jobs = %v, want this one first, then the archive", list)
		}
		org := c.want(c.do("GET", "/api/organization", nil), 200).json(t)
		if org["archivedCount"] != 5.0 {
			t.Errorf("organization = %v, want the 5 still archived", org)
		}
	})
}
