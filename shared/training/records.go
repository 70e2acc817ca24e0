package training

import (
	"context"
	"slices"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// RecordStatus selects training records by their progress or by an
// archived mark.
type RecordStatus string

// The statuses a training records filter selects.
const (
	RecordNotStarted       RecordStatus = "not_started"
	RecordInProgress       RecordStatus = "in_progress"
	RecordCompleted        RecordStatus = "completed"
	RecordOverdue          RecordStatus = "overdue"           // see TrainingRecord.Overdue
	RecordUserArchived     RecordStatus = "user_archived"     // the user is archived
	RecordActivityArchived RecordStatus = "activity_archived" // the enrollment was moved aside by archive-activity
)

// RecordStatuses lists every record status, in the order the product presents them.
var RecordStatuses = []RecordStatus{RecordNotStarted, RecordInProgress, RecordCompleted, RecordOverdue, RecordUserArchived, RecordActivityArchived}

// RecordFilter selects training records of one organization; the zero value
// selects all of them, archived users and archived course activity included.
// Date bounds are inclusive.
type RecordFilter struct {
	CourseID      string
	GroupID       string
	LocationID    string
	Status        RecordStatus
	DueFrom       *time.Time
	DueTo         *time.Time
	CompletedFrom *time.Time
	CompletedTo   *time.Time
}

// Validate names the first bad condition of f, its field prefixed by field
// ("records." names records.status).
func (f RecordFilter) Validate(field string) error {
	if f.Status != "" {
		known := false
		for _, s := range RecordStatuses {
			known = known || s == f.Status
		}
		if !known {
			return roster.Invalid(field+"status", "must be one of not_started, in_progress, completed, overdue, user_archived, activity_archived")
		}
	}
	if f.DueFrom != nil && f.DueTo != nil && f.DueTo.Before(*f.DueFrom) {
		return roster.Invalid(field+"dueTo", "must not be before dueFrom")
	}
	if f.CompletedFrom != nil && f.CompletedTo != nil && f.CompletedTo.Before(*f.CompletedFrom) {
		return roster.Invalid(field+"completedTo", "must not be before completedFrom")
	}
	return nil
}

// TrainingRecord is one enrollment as training records report it: a
// current one, or archived course activity (ActivityArchivedAt set), with
// its user as they are now.
type TrainingRecord struct {
	Enrollment
	User               roster.User
	ActivityArchivedAt *time.Time // set when archive-activity moved the enrollment aside
}

// Overdue reports whether r is late at now: a current enrollment past the
// date it is owed by (OwedBy).
// Archived course activity is never overdue.
func (r *TrainingRecord) Overdue(now time.Time) bool {
	if r.ActivityArchivedAt != nil {
		return false
	}
	due := OwedBy(r.State, r.DueAt, r.RetakeDueAt)
	return due != nil && due.Before(now)
}

// Matches reports whether r passes every condition of f at now. Stores use
// it to finish a read served by an index on one condition.
func (f RecordFilter) Matches(r *TrainingRecord, now time.Time) bool {
	switch {
	case f.CourseID != "" && r.CourseID != f.CourseID,
		f.LocationID != "" && r.User.LocationID != f.LocationID,
		f.GroupID != "" && !slices.Contains(r.User.GroupIDs, f.GroupID),
		!within(r.DueAt, f.DueFrom, f.DueTo),
		!within(r.CompletedAt, f.CompletedFrom, f.CompletedTo):
		return false
	}
	switch f.Status {
	case RecordNotStarted, RecordInProgress, RecordCompleted:
		return r.State == string(f.Status)
	case RecordOverdue:
		return r.Overdue(now)
	case RecordUserArchived:
		return r.User.Archived()
	case RecordActivityArchived:
		return r.ActivityArchivedAt != nil
	}
	return true
}

// within reports whether t lies in [from, to]; with no bound, any t passes,
// and with a bound, a missing t does not.
func within(t, from, to *time.Time) bool {
	if from == nil && to == nil {
		return true
	}
	return t != nil && (from == nil || !t.Before(*from)) && (to == nil || !t.After(*to))
}

// RecordPage is one page of training records. A page may hold fewer
// records than asked for, none even, and still have a next cursor: each
// request reads a bounded number of enrollments and filters them.
type RecordPage struct {
	Items      []TrainingRecord
	NextCursor string // empty on the last page
}

// MaxRecordPage is the largest page of training records.
const MaxRecordPage = 200

// RecordStore reads training records.
type RecordStore interface {
	// ListTrainingRecords returns one page of the organization's training
	// records matching f: with a course, that course's enrollments in
	// roster order, archived users and archived activity after; with a
	// group or location, their users' records in roster order; otherwise
	// every enrollment of the organization. Records whose user is gone are
	// left out. A bad cursor is a bad request on "cursor".
	ListTrainingRecords(ctx context.Context, orgID string, f RecordFilter, page roster.PageRequest) (*RecordPage, error)
}

// RecordsView is a page of training records with the names they refer to.
type RecordsView struct {
	*RecordPage
	Courses   map[string]*roster.Course
	Groups    map[string]string // names by id
	Locations map[string]string // names by id
}

// TrainingRecords returns a page of the caller's organization's training
// records matching f, with the names of their courses, groups and
// locations. An exporter reads every record by following NextCursor with
// the same filter until it is empty.
func (s *Service) TrainingRecords(ctx context.Context, p *roster.Principal, f RecordFilter, page roster.PageRequest) (*RecordsView, error) {
	if page.Limit == 0 {
		page.Limit = roster.DefaultPageSize
	}
	if page.Limit < 1 || page.Limit > MaxRecordPage {
		return nil, roster.Invalid("limit", "must be between 1 and %d", MaxRecordPage)
	}
	if err := s.CheckRecordFilter(ctx, p.OrgID, f, ""); err != nil {
		return nil, err
	}
	res, err := s.Store.ListTrainingRecords(ctx, p.OrgID, f, page)
	if err != nil {
		return nil, err
	}
	view := &RecordsView{RecordPage: res, Groups: map[string]string{}, Locations: map[string]string{}}
	var courseIDs []string
	for _, r := range res.Items {
		courseIDs = append(courseIDs, r.CourseID)
	}
	if view.Courses, err = s.Store.GetCourses(ctx, p.OrgID, roster.Dedupe(courseIDs)); err != nil {
		return nil, err
	}
	groups, err := s.Store.ListGroups(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		view.Groups[g.ID] = g.Name
	}
	locations, err := s.Store.ListLocations(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	for _, l := range locations {
		view.Locations[l.ID] = l.Name
	}
	return view, nil
}

// CheckRecordFilter validates f and checks that the course, group and
// location it names are the organization's, naming a bad field with the
// prefix field.
func (s *Service) CheckRecordFilter(ctx context.Context, orgID string, f RecordFilter, field string) error {
	if err := f.Validate(field); err != nil {
		return err
	}
	if f.CourseID != "" {
		if _, err := s.Store.GetCourse(ctx, orgID, f.CourseID); roster.IsCode(err, roster.CodeNotFound) {
			return roster.Invalid(field+"course", "no such course")
		} else if err != nil {
			return err
		}
	}
	if f.GroupID != "" {
		if _, err := s.Store.GetGroup(ctx, orgID, f.GroupID); roster.IsCode(err, roster.CodeNotFound) {
			return roster.Invalid(field+"group", "no such group")
		} else if err != nil {
			return err
		}
	}
	if f.LocationID != "" {
		if _, err := s.Store.GetLocation(ctx, orgID, f.LocationID); roster.IsCode(err, roster.CodeNotFound) {
			return roster.Invalid(field+"location", "no such location")
		} else if err != nil {
			return err
		}
	}
	return nil
}
