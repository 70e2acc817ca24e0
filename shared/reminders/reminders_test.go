package reminders_test

import (
	reminders "github.com/rosterhq/roster/shared/reminders"

	"fmt"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

func TestRemindToday(t *testing.T) {
	var got []int
	for days := 10; days >= -30; days-- {
		if reminders.RemindToday(days, 7) {
			got = append(got, days)
		}
	}
	if want := []int{7, 1, -1, -8, -15, -22, -29}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("days reminded with 7 days' notice: %v, want %v (7 days before, the day before, the day after, then weekly)", got, want)
	}
	if !reminders.RemindToday(3, 3) || reminders.RemindToday(7, 3) {
		t.Error("the notice days decide the first reminder")
	}
}

func TestDueCourse_Describe(t *testing.T) {
	d := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		kind reminders.DueKind
		days int
		want string
	}{
		{reminders.DueSoon, 3, "due in 3 days, on 25 November 2026"},
		{reminders.DueSoon, 1, "due tomorrow, 25 November 2026"},
		{reminders.DueSoon, 0, "due today, 25 November 2026"},
		{reminders.DueLate, -1, "due on 25 November 2026: overdue by 1 day"},
		{reminders.DueLate, -8, "due on 25 November 2026: overdue by 8 days"},
		{reminders.DueRetake, 7, "due for retake in 7 days, on 25 November 2026"},
		{reminders.DueRetake, -2, "due for retake on 25 November 2026: overdue by 2 days"},
	} {
		if got := (reminders.DueCourse{Kind: tt.kind, Date: d, Days: tt.days}).Describe(); got != tt.want {
			t.Errorf("%s, %d days: %q, want %q", tt.kind, tt.days, got, tt.want)
		}
	}
}

func TestDigestEmail(t *testing.T) {
	line := func(i int) reminders.DigestLine {
		return reminders.DigestLine{Name: fmt.Sprintf("Learner %02d", i), Courses: []reminders.DueCourse{{CourseName: "Fire <Safety>", Kind: reminders.DueLate, Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Days: -2}}}
	}
	d := reminders.Digest{Org: &roster.Organization{Name: `Fish & "Chips"`}, Day: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NoticeDays: 7, Link: "https://roster.example.com/users"}
	for i := range 25 {
		d.Overdue = append(d.Overdue, line(i))
	}
	d.DueSoon = []reminders.DigestLine{line(99)}
	e, err := reminders.DigestEmail(d, &roster.User{FirstName: "Olive", Email: "olive@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if e.To != "olive@example.com" || e.Subject != `Training due at Fish & "Chips": 25 overdue, 1 due soon` {
		t.Errorf("to %q, subject %q", e.To, e.Subject)
	}
	for part, body := range map[string]string{"text": e.Text, "html": e.HTML} {
		if n := strings.Count(body, "Learner "); n != reminders.MaxDigestLines+1 {
			t.Errorf("%s part lists %d learners, want %d overdue and 1 due soon", part, n, reminders.MaxDigestLines)
		}
		if !strings.Contains(body, "and 5 more") || !strings.Contains(body, "Overdue: 25 learners") || !strings.Contains(body, "Due in the next 7 days: 1 learner") {
			t.Errorf("%s part lacks the counts:\n%s", part, body)
		}
	}
	if strings.Contains(e.HTML, "<Safety>") || !strings.Contains(e.HTML, "Fish &amp; &#34;Chips&#34;") {
		t.Errorf("HTML part is not escaped:\n%s", e.HTML)
	}
	if !strings.Contains(e.Text, "Fire <Safety> (due on 20 November 2026: overdue by 2 days)") {
		t.Errorf("text part:\n%s", e.Text)
	}
}
