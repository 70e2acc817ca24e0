package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/reminders"
	"github.com/rosterhq/roster/shared/training"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const appURL = "https://roster.example.com"

// reminderEnv is the send-reminders function on DynamoDB Local and moto,
// its AWS calls recorded, its clock set by the test.
type reminderEnv struct {
	app      *app.App
	calls    *iamcheck.Recorder
	endpoint string
	now      time.Time
	logs     bytes.Buffer
	domain   string // every address of the test ends with it: moto is shared
}

func newReminderEnv(t *testing.T, sender string) *reminderEnv {
	t.Helper()
	e := &reminderEnv{calls: iamcheck.NewRecorder(), endpoint: testenv.SES(t), domain: strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")) + ".example"}
	tbl := testenv.DynamoDB(t)
	ses := motoserver.Client(context.Background(), e.endpoint)
	e.app = app.Assemble(app.Config{TableName: tbl.Name, Sender: sender, AppURL: appURL},
		slog.New(slog.NewJSONHandler(&e.logs, nil)), e.calls.DynamoDB(tbl.Client), e.calls.SES(ses), nil)
	e.app.SetClock(func() time.Time { return e.now })
	return e
}

// run runs the reminders once, as the function does.
func (e *reminderEnv) run(t *testing.T) reminders.Report {
	t.Helper()
	rep, err := e.app.Reminders.SendReminders(iamcheck.WithFunction(context.Background(), "send-reminders"))
	if err != nil {
		t.Fatalf("SendReminders: %v", err)
	}
	return rep
}

// sent returns the emails moto holds for this test's addresses, by recipient.
func (e *reminderEnv) sent(t *testing.T) map[string][]motoserver.SentEmail {
	t.Helper()
	all, err := motoserver.SentEmails(context.Background(), e.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]motoserver.SentEmail{}
	for _, m := range all {
		for _, to := range m.To {
			if strings.HasSuffix(to, "@"+e.domain) {
				out[strings.TrimSuffix(to, "@"+e.domain)] = append(out[strings.TrimSuffix(to, "@"+e.domain)], m)
			}
		}
	}
	return out
}

// learner adds a user of org with the courses (course id and due date),
// changed by change; the store takes due dates in the past as they are.
func (e *reminderEnv) learner(t *testing.T, org *fixtures.Org, name string, courses map[string]string, change func(*roster.User)) *roster.User {
	t.Helper()
	u := &roster.User{FirstName: name, LastName: "Learner", Email: strings.ToLower(name) + "@" + e.domain}
	u = org.AddUser(t, e.app.Store, u, "")
	ctx := context.Background()
	if len(courses) > 0 {
		_, err := e.app.Store.UpdateUser(ctx, org.Organization.ID, u.ID, 0, func(u *roster.User) error {
			for id, day := range courses {
				due, err := time.Parse(time.DateOnly, day)
				if err != nil {
					return err
				}
				due = due.Add(17 * time.Hour)
				u.Courses = append(u.Courses, roster.Assignment{CourseID: id, DueAt: &due})
			}
			slices.SortFunc(u.Courses, func(a, b roster.Assignment) int { return strings.Compare(a.CourseID, b.CourseID) })
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if change != nil {
		got, err := e.app.Store.UpdateUser(ctx, org.Organization.ID, u.ID, 0, func(u *roster.User) error { change(u); return nil })
		if err != nil {
			t.Fatal(err)
		}
		u = got
	}
	return u
}

func date(t *testing.T, day string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(7 * time.Hour) // the schedule's hour
}

// TestSendReminders runs the daily reminders over two organizations on
// DynamoDB Local and moto: learners due soon, overdue and due for retake
// get one email each listing all their due courses; users without access,
// archived activity and completed courses get none; a second run the same
// day sends nothing; later days follow the cadence; each organization's
// administrators get a digest of their own learners only.
func TestSendReminders(t *testing.T) {
	e := newReminderEnv(t, testenv.Sender)
	t.Cleanup(func() { iamcheck.CheckTemplate(t, e.calls, "send-reminders") })
	ctx := context.Background()
	a := fixtures.NewOrg(t, e.app.Store, "remind")
	b := fixtures.NewOrg(t, e.app.Store, "other")
	fire, manual := a.CourseIDs[0], a.CourseIDs[1] // Fire safety has a 12-month retake; Manual handling none
	for _, o := range []*fixtures.Org{a, b} {
		_, err := e.app.Store.UpdateUser(ctx, o.Organization.ID, o.Owner.ID, 0, func(u *roster.User) error {
			u.Email = "owner-" + o.Organization.Slug + "@" + e.domain
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.now = date(t, "2025-11-23")

	e.learner(t, a, "Ada", map[string]string{fire: "2026-11-29"}, nil)                                                      // due in 7 days
	e.learner(t, a, "Bob", map[string]string{fire: "2026-11-21", manual: "2026-11-25"}, nil)                                // overdue by 1 day, and due in 3
	cy := e.learner(t, a, "Cy", map[string]string{fire: "2025-12-01"}, nil)                                                 // completed a year ago: retake tomorrow
	e.learner(t, a, "Jon", map[string]string{fire: "2026-11-26"}, nil)                                                      // due in 4 days: no email today
	e.learner(t, a, "Zed", map[string]string{fire: "2026-11-21"}, func(u *roster.User) { u.Email, u.UserID = "", "ZED-1" }) // overdue, no email
	overdue := map[string]string{fire: "2026-11-21"}
	e.learner(t, a, "Dee", overdue, func(u *roster.User) { at := e.now; u.ArchivedAt = &at })
	e.learner(t, a, "Eve", overdue, func(u *roster.User) { u.State = roster.StateDeactivated })
	e.learner(t, a, "Fay", overdue, func(u *roster.User) { at := date(t, "2026-11-01"); u.ExpiresAt = &at })
	e.learner(t, a, "Ivy", overdue, func(u *roster.User) { u.State = roster.StatePending })
	e.learner(t, a, "Gus", overdue, func(u *roster.User) { u.Courses, u.KeepActivity = nil, []string{fire} })
	hal := e.learner(t, a, "Hal", map[string]string{manual: "2026-11-21"}, nil)
	ned := e.learner(t, a, "Ned", overdue, nil)
	if err := e.app.Store.DeleteUser(ctx, a.Organization.ID, ned.ID, func(*roster.User) error { return nil }); err != nil {
		t.Fatal(err) // deleted for good: his enrollment stays behind, and is skipped
	}
	e.learner(t, a, "Lee", nil, func(u *roster.User) { u.Role = roster.RoleAdmin })
	e.learner(t, a, "Max", nil, func(u *roster.User) { u.Role, u.State = roster.RoleAdmin, roster.StateDeactivated })
	e.learner(t, b, "Kim", map[string]string{b.CourseIDs[0]: "2026-11-21"}, nil)

	// Cy completed Fire safety a year ago (retake due 2026-11-23); Hal
	// completed Manual handling, which has no retake.
	for _, c := range []struct {
		u      *roster.User
		course string
		retake *time.Time
	}{{cy, fire, ptr(date(t, "2026-11-23"))}, {hal, manual, nil}} {
		step := training.TrainingStep{CourseID: c.course, Start: true, Complete: true, At: e.now, RetakeDueAt: c.retake}
		if err := e.app.Store.StepEnrollment(ctx, a.Organization.ID, c.u.ID, step, func(*roster.User) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}

	// The first run of 22 November, through the Lambda handler and its sample event.
	e.now = date(t, "2026-11-22")
	data, err := os.ReadFile(filepath.Join("..", "..", "functions", "send-reminders", "testdata", "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.EventBridgeEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	if err := e.app.SendReminders(iamcheck.WithFunction(ctx, "send-reminders"), ev); err != nil {
		t.Fatalf("the handler: %v", err)
	}
	sent := e.sent(t)
	counts := func(sent map[string][]motoserver.SentEmail) map[string]int {
		out := map[string]int{}
		for who, ms := range sent {
			out[who] = len(ms)
		}
		return out
	}
	want := map[string]int{"ada": 1, "bob": 1, "cy": 1, "kim": 1, "owner-remind": 1, "lee": 1, "owner-other": 1}
	if got := counts(sent); !equalCounts(got, want) {
		t.Fatalf("emails after the first run: %v, want %v (none to Dee archived, Eve deactivated, Fay expired, Ivy pending, Gus's archived activity, Hal's completed course, Ned deleted, Jon not due for a reminder today, Max deactivated)", got, want)
	}

	bob := sent["bob"][0]
	if bob.Subject != "Overdue training at Org remind: 2 courses to complete" {
		t.Errorf("Bob's subject %q", bob.Subject)
	}
	for part, body := range map[string]string{"text": bob.Text, "html": bob.HTML} {
		for _, s := range []string{"Org remind", "Fire safety", "due on 21 November 2026: overdue by 1 day", "Manual handling", "due in 3 days, on 25 November 2026", appURL + "/my-training"} {
			if !strings.Contains(body, s) {
				t.Errorf("Bob's %s part lacks %q:\n%s", part, s, body)
			}
		}
	}
	if got := sent["ada"][0].Text; !strings.Contains(got, "Fire safety: due in 7 days, on 29 November 2026") || strings.Contains(got, "Manual handling") {
		t.Errorf("Ada's email:\n%s", got)
	}
	if got := sent["cy"][0].Text; !strings.Contains(got, "Fire safety: due for retake tomorrow, 23 November 2026") {
		t.Errorf("Cy's email:\n%s", got)
	}

	digest := sent["owner-remind"][0]
	if digest.Subject != "Training due at Org remind: 2 overdue, 3 due soon" {
		t.Errorf("digest subject %q", digest.Subject)
	}
	for part, body := range map[string]string{"text": digest.Text, "html": digest.HTML} {
		for _, s := range []string{"Overdue: 2 learners", "Bob Learner", "Zed Learner", "Due in the next 7 days: 3 learners", "Ada Learner", "Cy Learner", "Jon Learner", appURL + "/users"} {
			if !strings.Contains(body, s) {
				t.Errorf("the digest's %s part lacks %q:\n%s", part, s, body)
			}
		}
		for _, s := range []string{"Dee", "Eve", "Fay", "Ivy", "Gus", "Hal", "Ned", "Kim", "Lee", "Max"} {
			if strings.Contains(body, s) {
				t.Errorf("the digest's %s part names %s:\n%s", part, s, body)
			}
		}
	}
	if lee := sent["lee"][0].Text; !strings.HasPrefix(lee, "Hello Lee,") || !strings.Contains(lee, "Overdue: 2 learners") {
		t.Errorf("Lee's digest:\n%s", sent["lee"][0].Text)
	}
	other := sent["owner-other"][0].Text
	if !strings.Contains(other, "Kim Learner") || strings.Contains(other, "Bob") || strings.Contains(other, "Ada") {
		t.Errorf("the other organization's digest:\n%s", other)
	}

	// A second run the same day sends nothing.
	rep := e.run(t)
	if rep != (reminders.Report{Organizations: 2, AlreadySent: 7}) {
		t.Errorf("second run: %+v, want 7 already sent and nothing else", rep)
	}
	if got := counts(e.sent(t)); !equalCounts(got, want) {
		t.Errorf("emails after the second run: %v, want still %v", got, want)
	}

	// The next day: nobody is at a reminder day of the cadence; the
	// digests go out again.
	e.now = date(t, "2026-11-23")
	if rep := e.run(t); rep.Learners != 0 || rep.Digests != 3 {
		t.Errorf("23 November: %+v, want no learner and 3 digests", rep)
	}
	// A week after the day after: the overdue are reminded again.
	e.now = date(t, "2026-11-29")
	if rep := e.run(t); rep.Learners != 2 || rep.Digests != 3 {
		t.Errorf("29 November: %+v, want Bob and Kim, and 3 digests", rep)
	}
	want = map[string]int{"ada": 1, "bob": 2, "cy": 1, "kim": 2, "owner-remind": 3, "lee": 3, "owner-other": 3}
	sent = e.sent(t)
	if got := counts(sent); !equalCounts(got, want) {
		t.Errorf("emails after 29 November: %v, want %v", got, want)
	}
	if got := sent["bob"][1].Text; !strings.Contains(got, "overdue by 8 days") {
		t.Errorf("Bob's second reminder:\n%s", got)
	}

	// No address or link in any log line.
	for line := range strings.Lines(e.logs.String()) {
		if strings.Contains(line, "@") || strings.Contains(line, "http") {
			t.Errorf("log line with an address or a link: %s", line)
		}
	}
}

// TestSendReminders_SESRefuses runs the reminders with a sender SES has not
// verified: nothing is sent and nothing stays claimed, so the next run,
// with the verified sender, sends every email of the day.
func TestSendReminders_SESRefuses(t *testing.T) {
	bad := newReminderEnv(t, "someone@unverified.example")
	t.Cleanup(func() { iamcheck.CheckTemplate(t, bad.calls, "send-reminders") })
	a := fixtures.NewOrg(t, bad.app.Store, "refused")
	_, err := bad.app.Store.UpdateUser(context.Background(), a.Organization.ID, a.Owner.ID, 0, func(u *roster.User) error {
		u.Email = "owner@" + bad.domain
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	bad.now = date(t, "2026-11-22")
	bad.learner(t, a, "Ada", map[string]string{a.CourseIDs[0]: "2026-11-21"}, nil)
	rep, err := bad.app.Reminders.SendReminders(iamcheck.WithFunction(context.Background(), "send-reminders"))
	if rep != (reminders.Report{Organizations: 1, Failed: 2}) || err == nil || !strings.Contains(err.Error(), "2 reminder emails not sent") {
		t.Errorf("with an unverified sender: %+v, %v; want 2 failed, and an error so that Lambda runs it again", rep, err)
	}
	if got := bad.sent(t); len(got) != 0 {
		t.Fatalf("moto holds %v", got)
	}
	good := app.Assemble(app.Config{TableName: bad.app.Config.TableName, Sender: testenv.Sender, AppURL: appURL},
		bad.app.Log, bad.app.DB, motoserver.Client(context.Background(), bad.endpoint), nil)
	good.SetClock(bad.app.Service.Now)
	rep, err = good.Reminders.SendReminders(context.Background())
	if err != nil || rep != (reminders.Report{Organizations: 1, Learners: 1, Digests: 1}) {
		t.Errorf("then with the verified sender: %+v, %v, want Ada and the digest", rep, err)
	}
	if got := bad.sent(t); len(got["ada"]) != 1 || len(got["owner"]) != 1 {
		t.Errorf("moto holds %v", got)
	}
}

func ptr[T any](v T) *T { return &v }

func equalCounts(got, want map[string]int) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}
