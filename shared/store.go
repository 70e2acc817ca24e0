package roster

import (
	"context"
	"time"
)

// Store keeps everything Roster knows. Every method that takes an orgID reads
// or writes only that organization's records: a record of another organization
// is reported as not found, never returned.
type Store interface {
	OrganizationStore
	UserStore
	GroupReader
	CredentialStore
	SessionStore
	LinkStore
	ThrottleStore
	EmailQuotaStore
	ChangeRecorder
	CourseStore
	EnrollmentStore
	RecordStore
	JobStore
	ImportStore
}

// ChangeRecorder performs the side effects of user changes read from the
// table's stream.
type ChangeRecorder interface {
	// RecordUserChanges writes each change's audit entry and moves the
	// organizations' counters, in order and in as few transactions as fit,
	// each change once: a change recorded before is left alone. It returns
	// how many of the changes, from the first, are recorded: all of them
	// when err is nil.
	RecordUserChanges(ctx context.Context, cs []UserChange) (recorded int, err error)
}

// OrganizationStore keeps organizations and their roster counts.
type OrganizationStore interface {
	// CreateOrganization stores o with its first owner and the owner's
	// password hash, in one transaction: a taken slug is a conflict on "slug"
	// and writes nothing.
	CreateOrganization(ctx context.Context, o *Organization, owner *User, passwordHash string) error
	// GetOrganization returns the organization or a not-found error.
	GetOrganization(ctx context.Context, id string) (*Organization, error)
	// SetRegistrationToken sets the token of the organization's registration
	// link; "" removes it (registration off). A missing organization is not found.
	SetRegistrationToken(ctx context.Context, orgID, token string) error
	// FindOrganizationBySlug returns the organization with that slug or a not-found error.
	FindOrganizationBySlug(ctx context.Context, slug string) (*Organization, error)
	// GetRosterCounts returns the counts the stream consumer keeps (zero for a new organization).
	GetRosterCounts(ctx context.Context, orgID string) (RosterCounts, error)
}

// UserStore keeps users. Uniqueness of email and user ID inside an
// organization is enforced by the store in the same write as the user.
type UserStore interface {
	// CreateUser stores a new user (Version 1). A taken email or user ID is a
	// conflict naming "email" or "userId"; nothing is written then.
	CreateUser(ctx context.Context, u *User) error
	// GetUser returns the user or a not-found error.
	GetUser(ctx context.Context, orgID, id string) (*User, error)
	// GetUsers returns the users of the organization with these ids, by id;
	// ids of no one are left out.
	GetUsers(ctx context.Context, orgID string, ids []string) (map[string]*User, error)
	// FindUserByLogin returns the user whose email or user ID is login, or a not-found error.
	FindUserByLogin(ctx context.Context, orgID, login string) (*User, error)
	// UpdateUser reads the user, lets change modify it, and writes it back on
	// condition that nobody wrote it in between, retrying a few times when
	// somebody did. An error from change is returned as it is and nothing is
	// written (a *Skip included). expectedVersion, when not zero, must equal the
	// stored version or the update is a conflict on "version".
	UpdateUser(ctx context.Context, orgID, id string, expectedVersion int64, change func(*User) error) (*User, error)
	// ListUsers returns one page of the users matching f, ordered as the index
	// serving f orders them, with the number matching. A bad cursor is a bad request on "cursor".
	ListUsers(ctx context.Context, orgID string, f UserFilter, page PageRequest) (*UserPage, error)
	// CountUsers returns how many users match f, exactly or, past
	// MaxCounted, as a lower bound.
	CountUsers(ctx context.Context, orgID string, f UserFilter) (Count, error)
	// DeleteUser stamps the user with who deletes them (so the stream's
	// tombstone names them), then removes the user, their email and user ID
	// reservations, memberships and password in one transaction. The audit
	// entries about them lose their personal data when the stream delivers
	// the removal. check runs on the user read, as UpdateUser's change does.
	DeleteUser(ctx context.Context, orgID, id string, check func(*User) error) error
	// SelectUserIDs returns the ids of the users matching f, at most limit of them.
	SelectUserIDs(ctx context.Context, orgID string, f UserFilter, limit int) ([]string, error)
}

// GroupReader reads groups and locations: what users, training records
// and imports check references against (shared/groups keeps them).
type GroupReader interface {
	// GetGroup returns the group or a not-found error.
	GetGroup(ctx context.Context, orgID, id string) (*Group, error)
	// ListGroups returns every group of the organization, by name.
	ListGroups(ctx context.Context, orgID string) ([]Group, error)
	// GetLocation returns the location or a not-found error.
	GetLocation(ctx context.Context, orgID, id string) (*Location, error)
	// ListLocations returns every location of the organization, by name.
	ListLocations(ctx context.Context, orgID string) ([]Location, error)
}

// CredentialStore keeps password hashes apart from the user record, so that
// user listings never carry them.
type CredentialStore interface {
	// SetPasswordHash stores the hash for the user, replacing any earlier one.
	SetPasswordHash(ctx context.Context, orgID, userID, hash string) error
	// GetPasswordHash returns the hash, or a not-found error when none is set.
	GetPasswordHash(ctx context.Context, orgID, userID string) (string, error)
	// SetPassword reads the user, lets change modify it, and writes the user
	// (conditional on the version read, retried like UpdateUser), the new
	// password hash and the writes w asks for, all in one transaction. A link
	// w spends that is no longer usable (spent, expired, superseded, gone) is
	// a gone error and nothing is written; an error from change is returned
	// as it is.
	SetPassword(ctx context.Context, orgID, userID, hash string, w PasswordWrite, change func(*User) error) (*User, error)
}

