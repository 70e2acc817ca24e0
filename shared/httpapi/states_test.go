package httpapi_test

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// TestAPI_ArchiveAndUnarchiveEveryStatus archives and unarchives a user in
// each status through the API and the real store: each comes back as it was
// (docs/states.md, "Archived and back"), found again under its status.
func TestAPI_ArchiveAndUnarchiveEveryStatus(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	past, accessed, later := time.Now().UTC().Add(-time.Hour), time.Now().UTC().Add(-48*time.Hour), time.Now().UTC().Add(30*24*time.Hour)
	users := []struct {
		status string
		user   roster.User
	}{
		{"pending", roster.User{State: roster.StatePending}},
		{"activated", roster.User{State: roster.StateActivated, ApprovedAt: &past, ExpiresAt: &later}},
		{"active", roster.User{State: roster.StateActive, ApprovedAt: &past, LastAccessAt: &accessed}},
		{"deactivated", roster.User{State: roster.StateDeactivated, ApprovedAt: &past, LastAccessAt: &accessed}},
		{"expired", roster.User{State: roster.StateActive, ApprovedAt: &past, ExpiresAt: &past}},
	}
	ids := make([]string, len(users))
	for i, u := range users {
		u.user.FirstName, u.user.LastName = u.status, "Roundtrip"
		u.user.Email = u.status + "@mine.example"
		u.user.GroupIDs, u.user.LocationID = []string{s.mine.GroupIDs[0]}, s.mine.LocationIDs[0]
		ids[i] = s.mine.AddUser(t, s.app.Store, &u.user, "").ID
	}
	// Courses come the way they do for real, with their enrollments and seats.
	assign := map[string]any{"userIds": ids, "courseIds": []string{s.mine.CourseIDs[1]}, "dueAt": later.Format(time.RFC3339), "whenShort": "none"}
	if res := c.want(c.do("POST", "/api/users/actions/assign-courses", assign), 200).json(t); res["done"] != float64(len(ids)) {
		t.Fatalf("assign-courses = %s, want all %d done", res, len(ids))
	}
	s.settle(t)

	// listed returns the ids of the users the query lists, in order.
	listed := func(t *testing.T, query url.Values) []string {
		t.Helper()
		query.Set("q", "Roundtrip")
		var out []string
		for _, it := range c.on(t).want(c.on(t).do("GET", "/api/users?"+query.Encode(), nil), 200).json(t)["items"].([]any) {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out
	}
	// comparable is a user as the API shows them, less what every write changes.
	comparable := func(u map[string]any) map[string]any {
		delete(u, "version")
		delete(u, "updatedAt")
		return u
	}
	before := make([]map[string]any, len(users))
	for i, u := range users {
		before[i] = comparable(c.want(c.do("GET", "/api/users/"+ids[i], nil), 200).json(t))
		if before[i]["status"] != u.status {
			t.Fatalf("the %s user shows status %v before archiving", u.status, before[i]["status"])
		}
	}
	counts := c.want(c.do("GET", "/api/organization", nil), 200).json(t)
	// seats reads the course's pool: archiving gives the seats back, unarchiving takes them again.
	seats := func() string {
		course := c.want(c.do("GET", "/api/courses/"+s.mine.CourseIDs[1], nil), 200).json(t)
		return fmt.Sprintf("%v reserved, %v free", course["reserved"], course["free"])
	}
	seatsBefore := seats()
	if want := fmt.Sprintf("%d reserved, %d free", len(ids), 50-len(ids)); seatsBefore != want {
		t.Fatalf("seats after assigning = %s, want %s", seatsBefore, want)
	}

	res := c.want(c.do("POST", "/api/users/actions/archive", map[string]any{"userIds": ids}), 200).json(t)
	if res["done"] != float64(len(ids)) {
		t.Fatalf("archive = %s, want all %d done", res, len(ids))
	}
	s.settle(t)
	for i, u := range users {
		if got := c.want(c.do("GET", "/api/users/"+ids[i], nil), 200).json(t)["status"]; got != "archived" {
			t.Errorf("the %s user shows status %v once archived, want archived", u.status, got)
		}
		if got := listed(t, url.Values{"status": {u.status}}); len(got) != 0 {
			t.Errorf("status=%s lists %v once all are archived, want nobody", u.status, got)
		}
	}
	if got := listed(t, url.Values{"archived": {"only"}}); len(got) != len(ids) {
		t.Errorf("archived=only lists %d users, want %d", len(got), len(ids))
	}
	if got, want := seats(), "0 reserved, 50 free"; got != want {
		t.Errorf("seats once archived = %s, want %s", got, want)
	}

	res = c.want(c.do("POST", "/api/users/actions/unarchive", map[string]any{"userIds": ids}), 200).json(t)
	if res["done"] != float64(len(ids)) {
		t.Fatalf("unarchive = %s, want all %d done", res, len(ids))
	}
	for _, r := range res["results"].([]any) {
		if reason := r.(map[string]any)["reason"]; reason != nil && reason != "" {
			t.Errorf("unarchive result %v: want done with nothing to say", r)
		}
	}
	s.settle(t)
	for i, u := range users {
		t.Run(u.status, func(t *testing.T) {
			after := comparable(c.on(t).want(c.on(t).do("GET", "/api/users/"+ids[i], nil), 200).json(t))
			if !reflect.DeepEqual(after, before[i]) {
				t.Errorf("unarchived:\n%v\nwant as before archiving:\n%v", after, before[i])
			}
			if got := listed(t, url.Values{"status": {u.status}}); !slices.Equal(got, ids[i:i+1]) {
				t.Errorf("status=%s lists %v once unarchived, want only the %s user %s", u.status, got, u.status, ids[i])
			}
		})
	}
	if got := seats(); got != seatsBefore {
		t.Errorf("seats once unarchived = %s, want %s as before archiving", got, seatsBefore)
	}
	if got := c.want(c.do("GET", "/api/organization", nil), 200).json(t); fmt.Sprint(got["activeCount"], got["archivedCount"]) != fmt.Sprint(counts["activeCount"], counts["archivedCount"]) {
		t.Errorf("organization counts = %v active, %v archived; want %v, %v as before archiving", got["activeCount"], got["archivedCount"], counts["activeCount"], counts["archivedCount"])
	}
}
