package imports_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/sheetread"
)

var planNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// planSnapshot is an organization of an owner, an admin, three learners
// (one archived, one deactivated), two groups, a location and two courses,
// one of them with a single free seat.
func planSnapshot() *imports.RosterSnapshot {
	approved := planNow.Add(-time.Hour)
	return &imports.RosterSnapshot{
		Users: []*roster.User{
			{ID: "owner", FirstName: "Olga", LastName: "Owner", Email: "owner@x.test", Role: roster.RoleOwner, State: roster.StateActive, ApprovedAt: &approved, Version: 1},
			{ID: "admin", FirstName: "Adam", LastName: "Admin", Email: "admin@x.test", Role: roster.RoleAdmin, State: roster.StateActive, ApprovedAt: &approved, Version: 1},
			{ID: "ann", FirstName: "Ann", LastName: "Lee", Email: "ann@x.test", Role: roster.RoleLearner, State: roster.StateActivated, ApprovedAt: &approved, NotifiedAt: &approved, GroupIDs: []string{"g-kitchen"}, Version: 3},
			{ID: "bob", FirstName: "Bob", LastName: "Ray", UserID: "B-100", Role: roster.RoleLearner, State: roster.StatePending, Version: 1},
			{ID: "cat", FirstName: "Cat", LastName: "Old", Email: "cat@x.test", Role: roster.RoleLearner, State: roster.StateActive, ArchivedAt: &approved, Version: 2},
			{ID: "dan", FirstName: "Dan", LastName: "Off", Email: "dan@x.test", Role: roster.RoleLearner, State: roster.StateDeactivated, Version: 2},
		},
		Groups:    []roster.Group{{ID: "g-kitchen", Name: "Kitchen"}, {ID: "g-bar", Name: "Night Bar"}},
		Locations: []roster.Location{{ID: "l-1", Name: "Store 1"}},
		Courses: []roster.Course{
			{ID: "c-food", Name: "Food Safety", Seats: ptr(5), Reserved: 4},
			{ID: "c-fire", Name: "Fire Drill"},
		},
	}
}

var owner = &roster.Principal{OrgID: "o", UserID: "owner", Role: roster.RoleOwner}
var admin = &roster.Principal{OrgID: "o", UserID: "admin", Role: roster.RoleAdmin}

func plan(tb testing.TB, csv string, o roster.ImportOptions, p *roster.Principal) (*imports.Plan, error) {
	tb.Helper()
	rows, err := sheetread.Open(strings.NewReader(csv), "upload.csv", sheetread.DefaultLimits)
	if err != nil {
		return nil, err
	}
	return imports.PlanImport(rows, planSnapshot(), o, p, planNow)
}

func errorsOf(pl *imports.Plan) []string {
	var out []string
	for _, e := range pl.Errors {
		out = append(out, fmt.Sprintf("%d %s: %s", e.Line, e.Column, e.Message))
	}
	return out
}

const header = "First name,Last name,Email,User ID,Role,Location,Groups,Courses,Active,Expiration date,Approved,Notify\n"

func TestPlanImport_Header(t *testing.T) {
	for _, tc := range []struct{ name, csv, want string }{
		{"unknown column", "First name,Last name,Email,Department\nA,B,a@x.test,X\n", `column D ("Department") is not a known column`},
		{"duplicated column", "First name,Last name,Email,E-mail\nA,B,a@x.test,b@x.test\n", `columns C and D are both "Email"`},
		{"no last name", "First name,Email\nA,a@x.test\n", `has no "Last name" column`},
		{"no email nor user id", "First name,Last name\nA,B\n", `neither an "Email" nor a "User ID"`},
		{"blank header cell", "First name,,Last name,Email\nA,,B,a@x.test\n", "column B has no header"},
		{"only a header", header, "holds only a header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := plan(t, tc.csv, roster.ImportOptions{Mode: roster.ImportAddUpdate}, owner)
			var e *roster.Error
			if !errors.As(err, &e) || e.Field != "file" || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("err = %v, want an invalid file error holding %q", err, tc.want)
			}
		})
	}
	t.Run("headers match whatever their case and spaces", func(t *testing.T) {
		pl, err := plan(t, " FIRST  NAME ,lastname,EMAIL address,userID\nA,B,a@x.test,\n", roster.ImportOptions{Mode: roster.ImportAdd}, owner)
		if err != nil {
			t.Fatal(err)
		}
		want := []imports.Column{
			{Column: "A", Header: "FIRST  NAME", Field: imports.FieldFirstName},
			{Column: "B", Header: "lastname", Field: imports.FieldLastName},
			{Column: "C", Header: "EMAIL address", Field: imports.FieldEmail},
			{Column: "D", Header: "userID", Field: imports.FieldUserID},
		}
		if !reflect.DeepEqual(pl.Columns, want) {
			t.Errorf("columns = %+v, want %+v", pl.Columns, want)
		}
	})
}

