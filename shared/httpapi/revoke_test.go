// Tests of what a write of a user takes back: the sessions opened before a
// loss of access, and the links sent before the email address or password
// changed. Every address here is its own: moto keeps the package's emails.

package httpapi_test

import (
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// learnerSignedIn adds a learner with a password and returns them with a
// client signed in as them, whose session works.
func (s *server) learnerSignedIn(t *testing.T, email string) (*roster.User, *client) {
	t.Helper()
	u := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lee", LastName: "Learner", Email: email}, "lee's password")
	c, _ := s.signInAs(t, email, "lee's password")
	c.want(c.do("GET", "/api/me", nil), 200)
	return u, c
}

// version reads a user's version, for a PATCH.
func (c *client) version(id string) float64 {
	c.t.Helper()
	return c.want(c.do("GET", "/api/users/"+id, nil), 200).json(c.t)["version"].(float64)
}

// action runs a lifecycle action on one user and wants it done.
func (c *client) action(name, id string, params map[string]any) {
	c.t.Helper()
	body := map[string]any{"userIds": []string{id}}
	for k, v := range params {
		body[k] = v
	}
	if res := c.want(c.do("POST", "/api/users/actions/"+name, body), 200).json(c.t); res["done"] != 1.0 {
		c.t.Fatalf("%s: %v, want done", name, res)
	}
}

func TestAPI_LostAccessStaysLost(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	for _, tt := range []struct {
		name         string
		lose, regain func(owner *client, id string)
	}{
		{"deactivate, activate",
			func(o *client, id string) { o.action("deactivate", id, nil) },
			func(o *client, id string) { o.action("activate", id, nil) }},
		{"archive, unarchive",
			func(o *client, id string) { o.action("archive", id, nil) },
			func(o *client, id string) { o.action("unarchive", id, nil) }},
		{"expiration date in the past, then cleared",
			func(o *client, id string) {
				o.want(o.do("PATCH", "/api/users/"+id, map[string]any{"version": o.version(id), "expiresAt": time.Now().Add(-time.Hour)}), 200)
			},
			func(o *client, id string) {
				o.want(o.do("PATCH", "/api/users/"+id, map[string]any{"version": o.version(id), "expiresAt": nil}), 200)
			}},
		{"expiration date set in the past by action, then moved on",
			func(o *client, id string) {
				o.action("set-expiration", id, map[string]any{"expiresAt": time.Now().Add(-time.Hour)})
			},
			func(o *client, id string) {
				o.action("set-expiration", id, map[string]any{"expiresAt": time.Now().Add(24 * time.Hour)})
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := owner.on(t)
			email := strings.NewReplacer(" ", "-", ",", "").Replace(tt.name) + "@lost.example"
			u, old := s.learnerSignedIn(t, email)
			old = old.on(t)
			tt.lose(o, u.ID)
			old.wantError(old.do("GET", "/api/me", nil), 401, "")
			tt.regain(o, u.ID)
			old.wantError(old.do("GET", "/api/me", nil), 401, "")
			old.wantError(old.do("GET", "/api/me", nil), 401, "") // and stays ended
			again, _ := s.signInAs(t, email, "lee's password")
			again.on(t).want(again.do("GET", "/api/me", nil), 200)
		})
	}

	t.Run("an expiration date that passed with no write, then moved on", func(t *testing.T) {
		o := owner.on(t)
		u, old := s.learnerSignedIn(t, "passed@lost.example")
		old = old.on(t)
		o.action("set-expiration", u.ID, map[string]any{"expiresAt": time.Now().Add(time.Hour)})
		old.want(old.do("GET", "/api/me", nil), 200) // not expired yet
		later := time.Now().Add(2 * time.Hour)
		s.app.Service.Now = func() time.Time { return later }
		defer func() { s.app.Service.Now = time.Now }()
		old.wantError(old.do("GET", "/api/me", nil), 401, "")
		o.action("set-expiration", u.ID, map[string]any{"expiresAt": later.Add(24 * time.Hour)})
		old.wantError(old.do("GET", "/api/me", nil), 401, "")
		again, _ := s.signInAs(t, "passed@lost.example", "lee's password")
		again.on(t).want(again.do("GET", "/api/me", nil), 200)
	})

	t.Run("an owner made admin keeps no owner session", func(t *testing.T) {
		o := owner.on(t)
		other := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Olga", LastName: "Owner", Email: "olga@lost.example", Role: roster.RoleOwner}, "olga's password")
		old, _ := s.signInAs(t, "olga@lost.example", "olga's password")
		old = old.on(t)
		old.want(old.do("GET", "/api/organization/registration", nil), 200)
		o.want(o.do("PATCH", "/api/users/"+other.ID, map[string]any{"version": o.version(other.ID), "role": "admin"}), 200)
		old.wantError(old.do("GET", "/api/users", nil), 401, "")
		again, me := s.signInAs(t, "olga@lost.example", "olga's password")
		if role := me["user"].(map[string]any)["role"]; role != "admin" {
			t.Errorf("signed in again as %v, want admin", role)
		}
		again.on(t).want(again.do("GET", "/api/users", nil), 200)
	})

	t.Run("an admin made learner keeps no admin session", func(t *testing.T) {
		o := owner.on(t)
		admin := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Adam", LastName: "Admin", Email: "adam@lost.example", Role: roster.RoleAdmin}, "adam's password")
		old, _ := s.signInAs(t, "adam@lost.example", "adam's password")
		old = old.on(t)
		old.want(old.do("GET", "/api/users", nil), 200)
		o.action("set-role", admin.ID, map[string]any{"role": "learner"})
		old.wantError(old.do("GET", "/api/users", nil), 401, "")
		old.wantError(old.do("GET", "/api/me", nil), 401, "")
	})

	t.Run("a background job", func(t *testing.T) {
		o := owner.on(t)
		s.app.Service.JobThreshold = 1
		defer func() { s.app.Service.JobThreshold = 0 }()
		group := o.want(o.do("POST", "/api/groups", map[string]any{"name": "Lost access job"}), 201).json(t)["id"].(string)
		var olds []*client
		for _, email := range []string{"job-one@lost.example", "job-two@lost.example"} {
			s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Jo", LastName: "Job", Email: email, GroupIDs: []string{group}}, "jo's password")
			c, _ := s.signInAs(t, email, "jo's password")
			olds = append(olds, c.on(t))
		}
		s.settle(t)
		for _, a := range []struct{ action, archived string }{{"archive", "exclude"}, {"unarchive", "only"}} {
			started := o.want(o.do("POST", "/api/users/actions/"+a.action, map[string]any{"filter": map[string]any{"group": group, "archived": a.archived}, "expectedCount": 2}), 202).json(t)
			s.runJobs(t)
			id := started["job"].(map[string]any)["id"].(string)
			if job := o.want(o.do("GET", "/api/jobs/"+id, nil), 200).json(t); job["done"] != 2.0 {
				t.Fatalf("%s job = %v, want 2 done", a.action, job)
			}
			for _, old := range olds {
				old.wantError(old.do("GET", "/api/me", nil), 401, "")
			}
		}
		again, _ := s.signInAs(t, "job-one@lost.example", "jo's password")
		again.on(t).want(again.do("GET", "/api/me", nil), 200)
	})

	t.Run("an import", func(t *testing.T) {
		o := owner.on(t)
		_, old := s.learnerSignedIn(t, "imported@lost.example")
		old = old.on(t)
		for _, active := range []string{"No", "Yes"} {
			content := "First name,Last name,Email,Active\nLee,Learner,imported@lost.example," + active + "\n"
			started := o.want(o.do("POST", "/api/imports", map[string]any{"fileName": "access.csv", "size": len(content)}), 201).json(t)
			putFile(t, started["upload"].(map[string]any), strings.NewReader(content), int64(len(content)))
			path := "/api/imports/" + started["import"].(map[string]any)["id"].(string)
			preview := o.want(o.do("POST", path+"/validate", map[string]any{"mode": "update"}), 200).json(t)
			o.want(o.do("POST", path+"/apply", map[string]any{"mode": "update", "expectedCounts": preview["counts"]}), 202)
			s.runJobs(t)
			old.wantError(old.do("GET", "/api/me", nil), 401, "")
		}
		again, _ := s.signInAs(t, "imported@lost.example", "lee's password")
		again.on(t).want(again.do("GET", "/api/me", nil), 200)
	})

	t.Run("deleted, then added again with the same email", func(t *testing.T) {
		o := owner.on(t)
		u, old := s.learnerSignedIn(t, "deleted@lost.example")
		old = old.on(t)
		o.want(o.do("POST", "/api/users/actions/delete", map[string]any{"userIds": []string{u.ID}, "confirmation": "delete 1 user"}), 200)
		old.wantError(old.do("GET", "/api/me", nil), 401, "")
		back := o.want(o.do("POST", "/api/users", map[string]any{"firstName": "Lee", "lastName": "Learner", "email": "deleted@lost.example", "approve": true}), 201).json(t)
		if back["id"] == u.ID {
			t.Fatalf("added again under the deleted user's id %s", u.ID)
		}
		old.wantError(old.do("GET", "/api/me", nil), 401, "")
	})
}

func TestAPI_LinksFollowTheAddress(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	anon := s.client(t)
	retired := func(t *testing.T, token, password string) {
		t.Helper()
		r := anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "no longer valid") || !strings.Contains(msg, "email address or password changed") {
			t.Errorf("check: message = %q", msg)
		}
		r = anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": token, "password": password}), 410)
		if msg := errorMessage(t, r); !strings.Contains(msg, "no longer valid") {
			t.Errorf("redeem: message = %q", msg)
		}
	}

	t.Run("an invitation to a mistyped address, corrected by PATCH", func(t *testing.T) {
		o := owner.on(t)
		u := o.want(o.do("POST", "/api/users", map[string]any{"firstName": "Ty", "lastName": "Typo", "email": "ty@mine.exmaple", "approve": true, "notify": true}), 201).json(t)
		id := u["id"].(string)
		token, n := s.emailedLink(t, "ty@mine.exmaple", "invitation")
		if n != 1 {
			t.Fatalf("%d invitations, want 1", n)
		}
		anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 200)
		o.want(o.do("PATCH", "/api/users/"+id, map[string]any{"version": o.version(id), "email": "ty@mine.example"}), 200)
		retired(t, token, "the stranger's password")
		s.client(t).wantError(s.client(t).do("POST", "/api/auth/login", map[string]string{"org": "mine", "login": "ty@mine.example", "password": "the stranger's password"}), 401, "")

		o.action("notify", id, nil)
		fresh, _ := s.emailedLink(t, "ty@mine.example", "invitation")
		anon.on(t).want(anon.do("POST", "/api/auth/links/redeem", map[string]string{"token": fresh, "password": "ty's own password"}), 200)
	})

	t.Run("a reset link, then a new password", func(t *testing.T) {
		o := owner.on(t)
		u := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Rita", LastName: "Reset", Email: "rita@links.example"}, "rita's password")
		o.want(o.do("POST", "/api/users/"+u.ID+"/password-reset", nil), 202)
		token, n := s.emailedLink(t, "rita@links.example", "reset-password")
		if n != 1 {
			t.Fatalf("%d reset emails, want 1", n)
		}
		anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 200)
		rita, _ := s.signInAs(t, "rita@links.example", "rita's password")
		rita.on(t).want(rita.do("POST", "/api/me/password", map[string]string{"currentPassword": "rita's password", "newPassword": "rita's new password"}), 200)
		retired(t, token, "someone else's password")
		s.signInAs(t, "rita@links.example", "rita's new password")
	})

	t.Run("a reset link, then a one-time password", func(t *testing.T) {
		o := owner.on(t)
		u := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Otto", LastName: "Once", Email: "otto@links.example"}, "otto's password")
		o.want(o.do("POST", "/api/users/"+u.ID+"/password-reset", nil), 202)
		token, _ := s.emailedLink(t, "otto@links.example", "reset-password")
		o.want(o.do("POST", "/api/users/"+u.ID+"/one-time-password", nil), 200)
		retired(t, token, "someone else's password")
	})

	t.Run("an invitation, then the email changed by an import", func(t *testing.T) {
		o := owner.on(t)
		u := o.want(o.do("POST", "/api/users", map[string]any{"firstName": "Ivo", "lastName": "Imported", "userId": "ivo-1", "email": "ivo@old.example", "approve": true, "notify": true}), 201).json(t)
		token, _ := s.emailedLink(t, "ivo@old.example", "invitation")
		content := "First name,Last name,User ID,Email\nIvo,Imported,ivo-1,ivo@new.example\n"
		started := o.want(o.do("POST", "/api/imports", map[string]any{"fileName": "emails.csv", "size": len(content)}), 201).json(t)
		putFile(t, started["upload"].(map[string]any), strings.NewReader(content), int64(len(content)))
		path := "/api/imports/" + started["import"].(map[string]any)["id"].(string)
		preview := o.want(o.do("POST", path+"/validate", map[string]any{"mode": "update"}), 200).json(t)
		o.want(o.do("POST", path+"/apply", map[string]any{"mode": "update", "expectedCounts": preview["counts"]}), 202)
		s.runJobs(t)
		if got := o.want(o.do("GET", "/api/users/"+u["id"].(string), nil), 200).json(t)["email"]; got != "ivo@new.example" {
			t.Fatalf("email = %v, want the file's", got)
		}
		retired(t, token, "the stranger's password")
	})

	t.Run("an unrelated edit keeps the link", func(t *testing.T) {
		o := owner.on(t)
		u := o.want(o.do("POST", "/api/users", map[string]any{"firstName": "Kit", "lastName": "Kept", "email": "kit@links.example", "approve": true, "notify": true}), 201).json(t)
		id := u["id"].(string)
		token, _ := s.emailedLink(t, "kit@links.example", "invitation")
		o.want(o.do("PATCH", "/api/users/"+id, map[string]any{"version": o.version(id), "lastName": "Kept-Too", "email": "Kit@links.example"}), 200)
		anon.on(t).want(anon.do("POST", "/api/auth/links/check", map[string]string{"token": token}), 200)
	})
}
