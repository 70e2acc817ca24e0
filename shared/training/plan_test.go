package training_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

var (
	now  = time.Date(2031, 3, 4, 10, 0, 0, 0, time.UTC)
	due  = time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC)
	due2 = time.Date(2031, 7, 1, 0, 0, 0, 0, time.UTC)
	ret  = time.Date(2032, 3, 4, 0, 0, 0, 0, time.UTC)
)

// learner returns a user at version v assigned to courses (id and due date).
func learner(v int64, archived bool, courses ...roster.Assignment) *roster.User {
	u := &roster.User{ID: "u1", OrgID: "o1", FirstName: "Ada", LastName: "Lovelace", Version: v, UpdatedAt: now, ChangedBy: "admin", RequestID: "r1", Courses: courses}
	if archived {
		at := now.Add(-time.Hour)
		u.ArchivedAt = &at
	}
	return u
}

func course(id string, dueAt *time.Time) roster.Assignment {
	return roster.Assignment{CourseID: id, DueAt: dueAt}
}

func enrollment(courseID, state, seat string, retake *time.Time) *training.Enrollment {
	return &training.Enrollment{UserID: "u1", CourseID: courseID, State: state, Seat: seat, RetakeDueAt: retake}
}

// step is the seat step a write of learner v makes in the course.
func step(courseID string, kind training.SeatKind, cause training.Cause) *training.SeatStep {
	return &training.SeatStep{CourseID: courseID, Kind: kind, Cause: cause, LedgerID: "u1.v2", ActorID: "admin", RequestID: "r1", UserID: "u1", At: now}
}

func owed(by *time.Time) *training.Reminder { return &training.Reminder{By: by} }

