package training

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// CheckCourses validates a course action's parameters: one to
// MaxCoursesPerAction courses that exist (and, to assign, are not retired),
// a due date in the future, and a known shortage choice.
func (s *Service) CheckCourses(ctx context.Context, p *roster.Principal, a roster.Action, params *roster.ActionParams) error {
	params.CourseIDs = roster.NormalizeIDs(params.CourseIDs)
	if len(params.CourseIDs) == 0 {
		return roster.Invalid("courseIds", "must name at least one course")
	}
	if len(params.CourseIDs) > roster.MaxCoursesPerAction {
		return roster.Invalid("courseIds", "must name at most %d courses", roster.MaxCoursesPerAction)
	}
	if params.DueAt != nil && !params.DueAt.After(s.Now()) {
		return roster.Invalid("dueAt", "must be in the future")
	}
	if a == roster.ActionAssignCourses {
		switch params.WhenShort {
		case "":
			params.WhenShort = roster.AssignNone
		case roster.AssignNone, roster.AssignFit:
		default:
			return roster.Invalid("whenShort", `must be "none" or "fit"`)
		}
	} else if params.WhenShort != "" {
		return roster.Invalid("whenShort", "goes only with assign-courses")
	}
	if a != roster.ActionAssignCourses && a != roster.ActionSetDueDate && params.DueAt != nil {
		return roster.Invalid("dueAt", "goes only with assign-courses and set-due-date")
	}
	for _, id := range params.CourseIDs {
		c, err := s.Store.GetCourse(ctx, p.OrgID, id)
		if roster.IsCode(err, roster.CodeNotFound) {
			return roster.Invalid("courseIds", "no such course: %s", id)
		}
		if err != nil {
			return err
		}
		if a == roster.ActionAssignCourses && c.Retired() {
			return roster.Invalid("courseIds", "the course %q is retired: restore it to assign it", c.Name)
		}
	}
	return nil
}

// CheckSeats refuses an assignment that asked for all or none when a
// course's pool has fewer free seats than the selected users who lack the
// course: needed counts users (read now) without the course and not
// archived. It is a check before the writes: each user's write still
// reserves its own seat on condition, so a pool drained in between makes
// the users beyond it skipped ("no seat left"), never overdrawn.
func (s *Service) CheckSeats(ctx context.Context, p *roster.Principal, params roster.ActionParams, ids []string, expected int) error {
	var users map[string]*roster.User
	if ids != nil {
		var err error
		if users, err = s.Store.GetUsers(ctx, p.OrgID, ids); err != nil {
			return err
		}
	}
	for _, cid := range params.CourseIDs {
		c, err := s.Store.GetCourse(ctx, p.OrgID, cid)
		if err != nil {
			return err
		}
		free := c.Free()
		if free == nil {
			continue
		}
		needed := expected
		if ids != nil {
			needed = 0
			for _, u := range users {
				if u.Assignment(cid) == nil && !u.Archived() {
					needed++
				}
			}
		}
		if needed > *free {
			return &roster.SeatShortage{Course: c.Name, Needed: needed, Free: *free}
		}
	}
	return nil
}

// Enrollment is a user's current assignment to a course as the store keeps
// it: its seat is reserved until the course is started, used after, and
// released while the user is archived (or, after unarchiving, when the pool
// had no free seat to reserve again).
type Enrollment struct {
	UserID      string
	CourseID    string
	State       string // not_started, in_progress, completed
	Seat        string // reserved, used, released
	DueAt       *time.Time
	AssignedAt  time.Time
	StartedAt   *time.Time
	CompletedAt *time.Time
	RetakeDueAt *time.Time // when the course is due again: completedAt plus the course's retake months
	Active      bool       // false while the user is archived
}

// OwedBy is the date by which the learner owes the course: its retake date
// once completed with one (also while the retake is in progress), its due
// date until the first completion, and nil when nothing is owed.
func OwedBy(state string, dueAt, retakeDueAt *time.Time) *time.Time {
	switch {
	case retakeDueAt != nil:
		return retakeDueAt
	case state == "completed":
		return nil
	}
	return dueAt
}

// EnrollmentStore reads enrollments.
type EnrollmentStore interface {
	// ListEnrollments returns the user's enrollments by course id, read strongly consistently.
	ListEnrollments(ctx context.Context, orgID, userID string) ([]Enrollment, error)
	// GetEnrollment returns the user's enrollment in the course, read
	// strongly consistently, or a not-found error.
	GetEnrollment(ctx context.Context, orgID, userID, courseID string) (*Enrollment, error)
	// StepEnrollment moves the enrollment as step says, in the user's own
	// write modified by change (the access, and the step for the audit
	// trail). An enrollment no longer in the state the step starts from is
	// ErrTrainingMoved.
	StepEnrollment(ctx context.Context, orgID, userID string, step TrainingStep, change func(*roster.User) error) error
}