func TestPlanImport_Rows(t *testing.T) {
	csv := header +
		"Eve,New,eve@x.test,,,Store 1,Kitchen; night bar,Food Safety (2026-12-31); Fire Drill,Yes,2027-01-31,Yes,Yes\n" + // 2 create
		"Ann,Lee-Smith,ann@x.test,,,,,,,,,\n" + // 3 update: last name
		"Bob,Ray,,b-100,,,,,,,,\n" + // 4 unchanged (user ID matched whatever its case)
		"Fay,Bad,fay@x,,,,Pastry,,,,,\n" + // 5 bad email, unknown group
		"Gus,Dup,eve@x.test,,,,,,,,,\n" + // 6 same email as line 2
		"\"=HYPERLINK(\"\"x\"\")\",Formula,h@x.test,,,,,,maybe,,,\n" + // 7 formula, bad yes/no
		"Ivy,Past,ivy@x.test,,,,,Fire Drill (2020-01-01),,31/12/2026,,\n" + // 8 past due date, bad date
		"\n" + // 9 blank: no row
		"Jon,Job,,,,,,,,,,\n" + // 10 neither email nor user ID
		"Cat,Old,cat@x.test,,,,,,,,,\n" + // 11 archived
		"Kim,Kay,kim@x.test,,,,,,Yes,,No,Yes\n" // 12 active, yet not approved
	pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportAddUpdate}, owner)
	if err != nil {
		t.Fatal(err)
	}
	wantErrors := []string{
		"5 C: is not a valid email address",
		`5 G: no such group: "Pastry"`,
		"6 C: is also on line 2",
		"7 A: is a formula: replace it with its value (Paste Special, Values)",
		`7 I: "maybe" is neither Yes nor No`,
		`8 H: the due date of "Fire Drill" must be in the future`,
		`8 J: "31/12/2026" is not a date: write it as 2026-12-31`,
		"10 C: is required when there is no user ID",
		"11 : archived: unarchive the user first",
		"12 I: Active Yes and Approved No disagree: a user has access only once approved; set Approved to Yes (or leave it empty), or Active to No",
	}
	if got := errorsOf(pl); !reflect.DeepEqual(got, wantErrors) {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantErrors, "\n"))
	}
	wantCounts := imports.Counts{Rows: 10, Create: 1, Update: 1, Unchanged: 1, Errors: 7}
	if pl.Counts != wantCounts {
		t.Errorf("counts = %+v, want %+v", pl.Counts, wantCounts)
	}
	if pl.Applicable(roster.ImportOptions{Mode: roster.ImportAddUpdate}) {
		t.Error("a plan with errors is applicable without skipping them")
	}
	if !pl.Applicable(roster.ImportOptions{Mode: roster.ImportAddUpdate, SkipBadRows: true}) {
		t.Error("a plan with errors is not applicable when skipping them")
	}
	if len(pl.Rows) != 2 {
		t.Fatalf("rows = %+v, want 2", pl.Rows)
	}
	eve, ann := pl.Rows[0], pl.Rows[1]
	if !eve.New || eve.Line != 2 || !eve.Approve || !eve.Notify || eve.Active == nil || !*eve.Active ||
		*eve.LocationID != "l-1" || !reflect.DeepEqual(eve.AddGroups, []string{"g-bar", "g-kitchen"}) || len(eve.Courses) != 2 ||
		!eve.ExpiresAt.Equal(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("row 2 = %+v", eve)
	}
	if ann.New || ann.UserRef != "ann" || *ann.LastName != "Lee-Smith" {
		t.Errorf("row 3 = %+v", ann)
	}
}

