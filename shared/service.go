package roster

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Service carries out Roster's use cases. Handlers call it with the Principal
// of the request; it checks the rules and talks to the Store.
type Service struct {
	Store      Store
	Now        NowFunc
	NewID      func() string
	Random     io.Reader // source of session and link tokens; safe for concurrent use
	Argon2     Argon2Params
	SessionTTL time.Duration
	Log        *slog.Logger
	Mailer     Mailer // sends invitations; nil where no function sends email
	Files      Files  // uploads and exports; nil where no function keeps files
	AppURL     string // the front end's address, for links in emails
	Limits     Limits // attempts allowed per ThrottleWindow
	// ForgotMinDuration is how long ForgotPassword takes at least.
	ForgotMinDuration time.Duration
	// JobThreshold is the largest filter selection an action runs inline;
	// a larger one runs as a background job. Zero means DefaultJobThreshold.
	JobThreshold int
	// JobChunkSize is how many users one chunk of a job holds. Zero means
	// DefaultJobChunkSize.
	JobChunkSize int
	// OpenSheet reads an uploaded spreadsheet (sheetread.Open, within its limits).
	OpenSheet func(r io.Reader, name string) (RowReader, error)
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
		NewID:      NewRandomID,
		Random:     rand.Reader,
		Argon2:     OWASPArgon2,
		SessionTTL: 12 * time.Hour,
		Log:        log,
		Limits:     DefaultLimits,

		ForgotMinDuration: DefaultForgotMinDuration,
	}
}

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
	User         *User
	Organization *Organization
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
		return nil, Invalid("org", "is required")
	}
	if strings.TrimSpace(in.Login) == "" {
		return nil, Invalid("login", "is required")
	}
	if in.Password == "" {
		return nil, Invalid("password", "is required")
	}
	if utf8.RuneCountInString(in.Password) > MaxPasswordLength {
		return nil, Invalid("password", "must be at most %d characters", MaxPasswordLength)
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
	if err != nil && !IsCode(err, CodeNotFound) {
		return nil, err
	}
	if hash == "" {
		hash = s.dummyPasswordHash()
	}
	ok, verr := VerifyPassword(in.Password, hash)
	if verr != nil {
		return nil, Internal(verr, "verify password")
	}
	if err != nil || !ok || !user.HasAccess(s.Now()) {
		return nil, Unauthorized(signInRefused)
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

func (s *Service) findCredentials(ctx context.Context, in LoginInput) (*Organization, *User, string, error) {
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
		s.dummyHash, _ = HashPassword(NewRandomID(), s.Argon2)
	})
	return s.dummyHash
}

// Logout ends the session of token; an unknown token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, HashToken(token))
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
func (s *Service) Authenticate(ctx context.Context, token, requestID string) (*Principal, error) {
	ended := Unauthorized("your session has ended: sign in to continue")
	if token == "" {
		return nil, Unauthorized("sign in to continue")
	}
	parts := strings.SplitN(token, ".", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return nil, ended
	}
	sess, user, err := s.Store.GetSession(ctx, HashToken(token), parts[0], parts[1])
	if IsCode(err, CodeNotFound) || (err == nil && (!sess.Valid(user, s.Now()) || !user.HasAccess(s.Now()))) {
		return nil, ended
	}
	if err != nil {
		return nil, err
	}
	return &Principal{
		OrgID: sess.OrgID, UserID: sess.UserID, Role: user.Role, RequestID: requestID,
		TokenHash: sess.TokenHash, PasswordChangeRequired: user.PasswordChangeRequired,
	}, nil
}

// Me returns the signed-in user and their organization.
func (s *Service) Me(ctx context.Context, p *Principal) (*User, *Organization, error) {
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
	Organization
	RosterCounts
}

