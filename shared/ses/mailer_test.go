package ses_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/ses"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestMailer_Send(t *testing.T) {
	endpoint := testenv.SES(t)
	ctx := context.Background()
	m := ses.New(motoserver.Client(ctx, endpoint), testenv.Sender)
	org := &roster.Organization{Name: "Demo Foods Ltd"}
	u := &roster.User{FirstName: "Zoë", Email: "zoe@example.com"}
	e, err := accounts.InvitationEmail(org, u, "http://127.0.0.1:8080/invitation#tok-123", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(ctx, e); err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent, err := motoserver.SentEmails(ctx, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 {
		t.Fatalf("moto holds %d emails, want 1", len(sent))
	}
	got := sent[0]
	if len(got.To) != 1 || got.To[0] != "zoe@example.com" || got.Subject != "Your invitation to train with Demo Foods Ltd" {
		t.Errorf("sent to %v with subject %q", got.To, got.Subject)
	}
	for name, part := range map[string]string{"text": got.Text, "html": got.HTML} {
		if !strings.Contains(part, "http://127.0.0.1:8080/invitation#tok-123") || !strings.Contains(part, "Demo Foods Ltd") || !strings.Contains(part, "Zoë") {
			t.Errorf("%s part lacks the link, the organization or the name:\n%s", name, part)
		}
	}
	if got.SentAt.IsZero() {
		t.Error("the message has no date")
	}

	t.Run("an unverified sender is refused", func(t *testing.T) {
		other := ses.New(motoserver.Client(ctx, endpoint), "someone@unverified.example")
		if err := other.Send(ctx, e); err == nil {
			t.Error("SES accepted a message from an unverified sender")
		}
	})
}

func TestInvitationEmail_EscapesHTML(t *testing.T) {
	org := &roster.Organization{Name: `Fish & "Chips" <Ltd>`}
	u := &roster.User{FirstName: "<script>", Email: "x@example.com"}
	e, err := accounts.InvitationEmail(org, u, "https://roster.example/invitation#t", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.HTML, "<script>") || !strings.Contains(e.HTML, "Fish &amp; &#34;Chips&#34; &lt;Ltd&gt;") {
		t.Errorf("HTML part is not escaped:\n%s", e.HTML)
	}
	if !strings.Contains(e.Text, `Fish & "Chips" <Ltd>`) {
		t.Errorf("text part should be plain:\n%s", e.Text)
	}
}
