// Package accounts is how people get in: sign-in and sessions, the links
// sent by email (invitations, password resets), passwords, the throttles
// on attempts, each organization's daily email quota, self-registration,
// and creating an organization with its first owner.
package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Service carries out sign-in and everything about accounts.
type Service struct {
	Store      Store
	Now        roster.NowFunc
	NewID      func() string
	Random     io.Reader // source of session and link tokens; safe for concurrent use
	Argon2     Argon2Params
	SessionTTL time.Duration
	Log        *slog.Logger
	Mailer     roster.Mailer // sends invitations and resets; nil where no function sends email
	AppURL     string        // the front end's address, for links in emails
	Limits     Limits        // attempts allowed per ThrottleWindow
	// ForgotMinDuration is how long ForgotPassword takes at least.
	ForgotMinDuration time.Duration
	// DailyEmailQuota is how many invitation and reset emails one
	// organization may send per UTC day. Zero means DefaultDailyEmailQuota.
	DailyEmailQuota int

	dummyOnce sync.Once
	dummyHash string
}

// NewService returns a Service with production defaults: the real clock,
// random ids and tokens, OWASP's argon2id parameters and 12-hour sessions.
func NewService(store Store, log *slog.Logger) *Service {
	return &Service{
		Store:      store,
		Now:        time.Now,
		NewID:      roster.NewRandomID,
		Random:     rand.Reader,
		Argon2:     OWASPArgon2,
		SessionTTL: 12 * time.Hour,
		Log:        log,
		Limits:     DefaultLimits,

		ForgotMinDuration: DefaultForgotMinDuration,
	}
}

// Store is what accounts keep: organizations, credentials, sessions,
// links, attempt counters and email counts, and the users they belong to.
type Store interface {
	OrganizationStore
	CredentialStore
	SessionStore
	LinkStore
	ThrottleStore
	EmailQuotaStore
	// GetUser returns the user or a not-found error.
	GetUser(ctx context.Context, orgID, id string) (*roster.User, error)
	// FindUserByLogin returns the user whose email or user ID is login, or a not-found error.
	FindUserByLogin(ctx context.Context, orgID, login string) (*roster.User, error)
	// CreateUser stores a new user (a registration); a taken email is a conflict on "email".
	CreateUser(ctx context.Context, u *roster.User) error
}

// OrganizationStore keeps organizations and their roster counts.
type OrganizationStore interface {
	// CreateOrganization stores o with its first owner and the owner's
	// password hash, in one transaction: a taken slug is a conflict on "slug"
	// and writes nothing.
	CreateOrganization(ctx context.Context, o *roster.Organization, owner *roster.User, passwordHash string) error
	// GetOrganization returns the organization or a not-found error.
	GetOrganization(ctx context.Context, id string) (*roster.Organization, error)
	// SetRegistrationToken sets the token of the organization's registration
	// link; "" removes it (registration off). A missing organization is not found.
	SetRegistrationToken(ctx context.Context, orgID, token string) error
	// FindOrganizationBySlug returns the organization with that slug or a not-found error.
	FindOrganizationBySlug(ctx context.Context, slug string) (*roster.Organization, error)
	// GetRosterCounts returns the counts the stream consumer keeps (zero for a new organization).
	GetRosterCounts(ctx context.Context, orgID string) (roster.RosterCounts, error)
}

// CredentialStore keeps password hashes apart from the user record, so that
// user listings never carry them.
type CredentialStore interface {
	// SetPasswordHash stores the hash for the user, replacing any earlier one.
	SetPasswordHash(ctx context.Context, orgID, userID, hash string) error
	// GetPasswordHash returns the hash, or a not-found error when none is set.
	GetPasswordHash(ctx context.Context, orgID, userID string) (string, error)
	// SetPassword reads the user, lets change modify it, and writes the user
	// (conditional on the version read, retried like UpdateUser), the new
	// password hash and the writes w asks for, all in one transaction. A link
	// w spends that is no longer usable (spent, expired, superseded, gone) is
	// a gone error and nothing is written; an error from change is returned
	// as it is.
	SetPassword(ctx context.Context, orgID, userID, hash string, w PasswordWrite, change func(*roster.User) error) (*roster.User, error)
}

