package roster

import (
	"context"
	"errors"
)

// Email is one message to one person, with a plain-text and an HTML part.
type Email struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Mailer sends emails. An error means the message was not accepted for
// delivery; the caller reports it and may retry.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}

// ErrEmailNotSent says the mailer did not take an email; errors.Is
// recognizes it in the error that wraps the mailer's.
var ErrEmailNotSent = errors.New("roster: the email was not sent")

// CheckMail refuses an action that sends email where none can be sent (no
// mailer, or no front end address for the links): a configuration error,
// reported as internal; what names the action.
func CheckMail(m Mailer, appURL, what string) error {
	if m == nil {
		return Internal(errors.New("no mailer configured (SES_SENDER)"), "%s", what)
	}
	if appURL == "" {
		return Internal(errors.New("no front end address configured (APP_URL): links would lead nowhere"), "%s", what)
	}
	return nil
}
