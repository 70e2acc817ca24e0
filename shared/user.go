package roster

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do: learners train, admins manage learners, owners
// manage everything including admins.
type Role string

// The roles.
const (
	RoleLearner Role = "learner"
	RoleAdmin   Role = "admin"
	RoleOwner   Role = "owner"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleLearner || r == RoleAdmin || r == RoleOwner }

// IsAdmin reports whether r may manage the roster.
func (r Role) IsAdmin() bool { return r == RoleAdmin || r == RoleOwner }

// rank orders the roles by what they may do: learner 0, admin 1, owner 2.
// A role granted (Grants) and a role taken away (RevocationOf) both read it.
func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 2
	case RoleAdmin:
		return 1
	}
	return 0
}

// State is the stored access state of a user. Expired and Archived are not
// states of their own: they follow from ExpiresAt and ArchivedAt (see Status), so
// that an expiration date takes effect with no job and archiving keeps the state
// to return to.
type State string

// The stored access states.
const (
	StatePending     State = "pending"     // added or registered, not approved: no access
	StateActivated   State = "activated"   // approved, never opened any training
	StateActive      State = "active"      // approved and has accessed training
	StateDeactivated State = "deactivated" // no access, everything kept
)

// Valid reports whether s is a known stored state.
func (s State) Valid() bool {
	switch s {
	case StatePending, StateActivated, StateActive, StateDeactivated:
		return true
	}
	return false
}

// Status is the state shown to people: the stored state, overridden by
// archiving and expiration.
type Status string

// The statuses a user can show.
const (
	StatusPending     Status = "pending"
	StatusActivated   Status = "activated"
	StatusActive      Status = "active"
	StatusDeactivated Status = "deactivated"
	StatusExpired     Status = "expired"
	StatusArchived    Status = "archived"
)