func TestPlanImport_FormulaCells(t *testing.T) {
	// A spreadsheet runs a typed cell starting with =, +, - or @; such a
	// cell is refused where it is. A sign inside a value is not, and a user
	// ID or email answers to its own rule (a phone number is a user ID).
	csv := header +
		"=1+1,Lee,a@x.test,,,,,,,,,\n" +
		"Al,+cmd|' /C calc'!A0,b@x.test,,,,,,,,,\n" +
		"Al,Lee,c@x.test,-B-1,,,,,,,,\n" +
		"Al,Lee,d@x.test,,,,@SUM(A1:A2),,,,,\n" +
		"Al-Jo,Lee-Smith,e+tag@x.test,E-1,,,,,,,,\n"
	pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportAdd}, owner)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2 A: is a formula: replace it with its value (Paste Special, Values)",
		`3 B: starts with "+", so a spreadsheet takes it for a formula: remove the "+"`,
		`5 G: starts with "@", so a spreadsheet takes it for a formula: remove the "@"`,
	}
	if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if wantCounts := (imports.Counts{Rows: 5, Create: 2, Errors: 3}); pl.Counts != wantCounts {
		t.Errorf("counts = %+v, want %+v", pl.Counts, wantCounts)
	}
	if len(pl.Rows) != 2 || pl.Rows[0].Line != 4 || pl.Rows[1].Line != 6 {
		t.Errorf("rows = %+v, want lines 4 and 6", pl.Rows)
	}
}

// TestPlanImport_PhoneUserIDKeepsItsUserOutOfSync names a user by a user ID
// that starts with "+": the row matches them (no formula error), so sync
// leaves them alone even when another cell of the row is refused.
func TestPlanImport_PhoneUserIDKeepsItsUserOutOfSync(t *testing.T) {
	snap := planSnapshot()
	snap.Users = append(snap.Users, &roster.User{ID: "pat", FirstName: "Pat", LastName: "Lin", UserID: "+15551234567", Role: roster.RoleLearner, State: roster.StateActive, Version: 1})
	csv := header + "Pat,Lin,,+15551234567,,,,,,,,\n" + "Ann,@Lee,ann@x.test,,,,,,,,,\n"
	rows, err := sheetread.Open(strings.NewReader(csv), "upload.csv", sheetread.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := imports.PlanImport(rows, snap, roster.ImportOptions{Mode: roster.ImportUpdate, Sync: roster.SyncArchive, SkipBadRows: true}, owner, planNow)
	if err != nil {
		t.Fatal(err)
	}
	if got := errorsOf(pl); len(got) != 1 || !strings.HasPrefix(got[0], "3 B:") {
		t.Errorf("errors = %q, want only Ann's last name", got)
	}
	for _, id := range pl.SyncUserIDs {
		if id == "pat" || id == "ann" {
			t.Errorf("sync reaches %s, whom the file names: %q", id, pl.SyncUserIDs)
		}
	}
}

func TestPlanImport_Modes(t *testing.T) {
	csv := header + "Ann,Lee,ann@x.test,,,,,,,,,\nNew,One,new@x.test,,,,,,,,,\n"
	t.Run("add refuses users on the roster", func(t *testing.T) {
		pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportAdd}, owner)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`2 : is already on the roster: choose "add and update" to update existing users`}
		if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
			t.Errorf("errors = %q, want %q", got, want)
		}
		if pl.Counts.Create != 1 {
			t.Errorf("create = %d, want 1", pl.Counts.Create)
		}
	})
	t.Run("update refuses new users", func(t *testing.T) {
		pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportUpdate}, owner)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`3 : matches no user on the roster by user ID or email: "update" adds nobody`}
		if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
			t.Errorf("errors = %q, want %q", got, want)
		}
		if pl.Counts.Unchanged != 1 {
			t.Errorf("unchanged = %d, want 1", pl.Counts.Unchanged)
		}
	})
	t.Run("bad options", func(t *testing.T) {
		for _, o := range []roster.ImportOptions{{Mode: "merge"}, {Mode: roster.ImportAdd, Sync: "delete"}} {
			if _, err := plan(t, csv, o, owner); !roster.IsCode(err, roster.CodeInvalid) {
				t.Errorf("%+v: err = %v, want invalid", o, err)
			}
		}
	})
}

