package httpapi_test

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/rosterhq/roster/infra/testharness/fixtures"
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
// authorization table. Refusals carry a fixed message and change nothing;
// allowed calls must succeed with the route's exact status and the record
// or effect it promises (allowedCalls). A route added later is refused with
// no change here, and fails the allowed half until it has a call there.
func TestAPI_Authorization(t *testing.T) {
	s := newServer(t)
	lee := &walker{s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lee", LastName: "Learner", Email: "lee@mine.example"}, "learner password"), "learner password"}
	ann := &walker{s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "ann@mine.example", Role: roster.RoleAdmin}, "admin password"), "admin password"}
	owner := &walker{s.mine.Owner, s.mine.Password}
	// Ids in paths are a learner's, whom every role that may act may change.
	target := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Tess", LastName: "Target", Email: "tess@mine.example"}, "")
	s.settle(t)

	type caller struct {
		name   string
		rank   httpapi.Access // the highest Access the caller passes
		signIn func(t *testing.T) *client
		user   *walker // nil without a session
	}
	as := func(email, password string) func(t *testing.T) *client {
		return func(t *testing.T) *client { c, _ := s.signInAs(t, email, password); return c }
	}
	callers := []caller{
		{"no session", httpapi.Public, func(t *testing.T) *client { return s.client(t) }, nil},
		{"a forged session", httpapi.Public, func(t *testing.T) *client {
			c := s.client(t)
			u, _ := url.Parse(s.URL)
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: httpapi.SessionCookie, Value: s.mine.Organization.ID + "." + target.ID + ".forged", Path: "/api"}})
			return c
		}, nil},
		{"learner", httpapi.Member, as(lee.user.Email, lee.password), lee},
		{"admin", httpapi.Admin, as(ann.user.Email, ann.password), ann},
		{"owner", httpapi.Owner, as(owner.user.Email, owner.password), owner},
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

	// Then every call the table allows, each with a request that must
	// succeed: its exact status, and the record or effect it promises.
	// A route with no request below fails the walk: add one.
	allowed := s.allowedCalls(t, target, []*walker{lee, ann, owner})
	for _, rt := range httpapi.Routes {
		for _, cl := range callers {
			if rt.Access > cl.rank || cl.name == "a forged session" {
				continue
			}
			t.Run(rt.Pattern()+" as "+cl.name+" is let through", func(t *testing.T) {
				call, ok := allowed[rt.Pattern()]
				if !ok {
					t.Fatalf("add %s to the authorization walk's allowed calls (shared/httpapi/walk_test.go)", rt.Pattern())
				}
				call(t, cl.signIn(t).on(t), cl.user)
			})
		}
	}
	for pattern := range allowed {
		if !slices.ContainsFunc(httpapi.Routes, func(rt httpapi.Route) bool { return rt.Pattern() == pattern }) {
			t.Errorf("the authorization walk calls %s, which is no route", pattern)
		}
	}
}

// walker is a signed-in caller of the authorization walk: who they are and
// their password.
type walker struct {
	user     *roster.User
	password string
}

// itemsOf returns the "items" of a list answer.
func itemsOf(t *testing.T, r response) []map[string]any {
	t.Helper()
	list, ok := r.json(t)["items"].([]any)
	if !ok {
		t.Fatalf("body %s has no items", r.body)
	}
	out := make([]map[string]any, len(list))
	for i, it := range list {
		out[i] = it.(map[string]any)
	}
	return out
}

// withID reports whether one of items has the id; key names a nested object
// ("user": items[i].user.id) or is "" for the item itself.
func withID(items []map[string]any, key, id string) bool {
	return slices.ContainsFunc(items, func(it map[string]any) bool {
		if key != "" {
			it, _ = it[key].(map[string]any)
		}
		return it["id"] == id
	})
}

