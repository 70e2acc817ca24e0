package roster

import (
	"context"
)

// Store keeps everything Roster knows. Every method that takes an orgID reads
// or writes only that organization's records: a record of another organization
// is reported as not found, never returned.
type Store interface {
	OrganizationReader
	UserStore
	GroupReader
	JobStore
}

// ChangeRecorder performs the side effects of user changes read from the
// table's stream (shared/changes decides them; the store persists them).
type ChangeRecorder interface {
	// RecordUserChanges writes each change's audit entry and moves the
	// organizations' counters, in order and in as few transactions as fit,
	// each change once: a change recorded before is left alone. It returns
	// how many of the changes, from the first, are recorded: all of them
	// when err is nil.
	RecordUserChanges(ctx context.Context, cs []UserChange) (recorded int, err error)
}

// OrganizationReader reads organizations and their roster counts
// (shared/accounts creates them).
type OrganizationReader interface {
	// GetOrganization returns the organization or a not-found error.
	GetOrganization(ctx context.Context, id string) (*Organization, error)
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
