package dynamo

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"slices"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

// userItem is a user as stored: the domain fields, plus the attributes that
// key the user into each index. Only this file knows the layout.
type userItem struct {
	PK           string           `dynamodbav:"PK"`
	SK           string           `dynamodbav:"SK"`
	Type         string           `dynamodbav:"type"`
	ID           string           `dynamodbav:"id"`
	OrgID        string           `dynamodbav:"orgId"`
	FirstName    string           `dynamodbav:"firstName"`
	LastName     string           `dynamodbav:"lastName"`
	Email        string           `dynamodbav:"email,omitempty"`
	UserID       string           `dynamodbav:"userId,omitempty"`
	Role         string           `dynamodbav:"role"`
	State        string           `dynamodbav:"state"`
	LocationID   string           `dynamodbav:"locationId,omitempty"`
	GroupIDs     []string         `dynamodbav:"groupIds,stringset,omitempty"`
	Courses      []assignmentAttr `dynamodbav:"courses,omitempty"`
	ExpiresAt    *time.Time       `dynamodbav:"expiresAt,omitempty"`
	ApprovedAt   *time.Time       `dynamodbav:"approvedAt,omitempty"`
	NotifiedAt   *time.Time       `dynamodbav:"notifiedAt,omitempty"`
	LastAccessAt *time.Time       `dynamodbav:"lastAccessAt,omitempty"`
	ArchivedAt   *time.Time       `dynamodbav:"archivedAt,omitempty"`
	CreatedAt    time.Time        `dynamodbav:"createdAt"`
	UpdatedAt    time.Time        `dynamodbav:"updatedAt"`
	Version      int64            `dynamodbav:"version"`
	ChangedBy    string           `dynamodbav:"changedBy,omitempty"`
	RequestID    string           `dynamodbav:"requestId,omitempty"`

	SessionsEndedAt        *time.Time      `dynamodbav:"sessionsEndedAt,omitempty"`
	LinksRetiredAt         *time.Time      `dynamodbav:"linksRetiredAt,omitempty"`
	PasswordChangeRequired bool            `dynamodbav:"passwordChangeRequired,omitempty"`
	LastCourseStep         *courseStepAttr `dynamodbav:"lastCourseStep,omitempty"`
	RecentJobs             []string        `dynamodbav:"recentJobs,omitempty"`

	UsersPK     string `dynamodbav:"usersPK"`
	NameSK      string `dynamodbav:"nameSK"`
	FirstNameSK string `dynamodbav:"firstNameSK"`
	EmailSK     string `dynamodbav:"emailSK,omitempty"`
	UserIDSK    string `dynamodbav:"userIdSK,omitempty"`
	LocationPK  string `dynamodbav:"locationPK,omitempty"`
	StatePK     string `dynamodbav:"statePK"`
	RolePK      string `dynamodbav:"rolePK"`
	ExpirySK    string `dynamodbav:"expirySK,omitempty"`
}

const typeUser = "user"

func newUserItem(u *roster.User) *userItem {
	b := kit.BucketOf(u)
	it := &userItem{
		PK: kit.OrgPK(u.OrgID), SK: kit.UserSK(u.ID), Type: typeUser,
		ID: u.ID, OrgID: u.OrgID, FirstName: u.FirstName, LastName: u.LastName,
		Email: u.Email, UserID: u.UserID, Role: string(u.Role), State: string(u.State),
		LocationID: u.LocationID, GroupIDs: u.GroupIDs, Courses: assignmentAttrs(u.Courses),
		ExpiresAt: u.ExpiresAt, ApprovedAt: u.ApprovedAt, NotifiedAt: u.NotifiedAt,
		LastAccessAt: u.LastAccessAt, ArchivedAt: u.ArchivedAt,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version,
		ChangedBy: u.ChangedBy, RequestID: u.RequestID,
		SessionsEndedAt: u.SessionsEndedAt, LinksRetiredAt: u.LinksRetiredAt, PasswordChangeRequired: u.PasswordChangeRequired,
		LastCourseStep: newCourseStepAttr(u.LastCourseStep),
		RecentJobs:     u.RecentJobs,

		UsersPK:     u.OrgID,
		NameSK:      kit.IndexSK(b, kit.NameToken(u), u.ID),
		FirstNameSK: kit.IndexSK(b, kit.FirstNameToken(u), u.ID),
		StatePK:     kit.FacetPK(u.OrgID, "state:"+string(u.State)),
		RolePK:      kit.FacetPK(u.OrgID, "role:"+string(u.Role)),
	}
	if u.Email != "" {
		it.EmailSK = kit.IndexSK(b, roster.NormalizeEmail(u.Email), u.ID)
	}
	if u.UserID != "" {
		it.UserIDSK = kit.IndexSK(b, roster.NormalizeUserID(u.UserID), u.ID)
	}
	if u.LocationID != "" {
		it.LocationPK = kit.FacetPK(u.OrgID, "location:"+u.LocationID)
	}
	if u.ExpiresAt != nil {
		it.ExpirySK = kit.IndexSK(b, u.ExpiresAt.UTC().Format(time.RFC3339), u.ID)
	}
	return it
}

