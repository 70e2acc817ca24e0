// Package groups keeps an organization's groups and locations: creating,
// listing, renaming, and deleting them with their members taken out.
package groups

import (
	"log/slog"

	roster "github.com/rosterhq/roster/shared"

	"context"
	"errors"
	"slices"
	"sync/atomic"
)

// Store keeps groups and locations, and takes their members out.
type Store interface {
	GroupStore
	LocationStore
	// CountUsers returns how many users match f, exactly or, past
	// MaxCounted, as a lower bound.
	CountUsers(ctx context.Context, orgID string, f roster.UserFilter) (roster.Count, error)
	// SelectUserIDs returns the ids of the users matching f, at most limit of them.
	SelectUserIDs(ctx context.Context, orgID string, f roster.UserFilter, limit int) ([]string, error)
	// UpdateUser reads the user, lets change modify it, and writes it back
	// on condition that nobody wrote it in between (UserStore.UpdateUser).
	UpdateUser(ctx context.Context, orgID, id string, expectedVersion int64, change func(*roster.User) error) (*roster.User, error)
}

// GroupStore keeps groups.
type GroupStore interface {
	// CreateGroup stores g; a name already taken in the organization is a conflict on "name".
	CreateGroup(ctx context.Context, g *roster.Group) error
	// GetGroup returns the group or a not-found error.
	GetGroup(ctx context.Context, orgID, id string) (*roster.Group, error)
	// ListGroups returns every group of the organization, by name.
	ListGroups(ctx context.Context, orgID string) ([]roster.Group, error)
	// RenameGroup renames the group if version is its current one; a taken
	// name is a conflict on "name", a stale version on "version".
	RenameGroup(ctx context.Context, orgID, id string, version int64, name string) (*roster.Group, error)
	// MarkGroupDeleting marks the group as being deleted if version is its
	// current one, and returns it with its new version.
	MarkGroupDeleting(ctx context.Context, orgID, id string, version int64) (*roster.Group, error)
	// DeleteGroup deletes the group if version is its current one.
	DeleteGroup(ctx context.Context, orgID, id string, version int64) error
}

// LocationStore keeps locations.
type LocationStore interface {
	// CreateLocation stores l; a name already taken in the organization is a conflict on "name".
	CreateLocation(ctx context.Context, l *roster.Location) error
	// GetLocation returns the location or a not-found error.
	GetLocation(ctx context.Context, orgID, id string) (*roster.Location, error)
	// ListLocations returns every location of the organization, by name.
	ListLocations(ctx context.Context, orgID string) ([]roster.Location, error)
	// RenameLocation renames the location if version is its current one.
	RenameLocation(ctx context.Context, orgID, id string, version int64, name string) (*roster.Location, error)
	// MarkLocationDeleting marks the location as being deleted if version is
	// its current one, and returns it with its new version.
	MarkLocationDeleting(ctx context.Context, orgID, id string, version int64) (*roster.Location, error)
	// DeleteLocation deletes the location if version is its current one.
	DeleteLocation(ctx context.Context, orgID, id string, version int64) error
}

// Service keeps groups and locations.
type Service struct {
	Store Store
	Now   roster.NowFunc
	NewID func() string
	Log   *slog.Logger
}

// validateGroupName checks and tidies the name of a group or a location.
func validateGroupName(name string) (string, error) {
	return roster.TidyName(name, roster.MaxGroupNameLength)
}

// CreateGroup adds a group to the caller's organization.
func (s *Service) CreateGroup(ctx context.Context, p *roster.Principal, name string) (*roster.Group, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	g := &roster.Group{ID: s.NewID(), OrgID: p.OrgID, Name: name, CreatedAt: s.Now().UTC(), Version: 1}
	if err := s.Store.CreateGroup(ctx, g); err != nil {
		return nil, err
	}
	return g, nil
}

// ListGroups returns the groups of the caller's organization, by name.
func (s *Service) ListGroups(ctx context.Context, p *roster.Principal) ([]roster.Group, error) {
	return s.Store.ListGroups(ctx, p.OrgID)
}

// CreateLocation adds a location to the caller's organization.
func (s *Service) CreateLocation(ctx context.Context, p *roster.Principal, name string) (*roster.Location, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	l := &roster.Location{ID: s.NewID(), OrgID: p.OrgID, Name: name, CreatedAt: s.Now().UTC(), Version: 1}
	if err := s.Store.CreateLocation(ctx, l); err != nil {
		return nil, err
	}
	return l, nil
}

// ListLocations returns the locations of the caller's organization, by name.
func (s *Service) ListLocations(ctx context.Context, p *roster.Principal) ([]roster.Location, error) {
	return s.Store.ListLocations(ctx, p.OrgID)
}

// RenameGroup renames a group, provided nobody changed it since version.
func (s *Service) RenameGroup(ctx context.Context, p *roster.Principal, id string, version int64, name string) (*roster.Group, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	return s.Store.RenameGroup(ctx, p.OrgID, id, version, name)
}

// RenameLocation renames a location, provided nobody changed it since version.
func (s *Service) RenameLocation(ctx context.Context, p *roster.Principal, id string, version int64, name string) (*roster.Location, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	return s.Store.RenameLocation(ctx, p.OrgID, id, version, name)
}

