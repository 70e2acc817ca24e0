package training

import roster "github.com/rosterhq/roster/shared"

// AlreadyAssigned is the skip of a user whose new enrollment in the course
// named course exists already (its put's condition failed).
func AlreadyAssigned(course string) error {
	return &roster.Skip{Reason: "already assigned to " + course}
}

// Refusal is what a seat step's failed condition means.
type Refusal struct {
	Err    error // the refusal to return, when not nil
	NoSeat bool  // a seat to restore found the pool empty: write again leaving the enrollment released
	Retry  bool  // the pool or the enrollment moved in between: read again and write again
}

// SeatRefused says why step's condition failed, from the course as read
// before the write (before) and as read after (now): a retired course
// takes no seat; a limited pool without a free seat refuses a reservation
// with the numbers, or leaves a seat to restore released; anything else
// moved in between, and the write is tried again.
func SeatRefused(step SeatStep, before, now *roster.Course) Refusal {
	free := now.Free()
	switch {
	case now.Retired() && step.Reserves():
		return Refusal{Err: roster.Invalid("courseIds", "the course %q is retired: restore it to assign it", now.Name)}
	case step.Cause == CauseRestored && free != nil && *free < 1:
		return Refusal{NoSeat: true}
	case step.Reserves() && free != nil && before.Seats != nil && *free < 1:
		return Refusal{Err: &roster.SeatShortage{Course: now.Name, Needed: 1, Free: *free}}
	}
	return Refusal{Retry: true}
}

// MoveRefused says why a movement of count seats of kind failed its
// condition on the course as it was (old), tried as a limited pool when
// limited: retired, of the other kind (otherKind: try that pool's
// update), too few free seats, or too few reserved.
func MoveRefused(kind SeatKind, count int, old *roster.Course, limited bool) (err error, otherKind bool) {
	if kind == SeatsReserved && old.Retired() {
		return roster.Invalid("courseId", "the course %q is retired: restore it to assign it", old.Name), false
	}
	if (old.Seats != nil) != limited && kind != SeatsUsed {
		return nil, true
	}
	if kind == SeatsReserved {
		return &roster.SeatShortage{Needed: count, Free: *old.Free()}, false
	}
	return roster.Conflict("seats", "only %d reserved on this course, not %d", old.Reserved, count), false
}

// CourseNameTaken refuses a course name another course of the
// organization holds: its name reservation's condition failed.
func CourseNameTaken() error {
	return roster.Conflict("name", "a course with this name exists (retired courses keep their names)")
}

// CourseChanged refuses an edit of a course read at a version that is no
// longer its own.
func CourseChanged() error {
	return roster.Conflict("version", "this course was changed by someone else: reload and try again")
}

// PoolKeptChanging gives up an edit of a pool whose figures kept moving
// under it, attempt after attempt.
func PoolKeptChanging() error {
	return roster.Conflict("seats", "the pool kept changing while this was saved: try again")
}

// PoolBusy gives up a seat movement that kept meeting others on the same
// course, attempt after attempt.
func PoolBusy() error {
	return roster.Conflict("seats", "the pool is busy: try again")
}

// NotAssigned is a learner's step in a course they have no enrollment in.
func NotAssigned() error {
	return roster.NotFound("this course is not assigned to you")
}
