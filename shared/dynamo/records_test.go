package dynamo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

// recordKey names a record in test failures: user's first name, course
// name, and its marks.
func recordKeys(rs []training.TrainingRecord, courses map[string]string, now time.Time) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		k := r.User.FirstName + " " + courses[r.CourseID] + " " + r.State
		if r.User.Archived() {
			k += " user-archived"
		}
		if r.ActivityArchivedAt != nil {
			k += " activity-archived"
		}
		if r.Overdue(now) {
			k += " overdue"
		}
		out[i] = k
	}
	return out
}

// allRecords follows the cursors of a listing with pages of limit.
func allRecords(t *testing.T, svc *roster.Service, p *roster.Principal, f training.RecordFilter, limit int) []training.TrainingRecord {
	t.Helper()
	var out []training.TrainingRecord
	page := roster.PageRequest{Limit: limit}
	for range 100 {
		v, err := trn(svc).TrainingRecords(context.Background(), p, f, page)
		if err != nil {
			t.Fatalf("TrainingRecords(%+v): %v", f, err)
		}
		if len(v.Items) > limit+roster.MaxCoursesPerUser {
			t.Fatalf("a page of %d holds %d records", limit, len(v.Items))
		}
		out = append(out, v.Items...)
		if v.NextCursor == "" {
			return out
		}
		page.Cursor = v.NextCursor
	}
	t.Fatal("the listing never ended")
	return nil
}

