package roster

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Organization is one customer account. Nothing crosses from one to another.
type Organization struct {
	ID        string
	Slug      string // what people type to sign in, unique across Roster
	Name      string
	CreatedAt time.Time
	// RegistrationToken opens the organization's registration link; "" when
	// registration is off. Kept as it is, not hashed: administrators see the link.
	RegistrationToken string
}

// Group is any set of users of an organization: a team, a shift, a store.
type Group struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
	Version   int64
	Deleting  bool // a deletion started: no new members, no renames; deleting again finishes it
}

// Location is where a user works; a user has at most one.
type Location struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
	Version   int64
	Deleting  bool // as for groups
}

// TidyName checks and tidies the name of an organization, group, location
// or course: single spaces, not empty, at most max characters. Errors name
// the field "name".
func TidyName(name string, max int) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "", Invalid("name", "is required")
	}
	if utf8.RuneCountInString(name) > max {
		return "", Invalid("name", "must be at most %d characters", max)
	}
	return name, nil
}

// MaxGroupNameLength bounds group and location names.
const MaxGroupNameLength = 100

// RosterCounts are the organization's figures kept by the stream consumer.
type RosterCounts struct {
	Active   int // users on the active roster (not archived)
	Archived int
}