// PasswordWrite is what changes together with a password.
type PasswordWrite struct {
	SpendLink   *Link    // a link spent by this write: it must be live and the user's latest of its purpose
	OpenSession *Session // a session opened by this write; its SessionsEndedAt is set to the user's new one
	KeepSession string   // the token hash of a session that stays: it takes the user's new SessionsEndedAt
}

// SessionStore keeps sign-in sessions, keyed by the hash of their token.
type SessionStore interface {
	// CreateSession stores s; it expires (and is removed by TTL) at s.ExpiresAt.
	CreateSession(ctx context.Context, s *Session) error
	// EndSessions writes the user as change leaves it, as UpdateUser does
	// (change moves SessionsEndedAt, which ends every session opened before,
	// and the audit trail shows it), and deletes the session of endHash (when
	// not "") in the same transaction.
	EndSessions(ctx context.Context, orgID, userID, endHash string, change func(*roster.User) error) (*roster.User, error)
	// GetSession returns the session with that token hash and the current
	// record of its user, or a not-found error when there is no such live
	// session of that user of that organization. It costs one request.
	GetSession(ctx context.Context, tokenHash, orgID, userID string) (*Session, *roster.User, error)
	// DeleteSession removes the session; removing a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error
}

// Session is a signed-in user's session. Only the hash of its token is stored.
// The user's role and access are read from the user at every request, never
// kept here, so that losing access takes effect at once.
type Session struct {
	TokenHash string
	OrgID     string
	UserID    string // the user's id, not their user ID
	CreatedAt time.Time
	ExpiresAt time.Time
	// SessionsEndedAt is the user's SessionsEndedAt when the session opened:
	// once the user's moves on, the session has ended.
	SessionsEndedAt *time.Time
}

// Valid reports whether the session is live at now for u: unexpired, and
// opened since u's sessions were last ended.
func (s *Session) Valid(u *roster.User, now time.Time) bool {
	return now.Before(s.ExpiresAt) && roster.SameTime(s.SessionsEndedAt, u.SessionsEndedAt)
}

// LinkStore keeps the single-use tokens of links sent by email
// (invitations, password resets). Only the hash of a token is stored.
type LinkStore interface {
	// CreateLink stores the link token and makes it the user's latest link
	// of its purpose, in one transaction: every earlier one stops working.
	// It is removed by TTL after it expires.
	CreateLink(ctx context.Context, l *Link) error
	// GetLink returns the link with that token hash, spent or expired ones
	// included, and whether it is still its user's latest of its purpose;
	// a not-found error when there is none.
	GetLink(ctx context.Context, tokenHash string) (l *Link, latest bool, err error)
}

// LinkPurpose says what a link lets its holder do.
type LinkPurpose string

// The purposes of links.
const (
	LinkInvitation    LinkPurpose = "invitation"     // set a first password
	LinkPasswordReset LinkPurpose = "password-reset" // set a new password
)

// Link is a single-use link token sent by email.
type Link struct {
	TokenHash string
	Purpose   LinkPurpose
	OrgID     string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	SpentAt   *time.Time // when the link was used; it works once
	// LinksRetiredAt is the user's LinksRetiredAt when the link was made:
	// once the user's moves on, the link no longer works.
	LinksRetiredAt *time.Time
}

// ThrottleStore counts attempts (sign-ins, password changes, reset
// requests, registrations) in fixed time windows, per subject (an account,
// a client address), each against its limit.
type ThrottleStore interface {
	// TakeAttempt counts one attempt under key in the window that starts at
	// window, provided fewer than limit were counted there, in one
	// conditional write, and reports whether it did: callers at the same
	// time never take more than limit between them. The count is removed
	// by TTL after expires.
	TakeAttempt(ctx context.Context, key string, window time.Time, limit int, expires time.Time) (bool, error)
	// ReturnAttempt uncounts one attempt taken under key in the window: a
	// sign-in that succeeded, or the other counter of a refused attempt.
	ReturnAttempt(ctx context.Context, key string, window time.Time) error
}

// EmailQuotaStore counts each organization's invitation and reset emails
// per UTC day.
type EmailQuotaStore interface {
	// EmailsSent returns how many emails the organization counted on day.
	EmailsSent(ctx context.Context, orgID string, day time.Time) (int, error)
	// TakeEmail counts one email of the organization on day, provided fewer
	// than quota were counted, in one conditional write, and reports whether
	// it did. The count is removed by TTL once the day is over.
	TakeEmail(ctx context.Context, orgID string, day time.Time, quota int) (bool, error)
	// ReturnEmail uncounts one email of the organization on day: it did not go out.
	ReturnEmail(ctx context.Context, orgID string, day time.Time) error
}