func (it *userItem) user() *roster.User {
	return &roster.User{
		ID: it.ID, OrgID: it.OrgID, FirstName: it.FirstName, LastName: it.LastName,
		Email: it.Email, UserID: it.UserID, Role: roster.Role(it.Role), State: roster.State(it.State),
		LocationID: it.LocationID, GroupIDs: sortedCopy(it.GroupIDs), Courses: assignments(it.Courses),
		ExpiresAt: it.ExpiresAt, ApprovedAt: it.ApprovedAt, NotifiedAt: it.NotifiedAt,
		LastAccessAt: it.LastAccessAt, ArchivedAt: it.ArchivedAt,
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, Version: it.Version,
		ChangedBy: it.ChangedBy, RequestID: it.RequestID,
		SessionsEndedAt: it.SessionsEndedAt, LinksRetiredAt: it.LinksRetiredAt, PasswordChangeRequired: it.PasswordChangeRequired,
		LastCourseStep: it.LastCourseStep.step(),
		RecentJobs:     it.RecentJobs,
	}
}

// courseStepAttr is the user's latest step in a course.
type courseStepAttr struct {
	CourseID string    `dynamodbav:"courseId"`
	Step     string    `dynamodbav:"step"`
	At       time.Time `dynamodbav:"at"`
}

func newCourseStepAttr(s *roster.CourseStep) *courseStepAttr {
	if s == nil {
		return nil
	}
	return &courseStepAttr{CourseID: s.CourseID, Step: s.Step, At: s.At}
}

func (a *courseStepAttr) step() *roster.CourseStep {
	if a == nil {
		return nil
	}
	return &roster.CourseStep{CourseID: a.CourseID, Step: a.Step, At: a.At}
}

// memberItem puts a user in a group; it carries the user's name key so that
// the ByGroup index lists a group's members in roster order.
type memberItem struct {
	PK      string `dynamodbav:"PK"`
	SK      string `dynamodbav:"SK"`
	Type    string `dynamodbav:"type"`
	UserRef string `dynamodbav:"userRef"`
	GroupPK string `dynamodbav:"groupPK"`
	NameSK  string `dynamodbav:"nameSK"`
}

func newMemberItems(u *roster.User) []*memberItem {
	items := make([]*memberItem, len(u.GroupIDs))
	name := kit.IndexSK(kit.BucketOf(u), kit.NameToken(u), u.ID)
	for i, g := range u.GroupIDs {
		items[i] = &memberItem{PK: kit.OrgPK(u.OrgID), SK: kit.MemberSK(u.ID, g), Type: "member", UserRef: u.ID, GroupPK: kit.FacetPK(u.OrgID, "group:"+g), NameSK: name}
	}
	return items
}

// uniqueItem reserves a unique value (an email, a user ID, a slug, a group
// name) for the record named by Ref; its condition-guarded put is what makes
// the value unique.
type uniqueItem struct {
	PK   string `dynamodbav:"PK"`
	SK   string `dynamodbav:"SK"`
	Type string `dynamodbav:"type"`
	Ref  string `dynamodbav:"ref"`
}

type orgItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	Type      string    `dynamodbav:"type"`
	ID        string    `dynamodbav:"id"`
	Slug      string    `dynamodbav:"slug"`
	Name      string    `dynamodbav:"name"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	// RegistrationToken opens the registration link; absent when it is off.
	RegistrationToken string `dynamodbav:"registrationToken,omitempty"`
}

// namedItem is a group or a location.
type namedItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	Type      string    `dynamodbav:"type"`
	ID        string    `dynamodbav:"id"`
	OrgID     string    `dynamodbav:"orgId"`
	Name      string    `dynamodbav:"name"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	Version   int64     `dynamodbav:"version"`
	Deleting  bool      `dynamodbav:"deleting,omitempty"` // user writes adding a member check its absence
}

func (it *namedItem) group() *roster.Group {
	return &roster.Group{ID: it.ID, OrgID: it.OrgID, Name: it.Name, CreatedAt: it.CreatedAt, Version: it.Version, Deleting: it.Deleting}
}

