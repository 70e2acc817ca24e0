package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// ThrottleWindow is the length of the fixed windows attempts are counted
// in: a throttled person waits at most this long, whoever keeps failing.
const ThrottleWindow = 15 * time.Minute

// Limits are how many attempts a window allows.
type Limits struct {
	SignInPerAccount int // failed sign-ins per organization and login
	SignInPerAddress int // failed sign-ins per client address (an office shares one)
	ResetPerAccount  int // password reset requests per organization and login
	ResetPerAddress  int // password reset requests per client address
	// RegisterPerAddress is registrations per client address: people who
	// register together (a site, a class) share one, hence a generous limit.
	RegisterPerAddress int
}

// DefaultLimits are the production limits.
var DefaultLimits = Limits{SignInPerAccount: 10, SignInPerAddress: 100, ResetPerAccount: 5, ResetPerAddress: 30, RegisterPerAddress: 20}

// DefaultForgotMinDuration is how long a password reset request takes at
// least, whether or not the account exists: long enough to cover the work
// (a link write and an email sent) done only when it does.
const DefaultForgotMinDuration = 1500 * time.Millisecond

// throttle is one counter an attempt is counted under, and how many
// attempts its window allows.
type throttle struct {
	key   string
	limit int
}

// throttleKeys returns the counters of an attempt of kind: the client
// address's (by addressSubject), when known, then the login's. Keys are
// hashes, so the table holds no login or address in clear. The address
// comes first so that an address past its limit is refused without
// touching the counter of the account it tries.
func throttleKeys(kind, org, login, address string, perAccount, perAddress int) []throttle {
	var ts []throttle
	if subject := addressSubject(address); subject != "" {
		ts = append(ts, throttle{roster.HashToken(kind + "|address|" + subject), perAddress})
	}
	return append(ts, throttle{roster.HashToken(kind + "|account|" + NormalizeSlug(org) + "|" + strings.ToLower(strings.TrimSpace(login))), perAccount})
}

