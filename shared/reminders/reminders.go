// Package reminders sends the daily training reminders: each learner
// their due, overdue and retake courses, and each organization's
// administrators a digest, each email once a day.
package reminders

import (
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"

	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// DefaultNoticeDays is how many days before a due date training
// counts as due soon.
const DefaultNoticeDays = 7

// ReminderClaimTTL is how long the claim of a day's reminder is kept: well
// past the day, so that any run of that day finds it.
const ReminderClaimTTL = 8 * 24 * time.Hour

// MaxDigestLines caps each list of an administrator's digest; the rest is
// counted ("and 12 more").
const MaxDigestLines = 20

// The kinds of reminder claims.
const (
	ReminderLearner = "learner" // a learner's list of due courses
	ReminderDigest  = "digest"  // an administrator's digest of the organization
)

// EnrollmentKey names one enrollment: a user's assignment of a course.
type EnrollmentKey struct {
	UserID   string
	CourseID string
}

// Store is what reminders read and write: the enrollments owed a
// reminder, the claims that make a day's reminder go out once, and the
// organizations, courses and people the emails name.
type Store interface {
	// EachDueOrganization calls fn once per organization with the keys of
	// its enrollments due (or due for retake) on or before the date of
	// through, as the ByDue index has them: eventually consistent, so read
	// them again before acting. It never scans the table and stops at fn's
	// first error.
	EachDueOrganization(ctx context.Context, through time.Time, fn func(orgID string, keys []EnrollmentKey) error) error
	// GetEnrollments returns the enrollments of the organization with these
	// keys, read strongly consistently; missing ones are left out.
	GetEnrollments(ctx context.Context, orgID string, keys []EnrollmentKey) ([]training.Enrollment, error)
	// ClaimReminder records that the reminder of kind for the user on day
	// (yyyy-mm-dd) is being sent, and reports false when it was claimed
	// before. The claim is removed by TTL after expires.
	ClaimReminder(ctx context.Context, orgID, day, kind, userID string, expires time.Time) (bool, error)
	// ReleaseReminder removes a claim whose email could not be sent, so that
	// a later run of the day sends it.
	ReleaseReminder(ctx context.Context, orgID, day, kind, userID string) error

	GetOrganization(ctx context.Context, id string) (*roster.Organization, error)
	GetCourses(ctx context.Context, orgID string, ids []string) (map[string]*roster.Course, error)
	GetUser(ctx context.Context, orgID, id string) (*roster.User, error)
	GetUsers(ctx context.Context, orgID string, ids []string) (map[string]*roster.User, error)
	ListUsers(ctx context.Context, orgID string, f roster.UserFilter, page roster.PageRequest) (*roster.UserPage, error)
}

// Service sends the daily training reminders.
type Service struct {
	Store  Store
	Now    roster.NowFunc
	Log    *slog.Logger
	Mailer roster.Mailer // nil where no function sends email
	AppURL string        // the front end's address, for links in emails
	// NoticeDays is how many days before its due date training is due
	// soon. Zero means DefaultNoticeDays.
	NoticeDays int
}

// DueKind says why a course is in a reminder.
type DueKind string

// The reasons a course is reminded.
const (
	DueSoon   DueKind = "due-soon" // not completed, due within the notice days
	DueLate   DueKind = "overdue"  // not completed, its due date has passed
	DueRetake DueKind = "retake"   // completed, and its retake date is within the notice days or past
)

// DueCourse is one course a learner is reminded of.
type DueCourse struct {
	CourseID   string
	CourseName string
	Kind       DueKind
	Date       time.Time // the due date, or the retake date
	Days       int       // days from today to Date: negative once it has passed
}

// Overdue reports whether c's date has passed.
func (c DueCourse) Overdue() bool { return c.Days < 0 }

// Describe says when c is due, as the emails put it.
func (c DueCourse) Describe() string {
	date := c.Date.UTC().Format("2 January 2006")
	verb := "due"
	if c.Kind == DueRetake {
		verb = "due for retake"
	}
	switch {
	case c.Days < 0:
		return fmt.Sprintf("%s on %s: overdue by %s", verb, date, roster.Plural(-c.Days, "day"))
	case c.Days == 0:
		return verb + " today, " + date
	case c.Days == 1:
		return verb + " tomorrow, " + date
	}
	return fmt.Sprintf("%s in %d days, on %s", verb, c.Days, date)
}

// RemindToday reports whether a course due in days days (negative once
// overdue) gets its learner a reminder today, with notice days of warning:
// notice days before, the day before, the day after, then every 7 days
// while it stays overdue.
func RemindToday(days, notice int) bool {
	switch {
	case days == notice || days == 1:
		return true
	case days < 0:
		return (-days-1)%7 == 0
	}
	return false
}

// dueCourse returns what e is owed on today (a UTC midnight), or false when
// it is owed nothing: inactive, completed without a retake date, no due
// date, due later than notice days from today, or not started with no seat
// (unarchived when the pool was empty: the learner cannot start it until an
// administrator assigns it again).
func dueCourse(e training.Enrollment, today time.Time, notice int) (DueCourse, bool) {
	at, kind := training.OwedBy(e.State, e.DueAt, e.RetakeDueAt), DueSoon
	if e.RetakeDueAt != nil {
		kind = DueRetake
	}
	if at == nil || !e.Active || (e.State == "not_started" && e.Seat == "released") {
		return DueCourse{}, false
	}
	date, _ := time.Parse(time.DateOnly, roster.DateOf(*at))
	days := int(date.Sub(today).Hours() / 24)
	if days > notice {
		return DueCourse{}, false
	}
	if kind == DueSoon && days < 0 {
		kind = DueLate
	}
	return DueCourse{CourseID: e.CourseID, Kind: kind, Date: date, Days: days}, true
}

// Report says what a reminder run did.
type Report struct {
	Organizations int // organizations with training due
	Learners      int // learners emailed
	Digests       int // administrators emailed a digest
	AlreadySent   int // reminders an earlier run of the day sent
	Failed        int // emails SES did not take; the next run of the day tries again
}

// SendReminders emails every learner with access whose training is due
// soon, overdue or due for retake, on the days RemindToday picks, one email
// listing all their due courses; and each organization's administrators
// and owners with access a digest of the learners concerned. It reads only
// the enrollments due (the ByDue index), checks each learner's current
// state before sending, and claims each email before sending it, so that
// running it twice in a day sends nothing twice. An organization that
// fails is logged and the others still run; the error is the first such
// failure, or says how many emails SES did not take (their claims given
// back, so that running it again sends them).
func (s *Service) SendReminders(ctx context.Context) (Report, error) {
	var rep Report
	if err := roster.CheckMail(s.Mailer, s.AppURL, "send reminders"); err != nil {
		return rep, err
	}
	now := s.Now().UTC()
	today, _ := time.Parse(time.DateOnly, roster.DateOf(now))
	notice := s.NoticeDays
	if notice <= 0 {
		notice = DefaultNoticeDays
	}
	var first error
	err := s.Store.EachDueOrganization(ctx, today.AddDate(0, 0, notice), func(orgID string, keys []EnrollmentKey) error {
		rep.Organizations++
		if err := s.remindOrganization(ctx, orgID, keys, now, today, notice, &rep); err != nil {
			s.Log.ErrorContext(ctx, "reminders of an organization failed", "org", orgID, "err", err)
			if first == nil {
				first = err
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	s.Log.InfoContext(ctx, "reminders sent", "organizations", rep.Organizations, "learners", rep.Learners,
		"digests", rep.Digests, "alreadySent", rep.AlreadySent, "failed", rep.Failed)
	if first == nil && rep.Failed > 0 {
		// Their claims were given back: an error makes Lambda run it again
		// later the same day, which sends only those.
		first = roster.Internal(fmt.Errorf("%s not sent", roster.Plural(rep.Failed, "reminder email")), "send reminders")
	}
	return rep, first
}

// dueLearner is a learner with access and their due courses, by date.
type dueLearner struct {
	User    *roster.User
	Courses []DueCourse
}

func (l dueLearner) overdue() bool { return slices.ContainsFunc(l.Courses, DueCourse.Overdue) }

func (s *Service) remindOrganization(ctx context.Context, orgID string, keys []EnrollmentKey, now, today time.Time, notice int, rep *Report) error {
	es, err := s.Store.GetEnrollments(ctx, orgID, keys)
	if err != nil {
		return err
	}
	byUser := map[string][]DueCourse{}
	var courseIDs, userIDs []string
	for _, e := range es {
		c, ok := dueCourse(e, today, notice)
		if !ok {
			continue
		}
		if byUser[e.UserID] == nil {
			userIDs = append(userIDs, e.UserID)
		}
		byUser[e.UserID] = append(byUser[e.UserID], c)
		courseIDs = append(courseIDs, e.CourseID)
	}
	if len(byUser) == 0 {
		return nil
	}
	org, err := s.Store.GetOrganization(ctx, orgID)
	if err != nil {
		return err
	}
	courses, err := s.Store.GetCourses(ctx, orgID, courseIDs)
	if err != nil {
		return err
	}
	users, err := s.Store.GetUsers(ctx, orgID, userIDs)
	if err != nil {
		return err
	}
	var learners []dueLearner
	for id, cs := range byUser {
		u := users[id]
		if u == nil || !u.HasAccess(now) {
			continue // deleted, or no access: no reminder, and not in the digest
		}
		for i := range cs {
			if c := courses[cs[i].CourseID]; c != nil {
				cs[i].CourseName = c.Name
			}
		}
		slices.SortFunc(cs, func(a, b DueCourse) int {
			return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.CourseName, b.CourseName))
		})
		learners = append(learners, dueLearner{User: u, Courses: cs})
	}
	slices.SortFunc(learners, func(a, b dueLearner) int {
		return cmp.Or(cmp.Compare(a.User.LastName, b.User.LastName), cmp.Compare(a.User.FirstName, b.User.FirstName), cmp.Compare(a.User.ID, b.User.ID))
	})
	day := roster.DateOf(today)
	link := strings.TrimSuffix(s.AppURL, "/") + "/my-training"
	for _, l := range learners {
		if !slices.ContainsFunc(l.Courses, func(c DueCourse) bool { return RemindToday(c.Days, notice) }) {
			continue
		}
		due := l.Courses
		if err := s.sendOnce(ctx, orgID, day, ReminderLearner, l.User.ID, now, rep, func(u *roster.User) (roster.Email, error) {
			return LearnerReminderEmail(org, u, due, link)
		}); err != nil {
			return err
		}
	}
	if len(learners) == 0 {
		return nil
	}
	digest := Digest{Org: org, Day: today, NoticeDays: notice, Link: strings.TrimSuffix(s.AppURL, "/") + "/users"}
	for _, l := range learners {
		line := DigestLine{Name: l.User.FirstName + " " + l.User.LastName, Courses: l.Courses}
		if l.overdue() {
			digest.Overdue = append(digest.Overdue, line)
		} else {
			digest.DueSoon = append(digest.DueSoon, line)
		}
	}
	admins, err := s.activeAdmins(ctx, orgID, now)
	if err != nil {
		return err
	}
	for _, a := range admins {
		if err := s.sendOnce(ctx, orgID, day, ReminderDigest, a.ID, now, rep, func(u *roster.User) (roster.Email, error) {
			if !u.Role.IsAdmin() {
				return roster.Email{}, errNotForUser
			}
			return DigestEmail(digest, u)
		}); err != nil {
			return err
		}
	}
	return nil
}

// errNotForUser says a reminder's recipient, read again, no longer fits it.
var errNotForUser = fmt.Errorf("not for this user")

// sendOnce reads the user again (strongly consistent) and, when they still
// have access and an email, claims the day's reminder of kind for them and
// sends the email build makes. A claim found already means an earlier run
// sent it; an email SES refuses gives the claim back, so that a later run
// tries again. Only counts go to the log, never an address or a link.
func (s *Service) sendOnce(ctx context.Context, orgID, day, kind, userID string, now time.Time, rep *Report, build func(*roster.User) (roster.Email, error)) error {
	u, err := s.Store.GetUser(ctx, orgID, userID)
	if roster.IsCode(err, roster.CodeNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !u.HasAccess(now) || u.Email == "" {
		return nil
	}
	email, err := build(u)
	if err == errNotForUser {
		return nil
	}
	if err != nil {
		return roster.Internal(err, "build the %s reminder", kind)
	}
	claimed, err := s.Store.ClaimReminder(ctx, orgID, day, kind, userID, now.Add(ReminderClaimTTL))
	if err != nil {
		return err
	}
	if !claimed {
		rep.AlreadySent++
		return nil
	}
	if err := s.Mailer.Send(ctx, email); err != nil {
		rep.Failed++
		s.Log.ErrorContext(ctx, "reminder not sent", "org", orgID, "user", userID, "kind", kind, "err", err)
		if err := s.Store.ReleaseReminder(ctx, orgID, day, kind, userID); err != nil {
			s.Log.ErrorContext(ctx, "reminder claim not released: today's runs will not send it", "org", orgID, "user", userID, "kind", kind, "err", err)
		}
		return nil
	}
	if kind == ReminderDigest {
		rep.Digests++
	} else {
		rep.Learners++
	}
	return nil
}

// activeAdmins returns the organization's administrators and owners on the
// active roster who have access.
func (s *Service) activeAdmins(ctx context.Context, orgID string, now time.Time) ([]roster.User, error) {
	var out []roster.User
	for _, role := range []roster.Role{roster.RoleOwner, roster.RoleAdmin} {
		page := roster.PageRequest{Limit: roster.MaxPageSize}
		for {
			res, err := s.Store.ListUsers(ctx, orgID, roster.UserFilter{Role: role, Archived: roster.ArchivedExclude}, page)
			if err != nil {
				return nil, err
			}
			for _, u := range res.Items {
				if u.HasAccess(now) {
					out = append(out, u)
				}
			}
			if res.NextCursor == "" {
				break
			}
			page.Cursor = res.NextCursor
		}
	}
	return out, nil
}
