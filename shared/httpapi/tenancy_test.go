package httpapi_test

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/httpapi"
	"github.com/rosterhq/roster/shared/imports"
)

// TestAPI_TenancyWalk calls every route of the route table, as the owner of
// one organization, with the ids of another organization's users, groups,
// locations and registration link. Each call must answer as if they did not
// exist (404, or "no such user" for each selected user), listings must never
// show them, and the other organization's records must be exactly as before.
// A route this walk does not know fails it: add the new route below.
func TestAPI_TenancyWalk(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	eve := s.theirs.AddUser(t, s.app.Store, &roster.User{FirstName: "Eve", LastName: "Other", Email: "eve@theirs.example", GroupIDs: []string{s.theirs.GroupIDs[0]}, LocationID: s.theirs.LocationIDs[0]}, "eve password")
	theirToken, mineToken := "", ""
	for _, org := range []*struct {
		id    string
		token *string
	}{{s.theirs.Organization.ID, &theirToken}, {s.mine.Organization.ID, &mineToken}} {
		p := &roster.Principal{OrgID: org.id, Role: roster.RoleOwner}
		reg, err := s.app.Accounts.SetRegistration(ctx, p, true, false)
		if err != nil {
			t.Fatal(err)
		}
		_, *org.token, _ = strings.Cut(reg.URL, "#")
	}
	_, theirSecret, _ := strings.Cut(theirToken, ".")
	max := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Max", LastName: "Mine", Email: "max@mine.example", GroupIDs: []string{s.mine.GroupIDs[0]}}, "")
	// Training records on both sides: Eve and Max each assigned a course of their own organization.
	for _, who := range []struct{ org, user, course string }{{s.theirs.Organization.ID, eve.ID, s.theirs.CourseIDs[0]}, {s.mine.Organization.ID, max.ID, s.mine.CourseIDs[0]}} {
		if _, err := s.app.Store.UpdateUser(ctx, who.org, who.user, 0, func(u *roster.User) error {
			u.Courses, u.UpdatedAt = []roster.Assignment{{CourseID: who.course}}, time.Now().UTC()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	s.settle(t) // both organizations have audit entries and counts

	// Every id of theirs: none may appear in an answer to mine.
	theirIDs := append([]string{s.theirs.Organization.ID, s.theirs.Owner.ID, eve.ID, theirSecret}, append(s.theirs.GroupIDs, s.theirs.LocationIDs...)...)
	theirJob := &roster.Job{
		ID: roster.NewRandomID(), OrgID: s.theirs.Organization.ID, Action: roster.ActionArchive, Filter: roster.UserFilter{GroupID: s.theirs.GroupIDs[0]},
		ExpectedCount: 1, ActorID: s.theirs.Owner.ID, ActorRole: roster.RoleOwner, Status: roster.JobSnapshotting, CreatedAt: time.Now().UTC(),
	}
	if err := s.app.Store.CreateJob(ctx, theirJob); err != nil {
		t.Fatal(err)
	}
	theirImport := &imports.Import{ID: roster.NewRandomID(), OrgID: s.theirs.Organization.ID, FileName: "theirs.csv", Size: 10,
		Status: imports.ImportUploading, CreatedBy: s.theirs.Owner.ID, CreatedAt: time.Now().UTC(), Version: 1}
	if err := s.app.Store.CreateImport(ctx, theirImport); err != nil {
		t.Fatal(err)
	}
	theirIDs = append(theirIDs, s.theirs.CourseIDs...)
	theirIDs = append(theirIDs, theirJob.ID, theirImport.ID)
	theirExport := &exports.Export{
		ID: roster.NewRandomID(), OrgID: s.theirs.Organization.ID, Kind: exports.ExportUsers, Format: exports.ExportCSV,
		Filter: &roster.UserFilter{}, ActorID: s.theirs.Owner.ID, Status: exports.ExportQueued, CreatedAt: time.Now().UTC(),
	}
	if err := s.app.Store.CreateExport(ctx, theirExport); err != nil {
		t.Fatal(err)
	}
	theirIDs = append(theirIDs, theirExport.ID)
	noneOfTheirs := func(t *testing.T, r response) {
		t.Helper()
		for _, id := range theirIDs {
			if strings.Contains(string(r.body), id) {
				t.Errorf("the answer holds %s of the other organization: %s", id, r.body)
			}
		}
	}
	// asIfNone sends a request naming ids of theirs: it must be refused as
	// not found, with the very answer the same request gets with made-up ids
	// in their place, so that nothing tells their ids exist.
	asIfNone := func(t *testing.T, c *client, method, path string, body any) {
		t.Helper()
		r := c.do(method, path, body)
		c.wantError(r, 404, "")
		sent := ""
		if body != nil {
			b, _ := json.Marshal(body)
			sent = string(b)
		}
		madeUpPath, madeUpBody := path, sent
		for _, id := range theirIDs {
			madeUp := id[:len(id)-5] + "zzzzz"
			madeUpPath, madeUpBody = strings.ReplaceAll(madeUpPath, id, madeUp), strings.ReplaceAll(madeUpBody, id, madeUp)
		}
		if madeUpPath == path && madeUpBody == sent {
			t.Fatalf("%s %s names none of their ids", method, path)
		}
		var none response
		if body == nil {
			none = c.do(method, madeUpPath, nil)
		} else {
			none = c.do(method, madeUpPath, madeUpBody)
		}
		c.wantError(none, 404, "")
		if got, want := errorMessage(t, r), errorMessage(t, none); got != want {
			t.Errorf("%s %s: message %q, want %q as for ids that do not exist", method, path, got, want)
		}
	}
	theirUsers := []string{eve.ID, s.theirs.Owner.ID}
	allNoSuchUser := func(t *testing.T, r response) {
		t.Helper()
		res := r.json(t)
		results, _ := res["results"].([]any)
		if len(results) != len(theirUsers) {
			t.Fatalf("results = %s, want one per selected user", r.body)
		}
		for _, it := range results {
			if o := it.(map[string]any); o["outcome"] != "skipped" || o["reason"] != "no such user" {
				t.Errorf("outcome %v, want skipped: no such user", o)
			}
		}
	}
	actionParams := map[string]map[string]any{
		"approve": {}, "notify": {}, "deactivate": {}, "activate": {}, "archive": {}, "unarchive": {},
		"set-expiration":     {"expiresAt": "2031-01-01"},
		"add-to-groups":      {"groupIds": []string{s.mine.GroupIDs[1]}},
		"remove-from-groups": {"groupIds": []string{s.mine.GroupIDs[0]}},
		"set-location":       {"locationId": s.mine.LocationIDs[0]},
		"set-role":           {"role": "learner"},
		"assign-courses":     {"courseIds": []string{s.mine.CourseIDs[0]}, "whenShort": "fit"},
		"unassign-courses":   {"courseIds": []string{s.mine.CourseIDs[0]}},
		"set-due-date":       {"courseIds": []string{s.mine.CourseIDs[0]}, "dueAt": "2031-01-01"},
		"archive-activity":   {"courseIds": []string{s.mine.CourseIDs[0]}},
		"delete":             {"confirmation": "delete 2 users"},
	}
	// Parameters naming the other organization's groups or locations: refused
	// with the field named (field ""), or acting on nobody.
	theirParams := map[string]struct {
		params map[string]any
		field  string
	}{
		"add-to-groups":      {map[string]any{"groupIds": []string{s.theirs.GroupIDs[0]}}, "groupIds"},
		"remove-from-groups": {map[string]any{"groupIds": []string{s.theirs.GroupIDs[0]}}, ""},
		"set-location":       {map[string]any{"locationId": s.theirs.LocationIDs[0]}, "locationId"},
		"assign-courses":     {map[string]any{"courseIds": []string{s.theirs.CourseIDs[0]}}, "courseIds"},
		"unassign-courses":   {map[string]any{"courseIds": []string{s.theirs.CourseIDs[0]}}, "courseIds"},
		"set-due-date":       {map[string]any{"courseIds": []string{s.theirs.CourseIDs[0]}, "dueAt": "2031-01-01"}, "courseIds"},
		"archive-activity":   {map[string]any{"courseIds": []string{s.theirs.CourseIDs[0]}}, "courseIds"},
	}

	probes := map[string]func(t *testing.T, c *client){
		"POST /api/auth/login": func(t *testing.T, c *client) {
			c.wantError(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "eve@theirs.example", "password": "eve password"}), 401, "")
			c.wantError(c.do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": s.theirs.Owner.Email, "password": s.theirs.Password}), 401, "")
		},
		"POST /api/auth/logout": func(t *testing.T, c *client) {
			c.want(c.do("POST", "/api/auth/logout", nil), 204) // ends mine only: the walk signs in again
		},
		"POST /api/auth/register/check": func(t *testing.T, c *client) {
			// Their organization's id with another secret opens nothing.
			_, mySecret, _ := strings.Cut(mineToken, ".")
			asIfNone(t, c, "POST", "/api/auth/register/check", map[string]string{"token": s.theirs.Organization.ID + "." + mySecret})
		},
		"POST /api/auth/register": func(t *testing.T, c *client) {
			_, mySecret, _ := strings.Cut(mineToken, ".")
			asIfNone(t, c, "POST", "/api/auth/register", map[string]string{"token": s.theirs.Organization.ID + "." + mySecret, "firstName": "In", "lastName": "Truder", "email": "intruder@theirs.example"})
		},
		"POST /api/auth/logout-everywhere": func(t *testing.T, c *client) {
			c.want(c.do("POST", "/api/auth/logout-everywhere", nil), 204) // ends my sessions, never theirs (the snapshot)
		},
		"POST /api/auth/links/check": func(t *testing.T, c *client) {
			asIfNone(t, c, "POST", "/api/auth/links/check", map[string]string{"token": theirSecret})
		},
		"POST /api/auth/links/redeem": func(t *testing.T, c *client) {
			asIfNone(t, c, "POST", "/api/auth/links/redeem", map[string]string{"token": theirSecret, "password": "a long enough one"})
		},
		"POST /api/auth/password/forgot": func(t *testing.T, c *client) {
			// Their user's login at my organization: the same answer, and no link for them (the snapshot).
			r := c.want(c.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": "eve@theirs.example"}), 202)
			noneOfTheirs(t, r)
		},
		"POST /api/me/password": func(t *testing.T, c *client) {
			c.wantError(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "eve password", "newPassword": "a new one for me"}), 422, "currentPassword")
		},
		"POST /api/users/{id}/password-reset": func(t *testing.T, c *client) {
			for _, id := range theirUsers {
				asIfNone(t, c, "POST", "/api/users/"+id+"/password-reset", nil)
			}
		},
		"POST /api/users/{id}/one-time-password": func(t *testing.T, c *client) {
			for _, id := range theirUsers {
				asIfNone(t, c, "POST", "/api/users/"+id+"/one-time-password", nil)
			}
		},
		"GET /api/courses": func(t *testing.T, c *client) {
			for _, q := range []string{"", "?retired=include", "?retired=only"} {
				noneOfTheirs(t, c.want(c.do("GET", "/api/courses"+q, nil), 200))
			}
		},
		"POST /api/courses": func(t *testing.T, c *client) {
			// Adding to mine leaves theirs as it was (the snapshot) and shows none of theirs.
			noneOfTheirs(t, c.want(c.do("POST", "/api/courses", map[string]any{"name": "Knife skills", "seats": 3}), 201))
		},
		"GET /api/courses/{id}": func(t *testing.T, c *client) {
			for _, id := range s.theirs.CourseIDs {
				asIfNone(t, c, "GET", "/api/courses/"+id, nil)
			}
		},
		"PATCH /api/courses/{id}": func(t *testing.T, c *client) {
			for _, id := range s.theirs.CourseIDs {
				asIfNone(t, c, "PATCH", "/api/courses/"+id, map[string]any{"version": 1, "name": "Mine now", "seats": 1000})
			}
		},
		"GET /api/courses/{id}/ledger": func(t *testing.T, c *client) {
			for _, id := range s.theirs.CourseIDs {
				asIfNone(t, c, "GET", "/api/courses/"+id+"/ledger", nil)
			}
		},
		"POST /api/imports": func(t *testing.T, c *client) {
			noneOfTheirs(t, c.want(c.do("POST", "/api/imports", map[string]any{"fileName": "mine.csv", "size": 100}), 201))
		},
		"GET /api/imports/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "GET", "/api/imports/"+theirImport.ID, nil)
		},
		"POST /api/imports/{id}/validate": func(t *testing.T, c *client) {
			asIfNone(t, c, "POST", "/api/imports/"+theirImport.ID+"/validate", map[string]any{"mode": "add"})
		},
		"GET /api/imports/{id}/errors": func(t *testing.T, c *client) {
			asIfNone(t, c, "GET", "/api/imports/"+theirImport.ID+"/errors", nil)
		},
		"POST /api/imports/{id}/apply": func(t *testing.T, c *client) {
			asIfNone(t, c, "POST", "/api/imports/"+theirImport.ID+"/apply", map[string]any{"mode": "add", "expectedCounts": map[string]int{"rows": 1}})
		},
		"GET /api/imports/{id}/results": func(t *testing.T, c *client) {
			asIfNone(t, c, "GET", "/api/imports/"+theirImport.ID+"/results", nil)
		},
		"GET /api/training-records": func(t *testing.T, c *client) {
			// Mine: Max's record, none of theirs, whichever plan reads them.
			r := c.want(c.do("GET", "/api/training-records", nil), 200)
			if !strings.Contains(string(r.body), max.ID) {
				t.Errorf("my training records lack Max's: %s", r.body)
			}
			noneOfTheirs(t, r)
			noneOfTheirs(t, c.want(c.do("GET", "/api/training-records?location="+s.mine.LocationIDs[0], nil), 200))
			// Their course, group or location is no filter of mine.
			c.wantError(c.do("GET", "/api/training-records?course="+s.theirs.CourseIDs[0], nil), 422, "course")
			c.wantError(c.do("GET", "/api/training-records?group="+s.theirs.GroupIDs[0], nil), 422, "group")
			c.wantError(c.do("GET", "/api/training-records?location="+s.theirs.LocationIDs[0], nil), 422, "location")
		},
		"GET /api/jobs": func(t *testing.T, c *client) {
			noneOfTheirs(t, c.want(c.do("GET", "/api/jobs", nil), 200))
		},
		"GET /api/jobs/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "GET", "/api/jobs/"+theirJob.ID, nil)
		},
		"GET /api/jobs/{id}/outcomes": func(t *testing.T, c *client) {
			asIfNone(t, c, "GET", "/api/jobs/"+theirJob.ID+"/outcomes", nil)
		},
		"POST /api/jobs/{id}/cancel": func(t *testing.T, c *client) {
			asIfNone(t, c, "POST", "/api/jobs/"+theirJob.ID+"/cancel", nil)
		},
		"POST /api/exports": func(t *testing.T, c *client) {
			// Queued; the export worker finds none of them (TestAPI_Exports).
			noneOfTheirs(t, c.want(c.do("POST", "/api/exports", map[string]any{"kind": "users", "format": "csv", "userIds": theirUsers}), 202))
		},
		"GET /api/exports/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "GET", "/api/exports/"+theirExport.ID, nil)
		},
		"GET /api/me": func(t *testing.T, c *client) { noneOfTheirs(t, c.want(c.do("GET", "/api/me", nil), 200)) },
		"GET /api/me/training": func(t *testing.T, c *client) {
			noneOfTheirs(t, c.want(c.do("GET", "/api/me/training", nil), 200))
		},
		"POST /api/me/training/{courseId}/start": func(t *testing.T, c *client) {
			for _, id := range s.theirs.CourseIDs {
				asIfNone(t, c, "POST", "/api/me/training/"+id+"/start", nil)
			}
		},
		"POST /api/me/training/{courseId}/complete": func(t *testing.T, c *client) {
			for _, id := range s.theirs.CourseIDs {
				asIfNone(t, c, "POST", "/api/me/training/"+id+"/complete", nil)
			}
		},
		"GET /api/organization": func(t *testing.T, c *client) { noneOfTheirs(t, c.want(c.do("GET", "/api/organization", nil), 200)) },
		"GET /api/organization/registration": func(t *testing.T, c *client) {
			noneOfTheirs(t, c.want(c.do("GET", "/api/organization/registration", nil), 200))
		},
		"PUT /api/organization/registration": func(t *testing.T, c *client) {
			noneOfTheirs(t, c.want(c.do("PUT", "/api/organization/registration", map[string]any{"enabled": true, "renew": true}), 200))
		},
		"GET /api/users": func(t *testing.T, c *client) {
			for _, q := range []string{"", "?q=eve", "?q=other", "?archived=include", "?group=" + s.theirs.GroupIDs[0], "?location=" + s.theirs.LocationIDs[0], "?role=owner", "?status=active"} {
				noneOfTheirs(t, c.want(c.do("GET", "/api/users"+q, nil), 200))
			}
		},
		"POST /api/users": func(t *testing.T, c *client) {
			c.wantError(c.do("POST", "/api/users", map[string]any{"firstName": "A", "lastName": "B", "email": "ab@mine.example", "groupIds": []string{s.theirs.GroupIDs[0]}}), 422, "groupIds")
			c.wantError(c.do("POST", "/api/users", map[string]any{"firstName": "A", "lastName": "B", "email": "ab@mine.example", "locationId": s.theirs.LocationIDs[0]}), 422, "locationId")
		},
		"GET /api/users/{id}": func(t *testing.T, c *client) {
			for _, id := range theirUsers {
				asIfNone(t, c, "GET", "/api/users/"+id, nil)
			}
		},
		"PATCH /api/users/{id}": func(t *testing.T, c *client) {
			for _, id := range theirUsers {
				asIfNone(t, c, "PATCH", "/api/users/"+id, map[string]any{"version": 1, "firstName": "Owned"})
			}
		},
		"GET /api/users/{id}/audit": func(t *testing.T, c *client) {
			for _, id := range theirUsers {
				r := c.want(c.do("GET", "/api/users/"+id+"/audit", nil), 200)
				noneOfTheirs(t, r)
				if items := r.json(t)["items"].([]any); len(items) != 0 {
					t.Errorf("another organization's user's history shows %d entries", len(items))
				}
			}
		},
		"GET /api/audit": func(t *testing.T, c *client) {
			for _, q := range []string{"", "?user=" + eve.ID, "?actor=" + s.theirs.Owner.ID, "?action=user.created"} {
				noneOfTheirs(t, c.want(c.do("GET", "/api/audit"+q, nil), 200))
			}
		},
		"GET /api/groups":    func(t *testing.T, c *client) { noneOfTheirs(t, c.want(c.do("GET", "/api/groups", nil), 200)) },
		"GET /api/locations": func(t *testing.T, c *client) { noneOfTheirs(t, c.want(c.do("GET", "/api/locations", nil), 200)) },
		"POST /api/groups": func(t *testing.T, c *client) {
			// A name taken in their organization is free in mine.
			noneOfTheirs(t, c.want(c.do("POST", "/api/groups", map[string]string{"name": "Day shift 2"}), 201))
		},
		"POST /api/locations": func(t *testing.T, c *client) {
			noneOfTheirs(t, c.want(c.do("POST", "/api/locations", map[string]string{"name": "Leeds 2"}), 201))
		},
		"PATCH /api/groups/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "PATCH", "/api/groups/"+s.theirs.GroupIDs[0], map[string]any{"version": 1, "name": "Mine now"})
		},
		"DELETE /api/groups/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "DELETE", "/api/groups/"+s.theirs.GroupIDs[0]+"?version=1&expectedMembers=1", nil)
		},
		"PATCH /api/locations/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "PATCH", "/api/locations/"+s.theirs.LocationIDs[0], map[string]any{"version": 1, "name": "Mine now"})
		},
		"DELETE /api/locations/{id}": func(t *testing.T, c *client) {
			asIfNone(t, c, "DELETE", "/api/locations/"+s.theirs.LocationIDs[0]+"?version=1&expectedMembers=1", nil)
		},
	}
	for action, params := range actionParams {
		probes["POST /api/users/actions/"+action] = func(t *testing.T, c *client) {
			path := "/api/users/actions/" + action
			body := map[string]any{"userIds": theirUsers}
			for k, v := range params {
				body[k] = v
			}
			allNoSuchUser(t, c.want(c.do("POST", path, body), 200))
			if their, ok := theirParams[action]; ok {
				body := map[string]any{"userIds": theirUsers}
				for k, v := range their.params {
					body[k] = v
				}
				if r := c.do("POST", path, body); their.field != "" {
					c.wantError(r, 422, their.field)
				} else {
					allNoSuchUser(t, c.want(r, 200))
				}
			}
			// A filter naming their group selects none of their users.
			body = map[string]any{"filter": map[string]any{"group": s.theirs.GroupIDs[0]}, "expectedCount": 1}
			for k, v := range params {
				body[k] = v
			}
			// It matches nobody in mine, as a group that does not exist:
			// the count the administrator saw (1) is refused with 0.
			r := c.do("POST", path, body)
			c.wantError(r, 409, "expectedCount")
			if msg := errorMessage(t, r); !strings.HasPrefix(msg, "the filter now matches 0 users, not 1") {
				t.Errorf("message %q, want the filter to match 0 users", msg)
			}
		}
	}

	before := s.snapshot(t, s.theirs)
	for _, rt := range httpapi.Routes {
		t.Run(rt.Pattern(), func(t *testing.T) {
			probe, ok := probes[rt.Pattern()]
			if !ok {
				t.Fatalf("add %s to the tenancy walk (shared/httpapi/tenancy_test.go)", rt.Pattern())
			}
			probe(t, s.signIn(t, s.mine).on(t))
		})
	}
	for pattern := range probes {
		if !slices.ContainsFunc(httpapi.Routes, func(rt httpapi.Route) bool { return rt.Pattern() == pattern }) {
			t.Errorf("the tenancy walk probes %s, which is no route", pattern)
		}
	}
	s.settle(t)
	s.wantUnchanged(t, s.theirs, before, "the tenancy walk")
	if u, _ := s.app.Store.GetUser(ctx, s.theirs.Organization.ID, eve.ID); u.FirstName != "Eve" || u.Version != 2 { // 2: assigned a course above
		t.Errorf("their user changed: %+v", u)
	}
}
