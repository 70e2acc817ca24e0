package imports

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	roster "github.com/rosterhq/roster/shared"
)

// An upload adds and updates users from a spreadsheet. PlanImport reads the
// whole file and checks every row against a snapshot of the organization
// before anything is written; the plan says what each row will do, or why
// it cannot, and the apply job carries out the rows through the same
// actions the buttons use (README.md, "Import (CSV and Excel)").

// Field is what a column of an upload sets.
type Field string

// The columns an upload reads.
const (
	FieldFirstName Field = "firstName"
	FieldLastName  Field = "lastName"
	FieldEmail     Field = "email"
	FieldUserID    Field = "userId"
	FieldRole      Field = "role"
	FieldLocation  Field = "location"
	FieldGroups    Field = "groups"
	FieldCourses   Field = "courses"
	FieldActive    Field = "active"
	FieldExpires   Field = "expirationDate"
	FieldApproved  Field = "approved"
	FieldNotify    Field = "notify"
)

// ImportColumns lists the columns of an upload in the template's order,
// each with its header and the other headers taken for it. Headers match
// whatever their case and spaces.
var ImportColumns = []struct {
	Field   Field
	Header  string
	Aliases []string
}{
	{FieldFirstName, "First name", nil},
	{FieldLastName, "Last name", nil},
	{FieldEmail, "Email", []string{"Email address", "E-mail"}},
	{FieldUserID, "User ID", nil},
	{FieldRole, "Role", nil},
	{FieldLocation, "Location", nil},
	{FieldGroups, "Groups", []string{"Group"}},
	{FieldCourses, "Courses", []string{"Course", "Classes"}},
	{FieldActive, "Active", nil},
	{FieldExpires, "Expiration date", []string{"Expiration", "Expires"}},
	{FieldApproved, "Approved", nil},
	{FieldNotify, "Notify", nil},
}

// ListSeparator separates the groups and the courses of one cell.
const ListSeparator = ";"

// Column is one column of the file's header and the field it became.
type Column struct {
	Column string // as a spreadsheet names it: A, B, …
	Header string // as the file spells it
	Field  Field
}

// ImportError is one problem of one row: its line as a spreadsheet shows
// it and, when one column is at fault, that column.
type ImportError struct {
	Line    int
	Column  string // A, B, …; empty when the row as a whole is at fault
	Field   Field
	Message string
}

// Counts are what an upload will do, as the preview shows it.
type Counts struct {
	Rows       int // rows read, blank ones left out
	Create     int
	Update     int
	Unchanged  int
	Deactivate int // users not in the file, deactivated by sync
	Archive    int // users not in the file, archived by sync
	Errors     int // rows with at least one error
}

// Plan is the outcome of validating an upload: what every good row
// does, every error, and the users sync reaches.
type Plan struct {
	Columns []Column
	Counts  Counts
	Errors  []ImportError // by line, then column; at most MaxReportErrors
	// ErrorsLeftOut counts the errors found past MaxReportErrors.
	ErrorsLeftOut int
	Rows          []roster.ImportRow // the good rows that change something, by line
	// SyncUserIDs are the users not named by any row that sync reaches.
	SyncUserIDs []string
}

// Applicable reports whether the plan may be applied with these options:
// only when no row has an error, or when the administrator skips them, and
// when what is left changes something (ApplyRefusal).
func (pl *Plan) Applicable(o roster.ImportOptions) bool {
	return ApplyRefusal(pl.Counts, o) == nil
}