// addressSubject returns what an attempt from a client address counts
// under: an IPv4 address whole; an IPv6 address by its /64 prefix, the
// least a subscriber or a machine is given (one machine can use 2^64
// addresses of it, so counting single IPv6 addresses would throttle no
// one); an IPv4-mapped IPv6 address (::ffff:1.2.3.4) as the IPv4 address
// it maps; a zone (%eth0) dropped. Text that is not an IP address counts
// under itself, trimmed: ClientAddress gives one only from a misconfigured
// proxy, and nothing a client sends can vary it. Empty is empty: no
// address is known, and only the other counters apply.
func addressSubject(address string) string {
	address = strings.TrimSpace(address)
	ip, err := netip.ParseAddr(address)
	if err != nil {
		return address
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is4() {
		return ip.String()
	}
	return netip.PrefixFrom(ip, 64).Masked().String()
}

// attempt is what takeAttempt counted: given back when it turns out not to
// count (a successful sign-in).
type attempt struct {
	keys   []string
	window time.Time
}

// takeAttempt counts one attempt under every counter of ts, in order, each
// in one conditional write that refuses once its window holds its limit,
// before the attempt is looked at: attempts at the same time can never
// pass a limit, however many arrive at once. When a counter refuses, those
// already taken are given back and the attempt is refused with a
// too-many-requests error that says how long to wait; what names the
// attempts in its message.
func (s *Service) takeAttempt(ctx context.Context, ts []throttle, what string) (*attempt, error) {
	now := s.Now().UTC()
	window := now.Truncate(ThrottleWindow)
	taken := &attempt{window: window}
	for _, t := range ts {
		ok, err := s.Store.TakeAttempt(ctx, t.key, window, t.limit, window.Add(ThrottleWindow))
		if err == nil && ok {
			taken.keys = append(taken.keys, t.key)
			continue
		}
		s.giveBack(ctx, taken)
		if err != nil {
			return nil, err
		}
		wait := window.Add(ThrottleWindow).Sub(now)
		return nil, roster.TooMany(wait, "too many %s: try again in %s", what, minutesText(wait))
	}
	return taken, nil
}

// giveBack uncounts an attempt. A failure leaves the counters one higher,
// which only ever refuses sooner: it is logged, not returned.
func (s *Service) giveBack(ctx context.Context, a *attempt) {
	for _, k := range a.keys {
		if err := s.Store.ReturnAttempt(ctx, k, a.window); err != nil {
			s.Log.WarnContext(ctx, "attempt not given back", "request", roster.RequestIDFrom(ctx), "err", err)
		}
	}
}

// minutesText is a wait in whole minutes, rounded up: "14 minutes", "1 minute".
func minutesText(wait time.Duration) string {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	if minutes == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", minutes)
}

// linkNotValid is the answer to a token that names no link.
func linkNotValid() error { return roster.NotFound("this link is not valid") }

// LinkInfo is what opening a link shows: whom it is for and what it does.
type LinkInfo struct {
	Link         *Link
	Organization *roster.Organization
	User         *roster.User
}

// maxTokenLength bounds what is looked up as a link token (they are 43 characters).
const maxTokenLength = 128

// CheckLink returns what a link is for, spending nothing: email scanners
// open links. An unknown or tampered token is not found; a spent, expired or
// superseded one is gone, with what to do next; a user without access gets
// the neutral unauthorized answer.
func (s *Service) CheckLink(ctx context.Context, token string) (*LinkInfo, error) {
	if strings.TrimSpace(token) == "" {
		return nil, roster.Invalid("token", "is required")
	}
	if len(token) > maxTokenLength {
		return nil, linkNotValid()
	}
	l, latest, err := s.Store.GetLink(ctx, roster.HashToken(token))
	if roster.IsCode(err, roster.CodeNotFound) {
		return nil, linkNotValid()
	}
	if err != nil {
		return nil, err
	}
	if err := linkState(l, latest, s.Now()); err != nil {
		return nil, err
	}
	u, err := s.Store.GetUser(ctx, l.OrgID, l.UserID)
	if roster.IsCode(err, roster.CodeNotFound) {
		return nil, linkNotValid()
	}
	if err != nil {
		return nil, err
	}
	if err := linkRetired(l, u); err != nil {
		return nil, err
	}
	if !u.HasAccess(s.Now()) {
		return nil, roster.Unauthorized("this account cannot sign in: ask an administrator")
	}
	org, err := s.Store.GetOrganization(ctx, l.OrgID)
	if err != nil {
		return nil, err
	}
	return &LinkInfo{Link: l, Organization: org, User: u}, nil
}

// linkAdvice says how to get a new link of l's purpose.
func linkAdvice(l *Link) string {
	if l.Purpose == LinkPasswordReset {
		return "ask for a new one from the sign-in page"
	}
	return "ask an administrator to send you a new invitation"
}

// linkState says why a link cannot be used, and what to do instead, or
// returns nil when it can.
func linkState(l *Link, latest bool, now time.Time) error {
	advice := linkAdvice(l)
	switch {
	case l.SpentAt != nil && l.Purpose == LinkInvitation:
		return roster.Gone("this link was already used: sign in with the password you chose, or %s", advice)
	case l.SpentAt != nil:
		return roster.Gone("this link was already used: %s", advice)
	case !now.Before(l.ExpiresAt):
		return roster.Gone("this link has expired: %s", advice)
	case !latest:
		return roster.Gone("a newer link was sent after this one: use the latest email, or %s", advice)
	}
	return nil
}

// linkRetired refuses a link made before u's links were last retired: the
// email address it was sent to is no longer the account's, or a new
// password was set since (see RevocationOf).
func linkRetired(l *Link, u *roster.User) error {
	if roster.SameTime(l.LinksRetiredAt, u.LinksRetiredAt) {
		return nil
	}
	return roster.Gone("this link is no longer valid: the account's email address or password changed after it was sent; %s", linkAdvice(l))
}

// RedeemLink spends a link once: it sets the password, ends every other
// session of the user, and signs them in, all in one transaction. The
// token's problems are CheckLink's; a bad password is invalid on
// "password" and spends nothing.
func (s *Service) RedeemLink(ctx context.Context, token, password string) (*SignIn, error) {
	if password == "" {
		return nil, roster.Invalid("password", "is required")
	}
	info, err := s.CheckLink(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := ValidatePassword("password", password, info.User); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.Argon2)
	if err != nil {
		return nil, roster.Internal(err, "redeem link")
	}
	sess, signIn, err := s.newSession(info.Organization, info.User)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	u, err := s.Store.SetPassword(ctx, info.Link.OrgID, info.Link.UserID, hash, PasswordWrite{SpendLink: info.Link, OpenSession: sess}, func(u *roster.User) error {
		if err := linkRetired(info.Link, u); err != nil {
			return err
		}
		if !u.HasAccess(now) {
			return roster.Unauthorized("this account cannot sign in: ask an administrator")
		}
		if err := ValidatePassword("password", password, u); err != nil {
			return err
		}
		u.SessionsEndedAt = &now
		roster.Revocation{RetireLinks: true}.Apply(u, now) // the password is set: no other link may set it again
		u.PasswordChangeRequired = false
		s.stampSelf(ctx, u)
		return nil
	})
	if roster.IsCode(err, roster.CodeGone) {
		// Someone spent it first, or a newer one went out: say which.
		if _, cerr := s.CheckLink(ctx, token); cerr != nil {
			return nil, cerr
		}
	}
	if err != nil {
		return nil, err
	}
	signIn.User = u
	return signIn, nil
}

// stampSelf records that the user changed their own record, for the audit trail.
func (s *Service) stampSelf(ctx context.Context, u *roster.User) {
	u.UpdatedAt = s.Now().UTC()
	u.ChangedBy = u.ID
	u.RequestID = roster.RequestIDFrom(ctx)
}

// newSession returns a new session of u with its token; the caller stores it.
func (s *Service) newSession(org *roster.Organization, u *roster.User) (*Session, *SignIn, error) {
	secret, err := roster.NewToken(s.Random)
	if err != nil {
		return nil, nil, roster.Internal(err, "open session")
	}
	token := sessionToken(org.ID, u.ID, secret)
	now := s.Now().UTC()
	sess := &Session{
		TokenHash: roster.HashToken(token), OrgID: org.ID, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.SessionTTL),
		SessionsEndedAt: u.SessionsEndedAt,
	}
	return sess, &SignIn{Token: token, ExpiresAt: sess.ExpiresAt, User: u, Organization: org}, nil
}

