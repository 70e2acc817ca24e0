// Package ses sends Roster's emails through Amazon SES, as MIME messages
// with a plain-text and an HTML alternative.
package ses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"

	roster "github.com/rosterhq/roster/shared"
)

// Client is the part of the SES API the mailer uses.
type Client interface {
	SendRawEmail(ctx context.Context, in *ses.SendRawEmailInput, opts ...func(*ses.Options)) (*ses.SendRawEmailOutput, error)
}

// Mailer sends through SES from one verified sender address.
type Mailer struct {
	client Client
	sender string
	now    roster.NowFunc
}

var _ roster.Mailer = (*Mailer)(nil)

// New returns a mailer sending as sender, which SES must have verified.
func New(client Client, sender string) *Mailer {
	return &Mailer{client: client, sender: sender, now: time.Now}
}

// Send builds the MIME message and hands it to SES. The error names neither
// the recipient nor the content.
func (m *Mailer) Send(ctx context.Context, e roster.Email) error {
	raw, err := m.message(e)
	if err != nil {
		return err
	}
	_, err = m.client.SendRawEmail(ctx, &ses.SendRawEmailInput{
		Source:       aws.String(m.sender),
		Destinations: []string{e.To},
		RawMessage:   &types.RawMessage{Data: raw},
	})
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr):
		// SES's messages name addresses: keep only the code.
		return fmt.Errorf("ses: send email: %s", apiErr.ErrorCode())
	case err != nil:
		return fmt.Errorf("ses: send email: %w", err)
	}
	return nil
}

// message renders e as multipart/alternative: text first, HTML preferred.
func (m *Mailer) message(e roster.Email) ([]byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ contentType, content string }{
		{"text/plain; charset=UTF-8", e.Text},
		{"text/html; charset=UTF-8", e.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.contentType},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("ses: build message: %w", err)
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(part.content)); err != nil {
			return nil, fmt.Errorf("ses: build message: %w", err)
		}
		if err := qp.Close(); err != nil {
			return nil, fmt.Errorf("ses: build message: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("ses: build message: %w", err)
	}
	var msg bytes.Buffer
	header := []struct{ name, value string }{
		{"From", (&mail.Address{Name: "Roster", Address: m.sender}).String()},
		{"To", (&mail.Address{Address: e.To}).String()},
		{"Subject", mime.QEncoding.Encode("utf-8", e.Subject)},
		{"Date", m.now().UTC().Format(time.RFC1123Z)},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/alternative; boundary=" + mw.Boundary()},
	}
	for _, h := range header {
		fmt.Fprintf(&msg, "%s: %s\r\n", h.name, h.value)
	}
	msg.WriteString("\r\n")
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}
