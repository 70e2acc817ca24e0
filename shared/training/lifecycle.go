package training

import (
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// ReleasesOnArchive reports whether the change archives a user who has
// courses: the stream then releases their seats not started
// (ReleaseOnArchive). Archiving itself stays one write of the user.
func ReleasesOnArchive(c roster.UserChange) bool {
	return c.Old != nil && c.New != nil && !c.Old.Archived() && c.New.Archived() && len(c.New.Courses) > 0
}

// Release is what archiving does to one of the user's enrollments: it
// turns inactive and owes no reminder; a seat still reserved goes back to
// its pool (GiveBack), on condition that the seat is still reserved and
// the user still archived, so that a start, an unassignment or an
// unarchive that came first wins.
type Release struct {
	CourseID string
	GiveBack *SeatStep
}

// ReleaseOnArchive returns the releases of u, as archived by its change
// (the new image), for the enrollments es as read: one each. The ledger
// entry's id is the change's, so a record delivered twice gives back nothing more.
func ReleaseOnArchive(u *roster.User, es []Enrollment) []Release {
	out := make([]Release, 0, len(es))
	for _, e := range es {
		r := Release{CourseID: e.CourseID}
		if e.Seat == SeatReserved {
			r.GiveBack = userStep(u, e.CourseID, SeatsReleased, CauseArchived, ".archived")
		}
		out = append(out, r)
	}
	return out
}

// StoredEnrollment is an enrollment as kept: the current one, or archived course
// activity. Key identifies the stored record for the adapter; the rules do
// not read it.
type StoredEnrollment struct {
	Enrollment
	ArchivedActivity bool
	Key              string
}

// Removal is what deleting a user does to one of their records: it is
// deleted; a current enrollment's seat still reserved goes back to its
// pool first (GiveBack), on condition that it is still reserved and the
// user is gone.
type Removal struct {
	Key      string
	CourseID string
	GiveBack *SeatStep
}

// RemovalOnDelete returns the removals of a deleted user's records (u is
// their last image, stamped by the deletion), one each. The ledger entry's
// id is derived from the user alone, so a record delivered twice gives
// back nothing more, and its cause names nobody.
func RemovalOnDelete(u *roster.User, rs []StoredEnrollment) []Removal {
	out := make([]Removal, 0, len(rs))
	for _, r := range rs {
		rm := Removal{Key: r.Key, CourseID: r.CourseID}
		if r.Seat == SeatReserved && !r.ArchivedActivity {
			rm.GiveBack = &SeatStep{
				CourseID: r.CourseID, Kind: SeatsReleased, Cause: CauseDeleted, LedgerID: u.ID + ".deleted",
				ActorID: u.ChangedBy, RequestID: u.RequestID, UserID: u.ID, At: u.UpdatedAt,
			}
		}
		out = append(out, rm)
	}
	return out
}

// StepPlan is how a learner's step moves their enrollment: from State
// (and, when not "", FromSeat) to To, with the seat to SeatTo when not "".
type StepPlan struct {
	From, FromSeat string
	To, SeatTo     string
	// SetStartedAt and SetCompletedAt stamp the step's time.
	SetStartedAt, SetCompletedAt bool
	// RetakeDueAt, when not nil, is the completion's retake date.
	RetakeDueAt *time.Time
	// Reminder, when not nil, moves the reminder; DropRetake also removes
	// the retake date (a retake completed after the course lost its interval).
	Reminder   *Reminder
	DropRetake bool
}

// PlanStep returns how step moves the enrollment. Start goes from not
// started with a reserved seat to in progress (or completed) with a used
// seat; Retake from completed to in progress, on the seat already used,
// the last completion and retake date kept until this attempt completes;
// Complete from in progress. A completion owes the retake date, or nothing.
func PlanStep(step TrainingStep) StepPlan {
	p := StepPlan{From: InProgress, To: InProgress}
	if step.Complete {
		p.To, p.SetCompletedAt, p.RetakeDueAt = Completed, true, step.RetakeDueAt
		p.Reminder = reminder(Completed, nil, step.RetakeDueAt, false)
		p.DropRetake = p.Reminder.By == nil
	}
	if step.Retake {
		p.From, p.SetStartedAt = Completed, true
	}
	if step.Start {
		p.From, p.FromSeat, p.SeatTo, p.SetStartedAt = NotStarted, SeatReserved, SeatUsed, true
	}
	return p
}

// StartSeat is the seat a start uses, in the learner's write of u (as
// written), or nil for another step.
func StartSeat(u *roster.User, step TrainingStep) *SeatStep {
	if !step.Start {
		return nil
	}
	s := userStep(u, step.CourseID, SeatsUsed, CauseStarted, "")
	s.ActorID, s.At = u.ID, step.At
	return s
}

// RecordStep copies the step onto the user's assignment of the course, so
// that a roster row shows progress without reading enrollments. A course
// unassigned meanwhile is ErrTrainingMoved.
func RecordStep(u *roster.User, step TrainingStep) error {
	a := u.Assignment(step.CourseID)
	if a == nil {
		return ErrTrainingMoved
	}
	at := step.At.UTC()
	if step.Start || step.Retake {
		a.StartedAt = &at
	}
	if step.Complete {
		a.CompletedAt = &at
	}
	return nil
}