// ForgotInput is a request for a password reset link.
type ForgotInput struct {
	Org           string
	Login         string // email or user ID
	ClientAddress string // the caller's network address, for throttling
}

// ForgotPassword emails a password reset link when the login names a user
// with access and an email address. Whether it does is nobody's business:
// the answer is the same and takes at least ForgotMinDuration either way.
// Requests are throttled per login and per client address; past the
// organization's daily email quota the answer is the same and nothing is sent.
func (s *Service) ForgotPassword(ctx context.Context, in ForgotInput) error {
	if strings.TrimSpace(in.Org) == "" {
		return roster.Invalid("org", "is required")
	}
	if strings.TrimSpace(in.Login) == "" {
		return roster.Invalid("login", "is required")
	}
	if len(in.Org) > 100 || utf8.RuneCountInString(in.Login) > roster.MaxEmailLength {
		return nil // no such account can exist; same answer
	}
	done := time.After(s.ForgotMinDuration)
	defer func() {
		select {
		case <-done:
		case <-ctx.Done():
		}
	}()
	// Every request counts, whatever becomes of it.
	keys := throttleKeys("reset", in.Org, in.Login, in.ClientAddress, s.Limits.ResetPerAccount, s.Limits.ResetPerAddress)
	if _, err := s.takeAttempt(ctx, keys, "password reset requests"); err != nil {
		return err
	}
	org, err := s.Store.FindOrganizationBySlug(ctx, NormalizeSlug(in.Org))
	if err != nil {
		s.logQuiet(ctx, err, "password reset: find organization")
		return nil
	}
	u, err := s.Store.FindUserByLogin(ctx, org.ID, strings.TrimSpace(in.Login))
	if err != nil {
		s.logQuiet(ctx, err, "password reset: find user")
		return nil
	}
	if u.Email == "" || !u.HasAccess(s.Now()) {
		return nil
	}
	err = s.sendPasswordReset(ctx, org, u)
	if roster.IsCode(err, roster.CodeTooMany) {
		// Past the organization's daily quota: not sent, and the answer is
		// the same as ever, so that it tells nobody the account exists.
		s.Log.WarnContext(ctx, "password reset not sent: daily email quota reached", "org", org.ID, "request", roster.RequestIDFrom(ctx))
		return nil
	}
	if err != nil {
		s.logQuiet(ctx, err, "password reset: send")
	}
	return nil
}

// logQuiet logs a failure the caller must not learn about (not-found is
// the expected case and is not logged).
func (s *Service) logQuiet(ctx context.Context, err error, what string) {
	if !roster.IsCode(err, roster.CodeNotFound) {
		s.Log.ErrorContext(ctx, what, "request", roster.RequestIDFrom(ctx), "err", err)
	}
}