func TestPlanImport_Matching(t *testing.T) {
	csv := header +
		"Bob,Ray,bob@x.test,B-100,,,,,,,,\n" + // 2 matched by user ID; gets an email
		"Ann,Lee,dan@x.test,,,,,,,,,\n" + // 3 matched by email: dan, renamed
		"Xu,Li,ann@x.test,B-100,,,,,,,,\n" + // 4 user ID is Bob's, email Ann's
		"Ann,Lee,ann@x.test,,,,,,,,,\n" + // 5 unchanged
		"Ann,Lee,ANN@x.test,,,,,,,,,\n" // 6 Ann again
	pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportAddUpdate}, owner)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"4 C: belongs to another user than the user ID on this row",
		"4 D: is also on line 2",
		"5 C: is also on line 4",
		"6 : is the same user as line 5",
		"6 C: is also on line 4",
	}
	if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(pl.Rows) != 2 || pl.Rows[0].UserRef != "bob" || pl.Rows[1].UserRef != "dan" {
		t.Errorf("rows = %+v, want bob and dan", pl.Rows)
	}
}

func TestPlanImport_Seats(t *testing.T) {
	// Food Safety has one free seat: the first row that needs one gets it.
	csv := header +
		"Ann,Lee,ann@x.test,,,,,Food Safety,,,,\n" +
		"Bob,Ray,,B-100,,,,Food Safety (2027-01-01),,,,\n" +
		"New,One,new@x.test,,,,,food   safety,,,,\n"
	pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportAddUpdate}, owner)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`3 H: no seat left in "Food Safety": 3 seats needed, only 1 free`,
		`4 H: no seat left in "Food Safety": 3 seats needed, only 1 free`,
	}
	if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if pl.Counts.Update != 1 || pl.Counts.Create != 0 || pl.Counts.Errors != 2 {
		t.Errorf("counts = %+v", pl.Counts)
	}
}

func TestPlanImport_Sync(t *testing.T) {
	csv := header + "Ann,Lee,ann@x.test,,,,,,,,,\n"
	for _, tc := range []struct {
		sync roster.SyncMode
		p    *roster.Principal
		want []string
	}{
		// Not the caller, not archived Cat; Dan is deactivated already.
		{roster.SyncDeactivate, owner, []string{"admin", "bob"}},
		{roster.SyncArchive, owner, []string{"admin", "bob", "dan"}},
		// An administrator reaches learners only.
		{roster.SyncArchive, admin, []string{"bob", "dan"}},
	} {
		t.Run(string(tc.sync)+" by "+string(tc.p.Role), func(t *testing.T) {
			pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportUpdate, Sync: tc.sync}, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(pl.SyncUserIDs, tc.want) {
				t.Errorf("sync = %q, want %q", pl.SyncUserIDs, tc.want)
			}
			if n := pl.Counts.Deactivate + pl.Counts.Archive; n != len(tc.want) {
				t.Errorf("counts = %+v, want %d to sync", pl.Counts, len(tc.want))
			}
		})
	}
}

