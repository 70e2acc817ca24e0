package roster

import "time"

// Revocation is what a write of a user takes back from whoever holds
// something the user was given before it: their sessions, and the links
// (invitations, password resets) sent to them.
type Revocation struct {
	// EndSessions: every session opened before the write ends for good.
	EndSessions bool
	// RetireLinks: every link sent before the write stops working.
	RetireLinks bool
}

// RevocationOf returns what a write of a user from before to after, at
// now, revokes:
//   - the sessions, when the user loses access (deactivated, archived, an
//     expiration date moved into the past), when they
//     get it back (which also covers an expiration date that passed with no
//     write and is then moved or cleared), and when their role goes down
//     (owner to admin or learner, admin to learner). A session opened before
//     a loss of access never comes back with the access;
//   - the links, when the email address changes: a link mailed to the old
//     address must not set the password of the account at the new one.
//
// A new password retires the links too; the password writes say so
// themselves (see ChangePassword).
//
// Approving a Pending user ends nothing: a user is Pending only from when
// they are added until approved, and never had a session.
func RevocationOf(before, after *User, now time.Time) Revocation {
	had, has := before.HasAccess(now), after.HasAccess(now)
	lost := had && !has
	regained := !had && has && before.State != StatePending
	return Revocation{
		EndSessions: lost || regained || after.Role.rank() < before.Role.rank(),
		RetireLinks: NormalizeEmail(before.Email) != NormalizeEmail(after.Email),
	}
}

// Apply carries the revocation out on u, written at now: it moves u's
// SessionsEndedAt and LinksRetiredAt, which every session and link
// remembers from when it was made and must still match.
func (r Revocation) Apply(u *User, now time.Time) {
	if r.EndSessions {
		u.SessionsEndedAt = movedOn(u.SessionsEndedAt, now)
	}
	if r.RetireLinks {
		u.LinksRetiredAt = movedOn(u.LinksRetiredAt, now)
	}
}

// movedOn returns now as a new stamp that differs from old, even when the
// clock has not moved since old was taken (a fixed clock, two writes in
// one tick): a session or link matches a stamp, so an unchanged one would
// revoke nothing.
func movedOn(old *time.Time, now time.Time) *time.Time {
	t := now.UTC()
	if old != nil && !t.After(*old) {
		t = old.UTC().Add(time.Nanosecond)
	}
	return &t
}

// Revoking wraps the change of a user write so that the write revokes what
// RevocationOf says, at the time now gives. Every write an administrator or
// a job makes goes through it; the password writes move the stamps
// themselves.
func Revoking(now NowFunc, change func(*User) error) func(*User) error {
	return func(u *User) error {
		before := CloneUser(u)
		if err := change(u); err != nil {
			return err
		}
		now := now().UTC()
		RevocationOf(before, u, now).Apply(u, now)
		return nil
	}
}

// revoking is Revoking on the Service's clock.
func (s *Service) revoking(change func(*User) error) func(*User) error {
	return Revoking(s.Now, change)
}

// Stamp records that p changes u at now, for the audit trail.
func Stamp(u *User, p *Principal, now time.Time) {
	u.UpdatedAt = now.UTC()
	u.ChangedBy = p.UserID
	u.RequestID = p.RequestID
}