// sendPasswordReset creates a reset link for u, retiring their earlier
// ones, and emails it.
func (s *Service) sendPasswordReset(ctx context.Context, org *roster.Organization, u *roster.User) error {
	if err := s.checkMail("send password reset"); err != nil {
		return err
	}
	// Past the organization's daily quota nothing is sent, and the earlier
	// reset link stays the one that works.
	day, err := s.takeEmail(ctx, org.ID)
	if err != nil {
		return err
	}
	token, link, err := s.createLink(ctx, u, LinkPasswordReset, PasswordResetTTL)
	if err != nil {
		s.returnEmail(ctx, org.ID, day)
		return err
	}
	email, err := PasswordResetEmail(org, u, strings.TrimSuffix(s.AppURL, "/")+"/reset-password#"+token, link.ExpiresAt)
	if err != nil {
		s.returnEmail(ctx, org.ID, day)
		return roster.Internal(err, "password reset email")
	}
	if err := s.Mailer.Send(ctx, email); err != nil {
		s.returnEmail(ctx, org.ID, day)
		return roster.Internal(err, "send password reset email")
	}
	return nil
}

// SendInvitation takes the email's place in the organization's daily quota
// (past it, a too-many-requests error naming the quota, and nothing sent),
// creates a new invitation link for u, which retires their earlier ones,
// and emails it. An email the mailer did not take is ErrEmailNotSent, and
// its place in the quota is given back.
func (s *Service) SendInvitation(ctx context.Context, org *roster.Organization, u *roster.User) error {
	day, err := s.takeEmail(ctx, org.ID)
	if err != nil {
		return err
	}
	token, link, err := s.createLink(ctx, u, LinkInvitation, InvitationTTL)
	if err != nil {
		s.returnEmail(ctx, org.ID, day)
		return err
	}
	email, err := InvitationEmail(org, u, strings.TrimSuffix(s.AppURL, "/")+"/invitation#"+token, link.ExpiresAt)
	if err != nil {
		s.returnEmail(ctx, org.ID, day)
		return roster.Internal(err, "notify")
	}
	if err := s.Mailer.Send(ctx, email); err != nil {
		s.returnEmail(ctx, org.ID, day)
		return fmt.Errorf("%w: %w", roster.ErrEmailNotSent, err)
	}
	return nil
}

// checkMail refuses an action that sends email where none can be sent.
func (s *Service) checkMail(what string) error { return roster.CheckMail(s.Mailer, s.AppURL, what) }

// createLink stores a new single-use link of purpose for u and returns its
// token, which exists nowhere else but in the email about to be sent to the
// address read with u: the link carries u's LinksRetiredAt, so a change of
// that address after u was read retires it.
func (s *Service) createLink(ctx context.Context, u *roster.User, purpose LinkPurpose, ttl time.Duration) (string, *Link, error) {
	token, err := roster.NewToken(s.Random)
	if err != nil {
		return "", nil, roster.Internal(err, "new link")
	}
	now := s.Now().UTC()
	link := &Link{TokenHash: roster.HashToken(token), Purpose: purpose, OrgID: u.OrgID, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl), LinksRetiredAt: u.LinksRetiredAt}
	if err := s.Store.CreateLink(ctx, link); err != nil {
		return "", nil, err
	}
	return token, link, nil
}

// SendPasswordReset emails a user of the caller's organization a password
// reset link, as "forgot password" would; past the organization's daily
// email quota it is refused with a too-many-requests error naming the quota.
func (s *Service) SendPasswordReset(ctx context.Context, p *roster.Principal, id string) error {
	if err := s.checkMail("send password reset"); err != nil {
		return err
	}
	u, err := s.Store.GetUser(ctx, p.OrgID, id)
	if err != nil {
		return err
	}
	if reason := roster.CanManage(p, u); reason != "" {
		return roster.Forbidden("%s", reason)
	}
	if u.Email == "" {
		return roster.Invalid("email", "has no email address: set a one-time password instead")
	}
	if !u.HasAccess(s.Now()) {
		return roster.Invalid("status", "is %s: users without access are never emailed", u.Status(s.Now()))
	}
	org, err := s.Store.GetOrganization(ctx, p.OrgID)
	if err != nil {
		return err
	}
	return s.sendPasswordReset(ctx, org, u)
}

// OneTimePasswordLength is the length of a password set by an administrator.
const OneTimePasswordLength = 16