// ApplyRefusal says why an upload with these counts cannot be applied with
// these options, or returns nil. Rows with errors are refused unless o
// skips them; a plan left with nothing to do is refused, saying whether
// that is because every row has an error, because the rows without errors
// change nothing, or because every row matches the roster already.
func ApplyRefusal(c Counts, o roster.ImportOptions) error {
	if c.Errors > 0 && !o.SkipBadRows {
		return roster.Invalid("skipBadRows", "%s: fix them and upload again, or skip them", rowsWithErrors(c.Errors))
	}
	if importOpsCount(c) > 0 {
		return nil
	}
	switch {
	case c.Errors > 0 && c.Unchanged == 0:
		return roster.Invalid("file", "every row has an error: skipping them leaves nothing to apply; fix them and upload again")
	case c.Errors > 0:
		skipped := fmt.Sprintf("%d rows with errors are", c.Errors)
		if c.Errors == 1 {
			skipped = "row with errors is"
		}
		return roster.Invalid("file", "the file changes nothing once the %s skipped: the other rows match the roster already; fix them and upload again", skipped)
	}
	return roster.Invalid("file", "the file changes nothing: every row matches the roster already")
}

// RosterSnapshot is what validation checks an upload against: the
// organization's users, groups, locations and courses, read once.
type RosterSnapshot struct {
	Users     []*roster.User
	Groups    []roster.Group
	Locations []roster.Location
	Courses   []roster.Course
}

// formulaStarts are the characters other than "=" that make a spreadsheet
// read a typed cell as a formula. A value starting with one does not
// survive a spreadsheet (it turns into a number or #NAME?), so such a cell
// is refused rather than kept as formula text.
const formulaStarts = "+-@"

// maxErrorsPerRow bounds the errors one row reports.
const maxErrorsPerRow = 12

// PlanImport reads every row of the file and checks it against snap for an
// upload by p with options o, at time now. A file that cannot be read, or
// whose header is wrong, is an invalid error on "file"; problems of rows are
// in the plan's Errors.
func PlanImport(rows RowReader, snap *RosterSnapshot, o roster.ImportOptions, p *roster.Principal, now time.Time) (*Plan, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	header, err := rows.Next()
	if err == io.EOF {
		return nil, roster.Invalid("file", "the file is empty: it has no header line")
	}
	if err != nil {
		return nil, err
	}
	cols, err := mapHeader(header)
	if err != nil {
		return nil, err
	}
	pl := &Plan{Columns: cols}
	pr := newPlanner(snap, o, p, now, cols)
	for {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		pl.Counts.Rows++
		pr.row(row)
	}
	if pl.Counts.Rows == 0 {
		return nil, roster.Invalid("file", "the file holds only a header: add a row for each user")
	}
	pr.checkSeats()
	pr.finish(pl)
	return pl, nil
}

// headerKey is how headers are compared: lower case, no spaces.
func headerKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.TrimPrefix(s, "\ufeff"))), "")
}

// mapHeader names the field of each column: every column must be known,
// none twice, and first name, last name and email or user ID present.
func mapHeader(h SheetRow) ([]Column, error) {
	known := map[string]Field{}
	var names []string
	for _, c := range ImportColumns {
		names = append(names, `"`+c.Header+`"`)
		known[headerKey(c.Header)] = c.Field
		for _, a := range c.Aliases {
			known[headerKey(a)] = c.Field
		}
	}
	cells := h.Cells
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1] // trailing empty headers are no columns
	}
	var cols []Column
	seen := map[Field]string{}
	for i, cell := range cells {
		col := columnName(i)
		name := strings.TrimSpace(cell)
		if name == "" {
			return nil, roster.Invalid("file", "column %s has no header: name it or remove it", col)
		}
		f, ok := known[headerKey(name)]
		if !ok {
			return nil, roster.Invalid("file", "column %s (%q) is not a known column: rename or remove it (the columns are %s)", col, name, strings.Join(names, ", "))
		}
		if prev, dup := seen[f]; dup {
			return nil, roster.Invalid("file", "columns %s and %s are both %q: keep one", prev, col, headerOf(f))
		}
		seen[f] = col
		cols = append(cols, Column{Column: col, Header: name, Field: f})
	}
	for _, f := range []Field{FieldFirstName, FieldLastName} {
		if _, ok := seen[f]; !ok {
			return nil, roster.Invalid("file", "the file has no %q column", headerOf(f))
		}
	}
	if seen[FieldEmail] == "" && seen[FieldUserID] == "" {
		return nil, roster.Invalid("file", `has neither an "Email" nor a "User ID" column: users are matched and sign in by one of them`)
	}
	return cols, nil
}

