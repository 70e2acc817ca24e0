package roster

import (
	"context"
	"strings"
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
