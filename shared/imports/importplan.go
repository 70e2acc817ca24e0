package imports

import (
	"cmp"
	"errors"
	"slices"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// match finds the user a row names (by user ID, else by email), checks
// the row against the mode, the rows before it and what the caller may
// change, and reports whether the row changes anything.
func (pr *planner) match(rc *rowCells, r *roster.ImportRow) bool {
	var byLogin, byEmail *roster.User
	if r.LoginID != nil {
		byLogin = pr.byLogin[roster.NormalizeUserID(*r.LoginID)]
	}
	if r.Email != nil {
		byEmail = pr.byEmail[roster.NormalizeEmail(*r.Email)]
	}
	if r.Email != nil {
		k := roster.NormalizeEmail(*r.Email)
		if l, ok := pr.emailLine[k]; ok {
			rc.fail(FieldEmail, "is also on line %d", l)
		} else {
			pr.emailLine[k] = rc.line
		}
	}
	if r.LoginID != nil {
		k := roster.NormalizeUserID(*r.LoginID)
		if l, ok := pr.loginLine[k]; ok {
			rc.fail(FieldUserID, "is also on line %d", l)
		} else {
			pr.loginLine[k] = rc.line
		}
	}
	if r.Email == nil && r.LoginID == nil {
		rc.fail(FieldEmail, "is required when there is no user ID")
		return false
	}
	u := byLogin
	if u == nil {
		u = byEmail
	}
	if byLogin != nil && byEmail != nil && byLogin != byEmail {
		rc.fail(FieldEmail, "belongs to another user than the user ID on this row")
		return false
	}
	if u == nil {
		return pr.matchNew(rc, r)
	}
	r.UserRef = u.ID
	if prev, ok := pr.userLine[u.ID]; ok {
		rc.fail("", "is the same user as line %d", prev)
		return false
	}
	pr.userLine[u.ID] = rc.line
	switch {
	case pr.o.Mode == roster.ImportAdd:
		rc.fail("", "is already on the roster: choose \"add and update\" to update existing users")
		return false
	case u.Archived():
		rc.fail("", "%s", roster.ReasonArchived)
		return false
	}
	return pr.matchExisting(rc, r, u)
}

// matchNew checks a row that adds a user.
// noteNamed records the user a refused row names by its user ID, else its
// email: they are in the file, so sync leaves them alone (and a second row
// naming them is refused as the same user).
func (pr *planner) noteNamed(rc *rowCells) {
	var u *roster.User
	if v := rc.cells[FieldUserID]; v != "" {
		u = pr.byLogin[roster.NormalizeUserID(v)]
	}
	if v := rc.cells[FieldEmail]; u == nil && v != "" {
		u = pr.byEmail[roster.NormalizeEmail(v)]
	}
	if u == nil {
		return
	}
	if _, seen := pr.userLine[u.ID]; !seen {
		pr.userLine[u.ID] = rc.line
	}
}

func (pr *planner) matchNew(rc *rowCells, r *roster.ImportRow) bool {
	if pr.o.Mode == roster.ImportUpdate {
		rc.fail("", "matches no user on the roster by user ID or email: \"update\" adds nobody")
		return false
	}
	r.New = true
	if r.FirstName == nil {
		rc.fail(FieldFirstName, "is required for a new user")
	}
	if r.LastName == nil {
		rc.fail(FieldLastName, "is required for a new user")
	}
	if r.Role != nil && *r.Role != roster.RoleLearner && pr.p.Role != roster.RoleOwner {
		rc.fail(FieldRole, "only an owner can add administrators and owners")
	}
	if pr.activeApproves(rc, r) && r.Notify {
		switch {
		case !r.Approve || (r.Active != nil && !*r.Active):
			rc.fail(FieldNotify, "needs Approved or Active Yes (and not Active No): only users with access are emailed")
		case r.Email == nil:
			rc.fail(FieldNotify, "needs an email address to send the invitation to")
		}
	}
	u := &roster.User{Role: roster.RoleLearner, State: roster.StatePending}
	if err := ApplyRow(r, u, pr.now); err != nil {
		rc.failErr(fieldOf(err), err)
	}
	return true
}

// activeApproves makes Active Yes approve a user not approved yet (a new
// or pending one), as an administrator adding a user active expects: the
// row then gives access as Approved Yes does. Approved No on the same row
// says the opposite, and is refused naming both columns. It does not send
// the invitation: only Notify does. It reports false when it refuses the row.
func (pr *planner) activeApproves(rc *rowCells, r *roster.ImportRow) bool {
	if r.Active == nil || !*r.Active || r.Approve {
		return true
	}
	if rc.approvedNo {
		rc.fail(FieldActive, "Active Yes and Approved No disagree: a user has access only once approved; set Approved to Yes (or leave it empty), or Active to No")
		return false
	}
	r.Approve = true
	return true
}

// matchExisting checks a row that updates u.
func (pr *planner) matchExisting(rc *rowCells, r *roster.ImportRow, u *roster.User) bool {
	if u.State == roster.StatePending && !pr.activeApproves(rc, r) {
		return false
	}
	after := roster.CloneUser(u)
	if err := ApplyRow(r, after, pr.now); err != nil {
		rc.failErr(fieldOf(err), err)
		return false
	}
	if r.Notify && u.NotifiedAt != nil {
		r.Notify = false // invited already: the Notify button sends it again
	}
	changed := userChanged(u, after) || r.Notify
	if !changed {
		return false
	}
	if reason := roster.CanManage(pr.p, u); reason != "" {
		rc.fail("", "%s", reason)
		return false
	}
	if u.Role != after.Role {
		switch {
		case u.ID == pr.p.UserID:
			rc.fail(FieldRole, "you cannot change your own role")
		case pr.p.Role != roster.RoleOwner:
			rc.fail(FieldRole, "only an owner can give or take the admin and owner roles")
		}
	}
	if u.ID == pr.p.UserID {
		if after.State == roster.StateDeactivated && u.State != roster.StateDeactivated {
			rc.fail(FieldActive, "you cannot deactivate yourself")
		}
		if !roster.SameTime(u.ExpiresAt, after.ExpiresAt) {
			rc.fail(FieldExpires, "you cannot change your own expiration date")
		}
	}
	if r.Active != nil && *r.Active && !after.HasAccess(pr.now) {
		switch after.Status(pr.now) {
		case roster.StatusExpired:
			rc.fail(FieldActive, "%s", roster.ReasonExpired)
		case roster.StatusPending: // not reached: Active Yes approves a pending user (activeApproves)
			rc.fail(FieldActive, "pending: set Approved to Yes to give access")
		}
	}
	if r.Notify {
		switch {
		case !after.HasAccess(pr.now):
			rc.fail(FieldNotify, "the user has no access after this row: only users with access are emailed")
		case after.Email == "":
			rc.fail(FieldNotify, "needs an email address to send the invitation to")
		}
	}
	return true
}

// fieldOf names the column of a user field error.
func fieldOf(err error) Field {
	var e *roster.Error
	if errors.As(err, &e) {
		switch e.Field {
		case "firstName", "lastName", "email", "userId", "role":
			return Field(e.Field)
		case "groupIds":
			return FieldGroups
		case "courseIds":
			return FieldCourses
		}
	}
	return ""
}

// ApplyRow makes the row r's changes to u at time now: the names, email and
// user ID it sets, then the actions the buttons take (set role, location
// and expiration, add to groups, assign courses and move due dates,
// approve, activate or deactivate). An action with nothing to do is left
// out; any other refusal is returned, with u's validation.
func ApplyRow(r *roster.ImportRow, u *roster.User, now time.Time) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&u.FirstName, r.FirstName)
	set(&u.LastName, r.LastName)
	// A login spelled in another case is the same login: the stored spelling stays.
	if r.Email != nil && roster.NormalizeEmail(*r.Email) != roster.NormalizeEmail(u.Email) {
		u.Email = *r.Email
	}
	if r.LoginID != nil && roster.NormalizeUserID(*r.LoginID) != roster.NormalizeUserID(u.UserID) {
		u.UserID = *r.LoginID
	}
	type step struct {
		a roster.Action
		p roster.ActionParams
	}
	var steps []step
	if r.Role != nil {
		steps = append(steps, step{roster.ActionSetRole, roster.ActionParams{Role: *r.Role}})
	}
	if r.LocationID != nil {
		steps = append(steps, step{roster.ActionSetLocation, roster.ActionParams{LocationID: *r.LocationID}})
	}
	if r.ExpiresAt != nil {
		steps = append(steps, step{roster.ActionSetExpiration, roster.ActionParams{ExpiresAt: r.ExpiresAt}})
	}
	if len(r.AddGroups) > 0 {
		steps = append(steps, step{roster.ActionAddToGroups, roster.ActionParams{GroupIDs: r.AddGroups}})
	}
	for _, c := range r.Courses {
		if u.Assignment(c.CourseID) == nil {
			steps = append(steps, step{roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.CourseID}, DueAt: c.DueAt, WhenShort: roster.AssignNone}})
		} else if c.DueAt != nil {
			steps = append(steps, step{roster.ActionSetDueDate, roster.ActionParams{CourseIDs: []string{c.CourseID}, DueAt: c.DueAt}})
		}
	}
	if r.Approve {
		steps = append(steps, step{roster.ActionApprove, roster.ActionParams{}})
	}
	if r.Active != nil {
		a := roster.ActionDeactivate
		if *r.Active {
			a = roster.ActionActivate
		}
		steps = append(steps, step{a, roster.ActionParams{}})
	}
	for _, s := range steps {
		if err := s.a.Apply(u, s.p, now); err != nil {
			var skip *roster.Skip
			if !errors.As(err, &skip) {
				return err
			}
			if s.a == roster.ActionAddToGroups || s.a == roster.ActionAssignCourses {
				if skip.Reason != "already in these groups" && skip.Reason != "already assigned to these courses" {
					return roster.Invalid(string(map[roster.Action]Field{roster.ActionAddToGroups: FieldGroups, roster.ActionAssignCourses: FieldCourses}[s.a]), "%s", skip.Reason)
				}
			}
		}
	}
	return u.Validate()
}