func headerOf(f Field) string {
	for _, c := range ImportColumns {
		if c.Field == f {
			return c.Header
		}
	}
	return string(f)
}

// columnName returns a spreadsheet's name of the column at index i (0: A).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// planner checks rows one at a time against the snapshot and the rows before.
type planner struct {
	o    roster.ImportOptions
	p    *roster.Principal
	now  time.Time
	cols []Column

	byID, byEmail, byLogin map[string]*roster.User
	groups, locations      map[string]string // normalized name: id
	courses                map[string]*roster.Course
	emailLine, loginLine   map[string]int // normalized email or user ID in the file: first line
	userLine               map[string]int // user id matched: first line
	errors                 []ImportError
	errorsLeftOut          int
	badLines               map[int]bool
	rows                   []roster.ImportRow
	unchanged              int
	users                  []*roster.User
	seatLines              map[string][]int // course id: lines of good rows newly assigning it, in order
}

func newPlanner(snap *RosterSnapshot, o roster.ImportOptions, p *roster.Principal, now time.Time, cols []Column) *planner {
	pr := &planner{
		o: o, p: p, now: now, cols: cols,
		byID: make(map[string]*roster.User, len(snap.Users)), byEmail: map[string]*roster.User{}, byLogin: map[string]*roster.User{},
		groups: map[string]string{}, locations: map[string]string{}, courses: map[string]*roster.Course{},
		emailLine: map[string]int{}, loginLine: map[string]int{}, userLine: map[string]int{},
		badLines: map[int]bool{}, users: snap.Users, seatLines: map[string][]int{},
	}
	for _, u := range snap.Users {
		pr.byID[u.ID] = u
		if u.Email != "" {
			pr.byEmail[roster.NormalizeEmail(u.Email)] = u
		}
		if u.UserID != "" {
			pr.byLogin[roster.NormalizeUserID(u.UserID)] = u
		}
	}
	for _, g := range snap.Groups {
		if !g.Deleting {
			pr.groups[roster.NormalizeSearch(g.Name)] = g.ID
		}
	}
	for _, l := range snap.Locations {
		if !l.Deleting {
			pr.locations[roster.NormalizeSearch(l.Name)] = l.ID
		}
	}
	for i := range snap.Courses {
		pr.courses[roster.NormalizeSearch(snap.Courses[i].Name)] = &snap.Courses[i]
	}
	return pr
}

// rowCells is one row read by field.
type rowCells struct {
	line   int
	cells  map[Field]string
	column map[Field]string
	errs   []ImportError
	// approvedNo: the Approved cell says No, which Active Yes contradicts
	// for a user not approved yet.
	approvedNo bool
}

// maxQuoted is the most bytes of a value a row's error quotes. The plan
// keeps every error of up to 100,000 rows, and an .xlsx of a few kilobytes
// can show one 2,000-character shared string in each of their cells:
// quoted whole, those messages would hold gigabytes.
const maxQuoted = 60

func (rc *rowCells) fail(f Field, format string, args ...any) {
	if len(rc.errs) < maxErrorsPerRow {
		for i, a := range args {
			if s, ok := a.(string); ok && len(s) > maxQuoted {
				args[i] = cutText(s, maxQuoted)
			}
		}
		rc.errs = append(rc.errs, ImportError{Line: rc.line, Column: rc.column[f], Field: f, Message: fmt.Sprintf(format, args...)})
	}
}

