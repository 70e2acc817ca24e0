package roster

import (
	"fmt"
	"slices"
	"time"
)

// Action names something an administrator does to users. Every action runs
// on one user or many, and on each user it is either done or skipped for a
// reason a person can read; docs/states.md lays the whole table out.
type Action string

// The actions on users.
const (
	ActionApprove          Action = "approve"
	ActionNotify           Action = "notify"
	ActionDeactivate       Action = "deactivate"
	ActionActivate         Action = "activate"
	ActionSetExpiration    Action = "set-expiration"
	ActionArchive          Action = "archive"
	ActionUnarchive        Action = "unarchive"
	ActionAddToGroups      Action = "add-to-groups"
	ActionRemoveFromGroups Action = "remove-from-groups"
	ActionSetLocation      Action = "set-location"
	ActionSetRole          Action = "set-role"
	ActionAssignCourses    Action = "assign-courses"
	ActionUnassignCourses  Action = "unassign-courses"
	ActionSetDueDate       Action = "set-due-date"
	ActionArchiveActivity  Action = "archive-activity"
)

// Actions lists the user actions in the order the product presents them.
var Actions = []Action{
	ActionApprove, ActionNotify, ActionDeactivate, ActionActivate, ActionSetExpiration,
	ActionArchive, ActionUnarchive, ActionAddToGroups, ActionRemoveFromGroups, ActionSetLocation, ActionSetRole,
	ActionAssignCourses, ActionUnassignCourses, ActionSetDueDate, ActionArchiveActivity,
}

// ActionParams are the parameters of an action; each action reads its own.
type ActionParams struct {
	ExpiresAt  *time.Time // set-expiration; nil clears the date
	GroupIDs   []string   // add-to-groups, remove-from-groups
	LocationID string     // set-location; "" clears the location
	Role       Role       // set-role
	Notify     bool       // approve: send the invitation email too
	CourseIDs  []string   // assign-courses, unassign-courses, set-due-date, archive-activity
	DueAt      *time.Time // assign-courses, set-due-date; nil: no due date
	WhenShort  WhenShort  // assign-courses: what to do when a pool has too few free seats
}

// Skip reasons shared by several actions.
const (
	ReasonArchived = "archived: unarchive the user first"
	ReasonExpired  = "expired: move the expiration date to the future to restore access"
)