func TestPlanEnrollments(t *testing.T) {
	tests := []struct {
		name      string
		w         training.UserWrite
		wantRead  []string
		wantPlans []training.EnrollmentChange
	}{{
		name: "assign reserves a seat and owes the due date",
		w:    training.UserWrite{Old: learner(1, false), New: learner(2, false, course("c1", &due))},
		wantPlans: []training.EnrollmentChange{{
			Op: training.OpEnroll, CourseID: "c1", DueAt: &due, State: training.NotStarted, SeatState: training.SeatReserved,
			Reminder: owed(&due), Seat: step("c1", training.SeatsReserved, training.CauseAssigned),
		}},
	}, {
		name: "a new user's course without due date owes nothing",
		w:    training.UserWrite{New: learner(2, false, course("c1", nil))},
		wantPlans: []training.EnrollmentChange{{
			Op: training.OpEnroll, CourseID: "c1", State: training.NotStarted, SeatState: training.SeatReserved,
			Reminder: owed(nil), Seat: step("c1", training.SeatsReserved, training.CauseAssigned),
		}},
	}, {
		name:     "unassign a course not started gives its seat back",
		w:        training.UserWrite{Old: learner(1, false, course("c1", nil)), New: learner(2, false), Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.NotStarted, training.SeatReserved, nil)}},
		wantRead: []string{"c1"},
		wantPlans: []training.EnrollmentChange{{
			Op: training.OpRemove, CourseID: "c1", ReadSeat: training.SeatReserved, Seat: step("c1", training.SeatsReleased, training.CauseUnassigned),
		}},
	}, {
		name:      "unassign a course started keeps the seat used",
		w:         training.UserWrite{Old: learner(1, false, course("c1", nil)), New: learner(2, false), Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.InProgress, training.SeatUsed, nil)}},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpRemove, CourseID: "c1", ReadSeat: training.SeatUsed}},
	}, {
		name:     "unassign a course whose enrollment is gone does nothing",
		w:        training.UserWrite{Old: learner(1, false, course("c1", nil)), New: learner(2, false)},
		wantRead: []string{"c1"},
	}, {
		name: "archive activity not started keeps it released and gives the seat back",
		w: training.UserWrite{
			Old: learner(1, false, course("c1", nil)), New: func() *roster.User { u := learner(2, false); u.KeepActivity = []string{"c1"}; return u }(),
			Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.NotStarted, training.SeatReserved, nil)},
		},
		wantRead: []string{"c1"},
		wantPlans: []training.EnrollmentChange{{
			Op: training.OpRemove, CourseID: "c1", ReadSeat: training.SeatReserved, Keep: true, KeptSeat: training.SeatReleased,
			Seat: step("c1", training.SeatsReleased, training.CauseUnassigned),
		}},
	}, {
		name: "archive activity completed keeps its used seat",
		w: training.UserWrite{
			Old: learner(1, false, course("c1", nil)), New: func() *roster.User { u := learner(2, false); u.KeepActivity = []string{"c1"}; return u }(),
			Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.Completed, training.SeatUsed, nil)},
		},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpRemove, CourseID: "c1", ReadSeat: training.SeatUsed, Keep: true, KeptSeat: training.SeatUsed}},
	}, {
		name:      "a new due date moves the reminder, on the state read",
		w:         training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, false, course("c1", &due2)), Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.InProgress, training.SeatUsed, nil)}},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpUpdate, CourseID: "c1", DueAt: &due2, Reminder: owed(&due2), CheckState: training.InProgress}},
	}, {
		name:      "a new due date of a completed course leaves the retake date owed",
		w:         training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, false, course("c1", &due2)), Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.Completed, training.SeatUsed, &ret)}},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpUpdate, CourseID: "c1", DueAt: &due2, Reminder: owed(&ret), CheckState: training.Completed}},
	}, {
		name:      "a new due date of a course completed for good owes nothing",
		w:         training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, false, course("c1", nil)), Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.Completed, training.SeatUsed, nil)}},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpUpdate, CourseID: "c1", Reminder: owed(nil), CheckState: training.Completed}},
	}, {
		name:     "a new due date of an enrollment gone does nothing",
		w:        training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, false, course("c1", &due2))},
		wantRead: []string{"c1"},
	}, {
		name:      "a renamed user's enrollments take the new keys, reminders unmoved",
		w:         training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, false, course("c1", &due)), Reindexed: true},
		wantPlans: []training.EnrollmentChange{{Op: training.OpUpdate, CourseID: "c1", DueAt: &due}},
	}, {
		name:      "archiving moves the keys and stops the reminders, seats stay for the stream",
		w:         training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, true, course("c1", &due)), Reindexed: true},
		wantPlans: []training.EnrollmentChange{{Op: training.OpUpdate, CourseID: "c1", DueAt: &due, Reminder: owed(nil)}},
	}, {
		name:      "nothing moved: nothing to write",
		w:         training.UserWrite{Old: learner(1, false, course("c1", &due)), New: learner(2, false, course("c1", &due))},
		wantPlans: nil,
	}, {
		name: "unarchive reserves a released seat again",
		w: training.UserWrite{Old: learner(1, true, course("c1", &due)), New: learner(2, false, course("c1", &due)), Reindexed: true,
			Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.NotStarted, training.SeatReleased, nil)}},
		wantRead: []string{"c1"},
		wantPlans: []training.EnrollmentChange{{
			Op: training.OpRestore, CourseID: "c1", DueAt: &due, Reserve: true, Reminder: owed(&due), CheckState: training.NotStarted,
			Seat: step("c1", training.SeatsReserved, training.CauseRestored),
		}},
	}, {
		name: "unarchive with the pool short leaves the seat released",
		w: training.UserWrite{Old: learner(1, true, course("c1", &due)), New: learner(2, false, course("c1", &due)), Reindexed: true,
			Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.NotStarted, training.SeatReleased, nil)}, NoSeat: map[string]bool{"c1": true}},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpRestore, CourseID: "c1", DueAt: &due, Reminder: owed(&due), CheckState: training.NotStarted}},
	}, {
		name: "unarchive a completed course: active again, its retake date owed, no seat moves",
		w: training.UserWrite{Old: learner(1, true, course("c1", &due)), New: learner(2, false, course("c1", &due)), Reindexed: true,
			Read: map[string]*training.Enrollment{"c1": enrollment("c1", training.Completed, training.SeatUsed, &ret)}},
		wantRead:  []string{"c1"},
		wantPlans: []training.EnrollmentChange{{Op: training.OpRestore, CourseID: "c1", DueAt: &due, Reminder: owed(&ret), CheckState: training.Completed}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := training.ToRead(tt.w.Old, tt.w.New); !reflect.DeepEqual(got, tt.wantRead) {
				t.Errorf("ToRead = %v, want %v", got, tt.wantRead)
			}
			got := training.PlanEnrollments(tt.w)
			if !reflect.DeepEqual(got, tt.wantPlans) {
				t.Errorf("PlanEnrollments =\n%+v\nwant\n%+v", got, tt.wantPlans)
			}
		})
	}
}