// stamp records that p changes u now, for the audit trail.
func (s *Service) stamp(u *roster.User, p *roster.Principal) { roster.Stamp(u, p, s.Now()) }

// LoginInput is what a person types to sign in.
type LoginInput struct {
	Org           string // the organization's slug
	Login         string // email or user ID
	Password      string
	ClientAddress string // the caller's network address, for throttling
}

// SignIn is a successful sign-in: the session token goes into a cookie.
type SignIn struct {
	Token        string
	ExpiresAt    time.Time
	User         *roster.User
	Organization *roster.Organization
}

// signInRefused is the one message every failed sign-in gets, so that the
// answer never tells which of organization, account or password was wrong.
const signInRefused = "the organization, email or user ID, or password is not right"

// Login checks the credentials and opens a session. Every refusal is the same
// unauthorized error and costs about the same time, and counts against the
// login and the client address: past their limits, attempts are refused
// with a too-many-requests error until the window ends.
func (s *Service) Login(ctx context.Context, in LoginInput) (*SignIn, error) {
	if strings.TrimSpace(in.Org) == "" {
		return nil, roster.Invalid("org", "is required")
	}
	if strings.TrimSpace(in.Login) == "" {
		return nil, roster.Invalid("login", "is required")
	}
	if in.Password == "" {
		return nil, roster.Invalid("password", "is required")
	}
	if utf8.RuneCountInString(in.Password) > MaxPasswordLength {
		return nil, roster.Invalid("password", "must be at most %d characters", MaxPasswordLength)
	}
	// The attempt is counted before the password is checked, so that
	// attempts at the same time cannot pass the limit, and given back when
	// it succeeds: the counters hold failures only.
	keys := throttleKeys("signin", in.Org, in.Login, in.ClientAddress, s.Limits.SignInPerAccount, s.Limits.SignInPerAddress)
	taken, err := s.takeAttempt(ctx, keys, "sign-in attempts")
	if err != nil {
		return nil, err
	}
	org, user, hash, err := s.findCredentials(ctx, in)
	if err != nil && !roster.IsCode(err, roster.CodeNotFound) {
		return nil, err
	}
	if hash == "" {
		hash = s.dummyPasswordHash()
	}
	ok, verr := VerifyPassword(in.Password, hash)
	if verr != nil {
		return nil, roster.Internal(verr, "verify password")
	}
	if err != nil || !ok || !user.HasAccess(s.Now()) {
		return nil, roster.Unauthorized(signInRefused)
	}
	s.giveBack(ctx, taken)
	sess, signIn, err := s.newSession(org, user)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return signIn, nil
}

func (s *Service) findCredentials(ctx context.Context, in LoginInput) (*roster.Organization, *roster.User, string, error) {
	org, err := s.Store.FindOrganizationBySlug(ctx, NormalizeSlug(in.Org))
	if err != nil {
		return nil, nil, "", err
	}
	user, err := s.Store.FindUserByLogin(ctx, org.ID, in.Login)
	if err != nil {
		return nil, nil, "", err
	}
	hash, err := s.Store.GetPasswordHash(ctx, org.ID, user.ID)
	if err != nil {
		return nil, nil, "", err
	}
	return org, user, hash, nil
}

// dummyPasswordHash is verified against when there is no account, so that an
// unknown account takes as long to refuse as a wrong password.
func (s *Service) dummyPasswordHash() string {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = HashPassword(roster.NewRandomID(), s.Argon2)
	})
	return s.dummyHash
}

// Logout ends the session of token; an unknown token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, roster.HashToken(token))
}

// sessionToken is what the cookie holds: the organization and user it
// belongs to, which let one request read the session and the user together,
// and the secret. Only its hash is stored.
func sessionToken(orgID, userID, secret string) string {
	return orgID + "." + userID + "." + secret
}

