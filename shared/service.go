package roster

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Service carries out Roster's use cases. Handlers call it with the Principal
// of the request; it checks the rules and talks to the Store.
type Service struct {
	Store  Store
	Now    NowFunc
	NewID  func() string
	Log    *slog.Logger
	Mailer Mailer // sends invitations; nil where no function sends email
	// Invitations sends invitations within the daily email quota
	// (accounts.Service, registered by shared/app).
	Invitations Invitations
	// Training checks course actions and seats before users, jobs and
	// imports write (training.Service, registered by shared/app).
	Training Training
	// Imports runs an import job's steps (imports.Service, registered by
	// shared/app).
	Imports ImportSteps
	Files   Files  // uploads and exports; nil where no function keeps files
	AppURL  string // the front end's address, for links in emails
	// JobThreshold is the largest filter selection an action runs inline;
	// a larger one runs as a background job. Zero means DefaultJobThreshold.
	JobThreshold int
	// JobChunkSize is how many users one chunk of a job holds. Zero means
	// DefaultJobChunkSize.
	JobChunkSize int
}

// NewService returns a Service with production defaults: the real clock
// and random ids.
func NewService(store Store, log *slog.Logger) *Service {
	return &Service{
		Store: store,
		Now:   time.Now,
		NewID: NewRandomID,
		Log:   log,
	}
}

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
		if err := s.CheckMail("add user and notify"); err != nil {
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
		GroupIDs:   NormalizeIDs(in.GroupIDs),
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
		if err := s.Invitations.CheckEmailQuota(ctx, p.OrgID); err != nil {
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
	if _, notified := s.NotifyUser(ctx, p, org, u.ID); notified != nil {
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
		groups = NormalizeIDs(patch.GroupIDs.Value)
	}
	if err := s.checkReferences(ctx, p.OrgID, location, groups); err != nil {
		return nil, err
	}
	return s.Store.UpdateUser(ctx, p.OrgID, id, patch.Version, s.revoking(func(u *User) error {
		if reason := CanManage(p, u); reason != "" {
			return Forbidden("%s", reason)
		}
		if u.Archived() {
			return Invalid("", "%s", ReasonArchived)
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

// NormalizeIDs trims ids, leaves out the empty ones and sorts them without
// repeats.
func NormalizeIDs(ids []string) []string {
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