// DeleteGroup takes every member out of the group (their accounts, and
// their other groups, stay as they are), then deletes it. expectedMembers is
// the member count the administrator confirmed; it returns the members taken out.
func (s *Service) DeleteGroup(ctx context.Context, p *roster.Principal, id string, version int64, expectedMembers int) (int, error) {
	g, err := s.Store.GetGroup(ctx, p.OrgID, id)
	if err != nil {
		return 0, err
	}
	return s.deleteWithMembers(ctx, p, deletion{
		kind: "group", version: g.Version, deleting: g.Deleting,
		members: roster.UserFilter{GroupID: id, Archived: roster.ArchivedInclude},
		leave: func(u *roster.User) bool {
			before := len(u.GroupIDs)
			u.GroupIDs = slices.DeleteFunc(slices.Clone(u.GroupIDs), func(g string) bool { return g == id })
			return len(u.GroupIDs) != before
		},
		mark: func(v int64) (int64, error) {
			g, err := s.Store.MarkGroupDeleting(ctx, p.OrgID, id, v)
			if err != nil {
				return 0, err
			}
			return g.Version, nil
		},
		remove: func(v int64) error { return s.Store.DeleteGroup(ctx, p.OrgID, id, v) },
	}, version, expectedMembers)
}

// DeleteLocation leaves every member of the location without one, then deletes it.
func (s *Service) DeleteLocation(ctx context.Context, p *roster.Principal, id string, version int64, expectedMembers int) (int, error) {
	l, err := s.Store.GetLocation(ctx, p.OrgID, id)
	if err != nil {
		return 0, err
	}
	return s.deleteWithMembers(ctx, p, deletion{
		kind: "location", version: l.Version, deleting: l.Deleting,
		members: roster.UserFilter{LocationID: id, Archived: roster.ArchivedInclude},
		leave: func(u *roster.User) bool {
			if u.LocationID != id {
				return false
			}
			u.LocationID = ""
			return true
		},
		mark: func(v int64) (int64, error) {
			l, err := s.Store.MarkLocationDeleting(ctx, p.OrgID, id, v)
			if err != nil {
				return 0, err
			}
			return l.Version, nil
		},
		remove: func(v int64) error { return s.Store.DeleteLocation(ctx, p.OrgID, id, v) },
	}, version, expectedMembers)
}

// deletion is how a group or a location is deleted.
type deletion struct {
	kind     string
	version  int64 // the current one
	deleting bool  // a deletion started before
	members  roster.UserFilter
	leave    func(*roster.User) bool // takes a user out; false when they were not in
	mark     func(version int64) (newVersion int64, err error)
	remove   func(version int64) error
}

// deleteWithMembers deletes in two phases. First, on condition that the
// version is the one the administrator read and the member count the one
// they confirmed, it marks the group or location as being deleted: renames
// are refused from then on, and no user write can add a member. Then it
// takes every member out, archived users included (a change to the group,
// not to the person, so admins may do it to anyone), and deletes it. If
// taking members out fails, nothing is deleted, and deleting again (with
// any count) finishes the deletion already started.
func (s *Service) deleteWithMembers(ctx context.Context, p *roster.Principal, d deletion, version int64, expected int) (int, error) {
	if !d.deleting {
		if d.version != version {
			return 0, roster.Conflict("version", "this %s was changed by someone else: reload and try again", d.kind)
		}
		count, err := s.Store.CountUsers(ctx, p.OrgID, d.members)
		if err != nil {
			return 0, err
		}
		if !count.Exact || count.Total > roster.MaxSelection {
			return 0, roster.Invalid("expectedMembers", "there are more than %d members: move them elsewhere in smaller steps first", roster.MaxSelection)
		}
		if count.Total != expected {
			return 0, roster.Conflict("expectedMembers", "the %s now has %s, not %d: review and confirm again", d.kind, roster.Plural(count.Total, "member"), expected)
		}
		if d.version, err = d.mark(version); err != nil {
			return 0, err
		}
	}
	ids, err := s.Store.SelectUserIDs(ctx, p.OrgID, d.members, roster.MaxSelection)
	if err != nil {
		return 0, err
	}
	var failed atomic.Int64
	roster.InParallel(len(ids), func(i int) {
		_, err := s.Store.UpdateUser(ctx, p.OrgID, ids[i], 0, roster.Revoking(s.Now, func(u *roster.User) error {
			if !d.leave(u) {
				return &roster.Skip{Reason: "not a member"}
			}
			roster.Stamp(u, p, s.Now())
			return nil
		}))
		var skip *roster.Skip
		if err != nil && !errors.As(err, &skip) && !roster.IsCode(err, roster.CodeNotFound) {
			s.Log.ErrorContext(ctx, "take member out failed", "user", ids[i], "request", p.RequestID, "err", err)
			failed.Add(1)
		}
	})
	if n := failed.Load(); n > 0 {
		return 0, roster.Conflict("", "%s could not be taken out, so the %s is not deleted yet: delete it again to finish", roster.Plural(int(n), "member"), d.kind)
	}
	return len(ids), d.remove(d.version)
}
