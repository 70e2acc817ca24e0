// Package httpapi serves Roster's JSON API over net/http. Every handler is
// written once and mounted both on the local dev server's mux and, one
// function at a time, in a Lambda behind API Gateway.
package httpapi

import (
	"net/http"

	roster "github.com/rosterhq/roster/shared"
)

// Access says who may call a route.
type Access int

// The access levels of routes.
const (
	Public Access = iota // no session needed
	Member               // any signed-in user
	Admin                // admins and owners
	Owner                // owners only
)

// Route is one method and path of the API and the Lambda function serving it.
type Route struct {
	Function string // the folder functions/<Function> and, in CamelCase, the template's <Function>Function
	Method   string
	Path     string // a net/http pattern path: /api/users/{id}
	Access   Access
	handle   func(a *API, w http.ResponseWriter, r *http.Request) error
}

// Pattern returns the route's net/http ServeMux pattern ("GET /api/users").
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// Routes is the API's route table: the one place that says which function
// serves which path. template.yaml and openapi.yaml are tested against it.
var Routes = []Route{
	{Function: "login", Method: http.MethodPost, Path: "/api/auth/login", Access: Public, handle: (*API).login},
	{Function: "logout", Method: http.MethodPost, Path: "/api/auth/logout", Access: Public, handle: (*API).logout},
	{Function: "logout-everywhere", Method: http.MethodPost, Path: "/api/auth/logout-everywhere", Access: Member, handle: (*API).logoutEverywhere},
	{Function: "check-link", Method: http.MethodPost, Path: "/api/auth/links/check", Access: Public, handle: (*API).checkLink},
	{Function: "redeem-link", Method: http.MethodPost, Path: "/api/auth/links/redeem", Access: Public, handle: (*API).redeemLink},
	{Function: "forgot-password", Method: http.MethodPost, Path: "/api/auth/password/forgot", Access: Public, handle: (*API).forgotPassword},
	{Function: "check-registration", Method: http.MethodPost, Path: "/api/auth/register/check", Access: Public, handle: (*API).checkRegistration},
	{Function: "register", Method: http.MethodPost, Path: "/api/auth/register", Access: Public, handle: (*API).register},
	{Function: "me", Method: http.MethodGet, Path: "/api/me", Access: Member, handle: (*API).me},
	{Function: "my-training", Method: http.MethodGet, Path: "/api/me/training", Access: Member, handle: (*API).myTraining},
	{Function: "start-training", Method: http.MethodPost, Path: "/api/me/training/{courseId}/start", Access: Member, handle: (*API).startTraining},
	{Function: "complete-training", Method: http.MethodPost, Path: "/api/me/training/{courseId}/complete", Access: Member, handle: (*API).completeTraining},
	{Function: "change-password", Method: http.MethodPost, Path: "/api/me/password", Access: Member, handle: (*API).changePassword},
	{Function: "get-organization", Method: http.MethodGet, Path: "/api/organization", Access: Admin, handle: (*API).getOrganization},
	{Function: "get-registration", Method: http.MethodGet, Path: "/api/organization/registration", Access: Admin, handle: (*API).getRegistration},
	{Function: "set-registration", Method: http.MethodPut, Path: "/api/organization/registration", Access: Admin, handle: (*API).setRegistration},
	{Function: "list-users", Method: http.MethodGet, Path: "/api/users", Access: Admin, handle: (*API).listUsers},
	{Function: "create-user", Method: http.MethodPost, Path: "/api/users", Access: Admin, handle: (*API).createUser},
	{Function: "get-user", Method: http.MethodGet, Path: "/api/users/{id}", Access: Admin, handle: (*API).getUser},
	{Function: "update-user", Method: http.MethodPatch, Path: "/api/users/{id}", Access: Admin, handle: (*API).updateUser},
	{Function: "approve-users", Method: http.MethodPost, Path: "/api/users/actions/approve", Access: Admin, handle: actionRoute(roster.ActionApprove)},
	{Function: "notify-users", Method: http.MethodPost, Path: "/api/users/actions/notify", Access: Admin, handle: actionRoute(roster.ActionNotify)},
	{Function: "deactivate-users", Method: http.MethodPost, Path: "/api/users/actions/deactivate", Access: Admin, handle: actionRoute(roster.ActionDeactivate)},
	{Function: "activate-users", Method: http.MethodPost, Path: "/api/users/actions/activate", Access: Admin, handle: actionRoute(roster.ActionActivate)},
	{Function: "set-users-expiration", Method: http.MethodPost, Path: "/api/users/actions/set-expiration", Access: Admin, handle: actionRoute(roster.ActionSetExpiration)},
	{Function: "archive-users", Method: http.MethodPost, Path: "/api/users/actions/archive", Access: Admin, handle: actionRoute(roster.ActionArchive)},
	{Function: "unarchive-users", Method: http.MethodPost, Path: "/api/users/actions/unarchive", Access: Admin, handle: actionRoute(roster.ActionUnarchive)},
	{Function: "add-users-to-groups", Method: http.MethodPost, Path: "/api/users/actions/add-to-groups", Access: Admin, handle: actionRoute(roster.ActionAddToGroups)},
	{Function: "remove-users-from-groups", Method: http.MethodPost, Path: "/api/users/actions/remove-from-groups", Access: Admin, handle: actionRoute(roster.ActionRemoveFromGroups)},
	{Function: "set-users-location", Method: http.MethodPost, Path: "/api/users/actions/set-location", Access: Admin, handle: actionRoute(roster.ActionSetLocation)},
	{Function: "set-users-role", Method: http.MethodPost, Path: "/api/users/actions/set-role", Access: Owner, handle: actionRoute(roster.ActionSetRole)},
	{Function: "assign-courses", Method: http.MethodPost, Path: "/api/users/actions/assign-courses", Access: Admin, handle: actionRoute(roster.ActionAssignCourses)},
	{Function: "unassign-courses", Method: http.MethodPost, Path: "/api/users/actions/unassign-courses", Access: Admin, handle: actionRoute(roster.ActionUnassignCourses)},
	{Function: "archive-activity", Method: http.MethodPost, Path: "/api/users/actions/archive-activity", Access: Admin, handle: actionRoute(roster.ActionArchiveActivity)},
	{Function: "set-due-date", Method: http.MethodPost, Path: "/api/users/actions/set-due-date", Access: Admin, handle: actionRoute(roster.ActionSetDueDate)},
	{Function: "delete-users", Method: http.MethodPost, Path: "/api/users/actions/delete", Access: Owner, handle: (*API).deleteUsers},
	{Function: "send-password-reset", Method: http.MethodPost, Path: "/api/users/{id}/password-reset", Access: Admin, handle: (*API).sendPasswordReset},
	{Function: "set-one-time-password", Method: http.MethodPost, Path: "/api/users/{id}/one-time-password", Access: Admin, handle: (*API).setOneTimePassword},
	{Function: "list-jobs", Method: http.MethodGet, Path: "/api/jobs", Access: Admin, handle: (*API).listJobs},
	{Function: "get-job", Method: http.MethodGet, Path: "/api/jobs/{id}", Access: Admin, handle: (*API).getJob},
	{Function: "list-job-outcomes", Method: http.MethodGet, Path: "/api/jobs/{id}/outcomes", Access: Admin, handle: (*API).listJobOutcomes},
	{Function: "cancel-job", Method: http.MethodPost, Path: "/api/jobs/{id}/cancel", Access: Admin, handle: (*API).cancelJob},
	{Function: "start-export", Method: http.MethodPost, Path: "/api/exports", Access: Admin, handle: (*API).startExport},
	{Function: "get-export", Method: http.MethodGet, Path: "/api/exports/{id}", Access: Admin, handle: (*API).getExport},
	{Function: "start-import", Method: http.MethodPost, Path: "/api/imports", Access: Admin, handle: (*API).startImport},
	{Function: "get-import", Method: http.MethodGet, Path: "/api/imports/{id}", Access: Admin, handle: (*API).getImport},
	{Function: "validate-import", Method: http.MethodPost, Path: "/api/imports/{id}/validate", Access: Admin, handle: (*API).validateImport},
	{Function: "get-import-errors", Method: http.MethodGet, Path: "/api/imports/{id}/errors", Access: Admin, handle: (*API).importErrors},
	{Function: "apply-import", Method: http.MethodPost, Path: "/api/imports/{id}/apply", Access: Admin, handle: (*API).applyImport},
	{Function: "get-import-results", Method: http.MethodGet, Path: "/api/imports/{id}/results", Access: Admin, handle: (*API).importResults},
	{Function: "list-user-audit", Method: http.MethodGet, Path: "/api/users/{id}/audit", Access: Admin, handle: (*API).listUserAudit},
	{Function: "list-audit", Method: http.MethodGet, Path: "/api/audit", Access: Admin, handle: (*API).listAudit},
	{Function: "list-groups", Method: http.MethodGet, Path: "/api/groups", Access: Admin, handle: (*API).listGroups},
	{Function: "create-group", Method: http.MethodPost, Path: "/api/groups", Access: Admin, handle: (*API).createGroup},
	{Function: "rename-group", Method: http.MethodPatch, Path: "/api/groups/{id}", Access: Admin, handle: (*API).renameGroup},
	{Function: "delete-group", Method: http.MethodDelete, Path: "/api/groups/{id}", Access: Admin, handle: (*API).deleteGroup},
	{Function: "list-locations", Method: http.MethodGet, Path: "/api/locations", Access: Admin, handle: (*API).listLocations},
	{Function: "create-location", Method: http.MethodPost, Path: "/api/locations", Access: Admin, handle: (*API).createLocation},
	{Function: "rename-location", Method: http.MethodPatch, Path: "/api/locations/{id}", Access: Admin, handle: (*API).renameLocation},
	{Function: "delete-location", Method: http.MethodDelete, Path: "/api/locations/{id}", Access: Admin, handle: (*API).deleteLocation},
	{Function: "list-courses", Method: http.MethodGet, Path: "/api/courses", Access: Admin, handle: (*API).listCourses},
	{Function: "create-course", Method: http.MethodPost, Path: "/api/courses", Access: Admin, handle: (*API).createCourse},
	{Function: "get-course", Method: http.MethodGet, Path: "/api/courses/{id}", Access: Admin, handle: (*API).getCourse},
	{Function: "update-course", Method: http.MethodPatch, Path: "/api/courses/{id}", Access: Admin, handle: (*API).updateCourse},
	{Function: "list-course-ledger", Method: http.MethodGet, Path: "/api/courses/{id}/ledger", Access: Admin, handle: (*API).listCourseLedger},
	{Function: "list-training-records", Method: http.MethodGet, Path: "/api/training-records", Access: Admin, handle: (*API).listTrainingRecords},
}

// Functions returns the names of the functions in the route table, each once, in table order.
func Functions() []string {
	var names []string
	seen := map[string]bool{}
	for _, rt := range Routes {
		if !seen[rt.Function] {
			seen[rt.Function] = true
			names = append(names, rt.Function)
		}
	}
	return names
}
