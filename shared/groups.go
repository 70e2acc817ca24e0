package roster

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// validateGroupName checks the name of a group or a location.
func validateGroupName(name string) (string, error) {
	return validateName(name, MaxGroupNameLength)
}

// validateName checks and tidies the name of a group, location or course:
// single spaces, not empty, at most max characters.
func validateName(name string, max int) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "", Invalid("name", "is required")
	}
	if utf8.RuneCountInString(name) > max {
		return "", Invalid("name", "must be at most %d characters", max)
	}
	return name, nil
}

// CreateGroup adds a group to the caller's organization.
func (s *Service) CreateGroup(ctx context.Context, p *Principal, name string) (*Group, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	g := &Group{ID: s.NewID(), OrgID: p.OrgID, Name: name, CreatedAt: s.Now().UTC(), Version: 1}
	if err := s.Store.CreateGroup(ctx, g); err != nil {
		return nil, err
	}
	return g, nil
}

// ListGroups returns the groups of the caller's organization, by name.
func (s *Service) ListGroups(ctx context.Context, p *Principal) ([]Group, error) {
	return s.Store.ListGroups(ctx, p.OrgID)
}

// CreateLocation adds a location to the caller's organization.
func (s *Service) CreateLocation(ctx context.Context, p *Principal, name string) (*Location, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	l := &Location{ID: s.NewID(), OrgID: p.OrgID, Name: name, CreatedAt: s.Now().UTC(), Version: 1}
	if err := s.Store.CreateLocation(ctx, l); err != nil {
		return nil, err
	}
	return l, nil
}

// ListLocations returns the locations of the caller's organization, by name.
func (s *Service) ListLocations(ctx context.Context, p *Principal) ([]Location, error) {
	return s.Store.ListLocations(ctx, p.OrgID)
}

// RenameGroup renames a group, provided nobody changed it since version.
func (s *Service) RenameGroup(ctx context.Context, p *Principal, id string, version int64, name string) (*Group, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	return s.Store.RenameGroup(ctx, p.OrgID, id, version, name)
}

// RenameLocation renames a location, provided nobody changed it since version.
func (s *Service) RenameLocation(ctx context.Context, p *Principal, id string, version int64, name string) (*Location, error) {
	name, err := validateGroupName(name)
	if err != nil {
		return nil, err
	}
	return s.Store.RenameLocation(ctx, p.OrgID, id, version, name)
}

// DeleteGroup takes every member out of the group (their accounts, and
// their other groups, stay as they are), then deletes it. expectedMembers is
// the member count the administrator confirmed; it returns the members taken out.
func (s *Service) DeleteGroup(ctx context.Context, p *Principal, id string, version int64, expectedMembers int) (int, error) {
	g, err := s.Store.GetGroup(ctx, p.OrgID, id)
	if err != nil {
		return 0, err
	}
	return s.deleteWithMembers(ctx, p, deletion{
		kind: "group", version: g.Version, deleting: g.Deleting,
		members: UserFilter{GroupID: id, Archived: ArchivedInclude},
		leave: func(u *User) bool {
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
func (s *Service) DeleteLocation(ctx context.Context, p *Principal, id string, version int64, expectedMembers int) (int, error) {
	l, err := s.Store.GetLocation(ctx, p.OrgID, id)
	if err != nil {
		return 0, err
	}
	return s.deleteWithMembers(ctx, p, deletion{
		kind: "location", version: l.Version, deleting: l.Deleting,
		members: UserFilter{LocationID: id, Archived: ArchivedInclude},
		leave: func(u *User) bool {
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
	members  UserFilter
	leave    func(*User) bool // takes a user out; false when they were not in
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
func (s *Service) deleteWithMembers(ctx context.Context, p *Principal, d deletion, version int64, expected int) (int, error) {
	if !d.deleting {
		if d.version != version {
			return 0, Conflict("version", "this %s was changed by someone else: reload and try again", d.kind)
		}
		count, err := s.Store.CountUsers(ctx, p.OrgID, d.members)
		if err != nil {
			return 0, err
		}
		if !count.Exact || count.Total > MaxSelection {
			return 0, Invalid("expectedMembers", "there are more than %d members: move them elsewhere in smaller steps first", MaxSelection)
		}
		if count.Total != expected {
			return 0, Conflict("expectedMembers", "the %s now has %s, not %d: review and confirm again", d.kind, Plural(count.Total, "member"), expected)
		}
		if d.version, err = d.mark(version); err != nil {
			return 0, err
		}
	}
	ids, err := s.Store.SelectUserIDs(ctx, p.OrgID, d.members, MaxSelection)
	if err != nil {
		return 0, err
	}
	var failed atomic.Int64
	inParallel(len(ids), func(i int) {
		_, err := s.Store.UpdateUser(ctx, p.OrgID, ids[i], 0, s.revoking(func(u *User) error {
			if !d.leave(u) {
				return &Skip{Reason: "not a member"}
			}
			s.stamp(u, p)
			return nil
		}))
		var skip *Skip
		if err != nil && !errors.As(err, &skip) && !IsCode(err, CodeNotFound) {
			s.Log.ErrorContext(ctx, "take member out failed", "user", ids[i], "request", p.RequestID, "err", err)
			failed.Add(1)
		}
	})
	if n := failed.Load(); n > 0 {
		return 0, Conflict("", "%s could not be taken out, so the %s is not deleted yet: delete it again to finish", Plural(int(n), "member"), d.kind)
	}
	return len(ids), d.remove(d.version)
}
