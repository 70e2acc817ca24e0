package roster

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

var lifecycleNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// statusFixture is a user in one status of the table, named as its column is.
type statusFixture struct {
	name string
	user User
}

// usersInEachStatus returns a user in every status the table covers: the
// Archived column is the Active user archived.
func usersInEachStatus() []statusFixture {
	unarchived := usersNotArchived()
	return append(unarchived, statusFixture{"Archived", archivedCopy(unarchived[2].user)})
}

// usersNotArchived returns a user in every status but Archived, in the table's order.
func usersNotArchived() []statusFixture {
	past, accessed := lifecycleNow.Add(-time.Hour), lifecycleNow.Add(-48*time.Hour)
	base := User{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Role: RoleLearner, GroupIDs: []string{"g1"}, LocationID: "l1", Courses: []Assignment{{CourseID: "c1"}}}
	with := func(f func(*User)) User { u := base; u.GroupIDs = []string{"g1"}; f(&u); return u }
	return []statusFixture{
		{"Pending", with(func(u *User) { u.State = StatePending })},
		{"Activated", with(func(u *User) { u.State, u.ApprovedAt = StateActivated, &past })},
		{"Active", with(func(u *User) { u.State, u.ApprovedAt, u.LastAccessAt = StateActive, &past, &accessed })},
		{"Deactivated", with(func(u *User) { u.State, u.ApprovedAt, u.LastAccessAt = StateDeactivated, &past, &accessed })},
		{"Expired", with(func(u *User) { u.State, u.ApprovedAt, u.ExpiresAt = StateActive, &past, &past })},
	}
}

// usersArchivedInEachStatus returns a user archived in each status that is
// not Archived, named "Archived <status>": archiving keeps the stored state,
// so each is a different user to come back.
func usersArchivedInEachStatus() []statusFixture {
	var out []statusFixture
	for _, s := range usersNotArchived() {
		out = append(out, statusFixture{"Archived " + s.name, archivedCopy(s.user)})
	}
	return out
}

// archivedCopy returns u archived a day before lifecycleNow.
func archivedCopy(u User) User {
	at := lifecycleNow.Add(-24 * time.Hour)
	u.ArchivedAt = &at
	return u
}

// lifecycleParams are the parameters each action is tried with.
func lifecycleParams() map[Action]ActionParams {
	future := lifecycleNow.Add(30 * 24 * time.Hour)
	return map[Action]ActionParams{
		ActionSetExpiration:    {ExpiresAt: &future},
		ActionAddToGroups:      {GroupIDs: []string{"g2"}},
		ActionRemoveFromGroups: {GroupIDs: []string{"g1"}},
		ActionSetLocation:      {LocationID: "l2"},
		ActionSetRole:          {Role: RoleAdmin},
		ActionAssignCourses:    {CourseIDs: []string{"c2"}, DueAt: &future},
		ActionUnassignCourses:  {CourseIDs: []string{"c1"}},
		ActionSetDueDate:       {CourseIDs: []string{"c1"}, DueAt: &future},
		ActionArchiveActivity:  {CourseIDs: []string{"c1"}},
	}
}

