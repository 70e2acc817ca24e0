package roster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Course is something to train on (the seeds also say "class"), with an
// optional retake interval and an optional license pool.
type Course struct {
	ID           string
	OrgID        string
	Name         string // unique in the organization; a retired course keeps its name
	RetakeMonths int    // 0: no retake; otherwise 1..MaxRetakeMonths
	Seats        *int   // seats bought; nil: unlimited
	Reserved     int    // seats held by assignments not started yet
	Used         int    // seats spent by assignments started
	RetiredAt    *time.Time
	CreatedAt    time.Time
	Version      int64 // moves with the fields an administrator edits, never with seat movements
}

// Free returns the seats that can still be reserved, or nil when the pool is unlimited.
func (c *Course) Free() *int {
	if c.Seats == nil {
		return nil
	}
	n := *c.Seats - c.Reserved - c.Used
	return &n
}

// Retired reports whether the course was retired: it keeps its records and
// name, but takes no new assignments and no edits until restored.
func (c *Course) Retired() bool { return c.RetiredAt != nil }

// SeatShortage is the refusal of a reservation when the pool has too few
// free seats: it says how many were needed and how many were free.
type SeatShortage struct {
	Course       string // the course's name, when known
	Needed, Free int
}

func (e *SeatShortage) Error() string { return e.asError().Error() }

// Unwrap gives the conflict error a person reads.
func (e *SeatShortage) Unwrap() error { return e.asError() }

func (e *SeatShortage) asError() *Error {
	if e.Course != "" {
		return Conflict("seats", "%s: %s needed, %s free", e.Course, Plural(e.Needed, "seat"), PlainCount(e.Free))
	}
	return Conflict("seats", "%s needed, %s free", Plural(e.Needed, "seat"), PlainCount(e.Free))
}

func PlainCount(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprintf("only %d", n)
}

// AsSeatShortage returns the shortage err carries, if any.
func AsSeatShortage(err error) (*SeatShortage, bool) {
	var s *SeatShortage
	ok := errors.As(err, &s)
	return s, ok
}

// Assignment is a course assigned to a user, with its due date if any. The
// user's write moves the enrollment and its seat in the same transaction.
// StartedAt and CompletedAt copy the enrollment's, written with it by the
// learner's start and completion, so that a roster row shows the user's
// progress without reading the enrollments.
type Assignment struct {
	CourseID    string
	DueAt       *time.Time
	StartedAt   *time.Time
	CompletedAt *time.Time
}

// MaxCoursesPerUser bounds the courses one user is assigned at once (and so
// the items of one user's transaction).
const MaxCoursesPerUser = 20

// MaxCoursesPerAction bounds the courses one action names: each course
// assigned to a user adds three items to the user's transaction.
const MaxCoursesPerAction = 10

// WhenShort is what assigning does when a pool has fewer free seats than
// the selection needs.
type WhenShort string

// The administrator's choices when seats run short.
const (
	AssignNone WhenShort = "none" // refuse, naming the seats needed and free, and assign nobody
	AssignFit  WhenShort = "fit"  // assign as many as fit; the others are skipped: no seat left
)

// Assignment returns u's assignment of the course, or nil.
func (u *User) Assignment(courseID string) *Assignment {
	for i := range u.Courses {
		if u.Courses[i].CourseID == courseID {
			return &u.Courses[i]
		}
	}
	return nil
}

// CourseIDs returns the ids of u's courses, sorted.
func (u *User) CourseIDs() []string {
	ids := make([]string, len(u.Courses))
	for i, a := range u.Courses {
		ids[i] = a.CourseID
	}
	return ids
}

func SortAssignments(as []Assignment) {
	slices.SortFunc(as, func(a, b Assignment) int { return cmp.Compare(a.CourseID, b.CourseID) })
}

// noSeatReason is the skip reason of a user whose seat could not be reserved.
func noSeatReason(e *SeatShortage) string {
	return fmt.Sprintf("no seat left in %s (%s needed, %s free)", e.Course, Plural(e.Needed, "seat"), PlainCount(e.Free))
}

// Training is what users, jobs and imports ask of training before they
// write (training.Service, registered by shared/app): the root package does
// not import shared/training, which imports it.
type Training interface {
	// CheckCourses validates a course action's parameters: one to
	// MaxCoursesPerAction courses that exist (and, to assign, are not
	// retired), a due date in the future, and a known shortage choice.
	CheckCourses(ctx context.Context, p *Principal, a Action, params *ActionParams) error
	// CheckSeats refuses an assignment that asked for all or none when a
	// course's pool has fewer free seats than the selected users (ids, or
	// expected of them when ids is nil) who lack the course.
	CheckSeats(ctx context.Context, p *Principal, params ActionParams, ids []string, expected int) error
	// UnrestoredReason reports the courses an unarchived user's enrollments
	// could not get a seat back in, or "" when all did.
	UnrestoredReason(ctx context.Context, orgID, userID string) string
}
