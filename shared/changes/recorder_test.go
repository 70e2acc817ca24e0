package changes_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/training"
)

var now = time.Date(2031, 3, 4, 10, 0, 0, 0, time.UTC)

// fakeStore keeps what the recorder persists in memory: audit entries by
// id (a second put of one is left alone, as the table's condition does),
// counters, and a log of the other calls in order.
type fakeStore struct {
	perChunk    int // entries RecordEntries takes at once
	audit       map[string]roster.AuditEntry
	counters    map[string]int
	enrollments map[string][]training.Enrollment
	stored      map[string][]training.StoredEnrollment
	calls       []string
	failRelease string // a course whose release fails
}

func newFakeStore(perChunk int) *fakeStore {
	return &fakeStore{perChunk: perChunk, audit: map[string]roster.AuditEntry{}, counters: map[string]int{}, enrollments: map[string][]training.Enrollment{}, stored: map[string][]training.StoredEnrollment{}}
}

func (f *fakeStore) RecordEntries(_ context.Context, es []changes.Entry) (int, error) {
	n := min(f.perChunk, len(es))
	for _, e := range es[:n] {
		f.calls = append(f.calls, "entry "+e.Audit.Action)
		if _, seen := f.audit[e.Audit.ID]; e.Silent || seen {
			continue
		}
		f.audit[e.Audit.ID] = e.Audit
		for k, d := range e.Deltas {
			f.counters[e.Audit.OrgID+"/"+k] += d
		}
	}
	return n, nil
}

func (f *fakeStore) ScrubAudit(_ context.Context, orgID, userID string, _ time.Time) error {
	f.calls = append(f.calls, "scrub "+userID)
	for id, e := range f.audit {
		if e.OrgID == orgID && e.TargetID == userID {
			e.Changes = nil
			f.audit[id] = e
		}
	}
	return nil
}

func (f *fakeStore) ListEnrollments(_ context.Context, _, userID string) ([]training.Enrollment, error) {
	return f.enrollments[userID], nil
}

func (f *fakeStore) ListStoredEnrollments(_ context.Context, _, userID string) ([]training.StoredEnrollment, error) {
	return f.stored[userID], nil
}

func (f *fakeStore) ReleaseSeat(_ context.Context, u *roster.User, r training.Release) error {
	if r.CourseID == f.failRelease {
		return errors.New("release failed")
	}
	call := "inactive " + u.ID + "/" + r.CourseID
	if r.GiveBack != nil {
		call = fmt.Sprintf("give back %s/%s %s %q", u.ID, r.CourseID, r.GiveBack.LedgerID, r.GiveBack.Move("Ladders").Cause)
	}
	f.calls = append(f.calls, call)
	return nil
}

func (f *fakeStore) RemoveEnrollment(_ context.Context, u *roster.User, r training.Removal) error {
	call := "remove " + r.Key
	if r.GiveBack != nil {
		call += fmt.Sprintf(" giving back %s %q", r.GiveBack.LedgerID, r.GiveBack.Move("Ladders").Cause)
	}
	f.calls = append(f.calls, call)
	return nil
}

func (f *fakeStore) RecordSeatFigures(_ context.Context, fs []training.SeatFigures) (int, error) {
	f.calls = append(f.calls, fmt.Sprintf("figures %d", len(fs)))
	return len(fs), nil
}

var _ changes.Store = (*fakeStore)(nil)

func user(id string, v int64, archived bool, courses ...string) *roster.User {
	u := &roster.User{ID: id, OrgID: "o1", FirstName: "Ada", LastName: id, Role: roster.RoleLearner, State: roster.StateActivated, Version: v, UpdatedAt: now.Add(time.Duration(v) * time.Second), ChangedBy: "admin"}
	if archived {
		u.ArchivedAt = &now
	}
	for _, c := range courses {
		u.Courses = append(u.Courses, roster.Assignment{CourseID: c})
	}
	return u
}