func TestPlanImport_Permissions(t *testing.T) {
	csv := header +
		"Adam,Admin,admin@x.test,,,,,,No,,,\n" + // 2 the caller deactivating themselves
		"Olga,Owner2,owner@x.test,,,,,,,,,\n" + // 3 an admin may not change an owner
		"New,Boss,boss@x.test,,admin,,,,,,,\n" + // 4 an admin may not add an admin
		"Bob,Ray,,B-100,admin,,,,,,,\n" + // 5 an admin may not raise a learner
		"Dan,Off,dan@x.test,,,,,,Yes,,,\n" + // 6 activate a deactivated learner: fine
		"Ann,Lee,ann@x.test,,,,,,,,,\n" // 7 unchanged
	pl, err := plan(t, csv, roster.ImportOptions{Mode: roster.ImportAddUpdate}, admin)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2 : only an owner can change an administrator or an owner",
		"3 : only an owner can change an administrator or an owner",
		"4 E: only an owner can add administrators and owners",
		"5 E: only an owner can give or take the admin and owner roles",
	}
	if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if pl.Counts.Update != 1 || pl.Counts.Unchanged != 1 {
		t.Errorf("counts = %+v", pl.Counts)
	}
	t.Run("an owner may not lock themselves out", func(t *testing.T) {
		pl, err := plan(t, header+"Olga,Owner,owner@x.test,,admin,,,,No,2027-01-01,,\n", roster.ImportOptions{Mode: roster.ImportUpdate}, owner)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"2 E: you cannot change your own role",
			"2 I: you cannot deactivate yourself",
			"2 J: you cannot change your own expiration date",
		}
		if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
			t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestImportRow_Apply(t *testing.T) {
	u := &roster.User{ID: "bob", FirstName: "Bob", LastName: "Ray", UserID: "B-100", Role: roster.RoleLearner, State: roster.StatePending,
		Courses: []roster.Assignment{{CourseID: "c-fire"}}}
	due := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	r := roster.ImportRow{
		Email: ptr("bob@x.test"), LocationID: ptr("l-1"), AddGroups: []string{"g-bar"},
		Courses: []roster.Assignment{{CourseID: "c-fire", DueAt: &due}, {CourseID: "c-food"}},
		Approve: true, Active: ptr(false),
	}
	if err := imports.ApplyRow(&r, u, planNow); err != nil {
		t.Fatal(err)
	}
	if u.Email != "bob@x.test" || u.LocationID != "l-1" || !reflect.DeepEqual(u.GroupIDs, []string{"g-bar"}) ||
		u.State != roster.StateDeactivated || u.ApprovedAt == nil || len(u.Courses) != 2 || !u.Courses[0].DueAt.Equal(due) {
		t.Errorf("user = %+v", u)
	}
	t.Run("an expired user stays without access", func(t *testing.T) {
		past := planNow.Add(-time.Hour)
		u := &roster.User{FirstName: "A", LastName: "B", Email: "a@x.test", Role: roster.RoleLearner, State: roster.StateDeactivated, ExpiresAt: &past}
		if err := imports.ApplyRow(&roster.ImportRow{Active: ptr(true)}, u, planNow); err != nil {
			t.Fatal(err)
		}
		if u.State != roster.StateDeactivated {
			t.Errorf("state = %s, want deactivated: Activate is refused for an expired user", u.State)
		}
	})
}

func TestPlanImport_LongValuesQuotedShort(t *testing.T) {
	// A row's error quotes at most 60 bytes of the value, cut at a
	// character: every bad cell of 100,000 rows keeps its message.
	long := strings.Repeat("é", 999)
	pl, err := plan(t, header+"Al,Lee,a@x.test,,,"+long+",,,,,,\n", roster.ImportOptions{Mode: roster.ImportAdd}, owner)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`2 F: no such location: "` + strings.Repeat("é", 30) + `…"`}
	if got := errorsOf(pl); !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestPlanImport_ErrorsKeptForTheReportAreBounded(t *testing.T) {
	// Every row of this file has two errors (a location and a group that
	// do not exist): past MaxReportErrors the plan counts them and keeps
	// no more, whatever the file holds, and the report says so.
	const rows = imports.MaxReportErrors/2 + 500
	var b strings.Builder
	b.WriteString(header)
	for i := range rows {
		fmt.Fprintf(&b, "Al,Lee,al%d@x.test,,,Nowhere,Nobody,,,,,\n", i)
	}
	pl, err := plan(t, b.String(), roster.ImportOptions{Mode: roster.ImportAdd}, owner)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(pl.Errors), imports.MaxReportErrors; got != want {
		t.Errorf("errors kept = %d, want %d", got, want)
	}
	if got, want := pl.ErrorsLeftOut, 2*rows-imports.MaxReportErrors; got != want {
		t.Errorf("errors left out = %d, want %d", got, want)
	}
	if got, want := pl.Counts.Errors, rows; got != want {
		t.Errorf("rows with errors = %d, want %d (every row, however many errors are kept)", got, want)
	}
	if last := pl.Errors[len(pl.Errors)-1]; last.Line != imports.MaxReportErrors/2+1 {
		t.Errorf("the last error kept is on line %d, want %d: the report keeps the first errors", last.Line, imports.MaxReportErrors/2+1)
	}
	var report strings.Builder
	if err := imports.WriteErrors(&report, pl.Errors, pl.ErrorsLeftOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(report.String(), "\r\n"), "\n")
	if got, want := len(lines), 1+imports.MaxReportErrors+1; got != want {
		t.Errorf("report lines = %d, want %d (header, errors, the line left out)", got, want)
	}
	want := ",,,\"and 1,000 more errors, not listed: the report keeps the first 10,000; fix these and validate again to see the rest\""
	if got := strings.TrimRight(lines[len(lines)-1], "\r"); got != want {
		t.Errorf("the report's last line = %s, want %s", got, want)
	}
}

// TestPlanImport_ActiveColumn follows the seeds' help page: "Active users
// should have a value of Yes and deactivated users should have a value of
// No in the Active column". Active Yes gives access, approving a user not
// approved yet (new or pending) as Approved Yes does, and sends no
// invitation unless Notify says so; Approved No on the same row says the
// opposite and is refused naming both columns; Active No leaves or makes
// the user without access.
func TestPlanImport_ActiveColumn(t *testing.T) {
	const both = "Active Yes and Approved No disagree: a user has access only once approved; set Approved to Yes (or leave it empty), or Active to No"
	for _, tc := range []struct {
		name       string
		row        string
		wantErrors []string
		wantCounts imports.Counts
		// of the one planned row, and the user after it
		wantApprove, wantNotify bool
		wantStatus              roster.Status
	}{
		{name: "new user, Active Yes: created approved, with access, not invited",
			row: "Ada,New,ada@x.test,,,,,,Yes,,,", wantCounts: imports.Counts{Rows: 1, Create: 1},
			wantApprove: true, wantStatus: roster.StatusActivated},
		{name: "new user, Active Yes and Notify Yes: invited too",
			row: "Ada,New,ada@x.test,,,,,,Yes,,,Yes", wantCounts: imports.Counts{Rows: 1, Create: 1},
			wantApprove: true, wantNotify: true, wantStatus: roster.StatusActivated},
		{name: "new user, Active Yes and Approved Yes: as before",
			row: "Ada,New,ada@x.test,,,,,,Yes,,Yes,", wantCounts: imports.Counts{Rows: 1, Create: 1},
			wantApprove: true, wantStatus: roster.StatusActivated},
		{name: "new user, Active Yes and Approved No: refused naming both",
			row: "Ada,New,ada@x.test,,,,,,Yes,,No,", wantCounts: imports.Counts{Rows: 1, Errors: 1},
			wantErrors: []string{"2 I: " + both}},
		{name: "new user, Active Yes, Approved No and Notify Yes: the one error",
			row: "Ada,New,ada@x.test,,,,,,Yes,,No,Yes", wantCounts: imports.Counts{Rows: 1, Errors: 1},
			wantErrors: []string{"2 I: " + both}},
		{name: "new user, Active No: created without access",
			row: "Ada,New,ada@x.test,,,,,,No,,,", wantCounts: imports.Counts{Rows: 1, Create: 1},
			wantStatus: roster.StatusDeactivated},
		{name: "new user, Active No and Notify Yes: refused, nobody without access is emailed",
			row: "Ada,New,ada@x.test,,,,,,No,,,Yes", wantCounts: imports.Counts{Rows: 1, Errors: 1},
			wantErrors: []string{"2 L: needs Approved or Active Yes (and not Active No): only users with access are emailed"}},
		{name: "pending user, Active Yes: approved and given access",
			row: "Bob,Ray,,B-100,,,,,Yes,,,", wantCounts: imports.Counts{Rows: 1, Update: 1},
			wantApprove: true, wantStatus: roster.StatusActivated},
		{name: "pending user, Active Yes and Approved No: refused naming both",
			row: "Bob,Ray,,B-100,,,,,Yes,,No,", wantCounts: imports.Counts{Rows: 1, Errors: 1},
			wantErrors: []string{"2 I: " + both}},
		{name: "pending user, Active No: deactivated",
			row: "Bob,Ray,,B-100,,,,,No,,,", wantCounts: imports.Counts{Rows: 1, Update: 1},
			wantStatus: roster.StatusDeactivated},
		{name: "deactivated user, Active Yes: activated",
			row: "Dan,Off,dan@x.test,,,,,,Yes,,,", wantCounts: imports.Counts{Rows: 1, Update: 1},
			wantStatus: roster.StatusActivated},
		{name: "approved user, Active No: deactivated",
			row: "Ann,Lee,ann@x.test,,,,,,No,,,", wantCounts: imports.Counts{Rows: 1, Update: 1},
			wantStatus: roster.StatusDeactivated},
		{name: "user with access, Active Yes: unchanged",
			row: "Ann,Lee,ann@x.test,,,,,,Yes,,,", wantCounts: imports.Counts{Rows: 1, Unchanged: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := plan(t, header+tc.row+"\n", roster.ImportOptions{Mode: roster.ImportAddUpdate}, owner)
			if err != nil {
				t.Fatal(err)
			}
			if got := errorsOf(pl); !reflect.DeepEqual(got, tc.wantErrors) {
				t.Errorf("errors = %q, want %q", got, tc.wantErrors)
			}
			if pl.Counts != tc.wantCounts {
				t.Errorf("counts = %+v, want %+v", pl.Counts, tc.wantCounts)
			}
			if len(pl.Rows) == 0 {
				return
			}
			r := pl.Rows[0]
			if r.Approve != tc.wantApprove || r.Notify != tc.wantNotify {
				t.Errorf("row approves %v and notifies %v, want %v and %v", r.Approve, r.Notify, tc.wantApprove, tc.wantNotify)
			}
			// The user as the job writes it: a new one starts pending, as
			// CreateUser's does.
			u := &roster.User{Role: roster.RoleLearner, State: roster.StatePending}
			for _, s := range planSnapshot().Users {
				if s.ID == r.UserRef && !r.New {
					u = roster.CloneUser(s)
				}
			}
			wasApproved, wasNotified := u.ApprovedAt, u.NotifiedAt
			if err := imports.ApplyRow(&r, u, planNow); err != nil {
				t.Fatal(err)
			}
			if got := u.Status(planNow); got != tc.wantStatus {
				t.Errorf("status = %s, want %s", got, tc.wantStatus)
			}
			if tc.wantApprove && wasApproved == nil && (u.ApprovedAt == nil || !u.ApprovedAt.Equal(planNow)) {
				t.Errorf("approved at %v, want %v", u.ApprovedAt, planNow)
			}
			if !roster.SameTime(u.NotifiedAt, wasNotified) {
				t.Errorf("notified at %v: the row's write never marks an invitation", u.NotifiedAt)
			}
		})
	}
	t.Run("a new user made active is stored as CreateUser with approve stores it", func(t *testing.T) {
		pl, err := plan(t, header+"Ada,New,ada@x.test,,,,,,Yes,,,\n", roster.ImportOptions{Mode: roster.ImportAdd}, owner)
		if err != nil || len(pl.Rows) != 1 {
			t.Fatalf("plan = %+v, %v", pl, err)
		}
		got := &roster.User{Role: roster.RoleLearner, State: roster.StatePending}
		if err := imports.ApplyRow(&pl.Rows[0], got, planNow); err != nil {
			t.Fatal(err)
		}
		// shared/service.go CreateUser: the new user, then the approve action.
		want := &roster.User{FirstName: "Ada", LastName: "New", Email: "ada@x.test", Role: roster.RoleLearner, State: roster.StatePending}
		if err := roster.ActionApprove.Apply(want, roster.ActionParams{}, planNow); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("imported user = %+v\nwant %+v", got, want)
		}
	})
}