// allowedCalls returns, for every route, a request that the route must
// answer with its success status, and the checks that prove the answer is
// the right one: the record asked for, or the effect promised. Each call
// brings its own records, so that it succeeds whoever calls it and however
// often. me is the caller, nil without a session. The users of callers have
// both of the organization's courses assigned.
func (s *server) allowedCalls(t *testing.T, target *roster.User, callers []*walker) map[string]func(t *testing.T, c *client, me *walker) {
	ctx := context.Background()
	org := s.mine.Organization.ID
	owner := s.signIn(t, s.mine)
	var ids []string
	for _, w := range callers {
		ids = append(ids, w.user.ID)
	}
	assigned := owner.want(owner.do("POST", "/api/users/actions/assign-courses", map[string]any{"userIds": ids, "courseIds": s.mine.CourseIDs, "whenShort": "fit"}), 200).json(t)
	if assigned["done"] != float64(len(ids)) {
		t.Fatalf("assigning the callers their courses: %v", assigned)
	}
	reg, err := s.app.Accounts.SetRegistration(ctx, &roster.Principal{OrgID: org, Role: roster.RoleOwner}, true, false)
	if err != nil {
		t.Fatal(err)
	}
	_, regToken, _ := strings.Cut(reg.URL, "#")

	n := 0
	// fresh adds a learner with an email no other call uses, changed by edit first.
	fresh := func(t *testing.T, edit func(u *roster.User)) *roster.User {
		t.Helper()
		n++
		u := &roster.User{FirstName: "Walk", LastName: fmt.Sprint("Learner ", n), Email: fmt.Sprintf("walk-%d@mine.example", n)}
		if edit != nil {
			edit(u)
		}
		return s.mine.AddUser(t, s.app.Store, u, "")
	}
	stored := func(t *testing.T, id string) *roster.User {
		t.Helper()
		u, err := s.app.Store.GetUser(ctx, org, id)
		if err != nil {
			t.Fatalf("user %s: %v", id, err)
		}
		return u
	}
	resetToken := func(t *testing.T, u *roster.User) string {
		t.Helper()
		// A session of its own: the owner's walk ends every session of theirs.
		owner := s.signIn(t, s.mine)
		owner.want(owner.do("POST", "/api/users/"+u.ID+"/password-reset", nil), 202)
		token, count := s.emailedLink(t, u.Email, "reset-password")
		if count != 1 {
			t.Fatalf("%d reset emails to %s, want 1", count, u.Email)
		}
		return token
	}
	const header = "First name,Last name,Email\n"
	// upload starts an import of content as c and validates it.
	upload := func(t *testing.T, c *client, content string) (string, map[string]any) {
		t.Helper()
		n++
		path, _, preview := uploadCSV(t, c, fmt.Sprintf("walk-%d.csv", n), content)
		return path, preview
	}
	newJob := func(t *testing.T) *roster.Job {
		t.Helper()
		j := &roster.Job{
			ID: roster.NewRandomID(), OrgID: org, Action: roster.ActionArchive, Filter: roster.UserFilter{GroupID: s.mine.GroupIDs[0]},
			ExpectedCount: 1, ActorID: s.mine.Owner.ID, ActorRole: roster.RoleOwner, Status: roster.JobSnapshotting, CreatedAt: time.Now().UTC(),
		}
		if err := s.app.Store.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		return j
	}
	// An applied import: its job, its outcomes and its result file.
	ivan := "ivan-walk@mine.example"
	imported, preview := upload(t, owner, header+"Ivan,Import,"+ivan+"\n")
	importJob := apply(t, owner, imported, preview)
	s.runJobs(t)
	export := &exports.Export{
		ID: roster.NewRandomID(), OrgID: org, Kind: exports.ExportUsers, Format: exports.ExportCSV,
		Filter: &roster.UserFilter{}, ActorID: s.mine.Owner.ID, Status: exports.ExportQueued, CreatedAt: time.Now().UTC(),
	}
	if err := s.app.Store.CreateExport(ctx, export); err != nil {
		t.Fatal(err)
	}
	s.settle(t)

	calls := map[string]func(t *testing.T, c *client, me *walker){
		"POST /api/auth/login": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": callers[0].user.Email, "password": callers[0].password}), 200)
			if got := r.json(t)["user"].(map[string]any)["id"]; got != callers[0].user.ID {
				t.Errorf("signed in as %v, want %s", got, callers[0].user.ID)
			}
			if me := c.want(c.do("GET", "/api/me", nil), 200).json(t); me["user"].(map[string]any)["id"] != callers[0].user.ID {
				t.Errorf("/api/me after sign-in = %v", me)
			}
		},
		"POST /api/auth/logout": func(t *testing.T, c *client, me *walker) {
			c.want(c.do("POST", "/api/auth/logout", nil), 204)
			c.wantError(c.do("GET", "/api/me", nil), 401, "")
		},
		"POST /api/auth/logout-everywhere": func(t *testing.T, c *client, me *walker) {
			other, _ := s.signInAs(t, me.user.Email, me.password)
			c.want(c.do("POST", "/api/auth/logout-everywhere", nil), 204)
			c.wantError(c.do("GET", "/api/me", nil), 401, "")
			other.on(t).wantError(other.do("GET", "/api/me", nil), 401, "")
		},
		"POST /api/auth/links/check": func(t *testing.T, c *client, me *walker) {
			u := fresh(t, nil)
			info := c.want(c.do("POST", "/api/auth/links/check", map[string]string{"token": resetToken(t, u)}), 200).json(t)
			if info["purpose"] != "password-reset" || info["login"] != u.Email || info["firstName"] != u.FirstName {
				t.Errorf("link = %v, want %s's password reset", info, u.Email)
			}
		},
		"POST /api/auth/links/redeem": func(t *testing.T, c *client, me *walker) {
			u := fresh(t, nil)
			r := c.want(c.do("POST", "/api/auth/links/redeem", map[string]string{"token": resetToken(t, u), "password": "a walk's new password"}), 200)
			if got := r.json(t)["user"].(map[string]any)["id"]; got != u.ID {
				t.Errorf("signed in as %v, want %s", got, u.ID)
			}
			s.signInAs(t, u.Email, "a walk's new password")
		},
		"POST /api/auth/password/forgot": func(t *testing.T, c *client, me *walker) {
			u := fresh(t, nil)
			if body := c.want(c.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": u.Email}), 202).body; strings.TrimSpace(string(body)) != "{}" {
				t.Errorf("body = %q, want {}", body)
			}
			if _, count := s.emailedLink(t, u.Email, "reset-password"); count != 1 {
				t.Errorf("%d reset emails to %s, want 1", count, u.Email)
			}
		},
		"POST /api/auth/register/check": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("POST", "/api/auth/register/check", map[string]string{"token": regToken}), 200).json(t)
			if o := r["organization"].(map[string]any); o["id"] != org || o["slug"] != "mine" {
				t.Errorf("registration opens %v, want organization mine", o)
			}
		},
		"POST /api/auth/register": func(t *testing.T, c *client, me *walker) {
			n++
			email := fmt.Sprintf("walk-registered-%d@mine.example", n)
			c.want(c.do("POST", "/api/auth/register", map[string]string{"token": regToken, "firstName": "Reg", "lastName": "Istered", "email": email}), 202)
			u, err := s.app.Store.FindUserByLogin(ctx, org, email)
			if err != nil {
				t.Fatalf("the registered user was not written: %v", err)
			}
			if u.State != roster.StatePending || u.Role != roster.RoleLearner || u.FirstName != "Reg" {
				t.Errorf("registered %+v, want a Pending learner", u)
			}
		},
		"GET /api/me": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/me", nil), 200).json(t)
			if u := r["user"].(map[string]any); u["id"] != me.user.ID || u["email"] != me.user.Email {
				t.Errorf("/api/me user = %v, want %s", u, me.user.Email)
			}
			if o := r["organization"].(map[string]any); o["id"] != org {
				t.Errorf("/api/me organization = %v, want mine", o)
			}
		},
		"GET /api/me/training": func(t *testing.T, c *client, me *walker) {
			var got []string
			for _, it := range itemsOf(t, c.want(c.do("GET", "/api/me/training", nil), 200)) {
				got = append(got, it["courseId"].(string))
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(s.mine.CourseIDs))
			if !slices.Equal(got, want) {
				t.Errorf("my training = %v, want courses %v", got, want)
			}
		},
		"POST /api/me/training/{courseId}/start": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("POST", "/api/me/training/"+s.mine.CourseIDs[0]+"/start", nil), 200).json(t)
			if r["courseId"] != s.mine.CourseIDs[0] || r["state"] != "in_progress" || r["startedAt"] == nil {
				t.Errorf("started = %v, want %s in progress", r, s.mine.CourseIDs[0])
			}
		},
		"POST /api/me/training/{courseId}/complete": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("POST", "/api/me/training/"+s.mine.CourseIDs[1]+"/complete", nil), 200).json(t)
			if r["courseId"] != s.mine.CourseIDs[1] || r["state"] != "completed" || r["completedAt"] == nil {
				t.Errorf("completed = %v, want %s completed", r, s.mine.CourseIDs[1])
			}
		},
		"POST /api/me/password": func(t *testing.T, c *client, me *walker) {
			for _, pw := range [][2]string{{me.password, me.password + " anew"}, {me.password + " anew", me.password}} {
				r := c.want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": pw[0], "newPassword": pw[1]}), 200).json(t)
				if r["user"].(map[string]any)["id"] != me.user.ID {
					t.Errorf("changed the password of %v, want %s", r["user"], me.user.ID)
				}
				s.signInAs(t, me.user.Email, pw[1])
			}
		},
		"POST /api/users/{id}/password-reset": func(t *testing.T, c *client, me *walker) {
			_, before := s.emailedLink(t, target.Email, "reset-password")
			c.want(c.do("POST", "/api/users/"+target.ID+"/password-reset", nil), 202)
			if _, after := s.emailedLink(t, target.Email, "reset-password"); after != before+1 {
				t.Errorf("%d reset emails to the target, want %d", after, before+1)
			}
		},
		"POST /api/users/{id}/one-time-password": func(t *testing.T, c *client, me *walker) {
			pw, _ := c.want(c.do("POST", "/api/users/"+target.ID+"/one-time-password", nil), 200).json(t)["password"].(string)
			if _, who := s.signInAs(t, target.Email, pw); who["user"].(map[string]any)["id"] != target.ID || who["passwordChangeRequired"] != true {
				t.Errorf("signed in with the one-time password as %v, want the target, to change it", who)
			}
		},
		"GET /api/organization": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/organization", nil), 200).json(t)
			if r["id"] != org || r["slug"] != "mine" || r["activeCount"].(float64) < 3 {
				t.Errorf("organization = %v, want mine with its roster", r)
			}
		},
		"GET /api/organization/registration": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/organization/registration", nil), 200).json(t)
			if r["enabled"] != true || r["url"] != reg.URL {
				t.Errorf("registration = %v, want enabled at %s", r, reg.URL)
			}
		},
		"PUT /api/organization/registration": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("PUT", "/api/organization/registration", map[string]any{"enabled": true}), 200).json(t)
			if r["enabled"] != true || r["url"] != reg.URL {
				t.Errorf("registration = %v, want enabled at %s, not renewed", r, reg.URL)
			}
		},
		"GET /api/users": func(t *testing.T, c *client, me *walker) {
			if items := itemsOf(t, c.want(c.do("GET", "/api/users?q=target", nil), 200)); len(items) != 1 || items[0]["id"] != target.ID {
				t.Errorf("users matching target = %v, want Tess Target", items)
			}
		},
		"POST /api/users": func(t *testing.T, c *client, me *walker) {
			n++
			email := fmt.Sprintf("walk-added-%d@mine.example", n)
			r := c.want(c.do("POST", "/api/users", map[string]any{"firstName": "Ad", "lastName": "Ded", "email": email, "groupIds": []string{s.mine.GroupIDs[0]}}), 201).json(t)
			if u := stored(t, r["id"].(string)); u.Email != email || u.State != roster.StatePending || !slices.Equal(u.GroupIDs, []string{s.mine.GroupIDs[0]}) {
				t.Errorf("added %+v, want %s Pending in the group", u, email)
			}
		},
		"GET /api/users/{id}": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/users/"+target.ID, nil), 200).json(t)
			if r["id"] != target.ID || r["email"] != target.Email || r["firstName"] != "Tess" {
				t.Errorf("user = %v, want Tess Target", r)
			}
		},
		"PATCH /api/users/{id}": func(t *testing.T, c *client, me *walker) {
			u := fresh(t, nil)
			r := c.want(c.do("PATCH", "/api/users/"+u.ID, map[string]any{"version": u.Version, "lastName": "Renamed"}), 200).json(t)
			if r["id"] != u.ID || r["lastName"] != "Renamed" {
				t.Errorf("updated = %v, want %s renamed", r, u.ID)
			}
			if got := stored(t, u.ID); got.LastName != "Renamed" || got.FirstName != u.FirstName {
				t.Errorf("stored %+v, want only the last name changed", got)
			}
		},
		"POST /api/users/actions/delete": func(t *testing.T, c *client, me *walker) {
			u := fresh(t, nil)
			r := c.want(c.do("POST", "/api/users/actions/delete", map[string]any{"userIds": []string{u.ID}, "confirmation": "delete 1 user"}), 200)
			if o, reason := outcome(t, r); o != "done" {
				t.Errorf("outcome %s %s, want done", o, reason)
			}
			if _, err := s.app.Store.GetUser(ctx, org, u.ID); err == nil {
				t.Error("the deleted user is still stored")
			}
		},
		"GET /api/jobs": func(t *testing.T, c *client, me *walker) {
			if items := itemsOf(t, c.want(c.do("GET", "/api/jobs", nil), 200)); !withID(items, "", importJob) {
				t.Errorf("jobs = %v, want the import's job %s", items, importJob)
			}
		},
		"GET /api/jobs/{id}": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/jobs/"+importJob, nil), 200).json(t)
			if r["id"] != importJob || r["status"] != "done" || r["done"] != 1.0 {
				t.Errorf("job = %v, want the import's job, done for 1", r)
			}
		},
		"GET /api/jobs/{id}/outcomes": func(t *testing.T, c *client, me *walker) {
			items := itemsOf(t, c.want(c.do("GET", "/api/jobs/"+importJob+"/outcomes", nil), 200))
			if len(items) != 1 || items[0]["outcome"] != "done" || !strings.Contains(fmt.Sprint(items[0]), "Ivan") {
				t.Errorf("outcomes = %v, want Ivan done", items)
			}
		},
		"POST /api/jobs/{id}/cancel": func(t *testing.T, c *client, me *walker) {
			j := newJob(t)
			r := c.want(c.do("POST", "/api/jobs/"+j.ID+"/cancel", nil), 200).json(t)
			if r["id"] != j.ID || r["status"] != "cancelled" {
				t.Errorf("cancelled = %v, want job %s cancelled", r, j.ID)
			}
			if got, err := s.app.Store.GetJob(ctx, org, j.ID); err != nil || got.Status != roster.JobCancelled {
				t.Errorf("stored job %+v (%v), want cancelled", got, err)
			}
		},
		"POST /api/exports": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("POST", "/api/exports", map[string]any{"kind": "users", "format": "csv", "userIds": []string{target.ID}}), 202).json(t)
			if r["kind"] != "users" || r["status"] != "queued" {
				t.Errorf("export = %v, want a queued users export", r)
			}
			if got := c.want(c.do("GET", "/api/exports/"+r["id"].(string), nil), 200).json(t); got["id"] != r["id"] {
				t.Errorf("the export started is not stored: %v", got)
			}
		},
		"GET /api/exports/{id}": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/exports/"+export.ID, nil), 200).json(t)
			if r["id"] != export.ID || r["kind"] != "users" || r["status"] != "queued" {
				t.Errorf("export = %v, want %s", r, export.ID)
			}
		},
		"POST /api/imports": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("POST", "/api/imports", map[string]any{"fileName": "walk.csv", "size": 100}), 201).json(t)
			imp := r["import"].(map[string]any)
			if imp["fileName"] != "walk.csv" || imp["status"] != "uploading" || r["upload"].(map[string]any)["method"] != "PUT" {
				t.Errorf("started = %v, want walk.csv uploading with a PUT link", r)
			}
			if got := c.want(c.do("GET", "/api/imports/"+imp["id"].(string), nil), 200).json(t); got["id"] != imp["id"] {
				t.Errorf("the import started is not stored: %v", got)
			}
		},
		"GET /api/imports/{id}": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", imported, nil), 200).json(t)
			results, _ := r["results"].(map[string]any)
			if "/api/imports/"+r["id"].(string) != imported || r["status"] != "applied" || results["done"] != 1.0 {
				t.Errorf("import = %v, want %s applied with 1 done", r, imported)
			}
		},
		"POST /api/imports/{id}/validate": func(t *testing.T, c *client, me *walker) {
			n++
			content := header + fmt.Sprintf("Val,Idated,walk-validated-%d@mine.example\n", n)
			started := c.want(c.do("POST", "/api/imports", map[string]any{"fileName": "walk.csv", "size": len(content)}), 201).json(t)
			putFile(t, started["upload"].(map[string]any), strings.NewReader(content), int64(len(content)))
			path := "/api/imports/" + started["import"].(map[string]any)["id"].(string)
			r := c.want(c.do("POST", path+"/validate", map[string]any{"mode": "add"}), 200).json(t)
			if counts := r["counts"].(map[string]any); r["status"] != "validated" || counts["rows"] != 1.0 || counts["create"] != 1.0 || counts["errors"] != 0.0 {
				t.Errorf("validated = %v, want one row to create", r)
			}
		},
		"GET /api/imports/{id}/errors": func(t *testing.T, c *client, me *walker) {
			path, preview := upload(t, c, header+"Bad,Row,not-an-email\n")
			if preview["counts"].(map[string]any)["errors"] != 1.0 {
				t.Fatalf("preview = %v, want 1 error", preview)
			}
			link := c.want(c.do("GET", path+"/errors", nil), 200).json(t)
			body, _ := download(t, map[string]any{"download": link})
			if !strings.Contains(string(body), "2,C,Email,is not a valid email address") {
				t.Errorf("error report = %q, want line 2's email", body)
			}
		},
		"POST /api/imports/{id}/apply": func(t *testing.T, c *client, me *walker) {
			n++
			path, preview := upload(t, c, header+fmt.Sprintf("Ap,Plied,walk-applied-%d@mine.example\n", n))
			r := c.want(c.do("POST", path+"/apply", map[string]any{"mode": "add", "expectedCounts": preview["counts"]}), 202).json(t)
			imp, job := r["import"].(map[string]any), r["job"].(map[string]any)
			if "/api/imports/"+imp["id"].(string) != path || imp["status"] != "applying" || job["id"] == "" || imp["jobId"] != job["id"] {
				t.Errorf("applied = %v, want %s applying by its job", r, path)
			}
		},
		"GET /api/imports/{id}/results": func(t *testing.T, c *client, me *walker) {
			link := c.want(c.do("GET", imported+"/results", nil), 200).json(t)
			body, _ := download(t, map[string]any{"download": link})
			if !strings.Contains(string(body), "2,Ivan,Import,"+ivan+",,done,") {
				t.Errorf("result file = %q, want Ivan's row done", body)
			}
		},
		"GET /api/users/{id}/audit": func(t *testing.T, c *client, me *walker) {
			items := itemsOf(t, c.want(c.do("GET", "/api/users/"+target.ID+"/audit", nil), 200))
			if len(items) == 0 || !withID(items, "target", target.ID) || slices.ContainsFunc(items, func(it map[string]any) bool { return it["target"].(map[string]any)["id"] != target.ID }) {
				t.Errorf("the target's history = %v, want entries about the target only", items)
			}
		},
		"GET /api/audit": func(t *testing.T, c *client, me *walker) {
			if items := itemsOf(t, c.want(c.do("GET", "/api/audit?user="+target.ID, nil), 200)); len(items) == 0 || !withID(items, "target", target.ID) {
				t.Errorf("audit about the target = %v, want its entries", items)
			}
		},
		"GET /api/groups": func(t *testing.T, c *client, me *walker) {
			if items := itemsOf(t, c.want(c.do("GET", "/api/groups", nil), 200)); !withID(items, "", s.mine.GroupIDs[0]) || !withID(items, "", s.mine.GroupIDs[1]) {
				t.Errorf("groups = %v, want both of mine", items)
			}
		},
		"GET /api/locations": func(t *testing.T, c *client, me *walker) {
			if items := itemsOf(t, c.want(c.do("GET", "/api/locations", nil), 200)); !withID(items, "", s.mine.LocationIDs[0]) || !withID(items, "", s.mine.LocationIDs[1]) {
				t.Errorf("locations = %v, want both of mine", items)
			}
		},
		"GET /api/courses": func(t *testing.T, c *client, me *walker) {
			if items := itemsOf(t, c.want(c.do("GET", "/api/courses", nil), 200)); !withID(items, "", s.mine.CourseIDs[0]) || !withID(items, "", s.mine.CourseIDs[1]) {
				t.Errorf("courses = %v, want both of mine", items)
			}
		},
		"POST /api/courses": func(t *testing.T, c *client, me *walker) {
			n++
			name := fmt.Sprint("Walk course ", n)
			r := c.want(c.do("POST", "/api/courses", map[string]any{"name": name, "seats": 3}), 201).json(t)
			if r["name"] != name || r["seats"] != 3.0 || r["free"] != 3.0 {
				t.Errorf("course = %v, want %s with 3 free seats", r, name)
			}
			if got := c.want(c.do("GET", "/api/courses/"+r["id"].(string), nil), 200).json(t); got["name"] != name {
				t.Errorf("the course added is not stored: %v", got)
			}
		},
		"GET /api/courses/{id}": func(t *testing.T, c *client, me *walker) {
			r := c.want(c.do("GET", "/api/courses/"+s.mine.CourseIDs[1], nil), 200).json(t)
			if r["id"] != s.mine.CourseIDs[1] || r["name"] != "Manual handling" || r["seats"] != 50.0 {
				t.Errorf("course = %v, want Manual handling with 50 seats", r)
			}
		},
		"PATCH /api/courses/{id}": func(t *testing.T, c *client, me *walker) {
			n++
			made := c.want(c.do("POST", "/api/courses", map[string]any{"name": fmt.Sprint("Walk edit ", n)}), 201).json(t)
			name := fmt.Sprint("Walk edited ", n)
			r := c.want(c.do("PATCH", "/api/courses/"+made["id"].(string), map[string]any{"version": made["version"], "name": name, "seats": 7}), 200).json(t)
			if r["id"] != made["id"] || r["name"] != name || r["seats"] != 7.0 {
				t.Errorf("edited = %v, want %s with 7 seats", r, name)
			}
		},
		"GET /api/courses/{id}/ledger": func(t *testing.T, c *client, me *walker) {
			items := itemsOf(t, c.want(c.do("GET", "/api/courses/"+s.mine.CourseIDs[1]+"/ledger", nil), 200))
			if !slices.ContainsFunc(items, func(it map[string]any) bool { return it["cause"] == "Course created with 50 seats" }) {
				t.Errorf("ledger = %v, want the course's creation", items)
			}
		},
		"GET /api/training-records": func(t *testing.T, c *client, me *walker) {
			items := itemsOf(t, c.want(c.do("GET", "/api/training-records?course="+s.mine.CourseIDs[0], nil), 200))
			for _, w := range callers {
				if !withID(items, "user", w.user.ID) {
					t.Errorf("training records = %v, want %s's", items, w.user.Email)
				}
			}
		},
	}
	for pattern, create := range map[string]string{"POST /api/groups": "/api/groups", "POST /api/locations": "/api/locations"} {
		calls[pattern] = func(t *testing.T, c *client, me *walker) {
			n++
			name := fmt.Sprint("Walk ", n)
			r := c.want(c.do("POST", create, map[string]string{"name": name}), 201).json(t)
			if r["name"] != name || r["version"] != 1.0 {
				t.Errorf("added = %v, want %s", r, name)
			}
			if items := itemsOf(t, c.want(c.do("GET", create, nil), 200)); !withID(items, "", r["id"].(string)) {
				t.Errorf("%s = %v, want the one added", create, items)
			}
		}
		calls[strings.Replace(pattern, "POST", "PATCH", 1)+"/{id}"] = func(t *testing.T, c *client, me *walker) {
			n++
			made := c.want(c.do("POST", create, map[string]string{"name": fmt.Sprint("Walk ", n)}), 201).json(t)
			name := fmt.Sprint("Walk renamed ", n)
			r := c.want(c.do("PATCH", create+"/"+made["id"].(string), map[string]any{"version": made["version"], "name": name}), 200).json(t)
			if r["id"] != made["id"] || r["name"] != name {
				t.Errorf("renamed = %v, want %s", r, name)
			}
		}
		calls[strings.Replace(pattern, "POST", "DELETE", 1)+"/{id}"] = func(t *testing.T, c *client, me *walker) {
			n++
			made := c.want(c.do("POST", create, map[string]string{"name": fmt.Sprint("Walk ", n)}), 201).json(t)
			id := made["id"].(string)
			member := fresh(t, func(u *roster.User) {
				if create == "/api/groups" {
					u.GroupIDs = []string{id}
				} else {
					u.LocationID = id
				}
			})
			s.settle(t) // the member count
			r := c.want(c.do("DELETE", create+"/"+id+"?version=1&expectedMembers=1", nil), 200).json(t)
			if r["membersTakenOut"] != 1.0 {
				t.Errorf("deleted = %v, want 1 member taken out", r)
			}
			if items := itemsOf(t, c.want(c.do("GET", create, nil), 200)); withID(items, "", id) {
				t.Errorf("%s = %v, still with the one deleted", create, items)
			}
			if u := stored(t, member.ID); slices.Contains(u.GroupIDs, id) || u.LocationID == id {
				t.Errorf("the member %+v is still in the deleted one", u)
			}
		}
	}

	// Every bulk action on one fresh user in the state it acts on: done, and the user changed so.
	past := time.Now().UTC().Add(-time.Hour)
	withCourse := func(u *roster.User) { u.Courses = []roster.Assignment{{CourseID: s.mine.CourseIDs[0]}} }
	actions := map[string]struct {
		prepare func(u *roster.User)
		params  map[string]any
		changed func(u *roster.User) bool
	}{
		"approve":            {func(u *roster.User) { u.State = roster.StatePending }, nil, func(u *roster.User) bool { return u.State == roster.StateActivated && u.ApprovedAt != nil }},
		"notify":             {func(u *roster.User) { u.State, u.ApprovedAt = roster.StateActivated, &past }, nil, func(u *roster.User) bool { return u.NotifiedAt != nil }},
		"deactivate":         {nil, nil, func(u *roster.User) bool { return u.State == roster.StateDeactivated }},
		"activate":           {func(u *roster.User) { u.State, u.LastAccessAt = roster.StateDeactivated, &past }, nil, func(u *roster.User) bool { return u.State == roster.StateActive }},
		"set-expiration":     {nil, map[string]any{"expiresAt": "2031-01-01"}, func(u *roster.User) bool { return u.ExpiresAt != nil && u.ExpiresAt.Year() == 2031 }},
		"archive":            {nil, nil, func(u *roster.User) bool { return u.ArchivedAt != nil }},
		"unarchive":          {func(u *roster.User) { u.ArchivedAt = &past }, nil, func(u *roster.User) bool { return u.ArchivedAt == nil }},
		"add-to-groups":      {nil, map[string]any{"groupIds": []string{s.mine.GroupIDs[1]}}, func(u *roster.User) bool { return slices.Equal(u.GroupIDs, []string{s.mine.GroupIDs[1]}) }},
		"remove-from-groups": {func(u *roster.User) { u.GroupIDs = []string{s.mine.GroupIDs[0]} }, map[string]any{"groupIds": []string{s.mine.GroupIDs[0]}}, func(u *roster.User) bool { return len(u.GroupIDs) == 0 }},
		"set-location":       {nil, map[string]any{"locationId": s.mine.LocationIDs[1]}, func(u *roster.User) bool { return u.LocationID == s.mine.LocationIDs[1] }},
		"set-role":           {nil, map[string]any{"role": "admin"}, func(u *roster.User) bool { return u.Role == roster.RoleAdmin }},
		"assign-courses":     {nil, map[string]any{"courseIds": []string{s.mine.CourseIDs[0]}, "whenShort": "fit"}, func(u *roster.User) bool { return len(u.Courses) == 1 && u.Courses[0].CourseID == s.mine.CourseIDs[0] }},
		"unassign-courses":   {withCourse, map[string]any{"courseIds": []string{s.mine.CourseIDs[0]}}, func(u *roster.User) bool { return len(u.Courses) == 0 }},
		"set-due-date":       {withCourse, map[string]any{"courseIds": []string{s.mine.CourseIDs[0]}, "dueAt": "2031-01-01"}, func(u *roster.User) bool { return len(u.Courses) == 1 && u.Courses[0].DueAt != nil }},
		"archive-activity":   {withCourse, map[string]any{"courseIds": []string{s.mine.CourseIDs[0]}}, func(u *roster.User) bool { return len(u.Courses) == 0 }},
	}
	for action, a := range actions {
		calls["POST /api/users/actions/"+action] = func(t *testing.T, c *client, me *walker) {
			u := fresh(t, a.prepare)
			body := map[string]any{"userIds": []string{u.ID}}
			for k, v := range a.params {
				body[k] = v
			}
			r := c.want(c.do("POST", "/api/users/actions/"+action, body), 200)
			if o, reason := outcome(t, r); o != "done" {
				t.Errorf("outcome %s %s, want done", o, reason)
			}
			if got := stored(t, u.ID); got.Version != u.Version+1 || !a.changed(got) {
				t.Errorf("after %s the user is %+v", action, got)
			}
		}
	}
	return calls
}