// oneTimeAlphabet is 32 characters: lower-case letters and digits, less l, o, 0 and 1, which read alike.
const oneTimeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// newOneTimePassword returns OneTimePasswordLength characters of
// oneTimeAlphabet read from r (5 bits each: 80 bits in all).
func newOneTimePassword(r io.Reader) (string, error) {
	b := make([]byte, OneTimePasswordLength)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("one-time password: %w", err)
	}
	for i := range b {
		b[i] = oneTimeAlphabet[int(b[i])%len(oneTimeAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(b), nil
}

// SetOneTimePassword gives a user of the caller's organization a new random
// password, returned once, that must be changed at the next sign-in, and
// ends every session of the user.
func (s *Service) SetOneTimePassword(ctx context.Context, p *roster.Principal, id string) (string, error) {
	u, err := s.Store.GetUser(ctx, p.OrgID, id)
	if err != nil {
		return "", err
	}
	if reason := roster.CanManage(p, u); reason != "" {
		return "", roster.Forbidden("%s", reason)
	}
	password, err := newOneTimePassword(s.Random)
	if err != nil {
		return "", roster.Internal(err, "set one-time password")
	}
	hash, err := HashPassword(password, s.Argon2)
	if err != nil {
		return "", roster.Internal(err, "set one-time password")
	}
	now := s.Now().UTC()
	_, err = s.Store.SetPassword(ctx, p.OrgID, id, hash, PasswordWrite{}, func(u *roster.User) error {
		if reason := roster.CanManage(p, u); reason != "" {
			return roster.Forbidden("%s", reason)
		}
		u.PasswordChangeRequired = true
		u.SessionsEndedAt = &now
		roster.Revocation{RetireLinks: true}.Apply(u, now) // a reset link sent before must not replace it
		s.stamp(u, p)
		return nil
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// ChangePassword replaces the caller's password after checking the current
// one, ends every other session of theirs (this one stays), and clears the
// need to change a one-time password. Wrong current passwords are
// throttled as failed sign-ins are, per user.
func (s *Service) ChangePassword(ctx context.Context, p *roster.Principal, current, next string) (*roster.User, *roster.Organization, error) {
	if current == "" {
		return nil, nil, roster.Invalid("currentPassword", "is required")
	}
	if utf8.RuneCountInString(current) > MaxPasswordLength {
		return nil, nil, roster.Invalid("currentPassword", "is not right")
	}
	u, err := s.Store.GetUser(ctx, p.OrgID, p.UserID)
	if err != nil {
		return nil, nil, err
	}
	if err := ValidatePassword("newPassword", next, u); err != nil {
		return nil, nil, err
	}
	// Wrong current passwords count as failed sign-ins of the account: a
	// session left open must not let anyone guess its password. The attempt
	// is counted before the check and given back when the password is right.
	keys := []throttle{{roster.HashToken("signin|user|" + p.OrgID + "|" + p.UserID), s.Limits.SignInPerAccount}}
	taken, err := s.takeAttempt(ctx, keys, "wrong passwords")
	if err != nil {
		return nil, nil, err
	}
	hash, err := s.Store.GetPasswordHash(ctx, p.OrgID, p.UserID)
	if err != nil && !roster.IsCode(err, roster.CodeNotFound) {
		return nil, nil, err
	}
	if hash == "" {
		hash = s.dummyPasswordHash()
	}
	ok, err := VerifyPassword(current, hash)
	if err != nil {
		return nil, nil, roster.Internal(err, "verify password")
	}
	if !ok {
		return nil, nil, roster.Invalid("currentPassword", "is not right")
	}
	s.giveBack(ctx, taken)
	if next == current {
		return nil, nil, roster.Invalid("newPassword", "must differ from your current password")
	}
	newHash, err := HashPassword(next, s.Argon2)
	if err != nil {
		return nil, nil, roster.Internal(err, "change password")
	}
	now := s.Now().UTC()
	u, err = s.Store.SetPassword(ctx, p.OrgID, p.UserID, newHash, PasswordWrite{KeepSession: p.TokenHash}, func(u *roster.User) error {
		if err := ValidatePassword("newPassword", next, u); err != nil {
			return err
		}
		u.PasswordChangeRequired = false
		u.SessionsEndedAt = &now
		roster.Revocation{RetireLinks: true}.Apply(u, now) // a reset link sent before must not replace it
		s.stamp(u, p)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	org, err := s.Store.GetOrganization(ctx, p.OrgID)
	if err != nil {
		return nil, nil, err
	}
	return u, org, nil
}

// LogoutEverywhere ends every session of the caller, this one included.
func (s *Service) LogoutEverywhere(ctx context.Context, p *roster.Principal) error {
	now := s.Now().UTC()
	_, err := s.Store.EndSessions(ctx, p.OrgID, p.UserID, p.TokenHash, func(u *roster.User) error {
		u.SessionsEndedAt = &now
		s.stamp(u, p)
		return nil
	})
	return err
}
