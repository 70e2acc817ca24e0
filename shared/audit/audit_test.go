package audit_test

import (
	"context"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
)

// fakeStore holds one page of entries and the people and courses they name.
type fakeStore struct {
	page    audit.Page
	users   map[string]*roster.User
	courses map[string]*roster.Course
	asked   []string // the user ids GetUsers was asked for
}

func (f *fakeStore) ListAudit(context.Context, string, audit.Filter, roster.PageRequest) (*audit.Page, error) {
	p := f.page
	return &p, nil
}

func (f *fakeStore) GetUsers(_ context.Context, _ string, ids []string) (map[string]*roster.User, error) {
	f.asked = ids
	out := map[string]*roster.User{}
	for _, id := range ids {
		if u, ok := f.users[id]; ok {
			out[id] = u
		}
	}
	return out, nil
}

func (f *fakeStore) GetCourses(_ context.Context, _ string, ids []string) (map[string]*roster.Course, error) {
	out := map[string]*roster.Course{}
	for _, id := range ids {
		if c, ok := f.courses[id]; ok {
			out[id] = c
		}
	}
	return out, nil
}

func TestService_ListAudit(t *testing.T) {
	p := &roster.Principal{OrgID: "o1", UserID: "admin", Role: roster.RoleAdmin}
	store := &fakeStore{
		page: audit.Page{Items: []roster.AuditEntry{
			{Action: "user.updated", ActorID: "admin", TargetID: "u1"},
			{Action: "course.created", ActorID: "admin", TargetID: "c1"},
			{Action: "user.deleted", TargetID: "gone"},
		}},
		users:   map[string]*roster.User{"admin": {ID: "admin"}, "u1": {ID: "u1"}},
		courses: map[string]*roster.Course{"c1": {ID: "c1"}},
	}
	s := &audit.Service{Store: store}
	t.Run("names the people and courses of the entries", func(t *testing.T) {
		v, err := s.ListAudit(context.Background(), p, audit.Filter{}, roster.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(v.People), 2; got != want {
			t.Errorf("people: %d, want %d (a deleted user appears by id alone)", got, want)
		}
		if v.Courses["c1"] == nil {
			t.Error("the course an entry is about is not named")
		}
		if got, want := len(store.asked), 3; got != want {
			t.Errorf("users asked for: %v, want each of admin, u1, gone once", store.asked)
		}
	})
	t.Run("refuses bad bounds", func(t *testing.T) {
		from := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
		to := from.Add(-time.Hour)
		if _, err := s.ListAudit(context.Background(), p, audit.Filter{From: &from, To: &to}, roster.PageRequest{}); !roster.IsCode(err, roster.CodeInvalid) {
			t.Errorf("to before from: %v, want invalid", err)
		}
		if _, err := s.ListAudit(context.Background(), p, audit.Filter{}, roster.PageRequest{Limit: audit.MaxPage + 1}); !roster.IsCode(err, roster.CodeInvalid) {
			t.Errorf("a page past MaxPage: %v, want invalid", err)
		}
	})
}
