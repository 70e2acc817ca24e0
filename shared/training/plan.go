package training

import (
	"slices"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// Op is what a plan does to one enrollment.
type Op int

// The operations of an enrollment plan.
const (
	OpEnroll  Op = iota + 1 // put a new enrollment (State, SeatState); it must not exist yet
	OpUpdate                // set its due date and the user's keys, and move its reminder when Reminder is set
	OpRestore               // the user unarchived: active again, its reminder back, its seat reserved again when Reserve
	OpRemove                // delete it as read (its seat still ReadSeat), put aside as archived activity when Keep
)

// EnrollmentChange is one enrollment's part of a user's write.
type EnrollmentChange struct {
	Op       Op
	CourseID string
	// DueAt is the assignment's due date (enroll, update, restore).
	DueAt *time.Time
	// State and SeatState are a new enrollment's.
	State, SeatState string
	// Reminder, when not nil, moves the enrollment's reminder.
	Reminder *Reminder
	// CheckState, when not "", writes only while the enrollment is still in
	// this state: the reminder was decided from it.
	CheckState string
	// Reserve (restore) turns the seat from released to reserved.
	Reserve bool
	// ReadSeat (remove) deletes only while the seat is still as read.
	ReadSeat string
	// Keep (remove) puts the enrollment aside as archived course activity,
	// with KeptSeat as its seat.
	Keep     bool
	KeptSeat string
	// Seat is the seat movement that goes with the change, if any.
	Seat *SeatStep
}

// UserWrite is a write of a user as the enrollment rules see it.
type UserWrite struct {
	Old, New *roster.User // Old is nil for a new user
	// Reindexed says the user's name or bucket moved: every enrollment
	// carries the user's keys for the course's learners list.
	Reindexed bool
	// Read holds the enrollments ToRead names, as read (strongly
	// consistent); one missing is absent.
	Read map[string]*Enrollment
	// NoSeat names the courses whose released seat an earlier attempt
	// could not reserve again (the pool had none free): those stay released.
	NoSeat map[string]bool
}

// ToRead returns the courses whose enrollments PlanEnrollments needs to
// read for the write from old to u: every course of a user unarchived, the
// courses removed, and those whose due date moved on an active user.
func ToRead(old, u *roster.User) []string {
	if old == nil {
		return nil
	}
	unarchiving := old.Archived() && !u.Archived()
	var out []string
	for _, a := range old.Courses {
		now := u.Assignment(a.CourseID)
		switch {
		case now == nil, unarchiving:
			out = append(out, a.CourseID)
		case !u.Archived() && !sameTime(a.DueAt, now.DueAt):
			out = append(out, a.CourseID)
		}
	}
	return out
}

// PlanEnrollments returns what the write does to the user's enrollments
// and seats, in order: a course added puts its enrollment and reserves a
// seat; on unarchiving, each enrollment becomes active again and a seat the
// archive released is reserved again, unless NoSeat says the pool had none;
// a course removed deletes the enrollment as read (kept aside as archived
// activity when the write asks) and gives back a seat still reserved; a due
// date changed, or the user's keys moved, updates the enrollment, and its
// reminder follows the due date unless the course is completed. Every seat
// movement carries its ledger entry.
func PlanEnrollments(w UserWrite) []EnrollmentChange {
	old, u := w.Old, w.New
	var out []EnrollmentChange
	for _, a := range u.Courses {
		if old != nil && old.Assignment(a.CourseID) != nil {
			continue
		}
		out = append(out, EnrollmentChange{
			Op: OpEnroll, CourseID: a.CourseID, DueAt: a.DueAt, State: NotStarted, SeatState: SeatReserved,
			Reminder: reminder(NotStarted, a.DueAt, nil, u.Archived()),
			Seat:     userStep(u, a.CourseID, SeatsReserved, CauseAssigned, ""),
		})
	}
	if old == nil {
		return out
	}
	unarchiving := old.Archived() && !u.Archived()
	for _, a := range old.Courses {
		now := u.Assignment(a.CourseID)
		e := w.Read[a.CourseID]
		switch {
		case now != nil && unarchiving:
			if e == nil {
				continue
			}
			reserve := e.Seat == SeatReleased && !w.NoSeat[a.CourseID]
			ch := EnrollmentChange{
				Op: OpRestore, CourseID: a.CourseID, DueAt: now.DueAt, Reserve: reserve,
				Reminder: reminder(e.State, now.DueAt, e.RetakeDueAt, false), CheckState: e.State,
			}
			if reserve {
				ch.Seat = userStep(u, a.CourseID, SeatsReserved, CauseRestored, "")
			}
			out = append(out, ch)
		case now != nil:
			redated := !sameTime(a.DueAt, now.DueAt)
			if !w.Reindexed && !redated {
				continue
			}
			ch := EnrollmentChange{Op: OpUpdate, CourseID: a.CourseID, DueAt: now.DueAt}
			switch {
			case u.Archived():
				ch.Reminder = &Reminder{} // no reminders while archived
			case redated:
				// The reminder follows the due date unless the course is
				// completed (the retake date stays): decided on the state
				// read, which must not move before the write.
				if e == nil {
					continue
				}
				ch.Reminder, ch.CheckState = reminder(e.State, now.DueAt, e.RetakeDueAt, false), e.State
			}
			out = append(out, ch)
		default:
			if e == nil {
				continue
			}
			ch := EnrollmentChange{Op: OpRemove, CourseID: a.CourseID, ReadSeat: e.Seat}
			if slices.Contains(u.KeepActivity, a.CourseID) {
				ch.Keep, ch.KeptSeat = true, e.Seat
				if e.Seat == SeatReserved {
					ch.KeptSeat = SeatReleased // given back below
				}
			}
			if e.Seat == SeatReserved {
				ch.Seat = userStep(u, a.CourseID, SeatsReleased, CauseUnassigned, "")
			}
			out = append(out, ch)
		}
	}
	return out
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
