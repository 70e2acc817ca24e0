package roster

import (
	"context"
	"errors"
)

// Invitations sends invitation emails within each organization's daily
// email quota; accounts.Service is one, registered by shared/app.
type Invitations interface {
	// CheckEmailQuota refuses, with a too-many-requests error, while the
	// organization's quota for today is used up. It only reads.
	CheckEmailQuota(ctx context.Context, orgID string) error
	// SendInvitation takes the email's place in the quota (past it, a
	// too-many-requests error and nothing sent), makes a new invitation
	// link for u (retiring the earlier ones) and emails it; an email the
	// mailer did not take is ErrEmailNotSent, its place given back.
	SendInvitation(ctx context.Context, org *Organization, u *User) error
}

// NotifyUser sends the invitation email to one user and, once SES accepted
// it, stamps NotifiedAt: the Notified mark shows what really happened. The
// link carries a single-use token of 256 random bits, of which only the hash
// is stored, in the URL's fragment, so that it never reaches a server log.
// It returns the user as marked notified, or nil when the mark was not saved.
func (s *Service) NotifyUser(ctx context.Context, p *Principal, org *Organization, id string) (Outcome, *User) {
	u, err := s.Store.GetUser(ctx, p.OrgID, id)
	if err != nil {
		return s.OutcomeOf(ctx, p, ActionNotify, id, err), nil
	}
	if reason := CanManage(p, u); reason != "" {
		return Outcome{UserID: id, Result: ResultSkipped, Reason: reason}, nil
	}
	now := s.Now().UTC()
	check := *u
	if err := ActionNotify.Apply(&check, ActionParams{}, now); err != nil {
		return s.OutcomeOf(ctx, p, ActionNotify, id, err), nil
	}
	// The email takes its place in the organization's daily quota first: past
	// it, nothing is sent and the earlier invitation stays the one that works.
	// The new link retires the user's earlier invitations.
	err = s.Invitations.SendInvitation(ctx, org, u)
	var quota *Error
	switch {
	case errors.As(err, &quota) && quota.Code == CodeTooMany:
		return Outcome{UserID: id, Result: ResultSkipped, Reason: quota.Message}, nil
	case errors.Is(err, ErrEmailNotSent):
		s.Log.ErrorContext(ctx, "invitation not sent", "user", id, "request", p.RequestID, "err", err)
		return Outcome{UserID: id, Result: ResultFailed, Reason: "the email could not be sent: try again"}, nil
	case err != nil:
		return s.OutcomeOf(ctx, p, ActionNotify, id, err), nil
	}
	lostAccess := false
	notified, err := s.Store.UpdateUser(ctx, p.OrgID, id, 0, s.revoking(func(u *User) error {
		// Somebody may have taken their access away while the email went out.
		check := *u
		lostAccess = ActionNotify.Apply(&check, ActionParams{}, s.Now().UTC()) != nil
		u.NotifiedAt = &now
		s.stamp(u, p)
		return nil
	}))
	if err == nil && lostAccess {
		return Outcome{UserID: id, Result: ResultDone, Reason: "sent, but the user lost access meanwhile: the link will not let them in"}, notified
	}
	if err != nil {
		// The email went out; only the mark is missing. Say so.
		s.Log.ErrorContext(ctx, "invitation sent but not marked", "user", id, "request", p.RequestID, "err", err)
		return Outcome{UserID: id, Result: ResultFailed, Reason: "the email was sent, but the Notified mark could not be saved"}, nil
	}
	return Outcome{UserID: id, Result: ResultDone}, notified
}

// CheckMail refuses an action that sends email where none can be sent: a
// configuration error, reported as internal.
func (s *Service) CheckMail(what string) error { return CheckMail(s.Mailer, s.AppURL, what) }

// OutcomeOf turns an error of one user's action into the user's outcome.
func (s *Service) OutcomeOf(ctx context.Context, p *Principal, a Action, id string, err error) Outcome {
	var skip *Skip
	var short *SeatShortage
	switch {
	case errors.As(err, &short):
		return Outcome{UserID: id, Result: ResultSkipped, Reason: noSeatReason(short)}
	case err == nil:
		return Outcome{UserID: id, Result: ResultDone}
	case errors.As(err, &skip):
		return Outcome{UserID: id, Result: ResultSkipped, Reason: skip.Reason}
	case errors.Is(err, ErrLastOwner):
		return Outcome{UserID: id, Result: ResultSkipped, Reason: ErrLastOwner.Message}
	case IsCode(err, CodeNotFound):
		return Outcome{UserID: id, Result: ResultSkipped, Reason: "no such user"}
	case errors.Is(err, ErrOutcomeRecorded):
		// A job handled this user before; the job reports that outcome.
		return Outcome{UserID: id, Result: ResultSkipped, Reason: "handled before"}
	}
	s.Log.ErrorContext(ctx, "action on user failed", "action", string(a), "user", id, "request", p.RequestID, "err", err)
	return Outcome{UserID: id, Result: ResultFailed, Reason: "could not be saved; try again"}
}
