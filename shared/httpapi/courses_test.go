package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

// reserve holds seats on a course as an assignment will.
func (s *server) reserve(t *testing.T, orgID, courseID string, n int) {
	t.Helper()
	m := training.SeatMove{ID: roster.NewRandomID(), Count: n, Cause: "Assigned", At: time.Now()}
	if err := s.app.Store.ReserveSeats(context.Background(), orgID, courseID, m); err != nil {
		t.Fatal(err)
	}
}

func TestAPI_Courses(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	course := c.want(c.do("POST", "/api/courses", map[string]any{"name": " Food  Hygiene ", "retakeMonths": 36, "seats": 20}), 201).json(t)
	id := course["id"].(string)
	if course["name"] != "Food Hygiene" || course["seats"] != 20.0 || course["free"] != 20.0 || course["reserved"] != 0.0 || course["retakeMonths"] != 36.0 || course["version"] != 1.0 {
		t.Errorf("created course = %v", course)
	}
	unlimited := c.want(c.do("POST", "/api/courses", map[string]any{"name": "Allergen awareness", "retakeMonths": nil}), 201).json(t)
	if unlimited["seats"] != nil || unlimited["free"] != nil || unlimited["retakeMonths"] != nil {
		t.Errorf("unlimited course = %v, want seats, free and retakeMonths null", unlimited)
	}

	t.Run("bad input changes nothing", func(t *testing.T) {
		c := c.on(t)
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": "food hygiene"}), 409, "name")
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": ""}), 422, "name")
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": "Forklift", "seats": -1}), 422, "seats")
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": "Forklift", "retakeMonths": 121}), 422, "retakeMonths")
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": "Forklift", "seats": "ten"}), 400, "seats")
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": "Forklift", "pool": 3}), 400, "pool")
		c.wantError(c.do("PATCH", "/api/courses/"+id, map[string]any{"seats": 5}), 422, "version")
		c.wantError(c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 1, "seats": 5, "colour": "red"}), 400, "colour")
		c.wantError(c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 1, "retired": nil}), 422, "retired")
		c.wantError(c.do("PATCH", "/api/courses/nosuchcourse", map[string]any{"version": 1, "seats": 5}), 404, "")
		c.wantError(c.do("GET", "/api/courses?retired=all", nil), 422, "retired")
		c.wantError(c.do("GET", "/api/courses/"+id+"/ledger?limit=101", nil), 422, "limit")
		c.wantError(c.do("GET", "/api/courses/"+id+"/ledger?cursor=bm9wZQ", nil), 400, "cursor")
		got := c.want(c.do("GET", "/api/courses/"+id, nil), 200).json(t)
		if got["version"] != 1.0 || got["seats"] != 20.0 {
			t.Errorf("course after refusals = %v", got)
		}
		list := c.want(c.do("GET", "/api/courses", nil), 200).json(t)["items"].([]any)
		if len(list) != 4 {
			t.Errorf("courses = %v, want the two created and the fixture's two", list)
		}
	})

	t.Run("seats never below reserved and used", func(t *testing.T) {
		c := c.on(t)
		s.reserve(t, s.mine.Organization.ID, id, 12)
		r := c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 1, "seats": 11})
		c.wantError(r, 422, "seats")
		if msg := r.json(t)["error"].(map[string]any)["message"]; msg != "12 seats are reserved or used: the pool needs at least 12" {
			t.Errorf("message = %q", msg)
		}
		got := c.want(c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 1, "seats": 12, "name": "Food Hygiene L2", "retakeMonths": nil}), 200).json(t)
		if got["seats"] != 12.0 || got["free"] != 0.0 || got["reserved"] != 12.0 || got["version"] != 2.0 || got["name"] != "Food Hygiene L2" || got["retakeMonths"] != nil {
			t.Errorf("after edit = %v", got)
		}
	})

	t.Run("retire and restore", func(t *testing.T) {
		c := c.on(t)
		got := c.want(c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 2, "retired": true}), 200).json(t)
		if got["retiredAt"] == nil || got["version"] != 3.0 {
			t.Fatalf("retired = %v", got)
		}
		c.wantError(c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 3, "seats": 30}), 422, "retired")
		c.wantError(c.do("POST", "/api/courses", map[string]any{"name": "food hygiene l2"}), 409, "name")
		for q, want := range map[string]int{"": 3, "?retired=include": 4, "?retired=only": 1} {
			if got := len(c.want(c.do("GET", "/api/courses"+q, nil), 200).json(t)["items"].([]any)); got != want {
				t.Errorf("GET /api/courses%s: %d courses, want %d", q, got, want)
			}
		}
		got = c.want(c.do("PATCH", "/api/courses/"+id, map[string]any{"version": 3, "retired": false, "seats": nil}), 200).json(t)
		if got["retiredAt"] != nil || got["seats"] != nil || got["free"] != nil || got["reserved"] != 12.0 {
			t.Errorf("restored = %v", got)
		}
	})

	t.Run("ledger", func(t *testing.T) {
		c := c.on(t)
		var causes []string
		cursor := ""
		for {
			page := c.want(c.do("GET", "/api/courses/"+id+"/ledger?limit=2"+cursor, nil), 200).json(t)
			for _, it := range page["items"].([]any) {
				e := it.(map[string]any)
				causes = append(causes, fmt.Sprintf("%s %v: %s", e["kind"], e["count"], e["cause"]))
				if e["kind"] != "reserved" && e["actor"].(map[string]any)["name"] != "Olive Owner" {
					t.Errorf("entry %v does not name the owner", e)
				}
			}
			next, _ := page["nextCursor"].(string)
			if next == "" {
				break
			}
			cursor = "&cursor=" + next
		}
		want := "unlimited 0: Pool made unlimited (it had 12 seats) | bought -8: 8 seats taken off (20 to 12) | reserved 12: Assigned | bought 20: Course created with 20 seats"
		if got := strings.Join(causes, " | "); got != want {
			t.Errorf("ledger = %s, want %s", got, want)
		}
	})

	t.Run("other organizations' courses are not found", func(t *testing.T) {
		theirs := s.signIn(t, s.theirs)
		theirs.wantError(theirs.do("GET", "/api/courses/"+id, nil), 404, "")
		theirs.wantError(theirs.do("PATCH", "/api/courses/"+id, map[string]any{"version": 4, "name": "Owned"}), 404, "")
		theirs.wantError(theirs.do("GET", "/api/courses/"+id+"/ledger", nil), 404, "")
		for _, it := range theirs.want(theirs.do("GET", "/api/courses?retired=include", nil), 200).json(t)["items"].([]any) {
			if it.(map[string]any)["id"] == id {
				t.Errorf("another organization lists %v", it)
			}
		}
		// Names are unique per organization only.
		theirs.want(theirs.do("POST", "/api/courses", map[string]any{"name": "Allergen awareness"}), 201)
	})
}