func TestPlanEnrollments_Order(t *testing.T) {
	// Added courses come first, then the user's earlier courses in order.
	w := training.UserWrite{
		Old: learner(1, false, course("a", nil), course("b", &due)), New: learner(2, false, course("b", &due2), course("c", nil)),
		Read: map[string]*training.Enrollment{"a": enrollment("a", training.NotStarted, training.SeatReserved, nil), "b": enrollment("b", training.NotStarted, training.SeatReserved, nil)},
	}
	var got []string
	for _, ch := range training.PlanEnrollments(w) {
		got = append(got, ch.CourseID)
	}
	if want := []string{"c", "a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("courses in order = %v, want %v", got, want)
	}
}

func TestCause_Text(t *testing.T) {
	tests := []struct {
		cause training.Cause
		want  string
	}{
		{training.CauseAssigned, "Fire Safety assigned to {learner}"},
		{training.CauseUnassigned, "{learner} removed from Fire Safety before starting it"},
		{training.CauseRestored, "Fire Safety: a seat reserved again for {learner}, unarchived"},
		{training.CauseArchived, "{learner} archived before starting Fire Safety"},
		{training.CauseDeleted, "A deleted user's seat, Fire Safety not started"},
		{training.CauseStarted, "Started by {learner}"},
	}
	for _, tt := range tests {
		if got := tt.cause.Text("Fire Safety"); got != tt.want {
			t.Errorf("Cause(%d).Text = %q, want %q", tt.cause, got, tt.want)
		}
	}
	m := step("c1", training.SeatsReserved, training.CauseAssigned).Move("Ladders")
	want := training.SeatMove{ID: "u1.v2", Count: 1, Cause: "Ladders assigned to {learner}", ActorID: "admin", RequestID: "r1", UserID: "u1", At: now}
	if m != want {
		t.Errorf("Move = %+v, want %+v", m, want)
	}
}

