package groups_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/groups"
)

// fakeStore keeps one group in memory; the methods a test does not reach
// are left to the embedded nil interface.
type fakeStore struct {
	groups.Store
	group   roster.Group
	members int
	created []roster.Group
	marked  bool
}

func (f *fakeStore) CreateGroup(_ context.Context, g *roster.Group) error {
	f.created = append(f.created, *g)
	return nil
}

func (f *fakeStore) GetGroup(_ context.Context, orgID, id string) (*roster.Group, error) {
	if id != f.group.ID || orgID != f.group.OrgID {
		return nil, roster.NotFound("no such group")
	}
	g := f.group
	return &g, nil
}

func (f *fakeStore) CountUsers(context.Context, string, roster.UserFilter) (roster.Count, error) {
	return roster.Count{Total: f.members, Exact: true}, nil
}

func (f *fakeStore) MarkGroupDeleting(_ context.Context, _, _ string, v int64) (*roster.Group, error) {
	f.marked = true
	g := f.group
	g.Version, g.Deleting = v+1, true
	return &g, nil
}

func newService(store groups.Store) *groups.Service {
	return &groups.Service{Store: store, Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) },
		NewID: func() string { return "g-new" }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestService_CreateGroup(t *testing.T) {
	p := &roster.Principal{OrgID: "o1", UserID: "admin", Role: roster.RoleAdmin}
	t.Run("tidies the name", func(t *testing.T) {
		store := &fakeStore{}
		g, err := newService(store).CreateGroup(context.Background(), p, "  Night   shift ")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := g.Name, "Night shift"; got != want {
			t.Errorf("name = %q, want %q", got, want)
		}
		if len(store.created) != 1 || store.created[0].OrgID != "o1" || store.created[0].Version != 1 {
			t.Errorf("stored %+v, want one group of o1 at version 1", store.created)
		}
	})
	t.Run("refuses an empty or long name", func(t *testing.T) {
		for _, name := range []string{"   ", string(make([]rune, roster.MaxGroupNameLength+1))} {
			store := &fakeStore{}
			if _, err := newService(store).CreateGroup(context.Background(), p, name); !roster.IsCode(err, roster.CodeInvalid) || len(store.created) > 0 {
				t.Errorf("CreateGroup(%q): %v, stored %d; want invalid and nothing stored", name, err, len(store.created))
			}
		}
	})
}

func TestService_DeleteGroup(t *testing.T) {
	p := &roster.Principal{OrgID: "o1", UserID: "admin", Role: roster.RoleAdmin}
	for _, tt := range []struct {
		name     string
		version  int64
		expected int
	}{
		{"a stale version", 1, 3},
		{"another member count", 2, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{group: roster.Group{ID: "g1", OrgID: "o1", Name: "Night", Version: 2}, members: 3}
			_, err := newService(store).DeleteGroup(context.Background(), p, "g1", tt.version, tt.expected)
			if !roster.IsCode(err, roster.CodeConflict) || store.marked {
				t.Errorf("err = %v, marked = %v; want a conflict before anything is marked", err, store.marked)
			}
		})
	}
}