// GetOrganizationSummary returns the caller's organization and its counts.
func (s *Service) GetOrganizationSummary(ctx context.Context, p *Principal) (*OrganizationSummary, error) {
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
func (s *Service) CreateOrganization(ctx context.Context, in NewOrganization) (*Organization, *User, error) {
	slug := NormalizeSlug(in.Slug)
	if err := ValidateSlug("slug", slug); err != nil {
		return nil, nil, err
	}
	name, err := TidyName(in.Name, MaxGroupNameLength)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now().UTC()
	org := &Organization{ID: s.NewID(), Slug: slug, Name: name, CreatedAt: now}
	owner := &User{
		ID: s.NewID(), OrgID: org.ID, FirstName: strings.TrimSpace(in.OwnerFirstName), LastName: strings.TrimSpace(in.OwnerLastName),
		Email: strings.TrimSpace(in.OwnerEmail), Role: RoleOwner, State: StateActivated, ApprovedAt: &now,
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if owner.Email == "" {
		return nil, nil, Invalid("email", "is required for an owner")
	}
	if err := owner.Validate(); err != nil {
		return nil, nil, err
	}
	if err := ValidatePassword("password", in.OwnerPassword, owner); err != nil {
		return nil, nil, err
	}
	hash, err := HashPassword(in.OwnerPassword, s.Argon2)
	if err != nil {
		return nil, nil, Internal(err, "create organization")
	}
	if err := s.Store.CreateOrganization(ctx, org, owner, hash); err != nil {
		return nil, nil, err
	}
	return org, owner, nil
}

// ValidateSlug checks an organization's slug: what people type to sign in.
func ValidateSlug(field, slug string) error {
	if len(slug) < 2 || len(slug) > 40 {
		return Invalid(field, "must be 2 to 40 characters")
	}
	for i, r := range slug {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(slug)-1) {
			return Invalid(field, "may hold only lower-case letters, digits and inner hyphens")
		}
	}
	return nil
}

// NormalizeSlug returns the form of an organization slug used for lookups.
func NormalizeSlug(slug string) string { return strings.ToLower(strings.TrimSpace(slug)) }

// ListUsers returns a page of the caller's organization's users.
func (s *Service) ListUsers(ctx context.Context, p *Principal, f UserFilter, page PageRequest) (*UserPage, error) {
	f, err := f.Normalize("")
	if err != nil {
		return nil, err
	}
	if page.Limit == 0 {
		page.Limit = DefaultPageSize
	}
	if page.Limit < 1 || page.Limit > MaxPageSize {
		return nil, Invalid("limit", "must be between 1 and %d", MaxPageSize)
	}
	return s.Store.ListUsers(ctx, p.OrgID, f, page)
}

// GetUser returns one user of the caller's organization.
func (s *Service) GetUser(ctx context.Context, p *Principal, id string) (*User, error) {
	return s.Store.GetUser(ctx, p.OrgID, id)
}

// NewUserInput is what an administrator gives to add a user.
type NewUserInput struct {
	FirstName  string
	LastName   string
	Email      string
	UserID     string
	Role       Role
	LocationID string
	GroupIDs   []string
	ExpiresAt  *time.Time
	Approve    bool // approve at once: the user is Activated, not Pending
	Notify     bool // and send the invitation email (needs Approve and an email)
}

// CreateUser adds a user to the caller's organization: Pending, or
// Activated when approved at once, and then invited by email if asked. The
// returned user's NotifiedAt is set when the invitation went out and was marked.
// While the organization's daily email quota is used up, adding a user with
// Notify is refused with a too-many-requests error and nothing is written.
func (s *Service) CreateUser(ctx context.Context, p *Principal, in NewUserInput) (*User, error) {
	if in.Notify && !in.Approve {
		return nil, Invalid("notify", "needs approve: only users with access are emailed")
	}
	if in.Notify && strings.TrimSpace(in.Email) == "" {
		return nil, Invalid("notify", "needs an email address to send the invitation to")
	}
	if in.Notify {
		if err := s.checkMail("add user and notify"); err != nil {
			return nil, err
		}
	}
	now := s.Now().UTC()
	u := &User{
		ID:         s.NewID(),
		OrgID:      p.OrgID,
		FirstName:  strings.TrimSpace(in.FirstName),
		LastName:   strings.TrimSpace(in.LastName),
		Email:      strings.TrimSpace(in.Email),
		UserID:     strings.TrimSpace(in.UserID),
		Role:       in.Role,
		State:      StatePending,
		LocationID: strings.TrimSpace(in.LocationID),
		GroupIDs:   normalizeIDs(in.GroupIDs),
		ExpiresAt:  utcPtr(in.ExpiresAt),
		CreatedAt:  now,
		UpdatedAt:  now,
		Version:    1,
		ChangedBy:  p.UserID,
		RequestID:  p.RequestID,
	}
	if u.Role == "" {
		u.Role = RoleLearner
	}
	if in.Approve {
		if err := ActionApprove.Apply(u, ActionParams{}, now); err != nil {
			return nil, Invalid("approve", "%s", err.(*Skip).Reason)
		}
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkRoleChange(p, RoleLearner, u.Role); err != nil {
		return nil, err
	}
	if err := s.checkReferences(ctx, p.OrgID, u.LocationID, u.GroupIDs); err != nil {
		return nil, err
	}
	var org *Organization
	if in.Notify { // read before the write: a failure after it would hide the new user
		if err := s.checkEmailQuota(ctx, p.OrgID); err != nil {
			return nil, err
		}
		var err error
		if org, err = s.Store.GetOrganization(ctx, p.OrgID); err != nil {
			return nil, err
		}
	}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if !in.Notify {
		return u, nil
	}
	if _, notified := s.notifyUser(ctx, p, org, u.ID); notified != nil {
		return notified, nil
	}
	return u, nil // not sent: NotifiedAt stays empty, and Notify tries again
}

// Optional is one field of a patch: Set says whether the request named it.
type Optional[T any] struct {
	Set   bool
	Value T
}

// UserPatch is a partial update of a user, conditional on Version.
type UserPatch struct {
	Version    int64
	FirstName  Optional[string]
	LastName   Optional[string]
	Email      Optional[string]
	UserID     Optional[string]
	Role       Optional[Role]
	LocationID Optional[string]
	GroupIDs   Optional[[]string]
	ExpiresAt  Optional[*time.Time]
}

// UpdateUser applies patch to a user of the caller's organization, provided
// nobody changed the user since the version the caller read. Archived users
// are kept as they were: unarchive them to edit them.
func (s *Service) UpdateUser(ctx context.Context, p *Principal, id string, patch UserPatch) (*User, error) {
	if patch.Version < 1 {
		return nil, Invalid("version", "is required: send the version you read")
	}
	location := ""
	if patch.LocationID.Set {
		location = strings.TrimSpace(patch.LocationID.Value)
	}
	var groups []string
	if patch.GroupIDs.Set {
		groups = normalizeIDs(patch.GroupIDs.Value)
	}
	if err := s.checkReferences(ctx, p.OrgID, location, groups); err != nil {
		return nil, err
	}
	return s.Store.UpdateUser(ctx, p.OrgID, id, patch.Version, s.revoking(func(u *User) error {
		if reason := canManage(p, u); reason != "" {
			return Forbidden("%s", reason)
		}
		if u.Archived() {
			return Invalid("", "%s", reasonArchived)
		}
		if patch.Role.Set && patch.Role.Value != u.Role {
			if err := s.checkRoleChange(p, u.Role, patch.Role.Value); err != nil {
				return err
			}
			u.Role = patch.Role.Value
		}
		setIf(&u.FirstName, patch.FirstName, strings.TrimSpace)
		setIf(&u.LastName, patch.LastName, strings.TrimSpace)
		setIf(&u.Email, patch.Email, strings.TrimSpace)
		setIf(&u.UserID, patch.UserID, strings.TrimSpace)
		setIf(&u.LocationID, patch.LocationID, strings.TrimSpace)
		if patch.GroupIDs.Set {
			u.GroupIDs = groups
		}
		if patch.ExpiresAt.Set {
			u.ExpiresAt = utcPtr(patch.ExpiresAt.Value)
		}
		s.stamp(u, p)
		return u.Validate()
	}))
}

func setIf(dst *string, v Optional[string], clean func(string) string) {
	if v.Set {
		*dst = clean(v.Value)
	}
}

// stamp records who changes u and when, for the audit trail.
func (s *Service) stamp(u *User, p *Principal) { Stamp(u, p, s.Now()) }

// checkRoleChange allows anyone who may act to keep a learner a learner;
// only an owner gives or takes the admin and owner roles.
func (s *Service) checkRoleChange(p *Principal, from, to Role) error {
	if (from != RoleLearner || to != RoleLearner) && p.Role != RoleOwner {
		return Forbidden("only an owner can give or take the admin and owner roles")
	}
	return nil
}

// checkReferences makes sure the location and groups exist in the organization.
func (s *Service) checkReferences(ctx context.Context, orgID, locationID string, groupIDs []string) error {
	if locationID != "" {
		if _, err := s.Store.GetLocation(ctx, orgID, locationID); err != nil {
			if IsCode(err, CodeNotFound) {
				return Invalid("locationId", "no such location")
			}
			return err
		}
	}
	for _, g := range groupIDs {
		if _, err := s.Store.GetGroup(ctx, orgID, g); err != nil {
			if IsCode(err, CodeNotFound) {
				return Invalid("groupIds", "no such group: %s", g)
			}
			return err
		}
	}
	return nil
}

func normalizeIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
