package roster

import (
	"testing"
	"time"
)

func TestUserFilter_Normalize(t *testing.T) {
	tests := []struct {
		name      string
		in        UserFilter
		want      UserFilter
		wantField string
	}{
		{"defaults to excluding archived", UserFilter{}, UserFilter{Archived: ArchivedExclude}, ""},
		{"status archived means only archived", UserFilter{Status: StatusArchived}, UserFilter{Archived: ArchivedOnly}, ""},
		{"query is folded", UserFilter{Query: "  Ada   LOVE "}, UserFilter{Query: "ada love", Archived: ArchivedExclude}, ""},
		{"bad archived", UserFilter{Archived: "sometimes"}, UserFilter{}, "filter.archived"},
		{"bad status", UserFilter{Status: "asleep"}, UserFilter{}, "filter.status"},
		{"bad role", UserFilter{Role: "boss"}, UserFilter{}, "filter.role"},
		{"a status among archived users", UserFilter{Status: StatusActive, Archived: ArchivedOnly}, UserFilter{}, "filter.status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Normalize("filter.")
			if tt.wantField != "" {
				if e, ok := err.(*Error); !ok || e.Field != tt.wantField {
					t.Fatalf("Normalize() error = %v, want field %q", err, tt.wantField)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Normalize() = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestMatchedToken(t *testing.T) {
	u := &User{FirstName: "John", LastName: "Johnson", Email: "jj@example.com", UserID: "E-7"}
	tests := []struct{ q, want string }{
		{"john", "john johnson"},   // "john johnson" < "johnson john"
		{"johns", "johnson john"},  // only the last-name-first token
		{"john j", "john johnson"}, // full name, first name first
		{"jj@", "jj@example.com"},  // email
		{"e-7", "e-7"},             // user ID
		{"ada", ""},                // no match
	}
	for _, tt := range tests {
		if got := MatchedToken(u, tt.q); got != tt.want {
			t.Errorf("MatchedToken(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestUserFilter_Matches(t *testing.T) {
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	u := &User{FirstName: "Ada", LastName: "Lovelace", Role: RoleLearner, State: StateActive, LocationID: "l1", GroupIDs: []string{"g1", "g2"}}
	archived := *u
	archived.ArchivedAt = &now
	tests := []struct {
		name string
		f    UserFilter
		u    *User
		want bool
	}{
		{"everything", UserFilter{Archived: ArchivedExclude}, u, true},
		{"archived hidden by default", UserFilter{Archived: ArchivedExclude}, &archived, false},
		{"archived included", UserFilter{Archived: ArchivedInclude}, &archived, true},
		{"only archived", UserFilter{Archived: ArchivedOnly}, u, false},
		{"group", UserFilter{GroupID: "g2"}, u, true},
		{"other group", UserFilter{GroupID: "g3"}, u, false},
		{"location and role", UserFilter{LocationID: "l1", Role: RoleLearner}, u, true},
		{"wrong role", UserFilter{Role: RoleAdmin}, u, false},
		{"status", UserFilter{Status: StatusActive}, u, true},
		{"query", UserFilter{Query: "love"}, u, true},
		{"query miss", UserFilter{Query: "babbage"}, u, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Matches(tt.u, clock); got != tt.want {
				t.Errorf("Matches() = %v, want %v", got, tt.want)
			}
		})
	}
}