func TestRecorder_RecordUserChanges(t *testing.T) {
	ctx := context.Background()
	ann := user("ann", 1, false, "c1", "c2")
	archivedAnn := user("ann", 2, true, "c1", "c2")
	bob := user("bob", 1, false)
	renamedBob := user("bob", 2, false)
	renamedBob.FirstName = "Robert"
	stamped := user("bob", 3, false) // the stamp before a deletion: nothing a person sees
	stamped.FirstName = "Robert"
	cs := []roster.UserChange{
		{Old: ann, New: archivedAnn},
		{Old: bob, New: renamedBob},
		{Old: renamedBob, New: stamped},
		{Old: stamped},
	}
	for _, perChunk := range []int{1, 2, 100} {
		t.Run(fmt.Sprintf("%d per transaction", perChunk), func(t *testing.T) {
			f := newFakeStore(perChunk)
			f.enrollments["ann"] = []training.Enrollment{{CourseID: "c1", State: training.NotStarted, Seat: training.SeatReserved}, {CourseID: "c2", State: training.InProgress, Seat: training.SeatUsed}}
			f.stored["bob"] = []training.StoredEnrollment{
				{Enrollment: training.Enrollment{CourseID: "c1", State: training.NotStarted, Seat: training.SeatReserved}, Key: "ENROLL#bob#c1"},
				{Enrollment: training.Enrollment{CourseID: "c2", State: training.NotStarted, Seat: training.SeatReleased}, Key: "ENROLLED#bob#c2#t", ArchivedActivity: true},
			}
			r := changes.NewRecorder(f)
			for delivery := range 2 { // a batch delivered again changes nothing more
				n, err := r.RecordUserChanges(ctx, cs)
				if err != nil || n != len(cs) {
					t.Fatalf("delivery %d: RecordUserChanges = %d, %v; want %d, nil", delivery, n, err, len(cs))
				}
			}
			if len(f.audit) != 3 {
				t.Errorf("audit entries = %d, want 3 (the stamp has none)", len(f.audit))
			}
			for _, e := range f.audit {
				if e.TargetID == "bob" && len(e.Changes) > 0 {
					t.Errorf("entry %s about removed bob keeps changes %v", e.Action, e.Changes)
				}
			}
			wantCounters := map[string]int{
				"o1/all#active": -2, "o1/all#archived": 1,
				"o1/role:learner#active": -2, "o1/role:learner#archived": 1,
				"o1/state:activated#active": -2, "o1/state:activated#archived": 1,
				"o1/course:c1#active": -1, "o1/course:c1#archived": 1, "o1/course:c2#active": -1, "o1/course:c2#archived": 1,
			}
			if !reflect.DeepEqual(f.counters, wantCounters) {
				t.Errorf("counters = %v, want %v", f.counters, wantCounters)
			}
			// The side effects of a change follow its entry, in order.
			once := []string{
				"entry user.archived",
				`give back ann/c1 ann.v2.archived "{learner} archived before starting Ladders"`,
				"inactive ann/c2",
				"entry user.updated",
				"entry user.updated",
				"entry user.deleted",
				"scrub bob",
				`remove ENROLL#bob#c1 giving back bob.deleted "A deleted user's seat, Ladders not started"`,
				"remove ENROLLED#bob#c2#t",
			}
			if perChunk > 1 {
				// A transaction's entries all come before the side effects of its changes.
				switch perChunk {
				case 2:
					once = []string{once[0], once[3], once[1], once[2], once[4], once[5], once[6], once[7], once[8]}
				default:
					once = []string{once[0], once[3], once[4], once[5], once[1], once[2], once[6], once[7], once[8]}
				}
			}
			want := append(append([]string{}, once...), once...)
			if !reflect.DeepEqual(f.calls, want) {
				t.Errorf("calls =\n%q\nwant\n%q", f.calls, want)
			}
		})
	}
}

func TestRecorder_RecordUserChanges_Failure(t *testing.T) {
	ctx := context.Background()
	f := newFakeStore(100)
	f.enrollments["ann"] = []training.Enrollment{{CourseID: "c1", State: training.NotStarted, Seat: training.SeatReserved}}
	f.failRelease = "c1"
	cs := []roster.UserChange{
		{Old: user("bob", 1, false), New: user("bob", 2, true)},
		{Old: user("ann", 1, false, "c1"), New: user("ann", 2, true, "c1")},
		{Old: user("cy", 1, false), New: user("cy", 2, true)},
	}
	n, err := changes.NewRecorder(f).RecordUserChanges(ctx, cs)
	if err == nil || n != 1 {
		t.Errorf("RecordUserChanges = %d, %v; want 1 and the release's error: the batch resumes at ann", n, err)
	}
}

func TestEntries(t *testing.T) {
	a1, a2 := user("ann", 1, false), user("ann", 2, false)
	a2.LastName = "Byron"
	unseen := user("ann", 3, false)
	unseen.LastName = "Byron"
	es := changes.Entries([]roster.UserChange{{New: a1}, {Old: a1, New: a2}, {Old: a2, New: unseen}})
	if es[0].Audit.Action != "user.created" || es[0].Deltas["all#active"] != 1 || es[0].Silent {
		t.Errorf("created: %+v", es[0])
	}
	if got := es[1].Audit.Changes; len(got) != 1 || got[0] != (roster.FieldChange{Field: "lastName", From: "ann", To: "Byron"}) {
		t.Errorf("renamed: changes %v", got)
	}
	if !es[2].Silent || len(es[2].Deltas) != 0 {
		t.Errorf("a write nobody sees: %+v, want silent", es[2])
	}
}

func TestRecorder_RecordSeatFigures(t *testing.T) {
	f := newFakeStore(1)
	n, err := changes.NewRecorder(f).RecordSeatFigures(context.Background(), []training.SeatFigures{{OrgID: "o1"}, {OrgID: "o1"}})
	if err != nil || n != 2 || !reflect.DeepEqual(f.calls, []string{"figures 2"}) {
		t.Errorf("RecordSeatFigures = %d, %v; calls %q", n, err, f.calls)
	}
}