func TestService_TrainingRecords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	hygiene := f.newCourse(t, "o1", "Hygiene", nil)
	fire := f.newCourse(t, "o1", "Fire", seats(5))
	theirs := f.newCourse(t, "o2", "Theirs", nil)
	names := map[string]string{hygiene.ID: "Hygiene", fire.ID: "Fire", theirs.ID: "Theirs"}
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", func(u *roster.User) { u.LocationID, u.GroupIDs = "leeds", []string{"day"} })
	bob := f.newUser(t, "o1", "Bob", "Marley", "bob@example.com", "", func(u *roster.User) { u.LocationID = "york" })
	cy := f.newUser(t, "o1", "Cy", "Young", "", "CY1", func(u *roster.User) { u.GroupIDs = []string{"day"} })
	dan := f.newUser(t, "o1", "Dan", "Brown", "dan@example.com", "", nil)
	eve := f.newUser(t, "o2", "Eve", "Other", "eve@example.com", "", nil)

	soon, later := f.now.Add(24*time.Hour), f.now.Add(10*24*time.Hour)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{hygiene.ID}, DueAt: &later}, ada.ID)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{hygiene.ID}, DueAt: &soon}, bob.ID)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{hygiene.ID}}, cy.ID, dan.ID)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{fire.ID}}, ada.ID)
	if _, err := svc.RunAction(ctx, &roster.Principal{OrgID: "o2", UserID: "admin2", Role: roster.RoleAdmin}, roster.ActionAssignCourses,
		roster.ActionParams{CourseIDs: []string{theirs.ID}}, roster.Selection{UserIDs: []string{eve.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := trn(svc).CompleteTraining(ctx, &roster.Principal{OrgID: "o1", UserID: ada.ID, Role: roster.RoleLearner}, fire.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.RunAction(ctx, trainer, roster.ActionArchiveActivity, roster.ActionParams{CourseIDs: []string{hygiene.ID}}, roster.Selection{UserIDs: []string{cy.ID}}); err != nil || res.Done != 1 {
		t.Fatalf("archive-activity: %+v, %v", res, err)
	}
	if res, err := svc.RunAction(ctx, trainer, roster.ActionArchive, roster.ActionParams{}, roster.Selection{UserIDs: []string{dan.ID}}); err != nil || res.Done != 1 {
		t.Fatalf("archive: %+v, %v", res, err)
	}
	f.settle(t)
	f.now = f.now.Add(2 * 24 * time.Hour) // Bob's due date has passed

	cases := []struct {
		name   string
		filter training.RecordFilter
		want   []string
		sorted bool // the plan's order is by user id: compare as sets
	}{
		{"a course: active roster, archived users, archived activity", training.RecordFilter{CourseID: hygiene.ID}, []string{
			"Ada Hygiene not_started", "Bob Hygiene not_started overdue", "Dan Hygiene not_started user-archived", "Cy Hygiene not_started activity-archived",
		}, false},
		{"everything", training.RecordFilter{}, []string{
			"Ada Fire completed", "Ada Hygiene not_started", "Bob Hygiene not_started overdue", "Cy Hygiene not_started activity-archived", "Dan Hygiene not_started user-archived",
		}, true},
		{"completed", training.RecordFilter{Status: training.RecordCompleted}, []string{"Ada Fire completed"}, false},
		{"overdue", training.RecordFilter{Status: training.RecordOverdue}, []string{"Bob Hygiene not_started overdue"}, false},
		{"archived users", training.RecordFilter{Status: training.RecordUserArchived}, []string{"Dan Hygiene not_started user-archived"}, false},
		{"archived activity", training.RecordFilter{Status: training.RecordActivityArchived}, []string{"Cy Hygiene not_started activity-archived"}, false},
		{"a group", training.RecordFilter{GroupID: "day"}, []string{"Ada Fire completed", "Ada Hygiene not_started", "Cy Hygiene not_started activity-archived"}, true},
		{"a location", training.RecordFilter{LocationID: "leeds"}, []string{"Ada Fire completed", "Ada Hygiene not_started"}, true},
		{"a course and a location", training.RecordFilter{CourseID: hygiene.ID, LocationID: "leeds"}, []string{"Ada Hygiene not_started"}, false},
		{"a course and not started", training.RecordFilter{CourseID: fire.ID, Status: training.RecordNotStarted}, nil, false},
		{"due by a date", training.RecordFilter{DueTo: &later, DueFrom: &soon}, []string{"Ada Hygiene not_started", "Bob Hygiene not_started overdue"}, true},
		{"due before a date", training.RecordFilter{DueTo: &soon}, []string{"Bob Hygiene not_started overdue"}, false},
		{"completed since", training.RecordFilter{CompletedFrom: &soon}, nil, false},
		{"completed by", training.RecordFilter{CompletedTo: &soon}, []string{"Ada Fire completed"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, limit := range []int{200, 1, 2} {
				got := recordKeys(allRecords(t, svc, trainer, tc.filter, limit), names, f.now)
				want := slices.Clone(tc.want)
				if tc.sorted {
					slices.Sort(got)
					slices.Sort(want)
				}
				if !slices.Equal(got, want) {
					t.Errorf("pages of %d: got %q, want %q", limit, got, want)
				}
			}
		})
	}

	t.Run("the whole organization lists archived activity after the current enrollments", func(t *testing.T) {
		got := recordKeys(allRecords(t, svc, trainer, training.RecordFilter{}, 50), names, f.now)
		if len(got) != 5 || !strings.HasSuffix(got[4], "activity-archived") {
			t.Errorf("got %q", got)
		}
	})

	t.Run("the other organization sees only its own", func(t *testing.T) {
		p := &roster.Principal{OrgID: "o2", UserID: "admin2", Role: roster.RoleAdmin}
		got := recordKeys(allRecords(t, svc, p, training.RecordFilter{}, 50), names, f.now)
		if !slices.Equal(got, []string{"Eve Theirs not_started"}) {
			t.Errorf("got %q", got)
		}
		_, err := trn(svc).TrainingRecords(ctx, p, training.RecordFilter{CourseID: hygiene.ID}, roster.PageRequest{})
		wantCode(t, err, roster.CodeInvalid, "course")
	})

	t.Run("a record carries its dates and its user as they are", func(t *testing.T) {
		v, err := trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{Status: training.RecordCompleted}, roster.PageRequest{})
		if err != nil || len(v.Items) != 1 {
			t.Fatalf("%+v, %v", v, err)
		}
		r := v.Items[0]
		if r.StartedAt == nil || r.CompletedAt == nil || r.AssignedAt.IsZero() || r.User.LocationID != "leeds" || r.User.Email != "ada@example.com" {
			t.Errorf("record %+v", r)
		}
		if v.Courses[fire.ID] == nil || v.Courses[fire.ID].Name != "Fire" || v.Locations["leeds"] != "leeds" || v.Groups["day"] != "day" {
			t.Errorf("names: %+v %+v %+v", v.Courses, v.Locations, v.Groups)
		}
	})

	t.Run("bad filters and cursors", func(t *testing.T) {
		_, err := trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{Status: "late"}, roster.PageRequest{})
		wantCode(t, err, roster.CodeInvalid, "status")
		_, err = trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{DueFrom: &later, DueTo: &soon}, roster.PageRequest{})
		wantCode(t, err, roster.CodeInvalid, "dueTo")
		_, err = trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{CompletedFrom: &later, CompletedTo: &soon}, roster.PageRequest{})
		wantCode(t, err, roster.CodeInvalid, "completedTo")
		_, err = trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{GroupID: "night"}, roster.PageRequest{})
		wantCode(t, err, roster.CodeInvalid, "group")
		_, err = trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{LocationID: "hull"}, roster.PageRequest{})
		wantCode(t, err, roster.CodeInvalid, "location")
		_, err = trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{}, roster.PageRequest{Limit: training.MaxRecordPage + 1})
		wantCode(t, err, roster.CodeInvalid, "limit")
		_, err = trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{}, roster.PageRequest{Cursor: "nope"})
		wantCode(t, err, roster.CodeBadRequest, "cursor")
		v, err := trn(svc).TrainingRecords(ctx, trainer, training.RecordFilter{CourseID: hygiene.ID}, roster.PageRequest{Limit: 1})
		if err != nil || v.NextCursor == "" {
			t.Fatalf("%+v, %v", v, err)
		}
		for _, other := range []training.RecordFilter{{CourseID: fire.ID}, {CourseID: hygiene.ID, Status: training.RecordCompleted}, {}} {
			_, err = trn(svc).TrainingRecords(ctx, trainer, other, roster.PageRequest{Limit: 1, Cursor: v.NextCursor})
			wantCode(t, err, roster.CodeBadRequest, "cursor")
		}
	})
}