func (it *namedItem) location() *roster.Location {
	return &roster.Location{ID: it.ID, OrgID: it.OrgID, Name: it.Name, CreatedAt: it.CreatedAt, Version: it.Version, Deleting: it.Deleting}
}

// courseItem is a course with its pool's figures. seats and free exist only
// for a limited pool, so that a reservation's condition (free >= k, or no
// seats at all) needs no read; reserved and used always exist.
type courseItem struct {
	PK           string     `dynamodbav:"PK"`
	SK           string     `dynamodbav:"SK"`
	Type         string     `dynamodbav:"type"`
	ID           string     `dynamodbav:"id"`
	OrgID        string     `dynamodbav:"orgId"`
	Name         string     `dynamodbav:"name"`
	RetakeMonths int        `dynamodbav:"retakeMonths,omitempty"`
	Seats        *int       `dynamodbav:"seats,omitempty"`
	Free         *int       `dynamodbav:"free,omitempty"`
	Reserved     int        `dynamodbav:"reserved"`
	Used         int        `dynamodbav:"used"`
	RetiredAt    *time.Time `dynamodbav:"retiredAt,omitempty"`
	CreatedAt    time.Time  `dynamodbav:"createdAt"`
	Version      int64      `dynamodbav:"version"`
}

func newCourseItem(c *roster.Course) *courseItem {
	return &courseItem{
		PK: kit.OrgPK(c.OrgID), SK: kit.CourseSK(c.ID), Type: "course", ID: c.ID, OrgID: c.OrgID, Name: c.Name,
		RetakeMonths: c.RetakeMonths, Seats: c.Seats, Free: c.Free(), Reserved: c.Reserved, Used: c.Used,
		RetiredAt: c.RetiredAt, CreatedAt: c.CreatedAt, Version: c.Version,
	}
}

func (it *courseItem) course() *roster.Course {
	c := &roster.Course{
		ID: it.ID, OrgID: it.OrgID, Name: it.Name, RetakeMonths: it.RetakeMonths, Reserved: it.Reserved, Used: it.Used,
		RetiredAt: it.RetiredAt, CreatedAt: it.CreatedAt, Version: it.Version,
	}
	if it.Seats != nil {
		n := *it.Seats
		c.Seats = &n
	}
	return c
}

// ledgerItem is one seat movement of a course's pool, written in the same
// transaction as the movement.
type ledgerItem struct {
	PK         string    `dynamodbav:"PK"`
	SK         string    `dynamodbav:"SK"`
	Type       string    `dynamodbav:"type"`
	CourseID   string    `dynamodbav:"courseId"`
	At         time.Time `dynamodbav:"at"`
	Kind       string    `dynamodbav:"kind"`
	Count      int       `dynamodbav:"count"`
	SeatsAfter *int      `dynamodbav:"seatsAfter,omitempty"`
	Cause      string    `dynamodbav:"cause"`
	ActorID    string    `dynamodbav:"actorId,omitempty"`
	RequestID  string    `dynamodbav:"requestId,omitempty"`
	UserRef    string    `dynamodbav:"userRef,omitempty"`
	After      *figures  `dynamodbav:"after,omitempty"` // the pool right after the movement, set by the stream consumer
}

// figures are a pool's figures; free is absent for an unlimited pool.
type figures struct {
	Reserved int  `dynamodbav:"reserved"`
	Used     int  `dynamodbav:"used"`
	Free     *int `dynamodbav:"free,omitempty"`
}

func newLedgerItem(orgID, courseID string, kind training.SeatKind, m training.SeatMove, seatsAfter *int) *ledgerItem {
	return &ledgerItem{
		PK: kit.OrgPK(orgID), SK: kit.LedgerSK(courseID, m.At, m.ID), Type: "seat-move", CourseID: courseID, At: m.At.UTC(),
		Kind: string(kind), Count: m.Count, SeatsAfter: seatsAfter, Cause: m.Cause, ActorID: m.ActorID, RequestID: m.RequestID, UserRef: m.UserID,
	}
}

func (it *ledgerItem) entry() training.LedgerEntry {
	return training.LedgerEntry{
		ID: strings.TrimPrefix(it.SK, kit.LedgerPrefix(it.CourseID)), CourseID: it.CourseID, At: it.At, Kind: training.SeatKind(it.Kind),
		Count: it.Count, SeatsAfter: it.SeatsAfter, Cause: it.Cause, ActorID: it.ActorID, RequestID: it.RequestID, UserID: it.UserRef,
		After: it.After.pool(),
	}
}

func (f *figures) pool() *training.PoolFigures {
	if f == nil {
		return nil
	}
	return &training.PoolFigures{Reserved: f.Reserved, Used: f.Used, Free: f.Free}
}