// userChanged reports whether after differs from before in anything a
// write would store.
func userChanged(before, after *roster.User) bool {
	if len(roster.DiffUsers(before, after)) > 0 || len(before.Courses) != len(after.Courses) {
		return true
	}
	for i := range before.Courses {
		if before.Courses[i].CourseID != after.Courses[i].CourseID || !roster.SameTime(before.Courses[i].DueAt, after.Courses[i].DueAt) {
			return true
		}
	}
	return false
}

// checkSeats refuses, in each limited pool, the rows past the seats it has
// free, in line order: the administrator sees which rows do not fit.
// fail keeps errs for the error report, up to MaxReportErrors in all, and
// counts the rest.
func (pr *planner) fail(errs ...ImportError) {
	keep := min(len(errs), MaxReportErrors-len(pr.errors))
	pr.errors = append(pr.errors, errs[:keep]...)
	pr.errorsLeftOut += len(errs) - keep
}

func (pr *planner) checkSeats() {
	bad := map[int]bool{}
	for _, c := range pr.courses {
		free := c.Free()
		lines := pr.seatLines[c.ID]
		if free == nil || len(lines) <= *free {
			continue
		}
		for _, line := range lines[max(*free, 0):] {
			pr.fail(ImportError{Line: line, Column: pr.column(FieldCourses), Field: FieldCourses,
				Message: "no seat left in \"" + c.Name + "\": " + roster.Plural(len(lines), "seat") + " needed, " + roster.PlainCount(max(*free, 0)) + " free"})
			bad[line] = true
			pr.badLines[line] = true
		}
	}
	if len(bad) > 0 {
		pr.rows = slices.DeleteFunc(pr.rows, func(r roster.ImportRow) bool { return bad[r.Line] })
	}
}