func TestReleaseOnArchive(t *testing.T) {
	old, archived := learner(1, false, course("c1", nil), course("c2", nil)), learner(2, true, course("c1", nil), course("c2", nil))
	tests := []struct {
		name string
		c    roster.UserChange
		want bool
	}{
		{"archived with courses", roster.UserChange{Old: old, New: archived}, true},
		{"archived without courses", roster.UserChange{Old: learner(1, false), New: learner(2, true)}, false},
		{"already archived", roster.UserChange{Old: archived, New: archived}, false},
		{"unarchived", roster.UserChange{Old: archived, New: old}, false},
		{"created", roster.UserChange{New: archived}, false},
		{"deleted", roster.UserChange{Old: archived}, false},
	}
	for _, tt := range tests {
		if got := training.ReleasesOnArchive(tt.c); got != tt.want {
			t.Errorf("ReleasesOnArchive(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	es := []training.Enrollment{
		*enrollment("c1", training.NotStarted, training.SeatReserved, nil),
		*enrollment("c2", training.InProgress, training.SeatUsed, nil),
		*enrollment("c3", training.Completed, training.SeatUsed, &ret),
		*enrollment("c4", training.NotStarted, training.SeatReleased, nil),
	}
	got := training.ReleaseOnArchive(archived, es)
	giveBack := step("c1", training.SeatsReleased, training.CauseArchived)
	giveBack.LedgerID = "u1.v2.archived"
	want := []training.Release{{CourseID: "c1", GiveBack: giveBack}, {CourseID: "c2"}, {CourseID: "c3"}, {CourseID: "c4"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReleaseOnArchive =\n%+v\nwant\n%+v", got, want)
	}
}

func TestRemovalOnDelete(t *testing.T) {
	u := learner(3, false, course("c1", nil), course("c2", nil))
	rs := []training.StoredEnrollment{
		{Enrollment: *enrollment("c1", training.NotStarted, training.SeatReserved, nil), Key: "k1"},
		{Enrollment: *enrollment("c2", training.Completed, training.SeatUsed, nil), Key: "k2"},
		{Enrollment: *enrollment("c3", training.NotStarted, training.SeatReleased, nil), Key: "k3", ArchivedActivity: true},
		{Enrollment: *enrollment("c4", training.NotStarted, training.SeatReserved, nil), Key: "k4", ArchivedActivity: true},
	}
	got := training.RemovalOnDelete(u, rs)
	want := []training.Removal{
		{Key: "k1", CourseID: "c1", GiveBack: &training.SeatStep{CourseID: "c1", Kind: training.SeatsReleased, Cause: training.CauseDeleted, LedgerID: "u1.deleted", ActorID: "admin", RequestID: "r1", UserID: "u1", At: now}},
		{Key: "k2", CourseID: "c2"}, {Key: "k3", CourseID: "c3"}, {Key: "k4", CourseID: "c4"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RemovalOnDelete =\n%+v\nwant\n%+v", got, want)
	}
}

func TestPlanStep(t *testing.T) {
	tests := []struct {
		name string
		step training.TrainingStep
		want training.StepPlan
	}{{
		name: "start uses the reserved seat",
		step: training.TrainingStep{CourseID: "c1", Start: true, At: now},
		want: training.StepPlan{From: training.NotStarted, FromSeat: training.SeatReserved, To: training.InProgress, SeatTo: training.SeatUsed, SetStartedAt: true},
	}, {
		name: "complete with a retake owes the retake date",
		step: training.TrainingStep{CourseID: "c1", Complete: true, At: now, RetakeDueAt: &ret},
		want: training.StepPlan{From: training.InProgress, To: training.Completed, SetCompletedAt: true, RetakeDueAt: &ret, Reminder: owed(&ret)},
	}, {
		name: "complete without a retake owes nothing and drops an old retake date",
		step: training.TrainingStep{CourseID: "c1", Complete: true, At: now},
		want: training.StepPlan{From: training.InProgress, To: training.Completed, SetCompletedAt: true, Reminder: owed(nil), DropRetake: true},
	}, {
		name: "complete a course not started starts it too",
		step: training.TrainingStep{CourseID: "c1", Start: true, Complete: true, At: now},
		want: training.StepPlan{From: training.NotStarted, FromSeat: training.SeatReserved, To: training.Completed, SeatTo: training.SeatUsed, SetStartedAt: true, SetCompletedAt: true, Reminder: owed(nil), DropRetake: true},
	}, {
		name: "retake starts again on the seat used",
		step: training.TrainingStep{CourseID: "c1", Retake: true, At: now},
		want: training.StepPlan{From: training.Completed, To: training.InProgress, SetStartedAt: true},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := training.PlanStep(tt.step); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlanStep =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestStartSeat_RecordStep(t *testing.T) {
	u := learner(5, false, course("c1", nil))
	u.ChangedBy = "u1"
	later := now.Add(time.Minute)
	start := training.TrainingStep{CourseID: "c1", Start: true, At: later}
	want := &training.SeatStep{CourseID: "c1", Kind: training.SeatsUsed, Cause: training.CauseStarted, LedgerID: "u1.v5", ActorID: "u1", RequestID: "r1", UserID: "u1", At: later}
	if got := training.StartSeat(u, start); !reflect.DeepEqual(got, want) {
		t.Errorf("StartSeat = %+v, want %+v", got, want)
	}
	if got := training.StartSeat(u, training.TrainingStep{CourseID: "c1", Complete: true, At: later}); got != nil {
		t.Errorf("StartSeat(complete) = %+v, want nil", got)
	}
	if err := training.RecordStep(u, training.TrainingStep{CourseID: "c1", Start: true, Complete: true, At: later}); err != nil {
		t.Fatal(err)
	}
	if a := u.Assignment("c1"); a.StartedAt == nil || !a.StartedAt.Equal(later) || a.CompletedAt == nil || !a.CompletedAt.Equal(later) {
		t.Errorf("assignment after start and complete = %+v", a)
	}
	if err := training.RecordStep(u, training.TrainingStep{CourseID: "gone", Start: true, At: later}); !errors.Is(err, training.ErrTrainingMoved) {
		t.Errorf("RecordStep(unassigned) = %v, want ErrTrainingMoved", err)
	}
}

func pool(seats *int, reserved, used int, retired bool) *roster.Course {
	c := &roster.Course{ID: "c1", Name: "Fire Safety", Seats: seats, Reserved: reserved, Used: used}
	if retired {
		c.RetiredAt = &now
	}
	return c
}

func ptr(n int) *int { return &n }

func TestSeatRefused(t *testing.T) {
	reserve := *step("c1", training.SeatsReserved, training.CauseAssigned)
	restore := *step("c1", training.SeatsReserved, training.CauseRestored)
	release := *step("c1", training.SeatsReleased, training.CauseUnassigned)
	tests := []struct {
		name        string
		step        training.SeatStep
		before, now *roster.Course
		wantCode    roster.Code
		wantShort   *roster.SeatShortage
		wantNoSeat  bool
		wantRetry   bool
	}{
		{name: "retired", step: reserve, before: pool(ptr(5), 0, 0, false), now: pool(ptr(5), 0, 0, true), wantCode: roster.CodeInvalid},
		{name: "no free seat", step: reserve, before: pool(ptr(2), 1, 0, false), now: pool(ptr(2), 1, 1, false), wantShort: &roster.SeatShortage{Course: "Fire Safety", Needed: 1, Free: 0}},
		{name: "restore with the pool empty", step: restore, before: pool(ptr(1), 0, 0, false), now: pool(ptr(1), 1, 0, false), wantNoSeat: true},
		{name: "the pool became limited meanwhile", step: reserve, before: pool(nil, 3, 0, false), now: pool(ptr(3), 3, 0, false), wantRetry: true},
		{name: "a free seat after all", step: reserve, before: pool(ptr(2), 2, 0, false), now: pool(ptr(2), 1, 0, false), wantRetry: true},
		{name: "a release that failed", step: release, before: pool(ptr(2), 1, 0, false), now: pool(ptr(2), 0, 0, false), wantRetry: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := training.SeatRefused(tt.step, tt.before, tt.now)
			if r.Retry != tt.wantRetry || r.NoSeat != tt.wantNoSeat {
				t.Errorf("SeatRefused = %+v, want retry %v, no seat %v", r, tt.wantRetry, tt.wantNoSeat)
			}
			if s, ok := roster.AsSeatShortage(r.Err); tt.wantShort != nil && (!ok || *s != *tt.wantShort) {
				t.Errorf("SeatRefused err = %v, want %+v", r.Err, tt.wantShort)
			}
			if tt.wantCode != "" && !roster.IsCode(r.Err, tt.wantCode) {
				t.Errorf("SeatRefused err = %v, want code %s", r.Err, tt.wantCode)
			}
		})
	}
	if got := training.AlreadyAssigned("Ladders").Error(); got != "skipped: already assigned to Ladders" {
		t.Errorf("AlreadyAssigned = %q", got)
	}
}

func TestMoveRefused(t *testing.T) {
	if err, other := training.MoveRefused(training.SeatsReserved, 1, pool(ptr(1), 0, 0, true), true); other || !roster.IsCode(err, roster.CodeInvalid) {
		t.Errorf("retired: %v, %v", err, other)
	}
	if err, other := training.MoveRefused(training.SeatsReserved, 1, pool(nil, 0, 0, false), true); !other || err != nil {
		t.Errorf("unlimited tried as limited: %v, %v; want the other kind", err, other)
	}
	if err, _ := training.MoveRefused(training.SeatsReserved, 3, pool(ptr(4), 2, 0, false), true); err == nil || err.Error() != "conflict: seats: 3 seats needed, only 2 free" {
		t.Errorf("short: %v", err)
	}
	if err, other := training.MoveRefused(training.SeatsUsed, 2, pool(nil, 1, 0, false), true); other || !roster.IsCode(err, roster.CodeConflict) {
		t.Errorf("use more than reserved: %v, %v", err, other)
	}
}