// TestApplyRefusal says why a plan cannot be applied: rows with errors not
// skipped, or nothing left to do, and why nothing is.
func TestApplyRefusal(t *testing.T) {
	skip := roster.ImportOptions{Mode: roster.ImportAddUpdate, SkipBadRows: true}
	noSkip := roster.ImportOptions{Mode: roster.ImportAddUpdate}
	for _, tc := range []struct {
		name        string
		counts      imports.Counts
		o           roster.ImportOptions
		field, want string // want "" for no refusal
	}{
		{"errors not skipped", imports.Counts{Rows: 3, Create: 1, Errors: 2}, noSkip, "skipBadRows", "2 rows have errors: fix them and upload again, or skip them"},
		{"errors skipped, good rows left", imports.Counts{Rows: 3, Create: 1, Errors: 2}, skip, "", ""},
		{"every row has an error, skipped", imports.Counts{Rows: 3, Errors: 3}, skip, "file", "every row has an error: skipping them leaves nothing to apply; fix them and upload again"},
		{"every row has an error, not skipped", imports.Counts{Rows: 3, Errors: 3}, noSkip, "skipBadRows", "3 rows have errors: fix them and upload again, or skip them"},
		{"the rest unchanged, one row skipped", imports.Counts{Rows: 3, Unchanged: 2, Errors: 1}, skip, "file", "the file changes nothing once the row with errors is skipped: the other rows match the roster already; fix them and upload again"},
		{"the rest unchanged, rows skipped", imports.Counts{Rows: 4, Unchanged: 2, Errors: 2}, skip, "file", "the file changes nothing once the 2 rows with errors are skipped: the other rows match the roster already; fix them and upload again"},
		{"every row matches", imports.Counts{Rows: 2, Unchanged: 2}, noSkip, "file", "the file changes nothing: every row matches the roster already"},
		{"only sync", imports.Counts{Rows: 2, Unchanged: 2, Deactivate: 1}, noSkip, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := imports.ApplyRefusal(tc.counts, tc.o)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			var e *roster.Error
			if !errors.As(err, &e) || e.Code != roster.CodeInvalid || e.Field != tc.field || e.Message != tc.want {
				t.Fatalf("err = %#v, want invalid on %q: %q", err, tc.field, tc.want)
			}
			if (&imports.Plan{Counts: tc.counts}).Applicable(tc.o) {
				t.Error("the plan is applicable")
			}
		})
	}
	t.Run("a file of bad rows only, skipped, says so", func(t *testing.T) {
		pl, err := plan(t, header+"Ada,New,ada@x.test,,,,,,Yes,,No,\nBo,New,bo@x,,,,,,,,,\n", skip, owner)
		if err != nil {
			t.Fatal(err)
		}
		if err := imports.ApplyRefusal(pl.Counts, skip); err == nil || !strings.Contains(err.Error(), "every row has an error") {
			t.Errorf("counts %+v: err = %v, want every row has an error", pl.Counts, err)
		}
	})
}