// PasswordWrite is what changes together with a password.
type PasswordWrite struct {
	SpendLink   *Link    // a link spent by this write: it must be live and the user's latest of its purpose
	OpenSession *Session // a session opened by this write; its SessionsEndedAt is set to the user's new one
	KeepSession string   // the token hash of a session that stays: it takes the user's new SessionsEndedAt
}

// SessionStore keeps sign-in sessions, keyed by the hash of their token.
type SessionStore interface {
	// CreateSession stores s; it expires (and is removed by TTL) at s.ExpiresAt.
	CreateSession(ctx context.Context, s *Session) error
	// EndSessions writes the user as change leaves it, as UpdateUser does
	// (change moves SessionsEndedAt, which ends every session opened before,
	// and the audit trail shows it), and deletes the session of endHash (when
	// not "") in the same transaction.
	EndSessions(ctx context.Context, orgID, userID, endHash string, change func(*User) error) (*User, error)
	// GetSession returns the session with that token hash and the current
	// record of its user, or a not-found error when there is no such live
	// session of that user of that organization. It costs one request.
	GetSession(ctx context.Context, tokenHash, orgID, userID string) (*Session, *User, error)
	// DeleteSession removes the session; removing a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error
}

// Session is a signed-in user's session. Only the hash of its token is stored.
// The user's role and access are read from the user at every request, never
// kept here, so that losing access takes effect at once.
type Session struct {
	TokenHash string
	OrgID     string
	UserID    string // the user's id, not their user ID
	CreatedAt time.Time
	ExpiresAt time.Time
	// SessionsEndedAt is the user's SessionsEndedAt when the session opened:
	// once the user's moves on, the session has ended.
	SessionsEndedAt *time.Time
}

// Valid reports whether the session is live at now for u: unexpired, and
// opened since u's sessions were last ended.
func (s *Session) Valid(u *User, now time.Time) bool {
	return now.Before(s.ExpiresAt) && sameTime(s.SessionsEndedAt, u.SessionsEndedAt)
}

// Principal is who makes a request: the session's user in its organization.
type Principal struct {
	OrgID     string
	UserID    string
	Role      Role
	RequestID string
	// TokenHash is the hash of the session's token.
	TokenHash string
	// PasswordChangeRequired: signed in with a one-time password, the
	// caller may only change it (and read who they are, and sign out).
	PasswordChangeRequired bool
}

// Skip is returned by an UpdateUser change function to leave a user as it is
// for a reason a person can read ("already archived").
type Skip struct{ Reason string }

func (s *Skip) Error() string { return "skipped: " + s.Reason }

// LinkStore keeps the single-use tokens of links sent by email
// (invitations, password resets). Only the hash of a token is stored.
type LinkStore interface {
	// CreateLink stores the link token and makes it the user's latest link
	// of its purpose, in one transaction: every earlier one stops working.
	// It is removed by TTL after it expires.
	CreateLink(ctx context.Context, l *Link) error
	// GetLink returns the link with that token hash, spent or expired ones
	// included, and whether it is still its user's latest of its purpose;
	// a not-found error when there is none.
	GetLink(ctx context.Context, tokenHash string) (l *Link, latest bool, err error)
}

// LinkPurpose says what a link lets its holder do.
type LinkPurpose string

// The purposes of links.
const (
	LinkInvitation    LinkPurpose = "invitation"     // set a first password
	LinkPasswordReset LinkPurpose = "password-reset" // set a new password
)

// Link is a single-use link token sent by email.
type Link struct {
	TokenHash string
	Purpose   LinkPurpose
	OrgID     string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	SpentAt   *time.Time // when the link was used; it works once
	// LinksRetiredAt is the user's LinksRetiredAt when the link was made:
	// once the user's moves on, the link no longer works.
	LinksRetiredAt *time.Time
}

// ThrottleStore counts attempts (sign-ins, password changes, reset
// requests, registrations) in fixed time windows, per subject (an account,
// a client address), each against its limit.
type ThrottleStore interface {
	// TakeAttempt counts one attempt under key in the window that starts at
	// window, provided fewer than limit were counted there, in one
	// conditional write, and reports whether it did: callers at the same
	// time never take more than limit between them. The count is removed
	// by TTL after expires.
	TakeAttempt(ctx context.Context, key string, window time.Time, limit int, expires time.Time) (bool, error)
	// ReturnAttempt uncounts one attempt taken under key in the window: a
	// sign-in that succeeded, or the other counter of a refused attempt.
	ReturnAttempt(ctx context.Context, key string, window time.Time) error
}

// EmailQuotaStore counts each organization's invitation and reset emails
// per UTC day.
type EmailQuotaStore interface {
	// EmailsSent returns how many emails the organization counted on day.
	EmailsSent(ctx context.Context, orgID string, day time.Time) (int, error)
	// TakeEmail counts one email of the organization on day, provided fewer
	// than quota were counted, in one conditional write, and reports whether
	// it did. The count is removed by TTL once the day is over.
	TakeEmail(ctx context.Context, orgID string, day time.Time, quota int) (bool, error)
	// ReturnEmail uncounts one email of the organization on day: it did not go out.
	ReturnEmail(ctx context.Context, orgID string, day time.Time) error
}
