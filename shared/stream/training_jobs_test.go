package stream_test

import (
	"context"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

// TestJobs_AssignCoursesByFilter assigns a course with fewer seats than the
// filter selects: all-or-none refuses before any job starts; as many as fit
// runs as a job that assigns exactly the seats and skips the others.
func TestJobs_AssignCoursesByFilter(t *testing.T) {
	e := newJobEnv(t)
	ctx := context.Background()
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 30, loc)
	pool := 12
	c, err := trn(e.svc).CreateCourse(ctx, e.owner(), training.CourseInput{Name: "Ladder safety", Seats: &pool})
	if err != nil {
		t.Fatal(err)
	}
	n := len(users)
	due := time.Now().Add(90 * 24 * time.Hour)
	sel := roster.Selection{Filter: &roster.UserFilter{LocationID: loc}, ExpectedCount: &n}

	_, err = e.svc.RunAction(ctx, e.owner(), roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.ID}, DueAt: &due}, sel)
	if short, ok := err.(*roster.SeatShortage); !ok || short.Needed != 30 || short.Free != 12 {
		t.Fatalf("all or none: %v, want 30 seats needed, 12 free", err)
	}

	res, err := e.svc.RunAction(ctx, e.owner(), roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.ID}, DueAt: &due, WhenShort: roster.AssignFit}, sel)
	if err != nil || res.Job == nil {
		t.Fatalf("as many as fit: %+v, %v, want a job", res, err)
	}
	e.settle(t, e.worker)
	got := e.job(t, res.Job.ID)
	if got.Status != roster.JobDone || got.Done != 12 || got.Skipped != 18 || got.Failed != 0 {
		t.Fatalf("job = %+v, want done: 12 assigned, 18 skipped", got)
	}
	after, err := e.store.GetCourse(ctx, e.org.Organization.ID, c.ID)
	if err != nil || after.Reserved != 12 || *after.Free() != 0 {
		t.Fatalf("course after the job: %+v, %v", after, err)
	}
	skipped, err := e.svc.ListJobOutcomes(ctx, e.owner(), res.Job.ID, roster.ResultSkipped, roster.PageRequest{Limit: 100})
	if err != nil || len(skipped.Items) != 18 {
		t.Fatalf("skipped outcomes: %v, %v", skipped, err)
	}
	for _, o := range skipped.Items {
		if o.Reason != "no seat left in Ladder safety (1 seat needed, none free)" {
			t.Errorf("skipped %s: %q", o.UserID, o.Reason)
		}
	}
	// Every user's outcome, done or skipped, in the snapshot's order (the
	// roster's), a page of 7 at a time.
	all := e.listOutcomes(t, res.Job.ID, "", 7)
	if len(all) != n {
		t.Fatalf("%d outcomes listed, want %d", len(all), n)
	}
	for i, o := range all {
		if o.UserID != users[i].ID || o.FirstName != users[i].FirstName {
			t.Fatalf("outcome %d is %s %s, want %s %s", i, o.UserID, o.FirstName, users[i].ID, users[i].FirstName)
		}
	}
	assigned := 0
	for _, u := range users {
		got, err := e.store.GetUser(ctx, u.OrgID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a := got.Assignment(c.ID); a != nil {
			assigned++
			if a.DueAt == nil || !a.DueAt.Equal(due.UTC()) {
				t.Errorf("due date %v, want %v", a.DueAt, due)
			}
		}
	}
	if assigned != 12 {
		t.Errorf("%d users carry the course, want 12", assigned)
	}
	for _, id := range doneIDs(all) {
		if u, err := e.store.GetUser(ctx, e.org.Organization.ID, id); err != nil || u.Assignment(c.ID) == nil {
			t.Errorf("user %s listed done, not assigned: %v", id, err)
		}
	}
}

// TestStream_DeleteGivesSeatsBack deletes learners with courses not
// started: the stream function gives their seats back and removes their
// enrollments, with only the calls its policy allows.
func TestStream_DeleteGivesSeatsBack(t *testing.T) {
	e := newJobEnv(t)
	ctx := context.Background()
	users := e.addUsers(t, 3, e.org.LocationIDs[0])
	pool := 5
	c, err := trn(e.svc).CreateCourse(ctx, e.owner(), training.CourseInput{Name: "Ladder safety", Seats: &pool})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{users[0].ID, users[1].ID, users[2].ID}
	if res, err := e.svc.RunAction(ctx, e.owner(), roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.ID}}, roster.Selection{UserIDs: ids}); err != nil || res.Done != 3 {
		t.Fatalf("assign: %+v, %v", res, err)
	}
	if res, err := e.svc.DeleteUsers(ctx, e.owner(), roster.Selection{UserIDs: ids[:2]}, "delete 2 users"); err != nil || res.Done != 2 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	e.settle(t, e.worker)
	after, err := e.store.GetCourse(ctx, e.org.Organization.ID, c.ID)
	if err != nil || after.Reserved != 1 || *after.Free() != 4 {
		t.Fatalf("course after deleting two of three learners: %+v, %v", after, err)
	}
	for _, u := range users[:2] {
		if es, err := e.store.ListEnrollments(ctx, u.OrgID, u.ID); err != nil || len(es) != 0 {
			t.Errorf("enrollments left: %+v, %v", es, err)
		}
	}
}