// UnrestoredReason reports the courses an unarchived user's enrollments
// could not get a seat back in, or "" when all did.
func (s *Service) UnrestoredReason(ctx context.Context, orgID, userID string) string {
	es, err := s.Store.ListEnrollments(ctx, orgID, userID)
	if err != nil {
		s.Log.ErrorContext(ctx, "read enrollments after unarchiving", "user", userID, "err", err)
		return ""
	}
	var names []string
	for _, e := range es {
		if e.Seat != "released" {
			continue
		}
		name := e.CourseID
		if c, err := s.Store.GetCourse(ctx, orgID, e.CourseID); err == nil {
			name = c.Name
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return ""
	}
	return "unarchived, but no seat was free to restore: " + strings.Join(names, ", ")
}

// TrainingItem is one course on a learner's "My training": the enrollment
// with its course's name and whether it is overdue.
type TrainingItem struct {
	Enrollment
	CourseName   string
	RetakeMonths int
	Overdue      bool // not completed and past its due date, or completed and past its retake date
}

// MyTraining returns the caller's enrollments with their courses, by due
// date (undated ones last), then course name.
func (s *Service) MyTraining(ctx context.Context, p *roster.Principal) ([]TrainingItem, error) {
	es, err := s.Store.ListEnrollments(ctx, p.OrgID, p.UserID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.CourseID
	}
	courses, err := s.Store.GetCourses(ctx, p.OrgID, ids)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]TrainingItem, 0, len(es))
	for _, e := range es {
		it := TrainingItem{Enrollment: e}
		if c := courses[e.CourseID]; c != nil {
			it.CourseName, it.RetakeMonths = c.Name, c.RetakeMonths
		}
		due := OwedBy(e.State, e.DueAt, e.RetakeDueAt)
		it.Overdue = due != nil && due.Before(now)
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b TrainingItem) int {
		switch {
		case a.DueAt == nil && b.DueAt != nil:
			return 1
		case a.DueAt != nil && b.DueAt == nil:
			return -1
		case a.DueAt != nil && !a.DueAt.Equal(*b.DueAt):
			return a.DueAt.Compare(*b.DueAt)
		}
		return cmp.Compare(a.CourseName, b.CourseName)
	})
	return out, nil
}

// TrainingStep is a learner's move of one enrollment: Start (not started
// to in progress, the seat reserved to used), Retake (completed to in
// progress again, a new attempt on the seat used already, the last
// completion and retake date kept until the attempt completes) and
// Complete (to completed, at At, due again at RetakeDueAt when the course
// has a retake interval).
type TrainingStep struct {
	CourseID    string
	Start       bool
	Retake      bool
	Complete    bool
	At          time.Time
	RetakeDueAt *time.Time
}

// ErrTrainingMoved says an enrollment was no longer in the state a step
// read: another start or completion came first.
var ErrTrainingMoved = roster.Conflict("courseId", "this course changed meanwhile: reload and try again")

// StartTraining records the caller's start of a course: the enrollment to
// in progress, its seat from reserved to used, and the caller's access (an
// activated user becomes active). A course completed with a retake date
// starts again: a new attempt, on the seat it used. A course in progress,
// or completed with nothing more owed, is returned as it is.
func (s *Service) StartTraining(ctx context.Context, p *roster.Principal, courseID string) (*TrainingItem, error) {
	return s.stepTraining(ctx, p, courseID, false)
}

// CompleteTraining records the caller's completion of a course, starting
// it first when it was not started, with the retake date when the course
// has a retake interval. A course completed already is returned as it is.
func (s *Service) CompleteTraining(ctx context.Context, p *roster.Principal, courseID string) (*TrainingItem, error) {
	return s.stepTraining(ctx, p, courseID, true)
}

func (s *Service) stepTraining(ctx context.Context, p *roster.Principal, courseID string, complete bool) (*TrainingItem, error) {
	for range 3 {
		e, err := s.Store.GetEnrollment(ctx, p.OrgID, p.UserID, courseID)
		if err != nil {
			return nil, err
		}
		retake := !complete && e.State == "completed" && e.RetakeDueAt != nil
		done := (e.State == "completed" && !retake) || (!complete && e.State == "in_progress")
		if done {
			return s.trainingItem(ctx, p, courseID)
		}
		if e.State == "not_started" && e.Seat != "reserved" {
			return nil, roster.Conflict("seats", "this course has no seat for you: ask an administrator to assign it again")
		}
		now := s.Now().UTC()
		step := TrainingStep{CourseID: courseID, Start: e.State == "not_started", Retake: retake, Complete: complete, At: now}
		if complete {
			c, err := s.Store.GetCourse(ctx, p.OrgID, courseID)
			if err != nil {
				return nil, err
			}
			if c.RetakeMonths > 0 {
				due := now.AddDate(0, c.RetakeMonths, 0)
				step.RetakeDueAt = &due
			}
		}
		err = s.Store.StepEnrollment(ctx, p.OrgID, p.UserID, step, func(u *roster.User) error {
			u.LastAccessAt = &now
			u.LastCourseStep = &roster.CourseStep{CourseID: courseID, Step: roster.StepStarted, At: now}
			if complete {
				u.LastCourseStep.Step = roster.StepCompleted
			}
			if u.State == roster.StateActivated {
				u.State = roster.StateActive
			}
			u.UpdatedAt, u.ChangedBy, u.RequestID = now, u.ID, roster.RequestIDFrom(ctx)
			return nil
		})
		if errors.Is(err, ErrTrainingMoved) {
			continue // another start or completion came first: read it again
		}
		if err != nil {
			return nil, err
		}
		return s.trainingItem(ctx, p, courseID)
	}
	return nil, ErrTrainingMoved
}

// trainingItem is the caller's enrollment in the course as My training shows it.
func (s *Service) trainingItem(ctx context.Context, p *roster.Principal, courseID string) (*TrainingItem, error) {
	items, err := s.MyTraining(ctx, p)
	if err != nil {
		return nil, err
	}
	for i := range items {
		if items[i].CourseID == courseID {
			return &items[i], nil
		}
	}
	return nil, roster.NotFound("this course is not assigned to you")
}