// Apply changes u for the action at time now, or returns a *Skip saying why
// the action does not apply to u in its present state, leaving u as it was. It checks only the
// user's state: who may act, and whether the parameters exist, is checked
// before. It is the one place the state machine lives.
func (a Action) Apply(u *User, p ActionParams, now time.Time) error {
	status := u.Status(now)
	skip := func(reason string) error { return &Skip{Reason: reason} }
	switch a {
	case ActionArchive:
		if status == StatusArchived {
			return skip("already archived")
		}
		at := now
		u.ArchivedAt = &at
		return nil
	case ActionUnarchive:
		if status != StatusArchived {
			return skip("not archived")
		}
		u.ArchivedAt = nil
		return nil
	}
	if status == StatusArchived {
		return skip(ReasonArchived)
	}
	switch a {
	case ActionApprove:
		switch status {
		case StatusPending:
			u.State, u.ApprovedAt = StateActivated, &now
			return nil
		case StatusExpired:
			if u.State == StatePending {
				return skip(ReasonExpired)
			}
			return skip("already approved")
		case StatusDeactivated:
			return skip("deactivated: use Activate to restore access")
		}
		return skip("already approved")
	case ActionNotify:
		switch status {
		case StatusPending:
			return skip("not approved: approve the user first")
		case StatusDeactivated:
			return skip("deactivated: users without access are never emailed")
		case StatusExpired:
			return skip(ReasonExpired)
		}
		if u.Email == "" {
			return skip("no email address: this user signs in with their user ID")
		}
		// The email is sent by the caller; it stamps NotifiedAt once SES accepts it.
		return nil
	case ActionDeactivate:
		if status == StatusDeactivated {
			return skip("already deactivated")
		}
		u.State = StateDeactivated
		return nil
	case ActionActivate:
		if u.ExpiresAt != nil && !now.Before(*u.ExpiresAt) {
			return skip(ReasonExpired) // even a deactivated user: activating would not give access
		}
		switch status {
		case StatusExpired:
			return skip(ReasonExpired)
		case StatusPending:
			return skip("pending: approve the user to give access")
		case StatusActivated, StatusActive:
			return skip("already has access")
		}
		// Access comes back as it was: Active once training was opened.
		u.State = StateActivated
		if u.LastAccessAt != nil {
			u.State = StateActive
		}
		if u.ApprovedAt == nil {
			u.ApprovedAt = &now
		}
		return nil
	case ActionSetExpiration:
		if SameTime(u.ExpiresAt, p.ExpiresAt) {
			return skip("already has this expiration date")
		}
		u.ExpiresAt = utcPtr(p.ExpiresAt)
		return nil
	case ActionAddToGroups:
		groups := NormalizeIDs(append(slices.Clone(u.GroupIDs), p.GroupIDs...))
		if len(groups) == len(u.GroupIDs) {
			return skip("already in these groups")
		}
		if len(groups) > MaxGroupsPerUser {
			return skip(fmt.Sprintf("would be in more than %d groups", MaxGroupsPerUser))
		}
		u.GroupIDs = groups
		return nil
	case ActionRemoveFromGroups:
		groups := slices.DeleteFunc(slices.Clone(u.GroupIDs), func(g string) bool { return slices.Contains(p.GroupIDs, g) })
		if len(groups) == len(u.GroupIDs) {
			return skip("not in these groups")
		}
		u.GroupIDs = groups
		return nil
	case ActionSetLocation:
		if u.LocationID == p.LocationID {
			return skip("already at this location")
		}
		u.LocationID = p.LocationID
		return nil
	case ActionSetRole:
		if u.Role == p.Role {
			return skip("already has this role")
		}
		u.Role = p.Role
		return nil
	case ActionAssignCourses:
		n := len(u.Courses)
		for _, c := range p.CourseIDs {
			if u.Assignment(c) == nil {
				u.Courses = append(u.Courses, Assignment{CourseID: c, DueAt: utcPtr(p.DueAt)})
			}
		}
		if len(u.Courses) == n {
			return skip("already assigned to these courses")
		}
		if len(u.Courses) > MaxCoursesPerUser {
			u.Courses = u.Courses[:n]
			return skip(fmt.Sprintf("would have more than %d courses", MaxCoursesPerUser))
		}
		SortAssignments(u.Courses)
		return nil
	case ActionUnassignCourses, ActionArchiveActivity:
		courses := slices.DeleteFunc(slices.Clone(u.Courses), func(a Assignment) bool { return slices.Contains(p.CourseIDs, a.CourseID) })
		if len(courses) == len(u.Courses) {
			return skip("not assigned to these courses")
		}
		if a == ActionArchiveActivity {
			for _, c := range u.Courses {
				if slices.Contains(p.CourseIDs, c.CourseID) {
					u.KeepActivity = append(u.KeepActivity, c.CourseID)
				}
			}
		}
		u.Courses = courses
		return nil
	case ActionSetDueDate:
		courses, assigned, changed := slices.Clone(u.Courses), false, false
		for i, a := range courses {
			if slices.Contains(p.CourseIDs, a.CourseID) {
				assigned = true
				if !SameTime(a.DueAt, p.DueAt) {
					courses[i].DueAt, changed = utcPtr(p.DueAt), true
				}
			}
		}
		switch {
		case !assigned:
			return skip("not assigned to these courses")
		case !changed:
			return skip("already due then")
		}
		u.Courses = courses
		return nil
	}
	return skip("unknown action")
}

// SameTime reports whether a and b are the same instant, or both nil.
func SameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