// Authenticate returns the principal of a session token with one store
// request, or an unauthorized error when the token is missing, malformed,
// unknown or expired, when its user has lost access (deactivated,
// expired, archived, deleted): losing access ends every session at once,
// or when the user's sessions were ended since it opened (log out
// everywhere, a new password). The role is the user's current one.
func (s *Service) Authenticate(ctx context.Context, token, requestID string) (*roster.Principal, error) {
	ended := roster.Unauthorized("your session has ended: sign in to continue")
	if token == "" {
		return nil, roster.Unauthorized("sign in to continue")
	}
	parts := strings.SplitN(token, ".", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return nil, ended
	}
	sess, user, err := s.Store.GetSession(ctx, roster.HashToken(token), parts[0], parts[1])
	if roster.IsCode(err, roster.CodeNotFound) || (err == nil && (!sess.Valid(user, s.Now()) || !user.HasAccess(s.Now()))) {
		return nil, ended
	}
	if err != nil {
		return nil, err
	}
	return &roster.Principal{
		OrgID: sess.OrgID, UserID: sess.UserID, Role: user.Role, RequestID: requestID,
		TokenHash: sess.TokenHash, PasswordChangeRequired: user.PasswordChangeRequired,
	}, nil
}

// Me returns the signed-in user and their organization.
func (s *Service) Me(ctx context.Context, p *roster.Principal) (*roster.User, *roster.Organization, error) {
	u, err := s.Store.GetUser(ctx, p.OrgID, p.UserID)
	if err != nil {
		return nil, nil, err
	}
	org, err := s.Store.GetOrganization(ctx, p.OrgID)
	if err != nil {
		return nil, nil, err
	}
	return u, org, nil
}

// OrganizationSummary is the organization with its roster figures.
type OrganizationSummary struct {
	roster.Organization
	roster.RosterCounts
}

// GetOrganizationSummary returns the caller's organization and its counts.
func (s *Service) GetOrganizationSummary(ctx context.Context, p *roster.Principal) (*OrganizationSummary, error) {
	org, err := s.Store.GetOrganization(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.GetRosterCounts(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	return &OrganizationSummary{Organization: *org, RosterCounts: counts}, nil
}

// NewOrganization describes an organization and its first owner.
type NewOrganization struct {
	Slug           string
	Name           string
	OwnerFirstName string
	OwnerLastName  string
	OwnerEmail     string
	OwnerPassword  string
}

// CreateOrganization creates an organization with its first owner, who can
// sign in at once with the password. Nothing is written when anything is wrong.
func (s *Service) CreateOrganization(ctx context.Context, in NewOrganization) (*roster.Organization, *roster.User, error) {
	slug := NormalizeSlug(in.Slug)
	if err := ValidateSlug("slug", slug); err != nil {
		return nil, nil, err
	}
	name, err := roster.TidyName(in.Name, roster.MaxGroupNameLength)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now().UTC()
	org := &roster.Organization{ID: s.NewID(), Slug: slug, Name: name, CreatedAt: now}
	owner := &roster.User{
		ID: s.NewID(), OrgID: org.ID, FirstName: strings.TrimSpace(in.OwnerFirstName), LastName: strings.TrimSpace(in.OwnerLastName),
		Email: strings.TrimSpace(in.OwnerEmail), Role: roster.RoleOwner, State: roster.StateActivated, ApprovedAt: &now,
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if owner.Email == "" {
		return nil, nil, roster.Invalid("email", "is required for an owner")
	}
	if err := owner.Validate(); err != nil {
		return nil, nil, err
	}
	if err := ValidatePassword("password", in.OwnerPassword, owner); err != nil {
		return nil, nil, err
	}
	hash, err := HashPassword(in.OwnerPassword, s.Argon2)
	if err != nil {
		return nil, nil, roster.Internal(err, "create organization")
	}
	if err := s.Store.CreateOrganization(ctx, org, owner, hash); err != nil {
		return nil, nil, err
	}
	return org, owner, nil
}

// ValidateSlug checks an organization's slug: what people type to sign in.
func ValidateSlug(field, slug string) error {
	if len(slug) < 2 || len(slug) > 40 {
		return roster.Invalid(field, "must be 2 to 40 characters")
	}
	for i, r := range slug {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(slug)-1) {
			return roster.Invalid(field, "may hold only lower-case letters, digits and inner hyphens")
		}
	}
	return nil
}

// NormalizeSlug returns the form of an organization slug used for lookups.
func NormalizeSlug(slug string) string { return strings.ToLower(strings.TrimSpace(slug)) }
