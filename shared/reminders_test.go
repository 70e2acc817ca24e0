package roster_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

func TestRemindToday(t *testing.T) {
	var got []int
	for days := 10; days >= -30; days-- {
		if roster.RemindToday(days, 7) {
			got = append(got, days)
		}
	}
	if want := []int{7, 1, -1, -8, -15, -22, -29}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("days reminded with 7 days' notice: %v, want %v (7 days before, the day before, the day after, then weekly)", got, want)
	}
	if !roster.RemindToday(3, 3) || roster.RemindToday(7, 3) {
		t.Error("the notice days decide the first reminder")
	}
}

func TestDueCourse_Describe(t *testing.T) {
	d := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		kind roster.DueKind
		days int
		want string
	}{
		{roster.DueSoon, 3, "due in 3 days, on 25 November 2026"},
		{roster.DueSoon, 1, "due tomorrow, 25 November 2026"},
		{roster.DueSoon, 0, "due today, 25 November 2026"},
		{roster.DueLate, -1, "due on 25 November 2026: overdue by 1 day"},
		{roster.DueLate, -8, "due on 25 November 2026: overdue by 8 days"},
		{roster.DueRetake, 7, "due for retake in 7 days, on 25 November 2026"},
		{roster.DueRetake, -2, "due for retake on 25 November 2026: overdue by 2 days"},
	} {
		if got := (roster.DueCourse{Kind: tt.kind, Date: d, Days: tt.days}).Describe(); got != tt.want {
			t.Errorf("%s, %d days: %q, want %q", tt.kind, tt.days, got, tt.want)
		}
	}
}

func TestDigestEmail(t *testing.T) {
	line := func(i int) roster.DigestLine {
		return roster.DigestLine{Name: fmt.Sprintf("Learner %02d", i), Courses: []roster.DueCourse{{CourseName: "Fire <Safety>", Kind: roster.DueLate, Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Days: -2}}}
	}
	d := roster.Digest{Org: &roster.Organization{Name: `Fish & "Chips"`}, Day: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NoticeDays: 7, Link: "https://roster.example.com/users"}
	for i := range 25 {
		d.Overdue = append(d.Overdue, line(i))
	}
	d.DueSoon = []roster.DigestLine{line(99)}
	e, err := roster.DigestEmail(d, &roster.User{FirstName: "Olive", Email: "olive@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if e.To != "olive@example.com" || e.Subject != `Training due at Fish & "Chips": 25 overdue, 1 due soon` {
		t.Errorf("to %q, subject %q", e.To, e.Subject)
	}
	for part, body := range map[string]string{"text": e.Text, "html": e.HTML} {
		if n := strings.Count(body, "Learner "); n != roster.MaxDigestLines+1 {
			t.Errorf("%s part lists %d learners, want %d overdue and 1 due soon", part, n, roster.MaxDigestLines)
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
