package httpapi

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"net/http"
	"time"
)

type loginRequest struct {
	Org      string `json:"org"`
	Login    string `json:"login"`
	Password string `json:"password"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in, err := a.Accounts.Login(r.Context(), accounts.LoginInput{Org: req.Org, Login: req.Login, Password: req.Password, ClientAddress: a.ClientAddress(r)})
	if err != nil {
		return err
	}
	a.signedIn(w, in)
	return nil
}

// signedIn sets the session cookie of a new session and answers with who signed in.
func (a *API) signedIn(w http.ResponseWriter, in *accounts.SignIn) {
	http.SetCookie(w, a.sessionCookie(in.Token, in.ExpiresAt))
	writeJSON(w, http.StatusOK, toMeJSON(in.User, in.Organization, a.Service.Now()))
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if err := a.Accounts.Logout(r.Context(), sessionToken(r)); err != nil {
		return err
	}
	http.SetCookie(w, a.sessionCookie("", time.Unix(0, 0)))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sessionCookie returns the session cookie; an empty token clears it.
func (a *API) sessionCookie(token string, expires time.Time) *http.Cookie {
	c := &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/api",
		HttpOnly: true,
		Secure:   a.SecureCookies,
		SameSite: http.SameSiteStrictMode,
		Expires:  expires.UTC(),
	}
	if token == "" {
		c.MaxAge = -1
	}
	return c
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	u, org, err := a.Accounts.Me(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toMeJSON(u, org, a.Service.Now()))
	return nil
}

func (a *API) getOrganization(w http.ResponseWriter, r *http.Request) error {
	s, err := a.Accounts.GetOrganizationSummary(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, organizationSummaryJSON{
		organizationJSON: toOrganizationJSON(&s.Organization),
		ActiveCount:      s.Active,
		ArchivedCount:    s.Archived,
	})
	return nil
}
