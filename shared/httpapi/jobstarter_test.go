package httpapi_test

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"io"
	"strconv"
	"testing"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/httpapi"
)

// A background job holds its starter, before every chunk, to the role its
// action needs (roster.Action.Needs); that rule must be the Access of the
// route that starts the job, so that a job never does what its starter's
// request would now be refused.
func TestRoutes_JobStartersRuleIsTheRoutesAccess(t *testing.T) {
	starts := map[string]roster.Action{
		"approve-users": roster.ActionApprove, "notify-users": roster.ActionNotify,
		"deactivate-users": roster.ActionDeactivate, "activate-users": roster.ActionActivate,
		"set-users-expiration": roster.ActionSetExpiration, "archive-users": roster.ActionArchive,
		"unarchive-users": roster.ActionUnarchive, "add-users-to-groups": roster.ActionAddToGroups,
		"remove-users-from-groups": roster.ActionRemoveFromGroups, "set-users-location": roster.ActionSetLocation,
		"set-users-role": roster.ActionSetRole, "assign-courses": roster.ActionAssignCourses,
		"unassign-courses": roster.ActionUnassignCourses, "set-due-date": roster.ActionSetDueDate,
		"archive-activity": roster.ActionArchiveActivity, "apply-import": roster.ActionImport,
		"start-export": "", // an export's starter must stay an administrator
	}
	access := map[roster.Role]httpapi.Access{roster.RoleAdmin: httpapi.Admin, roster.RoleOwner: httpapi.Owner}
	seen := map[string]bool{}
	for _, rt := range httpapi.Routes {
		a, ok := starts[rt.Function]
		if !ok {
			continue
		}
		seen[rt.Function] = true
		want := httpapi.Admin
		if a != "" {
			want = access[a.Needs()]
		}
		if rt.Access != want {
			t.Errorf("route %s: access %d, but a job it starts holds its starter to %d", rt.Function, rt.Access, want)
		}
	}
	for function := range starts {
		if !seen[function] {
			t.Errorf("no route %s in the table", function)
		}
	}
	for _, a := range roster.Actions {
		found := false
		for _, started := range starts {
			found = found || started == a
		}
		if !found {
			t.Errorf("action %s: no route listed here starts it", a)
		}
	}
}

// filesHook runs before each file is created.
type filesHook struct {
	roster.Files
	before func()
}

func (f filesHook) Create(ctx context.Context, orgID, key, contentType string, write func(io.Writer) error) (int64, error) {
	f.before()
	return f.Files.Create(ctx, orgID, key, contentType, write)
}

// An export started by an administrator who then loses access hands out
// nothing: it fails with the reason, and no file is kept.
func TestExports_StarterWhoLosesAccessGetsNoFile(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	org := s.mine.Organization.ID
	owner := &roster.Principal{OrgID: org, UserID: s.mine.Owner.ID, Role: roster.RoleOwner}
	want := "the person who started it no longer has the right to export the roster: no file was made"
	for _, tc := range []struct {
		name   string
		during bool // access lost while the rows are written, after the first check
	}{{"before the worker starts", false}, {"while the file is written", true}} {
		t.Run(tc.name, func(t *testing.T) {
			admin := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ann", LastName: "Admin", Email: "ann-" + strconv.FormatBool(tc.during) + "@mine.example", Role: roster.RoleAdmin}, "")
			e, err := s.app.Exports.StartExport(ctx, &roster.Principal{OrgID: org, UserID: admin.ID, Role: roster.RoleAdmin}, exports.Request{Kind: exports.ExportUsers, Format: exports.ExportCSV, Filter: &roster.UserFilter{}})
			if err != nil {
				t.Fatal(err)
			}
			deactivate := func() {
				if res, err := s.app.Service.RunAction(ctx, owner, roster.ActionDeactivate, roster.ActionParams{}, roster.Selection{UserIDs: []string{admin.ID}}); err != nil || res.Done != 1 {
					t.Errorf("deactivate the starter: %+v, %v", res, err)
				}
			}
			if tc.during {
				files := s.app.Exports.Files
				s.app.Exports.Files = filesHook{Files: files, before: deactivate}
				defer func() { s.app.Exports.Files = files }()
			} else {
				deactivate()
			}
			if err := s.app.Exports.RunExport(ctx, org, e.ID); err != nil {
				t.Fatal(err)
			}
			got, err := s.app.Exports.GetExport(ctx, owner, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != exports.ExportFailed || got.Message != want || got.Download != nil {
				t.Errorf("export = %+v, download %v; want failed with %q and no link", got.Export, got.Download, want)
			}
			key, _ := e.FileKey()
			if _, err := s.app.Service.Files.Stat(ctx, org, key); !roster.IsCode(err, roster.CodeNotFound) {
				t.Errorf("the export's file: %v, want none", err)
			}
		})
	}
}
