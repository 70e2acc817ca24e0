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
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "", Invalid("name", "is required")
	}
	if utf8.RuneCountInString(name) > MaxGroupNameLength {
		return "", Invalid("name", "must be at most %d characters", MaxGroupNameLength)
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
	if g.Version != version {
		return 0, Conflict("version", "this group was changed by someone else: reload and try again")
	}
	n, err := s.takeMembersOut(ctx, p, UserFilter{GroupID: id, Archived: ArchivedInclude}, expectedMembers, func(u *User) bool {
		before := len(u.GroupIDs)
		u.GroupIDs = slices.DeleteFunc(slices.Clone(u.GroupIDs), func(g string) bool { return g == id })
		return len(u.GroupIDs) != before
	})
	if err != nil {
		return 0, err
	}
	return n, s.Store.DeleteGroup(ctx, p.OrgID, id, version)
}

// DeleteLocation leaves every member of the location without one, then deletes it.
func (s *Service) DeleteLocation(ctx context.Context, p *Principal, id string, version int64, expectedMembers int) (int, error) {
	l, err := s.Store.GetLocation(ctx, p.OrgID, id)
	if err != nil {
		return 0, err
	}
	if l.Version != version {
		return 0, Conflict("version", "this location was changed by someone else: reload and try again")
	}
	n, err := s.takeMembersOut(ctx, p, UserFilter{LocationID: id, Archived: ArchivedInclude}, expectedMembers, func(u *User) bool {
		if u.LocationID != id {
			return false
		}
		u.LocationID = ""
		return true
	})
	if err != nil {
		return 0, err
	}
	return n, s.Store.DeleteLocation(ctx, p.OrgID, id, version)
}

// takeMembersOut applies leave to every user the filter selects, archived
// users included, after checking their number against the one the
// administrator confirmed. Taking a member out is a change to the group,
// not to the person, so admins can do it to anyone. When some member could
// not be taken out it fails and deletes nothing: running it again finishes.
func (s *Service) takeMembersOut(ctx context.Context, p *Principal, f UserFilter, expected int, leave func(*User) bool) (int, error) {
	count, err := s.Store.CountUsers(ctx, p.OrgID, f)
	if err != nil {
		return 0, err
	}
	if !count.Exact || count.Total > MaxSelection {
		return 0, Invalid("expectedMembers", "there are more than %d members: move them elsewhere in smaller steps first", MaxSelection)
	}
	if count.Total != expected {
		return 0, Conflict("expectedMembers", "there are now %s, not %d: review and confirm again", Plural(count.Total, "member"), expected)
	}
	ids, err := s.Store.SelectUserIDs(ctx, p.OrgID, f, MaxSelection)
	if err != nil {
		return 0, err
	}
	var failed atomic.Int64
	inParallel(len(ids), func(i int) {
		_, err := s.Store.UpdateUser(ctx, p.OrgID, ids[i], 0, func(u *User) error {
			if !leave(u) {
				return &Skip{Reason: "not a member"}
			}
			s.stamp(u, p)
			return nil
		})
		var skip *Skip
		if err != nil && !errors.As(err, &skip) && !IsCode(err, CodeNotFound) {
			s.Log.ErrorContext(ctx, "take member out failed", "user", ids[i], "request", p.RequestID, "err", err)
			failed.Add(1)
		}
	})
	if n := failed.Load(); n > 0 {
		return 0, Conflict("expectedMembers", "%s could not be taken out, so nothing was deleted: try again", Plural(int(n), "member"))
	}
	return len(ids), nil
}