// cutText returns s cut to at most n bytes, at a character's start, with
// an ellipsis.
func cutText(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// failErr records err, a field error of the user's validation, on f.
func (rc *rowCells) failErr(f Field, err error) {
	var e *roster.Error
	if errors.As(err, &e) {
		rc.fail(f, "%s", e.Message)
		return
	}
	rc.fail(f, "%v", err)
}

func (pr *planner) row(sr SheetRow) {
	rc := &rowCells{line: sr.Line, cells: map[Field]string{}, column: map[Field]string{}}
	for i, c := range pr.cols {
		rc.column[c.Field] = c.Column
		if i < len(sr.Cells) {
			rc.cells[c.Field] = strings.TrimSpace(sr.Cells[i])
		}
	}
	if len(sr.Cells) > len(pr.cols) {
		for i := len(pr.cols); i < len(sr.Cells); i++ {
			if strings.TrimSpace(sr.Cells[i]) != "" {
				rc.errs = append(rc.errs, ImportError{Line: sr.Line, Column: columnName(i), Message: "is a cell in a column with no header: remove it or name the column"})
				break
			}
		}
	}
	for _, c := range pr.cols {
		v := rc.cells[c.Field]
		switch {
		case strings.HasPrefix(v, "="):
			rc.fail(c.Field, "is a formula: replace it with its value (Paste Special, Values)")
		case v != "" && strings.ContainsRune(formulaStarts, rune(v[0])) && c.Field != FieldEmail && c.Field != FieldUserID:
			// An email or user ID has its own rule (a phone number such as
			// +15551234567 is a valid user ID), and blanking it would lose
			// whom the row names: sync would then reach that user.
			rc.fail(c.Field, "starts with %q, so a spreadsheet takes it for a formula: remove the %q", v[:1], v[:1])
		default:
			continue
		}
		rc.cells[c.Field] = ""
	}
	r := pr.parse(rc)
	changed := false
	if r != nil {
		changed = pr.match(rc, r)
	} else {
		pr.noteNamed(rc)
	}
	if len(rc.errs) > 0 {
		pr.fail(rc.errs...)
		pr.badLines[sr.Line] = true
		return
	}
	if !changed {
		pr.unchanged++
		return
	}
	old := pr.byID[r.UserRef]
	for _, a := range r.Courses {
		if old == nil || old.Assignment(a.CourseID) == nil {
			pr.seatLines[a.CourseID] = append(pr.seatLines[a.CourseID], r.Line)
		}
	}
	pr.rows = append(pr.rows, *r)
}

// parse reads the cells of a row into what it sets; nil when a cell is unreadable.
func (pr *planner) parse(rc *rowCells) *roster.ImportRow {
	r := &roster.ImportRow{Line: rc.line}
	text := func(f Field) *string {
		if v := rc.cells[f]; v != "" {
			return &v
		}
		return nil
	}
	r.FirstName, r.LastName = text(FieldFirstName), text(FieldLastName)
	if r.FirstName != nil {
		if err := roster.ValidateName("firstName", *r.FirstName); err != nil {
			rc.failErr(FieldFirstName, err)
		}
	}
	if r.LastName != nil {
		if err := roster.ValidateName("lastName", *r.LastName); err != nil {
			rc.failErr(FieldLastName, err)
		}
	}
	r.Email, r.LoginID = text(FieldEmail), text(FieldUserID)
	if r.Email != nil {
		if err := roster.ValidateEmail("email", *r.Email); err != nil {
			rc.failErr(FieldEmail, err)
		}
	}
	if r.LoginID != nil {
		if err := roster.ValidateUserID("userId", *r.LoginID); err != nil {
			rc.failErr(FieldUserID, err)
		}
	}
	if v := rc.cells[FieldRole]; v != "" {
		role := roster.Role(strings.ToLower(v))
		if !role.Valid() {
			rc.fail(FieldRole, "%q is not a role: use learner, admin or owner", v)
		} else {
			r.Role = &role
		}
	}
	if v := rc.cells[FieldLocation]; v != "" {
		if id, ok := pr.locations[roster.NormalizeSearch(v)]; ok {
			r.LocationID = &id
		} else {
			rc.fail(FieldLocation, "no such location: %q", v)
		}
	}
	if v := rc.cells[FieldGroups]; v != "" {
		for _, name := range splitList(v) {
			if id, ok := pr.groups[roster.NormalizeSearch(name)]; ok {
				r.AddGroups = append(r.AddGroups, id)
			} else {
				rc.fail(FieldGroups, "no such group: %q", name)
			}
		}
		r.AddGroups = roster.NormalizeIDs(r.AddGroups)
		if len(r.AddGroups) > roster.MaxGroupsPerUser {
			rc.fail(FieldGroups, "names more than %d groups", roster.MaxGroupsPerUser)
		}
	}
	if v := rc.cells[FieldCourses]; v != "" {
		pr.parseCourses(rc, r, v)
	}
	if v := rc.cells[FieldExpires]; v != "" {
		if t, err := parseImportDate(v); err != nil {
			rc.fail(FieldExpires, "%q is not a date: write it as 2026-12-31", v)
		} else if !t.After(pr.now) {
			rc.fail(FieldExpires, "must be in the future (Active No takes access away now)")
		} else {
			r.ExpiresAt = &t
		}
	}
	switch pr.yesNo(rc, FieldApproved) {
	case yes:
		r.Approve = true
	case no:
		rc.approvedNo = true
	}
	switch pr.yesNo(rc, FieldActive) {
	case yes:
		t := true
		r.Active = &t
	case no:
		f := false
		r.Active = &f
	}
	r.Notify = pr.yesNo(rc, FieldNotify) == yes
	if len(rc.errs) > 0 {
		return nil
	}
	return r
}

// parseCourses reads "Name; Name (2026-12-31)": courses to assign, with an
// optional due date each.
func (pr *planner) parseCourses(rc *rowCells, r *roster.ImportRow, v string) {
	seen := map[string]bool{}
	for _, item := range splitList(v) {
		name, due := item, ""
		if i := strings.LastIndexByte(item, '('); i > 0 && strings.HasSuffix(item, ")") {
			name, due = strings.TrimSpace(item[:i]), strings.TrimSpace(item[i+1:len(item)-1])
		}
		c, ok := pr.courses[roster.NormalizeSearch(name)]
		if !ok {
			rc.fail(FieldCourses, "no such course: %q", name)
			continue
		}
		if c.Retired() {
			rc.fail(FieldCourses, "the course %q is retired: restore it to assign it", c.Name)
			continue
		}
		if seen[c.ID] {
			rc.fail(FieldCourses, "names %q twice", c.Name)
			continue
		}
		seen[c.ID] = true
		a := roster.Assignment{CourseID: c.ID}
		if due != "" {
			t, err := parseImportDate(due)
			if err != nil {
				rc.fail(FieldCourses, "the due date of %q, %q, is not a date: write it as %s (2026-12-31)", c.Name, due, c.Name)
				continue
			}
			if !t.After(pr.now) {
				rc.fail(FieldCourses, "the due date of %q must be in the future", c.Name)
				continue
			}
			a.DueAt = &t
		}
		r.Courses = append(r.Courses, a)
	}
	if len(r.Courses) > roster.MaxCoursesPerAction {
		rc.fail(FieldCourses, "names more than %d courses", roster.MaxCoursesPerAction)
	}
	roster.SortAssignments(r.Courses)
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ListSeparator) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseImportDate reads a date as the template writes it (2026-12-31), as
// midnight UTC, the way the API reads a date.
func parseImportDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}

type yesNoValue int

const (
	unset yesNoValue = iota
	yes
	no
)

func (pr *planner) yesNo(rc *rowCells, f Field) yesNoValue {
	switch strings.ToLower(rc.cells[f]) {
	case "":
		return unset
	case "yes", "y", "true", "1":
		return yes
	case "no", "n", "false", "0":
		return no
	}
	rc.fail(f, "%q is neither Yes nor No", rc.cells[f])
	return unset
}
