package training

import (
	"fmt"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// The states of an enrollment.
const (
	NotStarted = "not_started"
	InProgress = "in_progress"
	Completed  = "completed"
)

// The states of an enrollment's seat.
const (
	SeatReserved = "reserved" // held from the pool until the course is started
	SeatUsed     = "used"     // spent: the course was started
	SeatReleased = "released" // given back while the enrollment is kept (the user was archived)
)

// Cause is why a seat moved, as its ledger entry tells it.
type Cause int

// The causes of the seat movements that follow assignments.
const (
	CauseAssigned   Cause = iota + 1 // a course assigned: a seat reserved
	CauseUnassigned                  // unassigned (or activity archived) before starting: the seat back
	CauseRestored                    // the user unarchived: the released seat reserved again
	CauseArchived                    // the user archived before starting: the seat back
	CauseDeleted                     // the user deleted before starting: the seat back
	CauseStarted                     // the learner started: the reserved seat used
)

// Text is the cause in words for the course named course, as the ledger
// stores it: the learner stands as LearnerMark, named when the
// ledger is read, so that deleting a user leaves no name behind. A deleted
// user's entry names nobody.
func (c Cause) Text(course string) string {
	who := LearnerMark
	switch c {
	case CauseAssigned:
		return fmt.Sprintf("%s assigned to %s", course, who)
	case CauseUnassigned:
		return fmt.Sprintf("%s removed from %s before starting it", who, course)
	case CauseRestored:
		return fmt.Sprintf("%s: a seat reserved again for %s, unarchived", course, who)
	case CauseArchived:
		return fmt.Sprintf("%s archived before starting %s", who, course)
	case CauseDeleted:
		return "A deleted user's seat, " + course + " not started"
	case CauseStarted:
		return "Started by " + who
	}
	return ""
}

// SeatStep is one seat of a course moving with an enrollment, and the
// ledger entry that records it. LedgerID is derived from the change that
// moves it, so a write retried or a record delivered twice never records
// the movement twice.
type SeatStep struct {
	CourseID  string
	Kind      SeatKind // reserved, released or used
	Cause     Cause
	LedgerID  string
	ActorID   string
	RequestID string
	UserID    string
	At        time.Time
}

// Move is the step as the ledger records it, once the course's name is known.
func (s SeatStep) Move(courseName string) SeatMove {
	return SeatMove{
		ID: s.LedgerID, Count: 1, Cause: s.Cause.Text(courseName),
		ActorID: s.ActorID, RequestID: s.RequestID, UserID: s.UserID, At: s.At,
	}
}

// Reserves reports whether the step takes a seat from the pool.
func (s SeatStep) Reserves() bool { return s.Kind == SeatsReserved }

// userStep is a seat step of u's write: its ledger id is the user's
// version, as written (suffix, when not "", tells apart the stream's steps
// that follow the same version).
func userStep(u *roster.User, courseID string, kind SeatKind, cause Cause, suffix string) *SeatStep {
	return &SeatStep{
		CourseID: courseID, Kind: kind, Cause: cause, LedgerID: fmt.Sprintf("%s.v%d%s", u.ID, u.Version, suffix),
		ActorID: u.ChangedBy, RequestID: u.RequestID, UserID: u.ID, At: u.UpdatedAt,
	}
}

// Reminder is how a write moves an enrollment's reminder: owed by By, or
// owed nothing when By is nil.
type Reminder struct{ By *time.Time }

// reminder is the reminder an enrollment in state owes with these dates
// (OwedBy), none while its user is archived.
func reminder(state string, dueAt, retakeDueAt *time.Time, archived bool) *Reminder {
	if archived {
		return &Reminder{}
	}
	return &Reminder{By: OwedBy(state, dueAt, retakeDueAt)}
}
