package httpapi

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"net/http"
	"time"
)

type tokenRequest struct {
	Token string `json:"token"`
}

// linkJSON is what a link is for, as the set-password page shows it.
type linkJSON struct {
	Purpose      string           `json:"purpose"`
	Organization organizationJSON `json:"organization"`
	FirstName    string           `json:"firstName"`
	Login        string           `json:"login"` // the email, or the user ID when there is none
	ExpiresAt    time.Time        `json:"expiresAt"`
}

func (a *API) checkLink(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	info, err := a.Accounts.CheckLink(r.Context(), req.Token)
	if err != nil {
		return err
	}
	login := info.User.Email
	if login == "" {
		login = info.User.UserID
	}
	writeJSON(w, http.StatusOK, linkJSON{
		Purpose: string(info.Link.Purpose), Organization: toOrganizationJSON(info.Organization),
		FirstName: info.User.FirstName, Login: login, ExpiresAt: info.Link.ExpiresAt,
	})
	return nil
}

type redeemLinkRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (a *API) redeemLink(w http.ResponseWriter, r *http.Request) error {
	var req redeemLinkRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in, err := a.Accounts.RedeemLink(r.Context(), req.Token, req.Password)
	if err != nil {
		return err
	}
	a.signedIn(w, in)
	return nil
}

type forgotPasswordRequest struct {
	Org   string `json:"org"`
	Login string `json:"login"`
}

// emptyJSON is the body of an accepted request that has nothing to say.
type emptyJSON struct{}

func (a *API) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	var req forgotPasswordRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if err := a.Accounts.ForgotPassword(r.Context(), accounts.ForgotInput{Org: req.Org, Login: req.Login, ClientAddress: a.ClientAddress(r)}); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, emptyJSON{})
	return nil
}

func (a *API) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := decodeNoFields(w, r); err != nil {
		return err
	}
	if err := a.Accounts.LogoutEverywhere(r.Context(), principal(r)); err != nil {
		return err
	}
	http.SetCookie(w, a.sessionCookie("", time.Unix(0, 0)))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type changePasswordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	var req changePasswordRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	u, org, err := a.Accounts.ChangePassword(r.Context(), principal(r), req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toMeJSON(u, org, a.Service.Now()))
	return nil
}

func (a *API) sendPasswordReset(w http.ResponseWriter, r *http.Request) error {
	if err := decodeNoFields(w, r); err != nil {
		return err
	}
	if err := a.Accounts.SendPasswordReset(r.Context(), principal(r), r.PathValue("id")); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, emptyJSON{})
	return nil
}

type oneTimePasswordJSON struct {
	Password string `json:"password"`
}

func (a *API) setOneTimePassword(w http.ResponseWriter, r *http.Request) error {
	if err := decodeNoFields(w, r); err != nil {
		return err
	}
	password, err := a.Accounts.SetOneTimePassword(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, oneTimePasswordJSON{Password: password})
	return nil
}
