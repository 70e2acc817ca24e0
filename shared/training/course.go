package training

import (
	"context"
	"fmt"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// Limits of courses.
const (
	MaxCourseNameLength = 100
	MaxRetakeMonths     = 120
	MaxSeats            = 1_000_000
	MaxLedgerPage       = 100
)

// SeatKind is what a ledger entry did to a pool.
type SeatKind string

// The seat movements. Bought, Limited and Unlimited are an administrator's
// changes to the pool; the others follow assignments.
const (
	SeatsBought    SeatKind = "bought"    // seats bought changed by Count (negative: fewer)
	SeatsLimited   SeatKind = "limited"   // an unlimited pool got Count seats
	SeatsUnlimited SeatKind = "unlimited" // a pool became unlimited
	SeatsReserved  SeatKind = "reserved"  // assigning: Count seats held
	SeatsReleased  SeatKind = "released"  // an assignment ended before it was started: Count seats back
	SeatsUsed      SeatKind = "used"      // starting: Count reserved seats spent
)

// SeatMove is the cause of a seat movement: who, why, and for whom.
type SeatMove struct {
	ID        string // the ledger entry's, unique within the instant At
	Count     int
	Cause     string // in words, as the ledger shows it
	ActorID   string // the administrator, or empty for the system
	RequestID string
	UserID    string // the learner whose assignment moved the seats, when there is one
	At        time.Time
}

// LedgerEntry is one seat movement of a course's pool.
type LedgerEntry struct {
	ID         string
	CourseID   string
	At         time.Time
	Kind       SeatKind
	Count      int
	SeatsAfter *int // seats bought after an administrator's change; nil otherwise or when unlimited
	Cause      string
	ActorID    string
	RequestID  string
	UserID     string
	// After is the pool's figures right after the movement, copied onto the
	// entry by the stream consumer from the course's change (nil until then).
	After *PoolFigures
}

// PoolFigures are a pool's figures at one moment: Free is nil for an unlimited pool.
type PoolFigures struct {
	Reserved int
	Used     int
	Free     *int
}

// SeatFigures are the figures after the seat movement of one ledger entry,
// read from the course's change on the table's stream.
type SeatFigures struct {
	OrgID    string
	CourseID string
	EntryKey string // the ledger entry's sort key
	After    PoolFigures
}

// LedgerRecorder copies the figures after seat movements onto their ledger entries.
type LedgerRecorder interface {
	// RecordSeatFigures sets each entry's figures; setting them again
	// changes nothing, and an entry that no longer exists is passed over.
	// It returns how many, from the first, are recorded.
	RecordSeatFigures(ctx context.Context, fs []SeatFigures) (recorded int, err error)
}

// LedgerPage is one page of a course's ledger, newest first.
type LedgerPage struct {
	Items      []LedgerEntry
	NextCursor string
}

// CourseStore keeps courses, their pools and their seat ledgers. Every seat
// movement and its ledger entry are written in one transaction.
type CourseStore interface {
	// CreateCourse stores c (Version 1) with its name reserved; a taken name
	// is a conflict on "name". A limited pool gets its first ledger entry
	// (bought) from m.
	CreateCourse(ctx context.Context, c *roster.Course, m SeatMove) error
	// GetCourse returns the course or a not-found error.
	GetCourse(ctx context.Context, orgID, id string) (*roster.Course, error)
	// GetCourses reads courses by id in one batch; missing ones are left out.
	GetCourses(ctx context.Context, orgID string, ids []string) (map[string]*roster.Course, error)
	// ListCourses returns every course of the organization, retired ones
	// included, by name.
	ListCourses(ctx context.Context, orgID string) ([]roster.Course, error)
	// UpdateCourse reads the course, lets change modify its name, retake,
	// seats and retirement, and writes those back if version is still the
	// current one: a stale version is a conflict on "version". The seats
	// bought move on condition that the pool never goes below what is
	// reserved and used; when assignments move seats in between, change runs
	// again on the new figures. A change of seats writes a ledger entry from m.
	UpdateCourse(ctx context.Context, orgID, id string, version int64, change func(*roster.Course) error, m SeatMove) (*roster.Course, error)
	// ReserveSeats holds m.Count seats of the pool, in one conditional write
	// with its ledger entry: a limited pool with fewer free seats refuses with
	// a *SeatShortage; a retired course with an invalid error on "courseId".
	ReserveSeats(ctx context.Context, orgID, courseID string, m SeatMove) error
	// ReleaseSeats gives m.Count reserved seats back to the pool.
	ReleaseSeats(ctx context.Context, orgID, courseID string, m SeatMove) error
	// UseSeats turns m.Count reserved seats into used ones.
	UseSeats(ctx context.Context, orgID, courseID string, m SeatMove) error
	// ListSeatLedger returns a page of the course's ledger, newest first. A
	// bad cursor is a bad request on "cursor".
	ListSeatLedger(ctx context.Context, orgID, courseID string, page roster.PageRequest) (*LedgerPage, error)
}

// CourseInput is a new course.
type CourseInput struct {
	Name         string
	RetakeMonths int
	Seats        *int
}

// CoursePatch changes a course; unset fields stay as they are.
type CoursePatch struct {
	Version      int64
	Name         roster.Optional[string]
	RetakeMonths roster.Optional[int]
	Seats        roster.Optional[*int] // Value nil: unlimited
	Retired      roster.Optional[bool]
}

// RetiredMode says whether a course listing holds retired courses.
type RetiredMode string

// The retired modes of a course listing.
const (
	RetiredExclude RetiredMode = "" // the default
	RetiredInclude RetiredMode = "include"
	RetiredOnly    RetiredMode = "only"
)

func validateRetake(n int) error {
	if n < 0 || n > MaxRetakeMonths {
		return roster.Invalid("retakeMonths", "must be between 1 and %d months, or none", MaxRetakeMonths)
	}
	return nil
}

func validateSeats(seats *int) error {
	if seats != nil && (*seats < 0 || *seats > MaxSeats) {
		return roster.Invalid("seats", "must be between 0 and %d, or unlimited", MaxSeats)
	}
	return nil
}

// CreateCourse adds a course to the caller's organization.
func (s *Service) CreateCourse(ctx context.Context, p *roster.Principal, in CourseInput) (*roster.Course, error) {
	name, err := roster.TidyName(in.Name, MaxCourseNameLength)
	if err != nil {
		return nil, err
	}
	if err := validateRetake(in.RetakeMonths); err != nil {
		return nil, err
	}
	if err := validateSeats(in.Seats); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	c := &roster.Course{ID: s.NewID(), OrgID: p.OrgID, Name: name, RetakeMonths: in.RetakeMonths, Seats: in.Seats, CreatedAt: now, Version: 1}
	m := SeatMove{ID: s.NewID(), ActorID: p.UserID, RequestID: p.RequestID, At: now}
	if in.Seats != nil {
		m.Count = *in.Seats
		m.Cause = fmt.Sprintf("Course created with %s", roster.Plural(*in.Seats, "seat"))
	}
	if err := s.Store.CreateCourse(ctx, c, m); err != nil {
		return nil, err
	}
	return c, nil
}

// GetCourse returns a course of the caller's organization.
func (s *Service) GetCourse(ctx context.Context, p *roster.Principal, id string) (*roster.Course, error) {
	return s.Store.GetCourse(ctx, p.OrgID, id)
}

// ListCourses returns the caller's organization's courses by name, retired
// ones as mode says.
func (s *Service) ListCourses(ctx context.Context, p *roster.Principal, mode RetiredMode) ([]roster.Course, error) {
	switch mode {
	case RetiredExclude, RetiredInclude, RetiredOnly:
	default:
		return nil, roster.Invalid("retired", "must be include or only")
	}
	all, err := s.Store.ListCourses(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if mode == RetiredInclude || (mode == RetiredOnly) == c.Retired() {
			out = append(out, c)
		}
	}
	return out, nil
}

// UpdateCourse edits a course, provided nobody changed it since patch.Version.
// A retired course takes no edit but its restoration (which may come with
// other changes). Seats bought never go below the seats reserved and used.
func (s *Service) UpdateCourse(ctx context.Context, p *roster.Principal, id string, patch CoursePatch) (*roster.Course, error) {
	if patch.Version < 1 {
		return nil, roster.Invalid("version", "is required: send the version you read")
	}
	var name string
	if patch.Name.Set {
		var err error
		if name, err = roster.TidyName(patch.Name.Value, MaxCourseNameLength); err != nil {
			return nil, err
		}
	}
	if patch.RetakeMonths.Set {
		if err := validateRetake(patch.RetakeMonths.Value); err != nil {
			return nil, err
		}
	}
	if patch.Seats.Set {
		if err := validateSeats(patch.Seats.Value); err != nil {
			return nil, err
		}
	}
	now := s.Now().UTC()
	m := SeatMove{ID: s.NewID(), ActorID: p.UserID, RequestID: p.RequestID, At: now}
	return s.Store.UpdateCourse(ctx, p.OrgID, id, patch.Version, func(c *roster.Course) error {
		restoring := patch.Retired.Set && !patch.Retired.Value
		if c.Retired() && !restoring {
			return roster.Invalid("retired", "this course is retired: restore it before editing it")
		}
		if restoring {
			c.RetiredAt = nil
		}
		if patch.Name.Set {
			c.Name = name
		}
		if patch.RetakeMonths.Set {
			c.RetakeMonths = patch.RetakeMonths.Value
		}
		if patch.Seats.Set {
			if seats := patch.Seats.Value; seats != nil && *seats < c.Reserved+c.Used {
				return PoolTooSmall(c.Reserved + c.Used)
			}
			c.Seats = patch.Seats.Value
		}
		if patch.Retired.Set && patch.Retired.Value && !c.Retired() {
			c.RetiredAt = &now
		}
		return nil
	}, m)
}

// PoolTooSmall refuses seats bought below the n seats reserved and used.
func PoolTooSmall(n int) *roster.Error {
	are := fmt.Sprintf("%d seats are", n)
	if n == 1 {
		are = "1 seat is"
	}
	return roster.Invalid("seats", "%s reserved or used: the pool needs at least %d", are, n)
}

// SeatChangeCause says in words what an administrator did to a pool.
func SeatChangeCause(before, after *int) string {
	switch {
	case before == nil && after != nil:
		return fmt.Sprintf("Pool limited to %s", roster.Plural(*after, "seat"))
	case before != nil && after == nil:
		return fmt.Sprintf("Pool made unlimited (it had %s)", roster.Plural(*before, "seat"))
	case before != nil && after != nil && *after > *before:
		return fmt.Sprintf("%s bought (%d to %d)", roster.Plural(*after-*before, "seat"), *before, *after)
	case before != nil && after != nil:
		return fmt.Sprintf("%s taken off (%d to %d)", roster.Plural(*before-*after, "seat"), *before, *after)
	}
	return ""
}

// LearnerMark stands for the learner in a stored seat-ledger cause ("Started
// by {learner}"): the ledger names the learner when it is read, as they are
// then, so that deleting a user leaves no name behind in the ledger.
const LearnerMark = "{learner}"

// nameLearner fills a cause's LearnerMark with the learner's name, or "a
// deleted user" when they are gone.
func nameLearner(cause string, learner *roster.User) string {
	if !strings.Contains(cause, LearnerMark) {
		return cause
	}
	name := "a deleted user"
	if learner != nil {
		name = strings.TrimSpace(learner.FirstName + " " + learner.LastName)
	}
	return strings.ReplaceAll(cause, LearnerMark, name)
}

// LedgerView is a page of a seat ledger with the people it names (actors
// and learners that still exist), by id.
type LedgerView struct {
	*LedgerPage
	People map[string]*roster.User
}

// ListSeatLedger returns a page of a course's seat ledger, newest first.
func (s *Service) ListSeatLedger(ctx context.Context, p *roster.Principal, courseID string, page roster.PageRequest) (*LedgerView, error) {
	if page.Limit == 0 {
		page.Limit = roster.DefaultPageSize
	}
	if page.Limit < 1 || page.Limit > MaxLedgerPage {
		return nil, roster.Invalid("limit", "must be between 1 and %d", MaxLedgerPage)
	}
	if _, err := s.Store.GetCourse(ctx, p.OrgID, courseID); err != nil {
		return nil, err
	}
	res, err := s.Store.ListSeatLedger(ctx, p.OrgID, courseID, page)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range res.Items {
		for _, id := range []string{e.ActorID, e.UserID} {
			if id != "" {
				ids = append(ids, id)
			}
		}
	}
	people, err := s.Store.GetUsers(ctx, p.OrgID, roster.Dedupe(ids))
	if err != nil {
		return nil, err
	}
	for i := range res.Items {
		res.Items[i].Cause = nameLearner(res.Items[i].Cause, people[res.Items[i].UserID])
	}
	return &LedgerView{LedgerPage: res, People: people}, nil
}

// CourseChange is an administrator's change of a course, by ActorID in
// RequestID at At: Old is nil for a new course, and New carries the
// version the change writes.
type CourseChange struct {
	Old, New  *roster.Course
	ActorID   string
	RequestID string
	At        time.Time
}

// Audit describes the change as an audit entry (course.created,
// course.retired, course.restored or course.updated) with the fields that
// changed; ok is false when nothing an administrator sees changed.
func (c CourseChange) Audit() (e roster.AuditEntry, ok bool) {
	e = roster.AuditEntry{
		ID:    fmt.Sprintf("%s#%s#v%010d", roster.AuditTime(c.At), c.New.ID, c.New.Version),
		OrgID: c.New.OrgID, At: c.At, ActorID: c.ActorID, TargetID: c.New.ID, RequestID: c.RequestID,
	}
	value := map[string]func(*roster.Course) string{
		"name":         func(c *roster.Course) string { return c.Name },
		"retakeMonths": func(c *roster.Course) string { return formatCount(c.RetakeMonths) },
		"seats": func(c *roster.Course) string {
			if c.Seats == nil {
				return ""
			}
			return fmt.Sprint(*c.Seats)
		},
		"retiredAt": func(c *roster.Course) string { return roster.FormatTime(c.RetiredAt) },
	}
	for _, field := range []string{"name", "retakeMonths", "seats", "retiredAt"} {
		var from string
		if c.Old != nil {
			from = value[field](c.Old)
		}
		if to := value[field](c.New); from != to {
			e.Changes = append(e.Changes, roster.FieldChange{Field: field, From: from, To: to})
		}
	}
	switch {
	case c.Old == nil:
		e.Action = "course.created"
	case !c.Old.Retired() && c.New.Retired():
		e.Action = "course.retired"
	case c.Old.Retired() && !c.New.Retired():
		e.Action = "course.restored"
	default:
		e.Action = "course.updated"
	}
	return e, len(e.Changes) > 0
}

// formatCount shows a count, and nothing for zero (none).
func formatCount(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