func TestAPI_MyTraining(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	forklift := c.want(c.do("POST", "/api/courses", map[string]any{"name": "Forklift", "seats": 2}), 201).json(t)["id"].(string)
	hygiene := c.want(c.do("POST", "/api/courses", map[string]any{"name": "Food Hygiene", "retakeMonths": 24}), 201).json(t)["id"].(string)
	me := s.mine.Owner.ID
	assign := func(course string, due any) {
		body := map[string]any{"userIds": []string{me}, "courseIds": []string{course}}
		if due != nil {
			body["dueAt"] = due
		}
		if got := c.want(c.do("POST", "/api/users/actions/assign-courses", body), 200).json(t); got["done"] != 1.0 {
			t.Fatalf("assign %s = %v", course, got)
		}
	}
	assign(hygiene, nil)
	assign(forklift, "2031-01-31T17:00:00Z")

	items := c.want(c.do("GET", "/api/me/training", nil), 200).json(t)["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("my training = %v, want the two courses", items)
	}
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if first["courseId"] != forklift || first["courseName"] != "Forklift" || first["dueAt"] != "2031-01-31T17:00:00Z" || first["state"] != "not_started" ||
		first["seat"] != "reserved" || first["overdue"] != false || first["startedAt"] != nil || first["retakeMonths"] != nil {
		t.Errorf("first (dated first) = %v", first)
	}
	if second["courseName"] != "Food Hygiene" || second["dueAt"] != nil || second["retakeMonths"] != 24.0 || second["overdue"] != false {
		t.Errorf("second = %v", second)
	}

	// Another organization's owner sees none of mine.
	other := s.signIn(t, s.theirs)
	if got := other.want(other.do("GET", "/api/me/training", nil), 200).json(t)["items"].([]any); len(got) != 0 {
		t.Errorf("their owner's training = %v, want none", got)
	}
	c.wantError(c.do("GET", "/api/me/training?limit=5", nil), 400, "limit")

	// Past the due date (a session opened then), the dated course is
	// overdue; the undated one never is.
	s.clock.Set(time.Date(2031, 2, 1, 0, 0, 0, 0, time.UTC))
	defer s.clock.Reset()
	c = s.signIn(t, s.mine)
	items = c.want(c.do("GET", "/api/me/training", nil), 200).json(t)["items"].([]any)
	if items[0].(map[string]any)["overdue"] != true || items[1].(map[string]any)["overdue"] != false {
		t.Errorf("after the due date = %v", items)
	}
}

