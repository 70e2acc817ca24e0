package motoserver

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"
)

const sender = "no-reply@roster.test"

func TestSentEmails(t *testing.T) {
	ctx := t.Context()
	srv, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	client := Client(ctx, srv.Endpoint)
	if _, err := client.VerifyEmailIdentity(ctx, &ses.VerifyEmailIdentityInput{EmailAddress: aws.String(sender)}); err != nil {
		t.Fatal(err)
	}

	find := func(t *testing.T, id string) SentEmail {
		t.Helper()
		emails, err := SentEmails(ctx, srv.Endpoint)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range emails {
			if e.ID == id {
				return e
			}
		}
		t.Fatalf("no email with ID %s among %d", id, len(emails))
		return SentEmail{}
	}

	t.Run("SendEmail with text and HTML keeps only the HTML", func(t *testing.T) {
		out, err := client.SendEmail(ctx, &ses.SendEmailInput{
			Source: aws.String(sender),
			Destination: &types.Destination{
				ToAddresses:  []string{"ada@example.test", "Bob <bob@example.test>"},
				CcAddresses:  []string{"cy@example.test"},
				BccAddresses: []string{"dee@example.test"},
			},
			Message: &types.Message{
				Subject: &types.Content{Data: aws.String("Welcome, Zoë")},
				Body: &types.Body{
					Text: &types.Content{Data: aws.String("Open https://roster.test/a")},
					Html: &types.Content{Data: aws.String(`<p>Open <a href="https://roster.test/a">this</a></p>`)},
				},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		e := find(t, *out.MessageId)
		want := SentEmail{
			ID: *out.MessageId, From: sender,
			To: []string{"ada@example.test", "Bob <bob@example.test>"}, Cc: []string{"cy@example.test"}, Bcc: []string{"dee@example.test"},
			Subject: "Welcome, Zoë", HTML: `<p>Open <a href="https://roster.test/a">this</a></p>`,
		}
		if !equal(e, want) {
			t.Errorf("got  %+v\nwant %+v", e, want)
		}
	})

	t.Run("SendEmail with text only", func(t *testing.T) {
		out, err := client.SendEmail(ctx, &ses.SendEmailInput{
			Source:      aws.String(sender),
			Destination: &types.Destination{ToAddresses: []string{"ada@example.test"}},
			Message: &types.Message{
				Subject: &types.Content{Data: aws.String("Reminder")},
				Body:    &types.Body{Text: &types.Content{Data: aws.String("line 1\r\nline 2 <b>not html</b>")}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		e := find(t, *out.MessageId)
		if e.Text != "line 1\nline 2 <b>not html</b>" || e.HTML != "" || e.Raw || !e.SentAt.IsZero() {
			t.Errorf("got %+v, want the text body only and no time", e)
		}
	})

	t.Run("SendRawEmail keeps both parts", func(t *testing.T) {
		out, err := client.SendRawEmail(ctx, &ses.SendRawEmailInput{
			Source:       aws.String(sender),
			Destinations: []string{"ada@example.test", "hidden@example.test"},
			RawMessage:   &types.RawMessage{Data: []byte(rawAlternative)},
		})
		if err != nil {
			t.Fatal(err)
		}
		e := find(t, *out.MessageId)
		want := SentEmail{
			ID: *out.MessageId, From: sender, Raw: true,
			To: []string{"Ada <ada@example.test>"}, Bcc: []string{"hidden@example.test"},
			Subject: "Réinitialiser", Text: "Bonjour été\nhttps://roster.test/reset?t=1", HTML: "<p>Bonjour</p>",
			SentAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		}
		if !equal(e, want) {
			t.Errorf("got  %+v\nwant %+v", e, want)
		}
	})

	t.Run("an unverified sender is refused", func(t *testing.T) {
		_, err := client.SendEmail(ctx, &ses.SendEmailInput{
			Source:      aws.String("someone@elsewhere.test"),
			Destination: &types.Destination{ToAddresses: []string{"ada@example.test"}},
			Message: &types.Message{
				Subject: &types.Content{Data: aws.String("x")},
				Body:    &types.Body{Text: &types.Content{Data: aws.String("x")}},
			},
		})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "MessageRejected" {
			t.Errorf("err = %v, want MessageRejected", err)
		}
	})

	t.Run("unreachable endpoint", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, err := SentEmails(ctx, "http://"+addr); err == nil || !strings.HasPrefix(err.Error(), "read moto's sent emails") {
			t.Errorf("err = %v, want a wrapped connection error", err)
		}
	})
}

func TestParseRaw(t *testing.T) {
	t.Run("nested multipart with an attachment", func(t *testing.T) {
		e := parseRaw(rawMixed)
		if e.Subject != "Report ✓" || e.From != "Roster <no-reply@roster.test>" {
			t.Errorf("Subject, From = %q, %q", e.Subject, e.From)
		}
		if e.Text != "See attached." || e.HTML != "<p>See attached.</p>" {
			t.Errorf("Text, HTML = %q, %q; want the inline parts, not the attachment", e.Text, e.HTML)
		}
		if !slices.Equal(e.Cc, []string{"cy@example.test", "dee@example.test"}) {
			t.Errorf("Cc = %q", e.Cc)
		}
		if !e.SentAt.IsZero() {
			t.Errorf("SentAt = %v, want zero without a Date header", e.SentAt)
		}
	})
	t.Run("single part without headers' content type", func(t *testing.T) {
		e := parseRaw("From: a@x.test\r\nTo: b@x.test\r\nSubject: hi\r\n\r\nplain body\r\n")
		if e.Text != "plain body\n" || e.HTML != "" {
			t.Errorf("Text, HTML = %q, %q", e.Text, e.HTML)
		}
	})
	t.Run("unparseable message keeps its text", func(t *testing.T) {
		e := parseRaw("no headers at all")
		if e.Text != "no headers at all" {
			t.Errorf("Text = %q", e.Text)
		}
	})
}

func TestEnvelopeOnly(t *testing.T) {
	got := envelopeOnly(
		[]string{"a@x.test", "Hidden <h@x.test>", "A@X.test", "h@x.test", "b@x.test"},
		[]string{"A <a@x.test>"}, []string{"b@x.test"})
	if want := []string{"Hidden <h@x.test>"}; !slices.Equal(got, want) {
		t.Errorf("envelopeOnly = %q, want %q", got, want)
	}
}

func equal(a, b SentEmail) bool {
	return a.ID == b.ID && a.From == b.From && slices.Equal(a.To, b.To) && slices.Equal(a.Cc, b.Cc) &&
		slices.Equal(a.Bcc, b.Bcc) && a.Subject == b.Subject && a.Text == b.Text && a.HTML == b.HTML &&
		a.SentAt.Equal(b.SentAt) && a.Raw == b.Raw
}

const rawAlternative = "From: Roster <no-reply@roster.test>\r\n" +
	"To: Ada <ada@example.test>\r\n" +
	"Subject: =?UTF-8?q?R=C3=A9initialiser?=\r\n" +
	"Date: Sun, 01 Mar 2026 10:00:00 +0000\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Bonjour =C3=A9t=C3=A9\r\n" +
	"https://roster.test/reset?t=3D1\r\n" +
	"--b1\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"PHA+Qm9uam91\r\n" +
	"cjwvcD4=\r\n" +
	"--b1--\r\n"

const rawMixed = "From: Roster <no-reply@roster.test>\r\n" +
	"To: ada@example.test\r\n" +
	"Cc: cy@example.test, dee@example.test\r\n" +
	"Subject: =?UTF-8?b?UmVwb3J0IOKckw==?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=outer\r\n" +
	"\r\n" +
	"--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=inner\r\n" +
	"\r\n" +
	"--inner\r\n" +
	"Content-Type: text/plain\r\n" +
	"\r\n" +
	"See attached.\r\n" +
	"--inner\r\n" +
	"Content-Type: text/html\r\n" +
	"\r\n" +
	"<p>See attached.</p>\r\n" +
	"--inner--\r\n" +
	"--outer\r\n" +
	"Content-Type: text/plain\r\n" +
	"Content-Disposition: attachment; filename=report.txt\r\n" +
	"\r\n" +
	"attachment body\r\n" +
	"--outer--\r\n"
