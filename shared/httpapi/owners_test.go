package httpapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// outcome returns the outcome and reason of a one-user action's answer.
func outcome(t *testing.T, r response) (string, string) {
	t.Helper()
	res := r.json(t)["results"].([]any)[0].(map[string]any)
	reason, _ := res["reason"].(string)
	return res["outcome"].(string), reason
}

const lastOwnerReason = "the organization's last owner with access must stay one: make another owner first"

func TestAPI_Owners(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	top := t
	olive := s.signIn(t, s.mine)
	ann := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "ann@mine.example", Role: roster.RoleAdmin}, "admin password")
	lee := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Lee", LastName: "Learner", Email: "lee@mine.example"}, "")
	admin, _ := s.signInAs(t, "ann@mine.example", "admin password")
	userOf := func(id string) *roster.User {
		u, err := s.app.Store.GetUser(ctx, s.mine.Organization.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	t.Run("admins cannot give or take owner or admin", func(t *testing.T) {
		c := admin.on(t)
		r := c.do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{lee.ID}, "role": "owner"})
		c.wantError(r, 403, "")
		if msg := r.json(t)["error"].(map[string]any)["message"]; msg != "this needs an owner" {
			t.Errorf("message = %q", msg)
		}
		c.wantError(c.do("PATCH", "/api/users/"+lee.ID, map[string]any{"version": 1, "role": "owner"}), 403, "")
		c.wantError(c.do("PATCH", "/api/users/"+lee.ID, map[string]any{"version": 1, "role": "admin"}), 403, "")
		c.wantError(c.do("POST", "/api/users", map[string]any{"firstName": "New", "lastName": "Owner", "email": "new.owner@mine.example", "role": "owner"}), 403, "")
		c.wantError(c.do("POST", "/api/users/actions/delete", map[string]any{"userIds": []string{lee.ID}, "confirmation": "delete 1 user"}), 403, "")
		if u := userOf(lee.ID); u.Role != roster.RoleLearner || u.Version != 1 {
			t.Errorf("an admin changed a learner's role: %+v", u)
		}
		if _, err := s.app.Store.FindUserByLogin(ctx, s.mine.Organization.ID, "new.owner@mine.example"); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("an admin added an owner: %v", err)
		}
	})

	t.Run("owners give and take owner", func(t *testing.T) {
		c := olive.on(t)
		if o, r := outcome(t, c.want(c.do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{ann.ID}, "role": "owner"}), 200)); o != "done" {
			t.Fatalf("making Ann an owner: %s %s", o, r)
		}
		// Ann, an owner now, manages owners too: she makes Olive an admin.
		annC, _ := s.signInAs(t, "ann@mine.example", "admin password")
		annC = annC.on(t)
		if o, r := outcome(t, annC.want(annC.do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{s.mine.Owner.ID}, "role": "admin"}), 200)); o != "done" {
			t.Fatalf("Ann demoting Olive: %s %s", o, r)
		}
		// Olive's owner session ended with her role; signed in again, she has an admin's rights.
		c.wantError(c.do("GET", "/api/users", nil), 401, "")
		olive = s.signIn(top, s.mine)
		c = olive.on(t)
		c.wantError(c.do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{ann.ID}, "role": "admin"}), 403, "")
		if o, r := outcome(t, annC.want(annC.do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{s.mine.Owner.ID}, "role": "owner"}), 200)); o != "done" {
			t.Fatalf("Ann making Olive an owner again: %s %s", o, r)
		}
	})

	t.Run("the last owner with access stays", func(t *testing.T) {
		// Otto is an owner whose access ends: he does not hold the organization.
		soon := time.Now().Add(24 * time.Hour)
		s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Otto", LastName: "Temp", Email: "otto@mine.example", Role: roster.RoleOwner, ExpiresAt: &soon}, "otto password")
		otto, _ := s.signInAs(t, "otto@mine.example", "otto password")
		otto = otto.on(t)
		olive.on(t).want(olive.on(t).do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{ann.ID}, "role": "admin"}), 200)
		if userOf(ann.ID).Role != roster.RoleAdmin {
			t.Fatal("Ann is still an owner")
		}
		before := userOf(s.mine.Owner.ID)
		only := map[string]any{"userIds": []string{s.mine.Owner.ID}}
		for _, tt := range []struct {
			path string
			body map[string]any
		}{
			{"/api/users/actions/set-role", map[string]any{"role": "admin"}},
			{"/api/users/actions/deactivate", nil},
			{"/api/users/actions/archive", nil},
			{"/api/users/actions/set-expiration", map[string]any{"expiresAt": "2031-01-01"}},
			{"/api/users/actions/delete", map[string]any{"confirmation": "delete 1 user"}},
		} {
			body := map[string]any{}
			for k, v := range only {
				body[k] = v
			}
			for k, v := range tt.body {
				body[k] = v
			}
			if o, r := outcome(t, otto.want(otto.do("POST", tt.path, body), 200)); o != "skipped" || r != lastOwnerReason {
				t.Errorf("%s on the last owner = %s %q, want skipped: %s", tt.path, o, r, lastOwnerReason)
			}
		}
		r := otto.do("PATCH", "/api/users/"+s.mine.Owner.ID, map[string]any{"version": userOf(s.mine.Owner.ID).Version, "expiresAt": "2031-01-01"})
		otto.wantError(r, 409, "")
		if msg := r.json(t)["error"].(map[string]any)["message"]; msg != lastOwnerReason {
			t.Errorf("PATCH message = %q", msg)
		}
		after := userOf(s.mine.Owner.ID)
		if !after.HoldsOwnership() || after.Role != before.Role || after.ExpiresAt != nil {
			t.Errorf("the last owner changed: %+v", after)
		}
	})

	t.Run("two owners demoting each other at once", func(t *testing.T) {
		s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Oona", LastName: "Owner", Email: "oona@mine.example", Role: roster.RoleOwner}, "oona password")
		oona, _ := s.signInAs(t, "oona@mine.example", "oona password")
		oonaUser, _ := s.app.Store.FindUserByLogin(ctx, s.mine.Organization.ID, "oona@mine.example")
		var wg sync.WaitGroup
		outcomes := make([]string, 2)
		for i, tt := range []struct {
			c      *client
			target string
		}{{olive, oonaUser.ID}, {oona, s.mine.Owner.ID}} {
			wg.Go(func() {
				r := tt.c.do("POST", "/api/users/actions/set-role", map[string]any{"userIds": []string{tt.target}, "role": "learner"})
				if r.status == 200 {
					o, reason := outcome(t, r)
					outcomes[i] = o + ": " + reason
				} else {
					outcomes[i] = string(r.body) // a session ended by the other's demotion: 401
				}
			})
		}
		wg.Wait()
		holding := 0
		for _, id := range []string{s.mine.Owner.ID, oonaUser.ID} {
			if userOf(id).HoldsOwnership() {
				holding++
			}
		}
		if holding != 1 {
			t.Errorf("owners left = %d, want 1; outcomes %q", holding, outcomes)
		}
	})
}
