package httpapi

import (
	"net/http"

	roster "github.com/rosterhq/roster/shared"
)

// actionParams lists, for each action, the parameters its body may carry
// besides the selection, and whether each is required.
var actionParams = map[roster.Action]map[string]bool{
	roster.ActionApprove:          {"notify": false},
	roster.ActionNotify:           {},
	roster.ActionDeactivate:       {},
	roster.ActionActivate:         {},
	roster.ActionSetExpiration:    {"expiresAt": true},
	roster.ActionArchive:          {},
	roster.ActionUnarchive:        {},
	roster.ActionAddToGroups:      {"groupIds": true},
	roster.ActionRemoveFromGroups: {"groupIds": true},
	roster.ActionSetLocation:      {"locationId": true},
	roster.ActionSetRole:          {"role": true},
	roster.ActionAssignCourses:    {"courseIds": true, "dueAt": false, "whenShort": false},
	roster.ActionUnassignCourses:  {"courseIds": true},
	roster.ActionSetDueDate:       {"courseIds": true, "dueAt": true},
	roster.ActionArchiveActivity:  {"courseIds": true},
}

// actionRoute returns the handler of one action's route.
func actionRoute(a roster.Action) func(*API, http.ResponseWriter, *http.Request) error {
	return func(api *API, w http.ResponseWriter, r *http.Request) error {
		return api.runAction(w, r, a)
	}
}

// runAction reads a selection and the action's parameters, runs the action
// and answers with each user's outcome; or, when the selection is too large
// to run inline, answers 202 with the background job running it.
func (a *API) runAction(w http.ResponseWriter, r *http.Request, action roster.Action) error {
	allowed := []string{"userIds", "filter", "expectedCount"}
	for name := range actionParams[action] {
		allowed = append(allowed, name)
	}
	body, err := decodePatch(w, r, allowed...)
	if err != nil {
		return err
	}
	for name, required := range actionParams[action] {
		if _, ok := body[name]; required && !ok {
			return roster.Invalid(name, "is required")
		}
	}
	sel, err := readSelection(body)
	if err != nil {
		return err
	}
	params, err := readActionParams(body)
	if err != nil {
		return err
	}
	res, err := a.Service.RunAction(r.Context(), principal(r), action, params, sel)
	if err != nil {
		return err
	}
	if res.Job != nil {
		writeJSON(w, http.StatusAccepted, jobStartedJSON{Job: toJobJSON(res.Job)})
		return nil
	}
	writeJSON(w, http.StatusOK, toActionResultJSON(res))
	return nil
}

// readSelection reads userIds, or a filter with expectedCount.
func readSelection(body patch) (roster.Selection, error) {
	var sel roster.Selection
	ids, err := optional[[]string](body, "userIds")
	if err != nil {
		return sel, err
	}
	if ids.Set {
		sel.UserIDs = ids.Value
		if sel.UserIDs == nil {
			sel.UserIDs = []string{}
		}
	}
	count, err := optional[*int](body, "expectedCount")
	if err != nil {
		return sel, err
	}
	sel.ExpectedCount = count.Value
	if raw, ok := body["filter"]; ok && string(raw) != "null" {
		var fj filterJSON
		if err := decodeJSON(raw, "filter.", &fj); err != nil {
			return sel, err
		}
		f := fj.toFilter()
		sel.Filter = &f
	}
	return sel, nil
}

// readActionParams reads whichever action parameters the body carries.
func readActionParams(body patch) (roster.ActionParams, error) {
	var p roster.ActionParams
	notify, err := optional[bool](body, "notify")
	if err != nil {
		return p, err
	}
	expires, err := optional[*string](body, "expiresAt")
	if err != nil {
		return p, err
	}
	if p.ExpiresAt, err = parseTime("expiresAt", expires.Value); err != nil {
		return p, err
	}
	groups, err := optional[[]string](body, "groupIds")
	if err != nil {
		return p, err
	}
	location, err := optional[*string](body, "locationId")
	if err != nil {
		return p, err
	}
	if location.Value != nil {
		p.LocationID = *location.Value
	}
	role, err := optional[roster.Role](body, "role")
	if err != nil {
		return p, err
	}
	p.Notify, p.GroupIDs, p.Role = notify.Value, groups.Value, role.Value
	courses, err := optional[[]string](body, "courseIds")
	if err != nil {
		return p, err
	}
	due, err := optional[*string](body, "dueAt")
	if err != nil {
		return p, err
	}
	if p.DueAt, err = parseTime("dueAt", due.Value); err != nil {
		return p, err
	}
	short, err := optional[roster.WhenShort](body, "whenShort")
	if err != nil {
		return p, err
	}
	p.CourseIDs, p.WhenShort = courses.Value, short.Value
	return p, nil
}

// deleteUsers removes the selected users for good, given the typed confirmation.
func (a *API) deleteUsers(w http.ResponseWriter, r *http.Request) error {
	body, err := decodePatch(w, r, "userIds", "filter", "expectedCount", "confirmation")
	if err != nil {
		return err
	}
	sel, err := readSelection(body)
	if err != nil {
		return err
	}
	confirmation, err := optional[string](body, "confirmation")
	if err != nil {
		return err
	}
	if !confirmation.Set {
		return roster.Invalid("confirmation", `is required: type "delete N users"`)
	}
	res, err := a.Service.DeleteUsers(r.Context(), principal(r), sel, confirmation.Value)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toActionResultJSON(res))
	return nil
}
