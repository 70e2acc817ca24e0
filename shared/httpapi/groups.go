package httpapi

import "net/http"

type nameRequest struct {
	Name string `json:"name"`
}

func (a *API) listGroups(w http.ResponseWriter, r *http.Request) error {
	groups, err := a.Service.ListGroups(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := listJSON[namedJSON]{Items: make([]namedJSON, len(groups))}
	for i, g := range groups {
		out.Items[i] = namedJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt, Version: g.Version}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createGroup(w http.ResponseWriter, r *http.Request) error {
	var req nameRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	g, err := a.Service.CreateGroup(r.Context(), principal(r), req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, namedJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt, Version: g.Version})
	return nil
}

func (a *API) listLocations(w http.ResponseWriter, r *http.Request) error {
	locations, err := a.Service.ListLocations(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := listJSON[namedJSON]{Items: make([]namedJSON, len(locations))}
	for i, l := range locations {
		out.Items[i] = namedJSON{ID: l.ID, Name: l.Name, CreatedAt: l.CreatedAt, Version: l.Version}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createLocation(w http.ResponseWriter, r *http.Request) error {
	var req nameRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	l, err := a.Service.CreateLocation(r.Context(), principal(r), req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, namedJSON{ID: l.ID, Name: l.Name, CreatedAt: l.CreatedAt, Version: l.Version})
	return nil
}
