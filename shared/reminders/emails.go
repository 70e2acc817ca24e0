package reminders

import (
	roster "github.com/rosterhq/roster/shared"

	"bytes"
	"fmt"
	htmltemplate "html/template"
	"text/template"
	"time"
)

// learnerReminder is what a learner's reminder is made from.
type learnerReminder struct {
	FirstName string
	OrgName   string
	Courses   []DueCourse
	Link      string
}

var learnerReminderText = template.Must(template.New("text").Parse(`Hello {{.FirstName}},

A reminder from {{.OrgName}} about your training:
{{range .Courses}}
- {{.CourseName}}: {{.Describe}}{{end}}

Open My training to start or finish it:
{{.Link}}

You get these reminders while training is due: before the due date, the day after it, then weekly. Your administrator sets the dates.
`))

var learnerReminderHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;color:#1d2433;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p>A reminder from <strong>{{.OrgName}}</strong> about your training:</p>
<ul>{{range .Courses}}
<li><strong>{{.CourseName}}</strong>: {{if .Overdue}}<span style="color:#a4262c">{{.Describe}}</span>{{else}}{{.Describe}}{{end}}</li>{{end}}
</ul>
<p><a href="{{.Link}}" style="display:inline-block;background:#1f5f8b;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Open My training</a></p>
<p style="color:#5b6578;font-size:14px">If the button does not work, copy this address into your browser: {{.Link}}<br>
You get these reminders while training is due: before the due date, the day after it, then weekly. Your administrator sets the dates.</p>
</body></html>
`))

// LearnerReminderEmail returns the reminder that lists u's due courses (at
// least one) with a link to My training.
func LearnerReminderEmail(org *roster.Organization, u *roster.User, courses []DueCourse, link string) (roster.Email, error) {
	data := learnerReminder{FirstName: u.FirstName, OrgName: org.Name, Courses: courses, Link: link}
	var text, html bytes.Buffer
	if err := learnerReminderText.Execute(&text, data); err != nil {
		return roster.Email{}, fmt.Errorf("reminder text: %w", err)
	}
	if err := learnerReminderHTML.Execute(&html, data); err != nil {
		return roster.Email{}, fmt.Errorf("reminder html: %w", err)
	}
	subject := fmt.Sprintf("Training reminder from %s: %s", org.Name, roster.Plural(len(courses), "course"))
	for _, c := range courses {
		if c.Overdue() {
			subject = fmt.Sprintf("Overdue training at %s: %s to complete", org.Name, roster.Plural(len(courses), "course"))
			break
		}
	}
	return roster.Email{To: u.Email, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// Digest is an organization's learners with training due on one day, for
// its administrators: overdue ones (a course past its date) and the others
// (due within the notice days).
type Digest struct {
	Org        *roster.Organization
	Day        time.Time
	NoticeDays int
	Overdue    []DigestLine
	DueSoon    []DigestLine
	Link       string // the roster
}

// DigestLine is one learner of a digest with their due courses.
type DigestLine struct {
	Name    string
	Courses []DueCourse
}

// digestData is what the digest's templates are made from: the lists
// capped at MaxDigestLines, with how many were left out.
type digestData struct {
	FirstName    string
	OrgName      string
	Day          string
	NoticeDays   int
	OverdueCount string
	DueSoonCount string
	Overdue      []DigestLine
	DueSoon      []DigestLine
	OverdueMore  int
	DueSoonMore  int
	Link         string
}

var digestText = template.Must(template.New("text").Parse(`Hello {{.FirstName}},

Training due at {{.OrgName}} on {{.Day}}.
{{if .Overdue}}
Overdue: {{.OverdueCount}}
{{range .Overdue}}- {{.Name}}: {{range $i, $c := .Courses}}{{if $i}}; {{end}}{{$c.CourseName}} ({{$c.Describe}}){{end}}
{{end}}{{if .OverdueMore}}and {{.OverdueMore}} more
{{end}}{{end}}{{if .DueSoon}}
Due in the next {{.NoticeDays}} days: {{.DueSoonCount}}
{{range .DueSoon}}- {{.Name}}: {{range $i, $c := .Courses}}{{if $i}}; {{end}}{{$c.CourseName}} ({{$c.Describe}}){{end}}
{{end}}{{if .DueSoonMore}}and {{.DueSoonMore}} more
{{end}}{{end}}
Learners with an email address get their own reminders: before the due date, the day after it, then weekly. The roster:
{{.Link}}
`))

var digestHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;color:#1d2433;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p>Training due at <strong>{{.OrgName}}</strong> on {{.Day}}.</p>
{{if .Overdue}}<h3 style="color:#a4262c;margin-bottom:4px">Overdue: {{.OverdueCount}}</h3>
<ul>{{range .Overdue}}
<li><strong>{{.Name}}</strong>: {{range $i, $c := .Courses}}{{if $i}}; {{end}}{{$c.CourseName}} ({{$c.Describe}}){{end}}</li>{{end}}
</ul>{{if .OverdueMore}}<p>and {{.OverdueMore}} more</p>{{end}}{{end}}
{{if .DueSoon}}<h3 style="margin-bottom:4px">Due in the next {{.NoticeDays}} days: {{.DueSoonCount}}</h3>
<ul>{{range .DueSoon}}
<li><strong>{{.Name}}</strong>: {{range $i, $c := .Courses}}{{if $i}}; {{end}}{{$c.CourseName}} ({{$c.Describe}}){{end}}</li>{{end}}
</ul>{{if .DueSoonMore}}<p>and {{.DueSoonMore}} more</p>{{end}}{{end}}
<p><a href="{{.Link}}" style="display:inline-block;background:#1f5f8b;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Open the roster</a></p>
<p style="color:#5b6578;font-size:14px">Learners with an email address get their own reminders: before the due date, the day after it, then weekly.<br>
If the button does not work, copy this address into your browser: {{.Link}}</p>
</body></html>
`))

// DigestEmail returns d as the email to the administrator u.
func DigestEmail(d Digest, u *roster.User) (roster.Email, error) {
	capped := func(lines []DigestLine) ([]DigestLine, int) {
		if len(lines) > MaxDigestLines {
			return lines[:MaxDigestLines], len(lines) - MaxDigestLines
		}
		return lines, 0
	}
	data := digestData{
		FirstName: u.FirstName, OrgName: d.Org.Name, Day: d.Day.UTC().Format("2 January 2006"), NoticeDays: d.NoticeDays,
		OverdueCount: roster.Plural(len(d.Overdue), "learner"), DueSoonCount: roster.Plural(len(d.DueSoon), "learner"), Link: d.Link,
	}
	data.Overdue, data.OverdueMore = capped(d.Overdue)
	data.DueSoon, data.DueSoonMore = capped(d.DueSoon)
	var text, html bytes.Buffer
	if err := digestText.Execute(&text, data); err != nil {
		return roster.Email{}, fmt.Errorf("digest text: %w", err)
	}
	if err := digestHTML.Execute(&html, data); err != nil {
		return roster.Email{}, fmt.Errorf("digest html: %w", err)
	}
	subject := fmt.Sprintf("Training due at %s: %d overdue, %d due soon", d.Org.Name, len(d.Overdue), len(d.DueSoon))
	return roster.Email{To: u.Email, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}