// Statuses lists every status in the order the product presents them.
var Statuses = []Status{StatusPending, StatusActivated, StatusActive, StatusDeactivated, StatusExpired, StatusArchived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// User is a learner or an administrator of one organization.
type User struct {
	ID         string // generated, immutable
	OrgID      string
	FirstName  string
	LastName   string
	Email      string // optional when UserID is set; unique in the organization
	UserID     string // optional when Email is set; unique in the organization
	Role       Role
	State      State
	LocationID string       // at most one location
	GroupIDs   []string     // sorted, no duplicates
	Courses    []Assignment // sorted by course id, one per course
	// KeepActivity names courses this write removes whose enrollment is
	// kept as archived course activity rather than deleted (the action
	// archive-activity). It is not stored: it says how to write.
	KeepActivity []string
	ExpiresAt    *time.Time
	ApprovedAt   *time.Time
	NotifiedAt   *time.Time
	LastAccessAt *time.Time
	ArchivedAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64 // incremented by every write; every update is conditional on it

	// SessionsEndedAt, when set, is when every session of the user was last
	// ended (log out everywhere, a new password): a session is valid only
	// while it carries the value the user had when it opened.
	SessionsEndedAt *time.Time
	// LinksRetiredAt, when set, is when every link sent to the user was last
	// retired (a new email address, a new password): a link works only while
	// it carries the value the user had when it was made.
	LinksRetiredAt *time.Time
	// PasswordChangeRequired is set with a one-time password: until the user
	// chooses their own, their sessions reach only the password change.
	PasswordChangeRequired bool
	// RecentJobs names the background jobs that changed the user most
	// recently, oldest first, at most MaxRecentJobs: written with the change
	// itself, it is how a job run again knows it changed the user already.
	RecentJobs []string

	// ChangedBy and RequestID name who made the latest change and in which
	// request, so that the stream consumer can write the audit entry.
	ChangedBy string
	RequestID string
	// LastCourseStep is the user's latest step in a course, written by the
	// step's own user write so that the audit trail records it.
	LastCourseStep *CourseStep
}

// CourseStep is a learner's step in a course: "started" or "completed".
type CourseStep struct {
	CourseID string
	Step     string
	At       time.Time
}

// The steps of a CourseStep.
const (
	StepStarted   = "started"
	StepCompleted = "completed"
)

// Archived reports whether u is off the active roster.
func (u *User) Archived() bool { return u.ArchivedAt != nil }

// Status returns the status u shows at time now.
func (u *User) Status(now time.Time) Status {
	switch {
	case u.ArchivedAt != nil:
		return StatusArchived
	case u.State == StateDeactivated:
		return StatusDeactivated
	case u.ExpiresAt != nil && !now.Before(*u.ExpiresAt):
		return StatusExpired
	}
	return Status(u.State)
}

// HasAccess reports whether u may sign in and train at time now.
func (u *User) HasAccess(now time.Time) bool {
	s := u.Status(now)
	return s == StatusActivated || s == StatusActive
}

// HoldsOwnership reports whether u is an owner who keeps the organization
// in hand: with access, not archived, and no expiration date. An
// organization always keeps at least one (see ErrLastOwner).
func (u *User) HoldsOwnership() bool {
	return u.Role == RoleOwner && u.ArchivedAt == nil && u.ExpiresAt == nil &&
		(u.State == StateActivated || u.State == StateActive)
}

// Limits on user fields, shared by validation and documentation.
const (
	MaxNameLength    = 100
	MaxEmailLength   = 254
	MaxUserIDLength  = 64
	MaxGroupsPerUser = 30
)

// NormalizeEmail returns the form of an email address used for uniqueness.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NormalizeUserID returns the form of a user ID used for uniqueness.
func NormalizeUserID(userID string) string { return strings.ToLower(strings.TrimSpace(userID)) }

// ValidateName checks a first or last name.
func ValidateName(field, name string) error {
	if strings.TrimSpace(name) == "" {
		return Invalid(field, "is required")
	}
	if utf8.RuneCountInString(name) > MaxNameLength {
		return Invalid(field, "must be at most %d characters", MaxNameLength)
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return Invalid(field, "must not contain control characters")
	}
	return nil
}

// ValidateEmail checks an email address; the empty string is valid (no email).
func ValidateEmail(field, email string) error {
	if email == "" {
		return nil
	}
	if len(email) > MaxEmailLength {
		return Invalid(field, "must be at most %d characters", MaxEmailLength)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return Invalid(field, "is not a valid email address")
	}
	return nil
}

// ValidateUserID checks a user ID; the empty string is valid (no user ID).
// User IDs are what people without email sign in with, so they are kept to
// characters that survive being typed, printed and put in a spreadsheet, and
// never hold "@": what a person types to sign in is an email exactly when it
// holds one.
func ValidateUserID(field, userID string) error {
	if userID == "" {
		return nil
	}
	if utf8.RuneCountInString(userID) > MaxUserIDLength {
		return Invalid(field, "must be at most %d characters", MaxUserIDLength)
	}
	for _, r := range userID {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-+", r)) {
			return Invalid(field, "may contain only letters, digits and . _ - +")
		}
	}
	return nil
}

// Validate checks the fields a person sets on a user, naming the first bad one.
func (u *User) Validate() error {
	if err := ValidateName("firstName", u.FirstName); err != nil {
		return err
	}
	if err := ValidateName("lastName", u.LastName); err != nil {
		return err
	}
	if err := ValidateEmail("email", u.Email); err != nil {
		return err
	}
	if err := ValidateUserID("userId", u.UserID); err != nil {
		return err
	}
	if u.Email == "" && u.UserID == "" {
		return Invalid("email", "is required when there is no user ID")
	}
	if !u.Role.Valid() {
		return Invalid("role", "must be one of learner, admin, owner")
	}
	if !u.State.Valid() {
		return Invalid("status", "is not a valid state")
	}
	if len(u.GroupIDs) > MaxGroupsPerUser {
		return Invalid("groupIds", "must hold at most %d groups", MaxGroupsPerUser)
	}
	return nil
}