func TestAPI_StartAndComplete(t *testing.T) {
	s := newServer(t)
	owner := s.signIn(t, s.mine)
	ada := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ada", LastName: "Lovelace", Email: "ada@mine.example", State: roster.StateActivated}, "ada's password")
	fire, manual := s.mine.CourseIDs[0], s.mine.CourseIDs[1] // unlimited with a 12-month retake; 50 seats
	owner.want(owner.do("POST", "/api/users/actions/assign-courses", map[string]any{"userIds": []string{ada.ID}, "courseIds": []string{fire, manual}}), 200)
	learner, _ := s.signInAs(t, "ada@mine.example", "ada's password")
	course := func(id string) map[string]any {
		return owner.want(owner.do("GET", "/api/courses/"+id, nil), 200).json(t)
	}
	status := func() any { return owner.want(owner.do("GET", "/api/users/"+ada.ID, nil), 200).json(t)["status"] }
	if st := status(); st != "activated" {
		t.Fatalf("before starting, status = %v", st)
	}

	t.Run("two starts at once move the seat once", func(t *testing.T) {
		results, errs := make([]map[string]any, 2), make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				r, err := learner.try("POST", "/api/me/training/"+manual+"/start", nil)
				if err == nil {
					results[i], err = r.object(200)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, got := range results {
			if errs[i] != nil {
				t.Fatalf("start %d: %v", i, errs[i])
			}
			if got["state"] != "in_progress" || got["seat"] != "used" || got["startedAt"] == nil {
				t.Errorf("started = %v", got)
			}
		}
		learner.on(t).want(learner.do("POST", "/api/me/training/"+manual+"/start", nil), 200) // and once more
		if c := course(manual); c["reserved"] != 0.0 || c["used"] != 1.0 || c["free"] != 49.0 {
			t.Errorf("course after starting = reserved %v, used %v, free %v; want 0, 1, 49", c["reserved"], c["used"], c["free"])
		}
		ledger := owner.want(owner.do("GET", "/api/courses/"+manual+"/ledger", nil), 200).json(t)["items"].([]any)
		var used []any
		for _, e := range ledger {
			if e.(map[string]any)["kind"] == "used" {
				used = append(used, e)
			}
		}
		if len(used) != 1 || used[0].(map[string]any)["cause"] != "Started by Ada Lovelace" {
			t.Errorf("ledger's used entries = %v, want one, started by Ada Lovelace", used)
		}
		if st := status(); st != "active" {
			t.Errorf("after starting, status = %v, want active", st)
		}
	})

	t.Run("complete without starting: both at once, with the retake date", func(t *testing.T) {
		got := learner.on(t).want(learner.do("POST", "/api/me/training/"+fire+"/complete", nil), 200).json(t)
		done, _ := time.Parse(time.RFC3339, fmt.Sprint(got["completedAt"]))
		retake, _ := time.Parse(time.RFC3339, fmt.Sprint(got["retakeDueAt"]))
		if got["state"] != "completed" || got["seat"] != "used" || got["startedAt"] == nil || done.IsZero() || !retake.Equal(done.AddDate(0, 12, 0)) {
			t.Errorf("completed = %v", got)
		}
		again := learner.on(t).want(learner.do("POST", "/api/me/training/"+fire+"/complete", nil), 200).json(t)
		if again["completedAt"] != got["completedAt"] || again["retakeDueAt"] != got["retakeDueAt"] {
			t.Errorf("completed again = %v, want as before %v", again, got)
		}
		if c := course(fire); c["reserved"] != 0.0 || c["used"] != 1.0 {
			t.Errorf("course = reserved %v, used %v; want 0, 1", c["reserved"], c["used"])
		}
		// Starting a course completed with a retake date retakes it: in
		// progress again on the same seat, the completion and retake date kept.
		r := learner.on(t).want(learner.do("POST", "/api/me/training/"+fire+"/start", nil), 200).json(t)
		if r["state"] != "in_progress" || r["seat"] != "used" || r["completedAt"] != got["completedAt"] || r["retakeDueAt"] != got["retakeDueAt"] || r["startedAt"] == got["startedAt"] {
			t.Errorf("start after completing = %v, want a retake in progress keeping %v", r, got)
		}
		if c := course(fire); c["reserved"] != 0.0 || c["used"] != 1.0 {
			t.Errorf("course after the retake started = reserved %v, used %v; want 0, 1", c["reserved"], c["used"])
		}
		got = learner.on(t).want(learner.do("POST", "/api/me/training/"+manual+"/complete", nil), 200).json(t)
		if got["state"] != "completed" || got["retakeDueAt"] != nil {
			t.Errorf("completed, no retake = %v", got)
		}
		// A course completed without a retake date does not start again.
		if r := learner.on(t).want(learner.do("POST", "/api/me/training/"+manual+"/start", nil), 200).json(t); r["state"] != "completed" || r["completedAt"] != got["completedAt"] {
			t.Errorf("start after completing, no retake = %v", r)
		}
	})

	t.Run("bad input changes nothing", func(t *testing.T) {
		unassigned := owner.want(owner.do("POST", "/api/courses", map[string]any{"name": "Knife skills", "seats": 3}), 201).json(t)["id"].(string)
		learner.on(t).wantError(learner.do("POST", "/api/me/training/"+unassigned+"/start", nil), 404, "")
		learner.on(t).wantError(learner.do("POST", "/api/me/training/nosuchcourse/complete", nil), 404, "")
		learner.on(t).wantError(learner.do("POST", "/api/me/training/"+manual+"/start", map[string]any{"at": "now"}), 400, "at")
		if c := course(unassigned); c["reserved"] != 0.0 || c["used"] != 0.0 {
			t.Errorf("unassigned course = %v", c)
		}
	})

	t.Run("a seat released while archived, and none free since: 409", func(t *testing.T) {
		knife := owner.want(owner.do("POST", "/api/courses", map[string]any{"name": "Knife skills 2", "seats": 1}), 201).json(t)["id"].(string)
		owner.want(owner.do("POST", "/api/users/actions/assign-courses", map[string]any{"userIds": []string{ada.ID}, "courseIds": []string{knife}}), 200)
		owner.want(owner.do("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{ada.ID}}), 200)
		s.settle(t) // the stream gives the seat back
		owner.want(owner.do("POST", "/api/users/actions/assign-courses", map[string]any{"userIds": []string{s.mine.Owner.ID}, "courseIds": []string{knife}}), 200)
		owner.want(owner.do("POST", "/api/users/actions/unarchive", map[string]any{"userIds": []string{ada.ID}}), 200)
		learner, _ := s.signInAs(t, "ada@mine.example", "ada's password")
		learner.on(t).wantError(learner.do("POST", "/api/me/training/"+knife+"/start", nil), 409, "seats")
		if c := course(knife); c["reserved"] != 1.0 || c["used"] != 0.0 {
			t.Errorf("course after the refusal = reserved %v, used %v; want 1, 0", c["reserved"], c["used"])
		}
		items := learner.on(t).want(learner.do("GET", "/api/me/training", nil), 200).json(t)["items"].([]any)
		for _, it := range items {
			if it := it.(map[string]any); it["courseId"] == knife && (it["seat"] != "released" || it["state"] != "not_started") {
				t.Errorf("enrollment after the refusal = %v", it)
			}
		}
	})
}
