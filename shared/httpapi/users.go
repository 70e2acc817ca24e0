package httpapi

import (
	"net/http"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// listQueryKeys are the query parameters of GET /api/users.
var listQueryKeys = []string{"status", "location", "group", "course", "role", "q", "archived", "limit", "cursor"}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), listQueryKeys...)
	if err != nil {
		return err
	}
	page, err := readPage(q, roster.MaxPageSize)
	if err != nil {
		return err
	}
	f := filterJSON{Status: q["status"], Location: q["location"], Group: q["group"], Course: q["course"], Role: q["role"], Q: q["q"], Archived: q["archived"]}
	res, err := a.Service.ListUsers(r.Context(), principal(r), f.toFilter(), page)
	if err != nil {
		return err
	}
	now := a.Service.Now()
	out := userPageJSON{Items: make([]userJSON, len(res.Items)), NextCursor: nullable(res.NextCursor), Total: res.Total, TotalExact: res.Exact}
	for i := range res.Items {
		out.Items[i] = toUserJSON(&res.Items[i], now)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type createUserRequest struct {
	FirstName  string   `json:"firstName"`
	LastName   string   `json:"lastName"`
	Email      string   `json:"email"`
	UserID     string   `json:"userId"`
	Role       string   `json:"role"`
	LocationID string   `json:"locationId"`
	GroupIDs   []string `json:"groupIds"`
	ExpiresAt  *string  `json:"expiresAt"`
	Approve    bool     `json:"approve"`
	Notify     bool     `json:"notify"`
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var req createUserRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	expires, err := parseTime("expiresAt", req.ExpiresAt)
	if err != nil {
		return err
	}
	u, err := a.Service.CreateUser(r.Context(), principal(r), roster.NewUserInput{
		FirstName: req.FirstName, LastName: req.LastName, Email: req.Email, UserID: req.UserID,
		Role: roster.Role(req.Role), LocationID: req.LocationID, GroupIDs: req.GroupIDs, ExpiresAt: expires,
		Approve: req.Approve, Notify: req.Notify,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/users/"+u.ID)
	writeJSON(w, http.StatusCreated, toUserJSON(u, a.Service.Now()))
	return nil
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.Service.GetUser(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u, a.Service.Now()))
	return nil
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	p, err := decodePatch(w, r, "version", "firstName", "lastName", "email", "userId", "role", "locationId", "groupIds", "expiresAt")
	if err != nil {
		return err
	}
	version, err := optional[int64](p, "version")
	if err != nil {
		return err
	}
	patch := roster.UserPatch{Version: version.Value}
	if patch.FirstName, err = optional[string](p, "firstName"); err != nil {
		return err
	}
	if patch.LastName, err = optional[string](p, "lastName"); err != nil {
		return err
	}
	if patch.Email, err = optional[string](p, "email"); err != nil {
		return err
	}
	if patch.UserID, err = optional[string](p, "userId"); err != nil {
		return err
	}
	if patch.Role, err = optional[roster.Role](p, "role"); err != nil {
		return err
	}
	if patch.LocationID, err = optional[string](p, "locationId"); err != nil {
		return err
	}
	if patch.GroupIDs, err = optional[[]string](p, "groupIds"); err != nil {
		return err
	}
	expires, err := optional[*string](p, "expiresAt")
	if err != nil {
		return err
	}
	if expires.Set {
		t, err := parseTime("expiresAt", expires.Value)
		if err != nil {
			return err
		}
		patch.ExpiresAt = roster.Optional[*time.Time]{Set: true, Value: t}
	}
	u, err := a.Service.UpdateUser(r.Context(), principal(r), r.PathValue("id"), patch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u, a.Service.Now()))
	return nil
}
