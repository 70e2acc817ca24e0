package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"context"
	"time"
)

// DefaultDailyEmailQuota is how many invitation and reset emails one
// organization may send per UTC day, unless configured otherwise: every
// organization sends through one SES sender, whose reputation one tenant's
// flood of mail would spend for all.
const DefaultDailyEmailQuota = 2000

// dailyEmailQuota is the Service's quota, or the default.
func (s *Service) dailyEmailQuota() int {
	if s.DailyEmailQuota > 0 {
		return s.DailyEmailQuota
	}
	return DefaultDailyEmailQuota
}

// emailDay is the UTC day an email sent now counts in.
func emailDay(now time.Time) time.Time {
	return now.UTC().Truncate(24 * time.Hour)
}

// emailQuotaReached is the refusal of an email past the quota: 429 until
// the UTC day ends.
func (s *Service) emailQuotaReached(now time.Time) *roster.Error {
	wait := emailDay(now).Add(24 * time.Hour).Sub(now)
	return roster.TooMany(wait, "daily email quota of %s reached; try again tomorrow", roster.Thousands(s.dailyEmailQuota()))
}

// CheckEmailQuota refuses, before anything is changed, an action that
// would email the organization's users when its quota for today is used
// up. It only reads: each email still takes its place with takeEmail, and
// those past the quota are refused one by one.
func (s *Service) CheckEmailQuota(ctx context.Context, orgID string) error {
	now := s.Now()
	sent, err := s.Store.EmailsSent(ctx, orgID, emailDay(now))
	if err != nil {
		return err
	}
	if sent >= s.dailyEmailQuota() {
		return s.emailQuotaReached(now)
	}
	return nil
}

// takeEmail counts one invitation or reset email of the organization
// against today's quota, in one conditional write, before it is sent, so
// that emails sent at once never pass the quota. It returns the day to give
// the email back to (returnEmail) if it does not go out, or a
// too-many-requests error naming the quota.
func (s *Service) takeEmail(ctx context.Context, orgID string) (time.Time, error) {
	now := s.Now()
	day := emailDay(now)
	ok, err := s.Store.TakeEmail(ctx, orgID, day, s.dailyEmailQuota())
	if err != nil {
		return day, err
	}
	if !ok {
		return day, s.emailQuotaReached(now)
	}
	return day, nil
}

// returnEmail gives back the place of an email that did not go out. A
// failure leaves the count one higher, which only ever refuses sooner.
func (s *Service) returnEmail(ctx context.Context, orgID string, day time.Time) {
	if err := s.Store.ReturnEmail(ctx, orgID, day); err != nil {
		s.Log.WarnContext(ctx, "email not given back to the quota", "org", orgID, "request", roster.RequestIDFrom(ctx), "err", err)
	}
}
