package httpapi

import (
	"net/http"

	roster "github.com/rosterhq/roster/shared"
)

func toGroupJSON(g *roster.Group) namedJSON {
	return namedJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt, Version: g.Version}
}

func toLocationJSON(l *roster.Location) namedJSON {
	return namedJSON{ID: l.ID, Name: l.Name, CreatedAt: l.CreatedAt, Version: l.Version}
}

type nameRequest struct {
	Name string `json:"name"`
}

func (a *API) listGroups(w http.ResponseWriter, r *http.Request) error {
	groups, err := a.Groups.ListGroups(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := listJSON[namedJSON]{Items: make([]namedJSON, len(groups))}
	for i := range groups {
		out.Items[i] = toGroupJSON(&groups[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createGroup(w http.ResponseWriter, r *http.Request) error {
	var req nameRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	g, err := a.Groups.CreateGroup(r.Context(), principal(r), req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toGroupJSON(g))
	return nil
}

func (a *API) listLocations(w http.ResponseWriter, r *http.Request) error {
	locations, err := a.Groups.ListLocations(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := listJSON[namedJSON]{Items: make([]namedJSON, len(locations))}
	for i := range locations {
		out.Items[i] = toLocationJSON(&locations[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createLocation(w http.ResponseWriter, r *http.Request) error {
	var req nameRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	l, err := a.Groups.CreateLocation(r.Context(), principal(r), req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toLocationJSON(l))
	return nil
}

type renameRequest struct {
	Version int64  `json:"version"`
	Name    string `json:"name"`
}

type deletedJSON struct {
	MembersTakenOut int `json:"membersTakenOut"`
}

// readRename reads a rename: the version read, and the new name.
func readRename(w http.ResponseWriter, r *http.Request) (renameRequest, error) {
	var req renameRequest
	if err := decodeBody(w, r, &req); err != nil {
		return req, err
	}
	if req.Version < 1 {
		return req, roster.Invalid("version", "is required: send the version you read")
	}
	return req, nil
}

// readDelete reads a deletion's query: the version read and the member count confirmed.
func readDelete(r *http.Request) (version int64, expectedMembers int, err error) {
	q, err := queryParams(r.URL.Query(), "version", "expectedMembers")
	if err != nil {
		return 0, 0, err
	}
	for _, name := range []string{"version", "expectedMembers"} {
		if _, ok := q[name]; !ok {
			return 0, 0, roster.Invalid(name, "is required")
		}
	}
	v, err := atoi("version", q["version"])
	if err != nil {
		return 0, 0, err
	}
	if v < 1 {
		return 0, 0, roster.Invalid("version", "is required: send the version you read")
	}
	n, err := atoi("expectedMembers", q["expectedMembers"])
	return int64(v), n, err
}

func (a *API) renameGroup(w http.ResponseWriter, r *http.Request) error {
	req, err := readRename(w, r)
	if err != nil {
		return err
	}
	g, err := a.Groups.RenameGroup(r.Context(), principal(r), r.PathValue("id"), req.Version, req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toGroupJSON(g))
	return nil
}

func (a *API) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	version, expected, err := readDelete(r)
	if err != nil {
		return err
	}
	n, err := a.Groups.DeleteGroup(r.Context(), principal(r), r.PathValue("id"), version, expected)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deletedJSON{MembersTakenOut: n})
	return nil
}

func (a *API) renameLocation(w http.ResponseWriter, r *http.Request) error {
	req, err := readRename(w, r)
	if err != nil {
		return err
	}
	l, err := a.Groups.RenameLocation(r.Context(), principal(r), r.PathValue("id"), req.Version, req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLocationJSON(l))
	return nil
}

func (a *API) deleteLocation(w http.ResponseWriter, r *http.Request) error {
	version, expected, err := readDelete(r)
	if err != nil {
		return err
	}
	n, err := a.Groups.DeleteLocation(r.Context(), principal(r), r.PathValue("id"), version, expected)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deletedJSON{MembersTakenOut: n})
	return nil
}
