package roster

import (
	"maps"
	"slices"
	"testing"
	"time"
)

func TestUserChange_CounterDeltas(t *testing.T) {
	at := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	base := User{ID: "u1", OrgID: "o1", Role: RoleLearner, State: StateActive, LocationID: "l1", GroupIDs: []string{"g1"}}
	archived := base
	archived.ArchivedAt = &at
	moved := base
	moved.LocationID = "l2"
	renamed := base
	renamed.FirstName = "Other"
	tests := []struct {
		name   string
		change UserChange
		want   map[string]int
	}{
		{"created", UserChange{New: &base}, map[string]int{"all#active": 1, "role:learner#active": 1, "state:active#active": 1, "location:l1#active": 1, "group:g1#active": 1}},
		{"archived", UserChange{Old: &base, New: &archived}, map[string]int{
			"all#active": -1, "role:learner#active": -1, "state:active#active": -1, "location:l1#active": -1, "group:g1#active": -1,
			"all#archived": 1, "role:learner#archived": 1, "state:active#archived": 1, "location:l1#archived": 1, "group:g1#archived": 1,
		}},
		{"moved location", UserChange{Old: &base, New: &moved}, map[string]int{"location:l1#active": -1, "location:l2#active": 1}},
		{"renamed moves nothing", UserChange{Old: &base, New: &renamed}, map[string]int{}},
		{"removed", UserChange{Old: &archived}, map[string]int{"all#archived": -1, "role:learner#archived": -1, "state:active#archived": -1, "location:l1#archived": -1, "group:g1#archived": -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.change.CounterDeltas(); !maps.Equal(got, tt.want) {
				t.Errorf("CounterDeltas() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUserChange_Audit(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Minute)
	old := User{ID: "u1", OrgID: "o1", FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Role: RoleLearner, State: StateActive, UpdatedAt: t0, Version: 3}
	archived := old
	archived.ArchivedAt, archived.UpdatedAt, archived.Version, archived.ChangedBy, archived.RequestID = &t1, t1, 4, "admin1", "req1"

	e := UserChange{Old: &old, New: &archived}.Audit()
	if e.Action != "user.archived" || e.ActorID != "admin1" || e.RequestID != "req1" || e.TargetID != "u1" || !e.At.Equal(t1) {
		t.Errorf("Audit() = %+v, want user.archived by admin1 in req1 at %v", e, t1)
	}
	if len(e.Changes) != 1 || e.Changes[0] != (FieldChange{Field: "archivedAt", From: "", To: t1.Format(time.RFC3339)}) {
		t.Errorf("Audit().Changes = %+v, want only archivedAt", e.Changes)
	}
	if again := (UserChange{Old: &old, New: &archived}).Audit(); again.ID != e.ID {
		t.Errorf("the same change got ids %q and %q: a redelivered record would be recorded twice", e.ID, again.ID)
	}
	back := UserChange{Old: &archived, New: &old}
	back.New.Version = 5
	if got := back.Audit(); got.Action != "user.unarchived" || got.ID == e.ID {
		t.Errorf("unarchive audit = %+v, want user.unarchived with its own id", got)
	}
	if got := (UserChange{Old: &archived}).Audit(); got.Action != "user.deleted" || got.Changes != nil {
		t.Errorf("removal audit = %+v, want user.deleted without personal data", got)
	}
}

// TestDiffUsers_Courses: assigning, unassigning and moving a due date are
// changes of the audit entry, named by course.
func TestDiffUsers_Courses(t *testing.T) {
	due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	later := due.AddDate(0, 1, 0)
	base := User{ID: "u1", OrgID: "o1", Courses: []Assignment{{CourseID: "c1"}}}
	assigned := base
	assigned.Courses = []Assignment{{CourseID: "c1"}, {CourseID: "c2", DueAt: &due}}
	moved := base
	moved.Courses = []Assignment{{CourseID: "c1"}, {CourseID: "c2", DueAt: &later}}
	tests := []struct {
		name     string
		old, new *User
		want     []FieldChange
	}{
		{"assigned with a due date", &base, &assigned, []FieldChange{
			{Field: "courseIds", From: "c1", To: "c1,c2"},
			{Field: "courseDueDates", To: "c2=2026-12-01"},
		}},
		{"due date moved", &assigned, &moved, []FieldChange{{Field: "courseDueDates", From: "c2=2026-12-01", To: "c2=2027-01-01"}}},
		{"unassigned", &moved, &base, []FieldChange{
			{Field: "courseIds", From: "c1,c2", To: "c1"},
			{Field: "courseDueDates", From: "c2=2027-01-01"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DiffUsers(tt.old, tt.new); !slices.Equal(got, tt.want) {
				t.Errorf("DiffUsers() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
