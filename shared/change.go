package roster

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// UserChange is one write to a user, as the table's stream reports it.
// Old is nil for a new user, New is nil for a removed one.
type UserChange struct {
	Old, New *User
}

// AuditEntry records one change by anyone: who, what, to whom, when, in which request.
type AuditEntry struct {
	ID        string // deterministic for a change, so a change delivered twice is recorded once
	OrgID     string
	At        time.Time
	ActorID   string
	Action    string // user.created, .updated, .archived, .unarchived, .deleted; course.created, .updated, .retired, .restored
	TargetID  string
	RequestID string
	Changes   []FieldChange
}

// TargetKind is what the entry is about: "user" or "course".
func (e AuditEntry) TargetKind() string {
	kind, _, _ := strings.Cut(e.Action, ".")
	return kind
}

// FieldChange is one field's value before and after a change ("" when absent).
type FieldChange struct {
	Field string
	From  string
	To    string
}

// Counter deltas are keyed "<facet>#<bucket>", where bucket says whether the
// users counted are on the active roster or archived.
const (
	BucketActive   = "active"
	BucketArchived = "archived"
)

// CounterKey names the counter of users in a bucket with a facet ("all",
// "location:<id>", "group:<id>", "course:<id>", "role:<role>", "state:<state>").
func CounterKey(facet, bucket string) string { return facet + "#" + bucket }

// counterFacets lists the facets a user is counted under.
func counterFacets(u *User) []string {
	f := []string{"all", "role:" + string(u.Role), "state:" + string(u.State)}
	if u.LocationID != "" {
		f = append(f, "location:"+u.LocationID)
	}
	for _, g := range u.GroupIDs {
		f = append(f, "group:"+g)
	}
	for _, a := range u.Courses {
		f = append(f, "course:"+a.CourseID)
	}
	return f
}

func bucketOf(u *User) string {
	if u.Archived() {
		return BucketArchived
	}
	return BucketActive
}

// CounterDeltas returns how the change moves the organization's counters;
// counters that do not move are left out.
func (c UserChange) CounterDeltas() map[string]int {
	d := map[string]int{}
	if c.Old != nil {
		for _, f := range counterFacets(c.Old) {
			d[CounterKey(f, bucketOf(c.Old))]--
		}
	}
	if c.New != nil {
		for _, f := range counterFacets(c.New) {
			d[CounterKey(f, bucketOf(c.New))]++
		}
	}
	for k, v := range d {
		if v == 0 {
			delete(d, k)
		}
	}
	return d
}

// Unseen reports whether the change moves nothing a person sees: no audited
// field and no counter (a write that only stamps who acts next, as before a
// deletion). It gets no audit entry.
func (c UserChange) Unseen() bool {
	return c.Old != nil && c.New != nil && len(DiffUsers(c.Old, c.New)) == 0 && len(c.CounterDeltas()) == 0
}

// Audit describes the change as an audit entry.
func (c UserChange) Audit() AuditEntry {
	cur := c.New
	if cur == nil {
		cur = c.Old
	}
	e := AuditEntry{
		OrgID:     cur.OrgID,
		TargetID:  cur.ID,
		At:        cur.UpdatedAt,
		ActorID:   cur.ChangedBy,
		RequestID: cur.RequestID,
		Changes:   DiffUsers(c.Old, c.New),
	}
	switch {
	case c.Old == nil:
		e.Action = "user.created"
	case c.New == nil:
		e.Action = "user.deleted"
		e.Changes = nil // a tombstone keeps no personal data
	case !c.Old.Archived() && c.New.Archived():
		e.Action = "user.archived"
	case c.Old.Archived() && !c.New.Archived():
		e.Action = "user.unarchived"
	default:
		e.Action = "user.updated"
	}
	// A user's version names each of its writes; a removal comes after the
	// last. Fixed widths make the ids sort as the entries happened.
	e.ID = fmt.Sprintf("%s#%s#v%010d", AuditTime(e.At), cur.ID, cur.Version)
	if c.New == nil {
		e.ID += "#removed"
	}
	return e
}

// AuditTime formats t as audit entry ids begin: fixed-width, so that ids
// sort in time order.
func AuditTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// auditedFields lists each field an audit entry compares, with how to show it.
var auditedFields = []struct {
	name  string
	value func(*User) string
}{
	{"firstName", func(u *User) string { return u.FirstName }},
	{"lastName", func(u *User) string { return u.LastName }},
	{"email", func(u *User) string { return u.Email }},
	{"userId", func(u *User) string { return u.UserID }},
	{"role", func(u *User) string { return string(u.Role) }},
	{"state", func(u *User) string { return string(u.State) }},
	{"locationId", func(u *User) string { return u.LocationID }},
	{"groupIds", func(u *User) string { return strings.Join(u.GroupIDs, ",") }},
	{"expiresAt", func(u *User) string { return FormatTime(u.ExpiresAt) }},
	{"courseIds", func(u *User) string { return strings.Join(u.CourseIDs(), ",") }},
	{"courseDueDates", courseDueDates},
	{"approvedAt", func(u *User) string { return FormatTime(u.ApprovedAt) }},
	{"notifiedAt", func(u *User) string { return FormatTime(u.NotifiedAt) }},
	{"archivedAt", func(u *User) string { return FormatTime(u.ArchivedAt) }},
	{"sessionsEndedAt", func(u *User) string { return FormatTime(u.SessionsEndedAt) }},
	{"passwordChangeRequired", func(u *User) string { return formatBool(u.PasswordChangeRequired) }},
}

// courseDueDates is "<course>=<due day>" for each assigned course with a
// due date, in course order: assignments and due-date changes in words.
func courseDueDates(u *User) string {
	var out []string
	for _, a := range u.Courses {
		if a.DueAt != nil {
			out = append(out, a.CourseID+"="+DateOf(*a.DueAt))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func formatBool(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func DiffUsers(old, new *User) []FieldChange {
	var out []FieldChange
	for _, f := range auditedFields {
		var from, to string
		if old != nil {
			from = f.value(old)
		}
		if new != nil {
			to = f.value(new)
		}
		if from != to {
			out = append(out, FieldChange{Field: f.name, From: from, To: to})
		}
	}
	if step := courseStepChange(old, new); step != nil {
		out = append(out, *step)
	}
	return slices.Clip(out)
}

// courseStepChange is the change that records a learner's new step in a
// course ("courseStarted" or "courseCompleted", to the course id), or nil
// when the write took no step.
func courseStepChange(old, new *User) *FieldChange {
	if new == nil || new.LastCourseStep == nil {
		return nil
	}
	s := new.LastCourseStep
	if old != nil && old.LastCourseStep != nil {
		o := old.LastCourseStep
		if o.CourseID == s.CourseID && o.Step == s.Step && o.At.Equal(s.At) {
			return nil
		}
	}
	field := "courseStarted"
	if s.Step == StepCompleted {
		field = "courseCompleted"
	}
	return &FieldChange{Field: field, To: s.CourseID}
}

// FormatTime shows a time as an audit entry's field change holds it, and
// nothing for none.
func FormatTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