type credentialItem struct {
	PK   string `dynamodbav:"PK"`
	SK   string `dynamodbav:"SK"`
	Type string `dynamodbav:"type"`
	Hash string `dynamodbav:"hash"`
}

type sessionItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	Type      string    `dynamodbav:"type"`
	OrgID     string    `dynamodbav:"orgId"`
	UserRef   string    `dynamodbav:"userRef"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	ExpiresAt time.Time `dynamodbav:"expiresAt"`
	TTL       int64     `dynamodbav:"ttl"` // epoch seconds: DynamoDB removes the item after it
	// SessionsEndedAt is the user's when the session opened (see roster.Session).
	SessionsEndedAt *time.Time `dynamodbav:"sessionsEndedAt,omitempty"`
}

type linkItem struct {
	PK        string     `dynamodbav:"PK"`
	SK        string     `dynamodbav:"SK"`
	Type      string     `dynamodbav:"type"`
	Purpose   string     `dynamodbav:"purpose"`
	OrgID     string     `dynamodbav:"orgId"`
	UserRef   string     `dynamodbav:"userRef"`
	CreatedAt time.Time  `dynamodbav:"createdAt"`
	ExpiresAt time.Time  `dynamodbav:"expiresAt"`
	SpentAt   *time.Time `dynamodbav:"spentAt,omitempty"`
	TTL       int64      `dynamodbav:"ttl"`
	// LinksRetiredAt is the user's when the link was made (see roster.Link).
	LinksRetiredAt *time.Time `dynamodbav:"linksRetiredAt,omitempty"`
}

func (it *linkItem) link() *accounts.Link {
	return &accounts.Link{
		TokenHash: strings.TrimPrefix(it.PK, kit.LinkPK("")), Purpose: accounts.LinkPurpose(it.Purpose), OrgID: it.OrgID, UserID: it.UserRef,
		CreatedAt: it.CreatedAt, ExpiresAt: it.ExpiresAt, SpentAt: it.SpentAt, LinksRetiredAt: it.LinksRetiredAt,
	}
}

// latestLinkItem names a user's latest link of one purpose: only that one
// works, so sending a new invitation or reset link retires the earlier ones.
type latestLinkItem struct {
	PK        string `dynamodbav:"PK"`
	SK        string `dynamodbav:"SK"`
	Type      string `dynamodbav:"type"`
	TokenHash string `dynamodbav:"tokenHash"`
	TTL       int64  `dynamodbav:"ttl"`
}

// throttleItem counts attempts under one key in one time window, or an
// organization's emails of one day.
type throttleItem struct {
	PK  string `dynamodbav:"PK"`
	SK  string `dynamodbav:"SK"`
	N   int    `dynamodbav:"n"`
	TTL int64  `dynamodbav:"ttl"`
}

type counterItem struct {
	PK string `dynamodbav:"PK"`
	SK string `dynamodbav:"SK"`
	N  int    `dynamodbav:"n"`
}

type auditItem struct {
	PK        string               `dynamodbav:"PK"`
	SK        string               `dynamodbav:"SK"`
	Type      string               `dynamodbav:"type"`
	TargetPK  string               `dynamodbav:"auditTargetPK"` // keys the ByAuditTarget index: one user's history
	At        time.Time            `dynamodbav:"at"`
	ActorID   string               `dynamodbav:"actorId,omitempty"`
	Action    string               `dynamodbav:"action"`
	TargetID  string               `dynamodbav:"targetId"`
	RequestID string               `dynamodbav:"requestId,omitempty"`
	Changes   []roster.FieldChange `dynamodbav:"changes,omitempty"`
}

func newAuditItem(e roster.AuditEntry) *auditItem {
	return &auditItem{
		PK: kit.OrgPK(e.OrgID), SK: kit.AuditSK(e.ID), Type: "audit", TargetPK: kit.FacetPK(e.OrgID, e.TargetKind()+":"+e.TargetID),
		At: e.At, ActorID: e.ActorID, Action: e.Action, TargetID: e.TargetID, RequestID: e.RequestID, Changes: e.Changes,
	}
}

func (it *auditItem) entry(orgID string) roster.AuditEntry {
	return roster.AuditEntry{
		ID: strings.TrimPrefix(it.SK, kit.AuditPrefix), OrgID: orgID, At: it.At, ActorID: it.ActorID, Action: it.Action,
		TargetID: it.TargetID, RequestID: it.RequestID, Changes: it.Changes,
	}
}

func sortedCopy(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	slices.Sort(out)
	return out
}
