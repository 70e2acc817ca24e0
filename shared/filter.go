package roster

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// ArchivedMode says whether a listing includes archived users.
type ArchivedMode string

// The archived modes of a filter. Archived users are hidden unless asked for.
const (
	ArchivedExclude ArchivedMode = "exclude"
	ArchivedInclude ArchivedMode = "include"
	ArchivedOnly    ArchivedMode = "only"
)

// UserFilter selects users of one organization. The zero value selects every
// user who is not archived.
type UserFilter struct {
	Status     Status
	LocationID string
	GroupID    string
	CourseID   string // users assigned the course
	Role       Role
	Query      string // a prefix of the first name, last name, full name, email or user ID
	Archived   ArchivedMode
}

// Page limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	MaxQueryLength  = 100
)

// Normalize validates f, fills defaults and returns the filter the store
// should run. field prefixes field names in errors (for example "filter.").
func (f UserFilter) Normalize(field string) (UserFilter, error) {
	if f.Archived == "" {
		f.Archived = ArchivedExclude
	}
	switch f.Archived {
	case ArchivedExclude, ArchivedInclude, ArchivedOnly:
	default:
		return f, Invalid(field+"archived", "must be one of exclude, include, only")
	}
	if f.Status != "" && !f.Status.Valid() {
		return f, Invalid(field+"status", "must be one of pending, activated, active, deactivated, expired, archived")
	}
	if f.Role != "" && !f.Role.Valid() {
		return f, Invalid(field+"role", "must be one of learner, admin, owner")
	}
	// Asking for archived users by status is asking for the archived listing.
	if f.Status == StatusArchived {
		f.Archived, f.Status = ArchivedOnly, ""
	}
	if f.Status != "" && f.Archived == ArchivedOnly {
		return f, Invalid(field+"status", "archived users all show the status archived: drop the status, or show the active roster")
	}
	f.Query = NormalizeSearch(f.Query)
	if utf8.RuneCountInString(f.Query) > MaxQueryLength {
		return f, Invalid(field+"q", "must be at most %d characters", MaxQueryLength)
	}
	return f, nil
}

// NormalizeSearch folds a name, email, user ID or search text to the form the
// indexes store: lower case, single spaces, no leading or trailing space.
func NormalizeSearch(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Matches reports whether u passes every condition of f at time now. Stores
// use it to finish a query served by an index on one condition.
func (f UserFilter) Matches(u *User, now NowFunc) bool {
	switch f.Archived {
	case ArchivedExclude, "":
		if u.Archived() {
			return false
		}
	case ArchivedOnly:
		if !u.Archived() {
			return false
		}
	}
	if f.Status != "" && u.Status(now()) != f.Status {
		return false
	}
	if f.LocationID != "" && u.LocationID != f.LocationID {
		return false
	}
	if f.Role != "" && u.Role != f.Role {
		return false
	}
	if f.CourseID != "" && u.Assignment(f.CourseID) == nil {
		return false
	}
	if f.GroupID != "" && !slices.Contains(u.GroupIDs, f.GroupID) {
		return false
	}
	if f.Query != "" && MatchedToken(u, f.Query) == "" {
		return false
	}
	return true
}

// SearchTokens returns the normalized values a text search matches by
// prefix, one per search index and always in this order: "last first",
// "first last", the email and the user ID ("" when the user has none).
func SearchTokens(u *User) [4]string {
	first, last := NormalizeSearch(u.FirstName), NormalizeSearch(u.LastName)
	return [4]string{
		NormalizeSearch(last + " " + first),
		NormalizeSearch(first + " " + last),
		NormalizeEmail(u.Email),
		NormalizeUserID(u.UserID),
	}
}

// MatchedToken returns the smallest search token of u that starts with q, or
// "" when none does. A search that reads several indexes keeps a user only
// where the index token equals this one, so each user is listed once.
func MatchedToken(u *User, q string) string {
	best := ""
	for _, t := range SearchTokens(u) {
		if t != "" && strings.HasPrefix(t, q) && (best == "" || t < best) {
			best = t
		}
	}
	return best
}

// PageRequest asks for one page of a listing.
type PageRequest struct {
	Limit  int
	Cursor string // opaque; empty for the first page
}

// UserPage is one page of users, with the number of users the filter matches.
type UserPage struct {
	Items      []User
	NextCursor string // empty on the last page
	Count
}

// Count is how many users a filter matches. Counting that needs reading
// users stops after MaxCounted: Exact is then false, and there are more than Total.
type Count struct {
	Total int
	Exact bool
}

// MaxCounted bounds how many users a count reads, so that no listing reads
// a whole organization.
const MaxCounted = 1000