func (pr *planner) column(f Field) string {
	for _, c := range pr.cols {
		if c.Field == f {
			return c.Column
		}
	}
	return ""
}

// finish totals the plan and picks the users sync reaches: on the active
// roster, named by no row, not the caller, and ones the caller may change.
func (pr *planner) finish(pl *Plan) {
	pl.Rows = pr.rows
	for _, r := range pr.rows {
		if r.New {
			pl.Counts.Create++
		} else {
			pl.Counts.Update++
		}
	}
	pl.Counts.Unchanged = pr.unchanged
	pl.Counts.Errors = len(pr.badLines)
	slices.SortStableFunc(pr.errors, func(a, b ImportError) int {
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(len(a.Column), len(b.Column)), cmp.Compare(a.Column, b.Column))
	})
	pl.Errors, pl.ErrorsLeftOut = pr.errors, pr.errorsLeftOut
	if pr.o.Sync == roster.SyncNone {
		return
	}
	for _, u := range pr.users {
		if _, named := pr.userLine[u.ID]; named || u.Archived() || u.ID == pr.p.UserID || roster.CanManage(pr.p, u) != "" {
			continue
		}
		if pr.o.Sync == roster.SyncDeactivate && u.State == roster.StateDeactivated {
			continue
		}
		pl.SyncUserIDs = append(pl.SyncUserIDs, u.ID)
	}
	slices.Sort(pl.SyncUserIDs)
	if pr.o.Sync == roster.SyncDeactivate {
		pl.Counts.Deactivate = len(pl.SyncUserIDs)
	} else {
		pl.Counts.Archive = len(pl.SyncUserIDs)
	}
}
