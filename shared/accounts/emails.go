package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"bytes"
	"fmt"
	htmltemplate "html/template"
	"text/template"
	"time"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// invitation is what the invitation email is made from.
type invitation struct {
	FirstName string
	OrgName   string
	Link      string
	Expires   string
}

var invitationText = template.Must(template.New("text").Parse(`Hello {{.FirstName}},

{{.OrgName}} has invited you to train online with Roster.

Set your password to get started:
{{.Link}}

The link works once and until {{.Expires}}. If it has expired, ask your administrator to send a new invitation.

If you did not expect this email, you can ignore it.
`))

var invitationHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;color:#1d2433;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p><strong>{{.OrgName}}</strong> has invited you to train online with Roster.</p>
<p><a href="{{.Link}}" style="display:inline-block;background:#1f5f8b;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Set your password</a></p>
<p style="color:#5b6578;font-size:14px">The link works once and until {{.Expires}}. If it has expired, ask your administrator to send a new invitation.<br>
If the button does not work, copy this address into your browser: {{.Link}}</p>
<p style="color:#5b6578;font-size:14px">If you did not expect this email, you can ignore it.</p>
</body></html>
`))

// InvitationEmail returns the email that invites u to set a password through link.
func InvitationEmail(org *roster.Organization, u *roster.User, link string, expires time.Time) (roster.Email, error) {
	data := invitation{FirstName: u.FirstName, OrgName: org.Name, Link: link, Expires: expires.UTC().Format("2 January 2006 at 15:04 UTC")}
	var text, html bytes.Buffer
	if err := invitationText.Execute(&text, data); err != nil {
		return roster.Email{}, fmt.Errorf("invitation text: %w", err)
	}
	if err := invitationHTML.Execute(&html, data); err != nil {
		return roster.Email{}, fmt.Errorf("invitation html: %w", err)
	}
	return roster.Email{To: u.Email, Subject: "Your invitation to train with " + org.Name, Text: text.String(), HTML: html.String()}, nil
}

// PasswordResetTTL is how long a password reset link works.
const PasswordResetTTL = time.Hour

// passwordReset is what the password reset email is made from.
type passwordReset struct {
	FirstName string
	OrgName   string
	Link      string
	Expires   string
}

var passwordResetText = template.Must(template.New("text").Parse(`Hello {{.FirstName}},

Someone asked to reset your password for {{.OrgName}} on Roster.

Choose a new password here:
{{.Link}}

The link works once and until {{.Expires}}. Setting a new password signs you out everywhere else.

If you did not ask for this, you can ignore this email: your password stays as it is.
`))

var passwordResetHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;color:#1d2433;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p>Someone asked to reset your password for <strong>{{.OrgName}}</strong> on Roster.</p>
<p><a href="{{.Link}}" style="display:inline-block;background:#1f5f8b;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p style="color:#5b6578;font-size:14px">The link works once and until {{.Expires}}. Setting a new password signs you out everywhere else.<br>
If the button does not work, copy this address into your browser: {{.Link}}</p>
<p style="color:#5b6578;font-size:14px">If you did not ask for this, you can ignore this email: your password stays as it is.</p>
</body></html>
`))

// PasswordResetEmail returns the email that lets u choose a new password through link.
func PasswordResetEmail(org *roster.Organization, u *roster.User, link string, expires time.Time) (roster.Email, error) {
	data := passwordReset{FirstName: u.FirstName, OrgName: org.Name, Link: link, Expires: expires.UTC().Format("2 January 2006 at 15:04 UTC")}
	var text, html bytes.Buffer
	if err := passwordResetText.Execute(&text, data); err != nil {
		return roster.Email{}, fmt.Errorf("password reset text: %w", err)
	}
	if err := passwordResetHTML.Execute(&html, data); err != nil {
		return roster.Email{}, fmt.Errorf("password reset html: %w", err)
	}
	return roster.Email{To: u.Email, Subject: "Reset your " + org.Name + " password", Text: text.String(), HTML: html.String()}, nil
}
