package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"context"
	"crypto/subtle"
	"errors"
	"strings"
)

// Registration is an organization's self-registration link as its
// administrators see it.
type Registration struct {
	Enabled bool
	URL     string // APP_URL/register#<token>; "" when registration is off
}

// RegistrationInput is what a person gives to register.
type RegistrationInput struct {
	Token     string
	FirstName string
	LastName  string
	Email     string
}

var errAppURLMissing = errors.New("no front end address configured (APP_URL): links would lead nowhere")

// registrationNotValid is the one answer to a token that does not open any
// organization's registration, whatever the reason.
const registrationNotValid = "this registration link is not valid: it may have been renewed or turned off"

// registrationToken returns a new token: the organization's id, which lets
// one read find the organization, and 256 random bits.
func (s *Service) registrationToken(orgID string) (string, error) {
	secret, err := roster.NewToken(s.Random)
	if err != nil {
		return "", roster.Internal(err, "new registration link")
	}
	return orgID + "." + secret, nil
}

// GetRegistration returns the caller's organization's registration link.
func (s *Service) GetRegistration(ctx context.Context, p *roster.Principal) (*Registration, error) {
	org, err := s.Store.GetOrganization(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	return s.registrationOf(org)
}

// SetRegistration turns the caller's organization's registration link on or
// off. Turning it on when it is off, or renewing it, makes a new token: the
// old link stops working at once. Turning it off forgets the token, so that
// turning it on again never brings an old link back.
func (s *Service) SetRegistration(ctx context.Context, p *roster.Principal, enabled, renew bool) (*Registration, error) {
	if renew && !enabled {
		return nil, roster.Invalid("renew", "goes with enabled: a link that is off has nothing to renew")
	}
	if enabled && s.AppURL == "" { // checked before writing: a link nobody can be shown is no use
		return nil, roster.Internal(errAppURLMissing, "registration link")
	}
	org, err := s.Store.GetOrganization(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	token := org.RegistrationToken
	switch {
	case !enabled:
		token = ""
	case renew || token == "":
		if token, err = s.registrationToken(org.ID); err != nil {
			return nil, err
		}
	}
	if token != org.RegistrationToken {
		if err := s.Store.SetRegistrationToken(ctx, org.ID, token); err != nil {
			return nil, err
		}
		org.RegistrationToken = token
	}
	return s.registrationOf(org)
}

func (s *Service) registrationOf(org *roster.Organization) (*Registration, error) {
	if org.RegistrationToken == "" {
		return &Registration{}, nil
	}
	if s.AppURL == "" {
		return nil, roster.Internal(errAppURLMissing, "registration link")
	}
	return &Registration{Enabled: true, URL: strings.TrimSuffix(s.AppURL, "/") + "/register#" + org.RegistrationToken}, nil
}

// CheckRegistration returns the organization whose registration link token
// is, or a not-found error when it opens none (unknown, tampered, renewed or
// turned off). It changes nothing.
func (s *Service) CheckRegistration(ctx context.Context, token string) (*roster.Organization, error) {
	if strings.TrimSpace(token) == "" {
		return nil, roster.Invalid("token", "is required")
	}
	orgID, _, ok := strings.Cut(token, ".")
	if !ok || orgID == "" {
		return nil, roster.NotFound(registrationNotValid)
	}
	org, err := s.Store.GetOrganization(ctx, orgID)
	if roster.IsCode(err, roster.CodeNotFound) {
		return nil, roster.NotFound(registrationNotValid)
	}
	if err != nil {
		return nil, err
	}
	if org.RegistrationToken == "" || subtle.ConstantTimeCompare([]byte(org.RegistrationToken), []byte(token)) != 1 {
		return nil, roster.NotFound(registrationNotValid)
	}
	return org, nil
}

// Register adds the person to the organization of the registration link as a
// Pending learner, waiting for an administrator's approval; they get no
// password until approval and the invitation. client is the caller's network
// address: registrations are throttled per address. A person whose email is
// already on the roster gets the same answer and nothing is written, so the
// answer never tells who is on a roster.
func (s *Service) Register(ctx context.Context, in RegistrationInput, client string) error {
	keys := []throttle{{roster.HashToken("register|address|" + addressSubject(client)), s.Limits.RegisterPerAddress}}
	if _, err := s.takeAttempt(ctx, keys, "registrations from your network"); err != nil {
		return err
	}
	org, err := s.CheckRegistration(ctx, in.Token)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	u := &roster.User{
		ID: s.NewID(), OrgID: org.ID,
		FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName), Email: strings.TrimSpace(in.Email),
		Role: roster.RoleLearner, State: roster.StatePending, CreatedAt: now, UpdatedAt: now, Version: 1,
		RequestID: roster.RequestIDFrom(ctx),
	}
	u.ChangedBy = u.ID // the audit trail shows they added themselves
	if u.Email == "" {
		return roster.Invalid("email", "is required: the invitation is sent there once you are approved")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	err = s.Store.CreateUser(ctx, u)
	if e := (*roster.Error)(nil); errors.As(err, &e) && e.Code == roster.CodeConflict && e.Field == "email" {
		return nil // already on the roster: the same answer, nothing written
	}
	return err
}
