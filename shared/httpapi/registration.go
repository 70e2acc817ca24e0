package httpapi

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"net/http"

	roster "github.com/rosterhq/roster/shared"
)

type registrationJSON struct {
	Enabled bool    `json:"enabled"`
	URL     *string `json:"url"`
}

func toRegistrationJSON(reg *accounts.Registration) registrationJSON {
	return registrationJSON{Enabled: reg.Enabled, URL: nullable(reg.URL)}
}

type setRegistrationRequest struct {
	Enabled *bool `json:"enabled"`
	Renew   bool  `json:"renew"`
}

type registerRequest struct {
	Token     string `json:"token"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

type registrationCheckJSON struct {
	Organization organizationJSON `json:"organization"`
}

func (a *API) getRegistration(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.Accounts.GetRegistration(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRegistrationJSON(reg))
	return nil
}

func (a *API) setRegistration(w http.ResponseWriter, r *http.Request) error {
	var req setRegistrationRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.Enabled == nil {
		return roster.Invalid("enabled", "is required")
	}
	reg, err := a.Accounts.SetRegistration(r.Context(), principal(r), *req.Enabled, req.Renew)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRegistrationJSON(reg))
	return nil
}

func (a *API) checkRegistration(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	org, err := a.Accounts.CheckRegistration(r.Context(), req.Token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, registrationCheckJSON{Organization: toOrganizationJSON(org)})
	return nil
}

func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	var req registerRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := accounts.RegistrationInput{Token: req.Token, FirstName: req.FirstName, LastName: req.LastName, Email: req.Email}
	if err := a.Accounts.Register(r.Context(), in, a.ClientAddress(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, struct{}{})
	return nil
}