// OutcomeOf runs an action on a copy of u and describes the result as the table shows it.
func outcome(a Action, u User) string {
	u.GroupIDs = append([]string(nil), u.GroupIDs...)
	u.Courses = append([]Assignment(nil), u.Courses...)
	err := a.Apply(&u, lifecycleParams()[a], lifecycleNow)
	if s, ok := err.(*Skip); ok {
		return "skipped: " + s.Reason
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return "→ " + string(u.Status(lifecycleNow))
}

func TestAction_Apply(t *testing.T) {
	const (
		archived = "skipped: archived: unarchive the user first"
		expired  = "skipped: expired: move the expiration date to the future to restore access"
	)
	want := map[Action][]string{ // Pending, Activated, Active, Deactivated, Expired, Archived
		ActionApprove:          {"→ activated", "skipped: already approved", "skipped: already approved", "skipped: deactivated: use Activate to restore access", "skipped: already approved", archived},
		ActionNotify:           {"skipped: not approved: approve the user first", "→ activated", "→ active", "skipped: deactivated: users without access are never emailed", expired, archived},
		ActionDeactivate:       {"→ deactivated", "→ deactivated", "→ deactivated", "skipped: already deactivated", "→ deactivated", archived},
		ActionActivate:         {"skipped: pending: approve the user to give access", "skipped: already has access", "skipped: already has access", "→ active", expired, archived},
		ActionSetExpiration:    {"→ pending", "→ activated", "→ active", "→ deactivated", "→ active", archived},
		ActionArchive:          {"→ archived", "→ archived", "→ archived", "→ archived", "→ archived", "skipped: already archived"},
		ActionUnarchive:        {"skipped: not archived", "skipped: not archived", "skipped: not archived", "skipped: not archived", "skipped: not archived", "→ active"},
		ActionAddToGroups:      {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionRemoveFromGroups: {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionSetLocation:      {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionSetRole:          {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionAssignCourses:    {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionUnassignCourses:  {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionSetDueDate:       {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
		ActionArchiveActivity:  {"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired", archived},
	}
	statuses := usersInEachStatus()
	for _, a := range Actions {
		for i, s := range statuses {
			t.Run(string(a)+"/"+s.name, func(t *testing.T) {
				if got := outcome(a, s.user); got != want[a][i] {
					t.Errorf("%s on %s = %q, want %q", a, s.name, got, want[a][i])
				}
			})
		}
	}
	// A user archived in any status is refused every action as the Archived
	// column is, but unarchive, which gives back the status they were archived in.
	unarchived := []string{"→ pending", "→ activated", "→ active", "→ deactivated", "→ expired"}
	for _, a := range Actions {
		for i, s := range usersArchivedInEachStatus() {
			t.Run(string(a)+"/"+s.name, func(t *testing.T) {
				w := want[a][len(statuses)-1]
				if a == ActionUnarchive {
					w = unarchived[i]
				}
				if got := outcome(a, s.user); got != w {
					t.Errorf("%s on %s = %q, want %q", a, s.name, got, w)
				}
			})
		}
	}
}

// TestAction_ApplyArchiveThenUnarchive archives and unarchives a user in each
// status: they must come back exactly as they were, stored state and all.
func TestAction_ApplyArchiveThenUnarchive(t *testing.T) {
	for _, s := range usersNotArchived() {
		t.Run(s.name, func(t *testing.T) {
			before := s.user.Status(lifecycleNow)
			u := s.user
			if err := ActionArchive.Apply(&u, ActionParams{}, lifecycleNow); err != nil {
				t.Fatalf("archive: %v", err)
			}
			if got := u.Status(lifecycleNow); got != StatusArchived || u.State != s.user.State {
				t.Errorf("archived: status %s, state %s; want archived, state %s kept", got, u.State, s.user.State)
			}
			later := lifecycleNow.Add(time.Minute)
			if err := ActionUnarchive.Apply(&u, ActionParams{}, later); err != nil {
				t.Fatalf("unarchive: %v", err)
			}
			if got := u.Status(later); got != before {
				t.Errorf("unarchived: status %s, want %s", got, before)
			}
			if !reflect.DeepEqual(u, s.user) {
				t.Errorf("unarchived: %+v\nwant as before archiving: %+v", u, s.user)
			}
		})
	}
}

func TestAction_ApplyDetails(t *testing.T) {
	past := lifecycleNow.Add(-time.Hour)
	t.Run("approve stamps the approval", func(t *testing.T) {
		u := User{State: StatePending}
		if err := ActionApprove.Apply(&u, ActionParams{}, lifecycleNow); err != nil || u.ApprovedAt == nil || !u.ApprovedAt.Equal(lifecycleNow) {
			t.Errorf("approve: %v, approvedAt %v", err, u.ApprovedAt)
		}
	})
	t.Run("activate returns a user who never trained to Activated", func(t *testing.T) {
		u := User{State: StateDeactivated, ApprovedAt: &past}
		if err := ActionActivate.Apply(&u, ActionParams{}, lifecycleNow); err != nil || u.State != StateActivated {
			t.Errorf("activate: %v, state %s", err, u.State)
		}
	})
	t.Run("activate is refused for a deactivated user whose date has passed", func(t *testing.T) {
		u := User{State: StateDeactivated, ExpiresAt: &past}
		err := ActionActivate.Apply(&u, ActionParams{}, lifecycleNow)
		if s, ok := err.(*Skip); !ok || s.Reason != "expired: move the expiration date to the future to restore access" || u.State != StateDeactivated {
			t.Errorf("activate: %v, state %s", err, u.State)
		}
	})
	t.Run("moving the expiration date to the future restores access", func(t *testing.T) {
		u := User{State: StateActive, ExpiresAt: &past}
		future := lifecycleNow.Add(time.Hour)
		if err := ActionSetExpiration.Apply(&u, ActionParams{ExpiresAt: &future}, lifecycleNow); err != nil || !u.HasAccess(lifecycleNow) {
			t.Errorf("set-expiration: %v, access %v", err, u.HasAccess(lifecycleNow))
		}
	})
	t.Run("notify without an email is skipped", func(t *testing.T) {
		u := User{State: StateActivated, UserID: "EMP-1"}
		if err := ActionNotify.Apply(&u, ActionParams{}, lifecycleNow); err == nil {
			t.Error("notify of a user without email was not skipped")
		}
	})
	t.Run("the same role is skipped", func(t *testing.T) {
		u := User{State: StateActive, Role: RoleOwner}
		if err := ActionSetRole.Apply(&u, ActionParams{Role: RoleOwner}, lifecycleNow); err == nil || u.Role != RoleOwner {
			t.Errorf("set-role owner on an owner: %v, role %s", err, u.Role)
		}
		if err := ActionSetRole.Apply(&u, ActionParams{Role: RoleAdmin}, lifecycleNow); err != nil || u.Role != RoleAdmin {
			t.Errorf("set-role admin on an owner: %v, role %s (the last owner is the store's to keep)", err, u.Role)
		}
	})
	t.Run("courses: assigning twice, unassigning what is not assigned, the same due date", func(t *testing.T) {
		due := lifecycleNow.Add(time.Hour)
		u := User{State: StateActive, Courses: []Assignment{{CourseID: "c1", DueAt: &due}}}
		skipped := func(a Action, p ActionParams, reason string) {
			t.Helper()
			before := append([]Assignment(nil), u.Courses...)
			if s, ok := a.Apply(&u, p, lifecycleNow).(*Skip); !ok || s.Reason != reason || len(u.Courses) != len(before) {
				t.Errorf("%s: %v, courses %v, want skipped: %s", a, s, u.Courses, reason)
			}
		}
		skipped(ActionAssignCourses, ActionParams{CourseIDs: []string{"c1"}}, "already assigned to these courses")
		skipped(ActionUnassignCourses, ActionParams{CourseIDs: []string{"c2"}}, "not assigned to these courses")
		skipped(ActionSetDueDate, ActionParams{CourseIDs: []string{"c1"}, DueAt: &due}, "already due then")
		if err := ActionAssignCourses.Apply(&u, ActionParams{CourseIDs: []string{"c1", "c0"}}, lifecycleNow); err != nil || len(u.Courses) != 2 || u.Courses[0].CourseID != "c0" || u.Courses[1].DueAt == nil {
			t.Errorf("assign c1 and c0: %v, %+v (c1 keeps its due date, c0 is added, sorted)", err, u.Courses)
		}
	})
	t.Run("groups are capped", func(t *testing.T) {
		u := User{State: StateActive}
		for i := range MaxGroupsPerUser {
			u.GroupIDs = append(u.GroupIDs, fmt.Sprintf("g%02d", i))
		}
		if err := ActionAddToGroups.Apply(&u, ActionParams{GroupIDs: []string{"zz"}}, lifecycleNow); err == nil {
			t.Error("a 41st group was added")
		}
	})
}

// TestStateTableDocumented keeps docs/states.md's table the one the code runs.
func TestStateTableDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/states.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := StateTableMarkdown(); !strings.Contains(string(doc), table) {
		t.Errorf("docs/states.md does not hold the table the code runs; replace it with:\n%s", table)
	}
	if table := ArchiveTableMarkdown(); !strings.Contains(string(doc), table) {
		t.Errorf("docs/states.md does not hold the archive table the code runs; replace it with:\n%s", table)
	}
}

// ArchiveTableMarkdown renders, for a user in each status, what archive and
// then unarchive lead to, as a Markdown table.
func ArchiveTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| status | archive | then unarchive |\n|---|---|---|\n")
	for _, s := range usersNotArchived() {
		u := s.user
		archived := outcome(ActionArchive, u)
		if err := ActionArchive.Apply(&u, ActionParams{}, lifecycleNow); err != nil {
			archived = "error: " + err.Error()
		}
		b.WriteString("| " + s.name + " | " + archived + " | " + outcome(ActionUnarchive, u) + " |\n")
	}
	return b.String()
}

// StateTableMarkdown renders every status × action outcome as a Markdown table.
func StateTableMarkdown() string {
	statuses := usersInEachStatus()
	var b strings.Builder
	b.WriteString("| action |")
	for _, s := range statuses {
		b.WriteString(" " + s.name + " |")
	}
	b.WriteString("\n|---|")
	for range statuses {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, a := range Actions {
		b.WriteString("| " + string(a) + " |")
		for _, s := range statuses {
			b.WriteString(" " + outcome(a, s.user) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}
