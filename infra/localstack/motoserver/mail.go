package motoserver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// SentEmail is one email moto's SES accepted.
//
// moto 5.2.1 keeps less than it is sent, so some fields may be empty:
//
//   - SendEmail keeps one body: the HTML one if there is one, otherwise the
//     text one. The text part of an email with both is lost; HTML is set and
//     Text is empty. (Which one was kept is told by sniffing the body the way
//     http.DetectContentType does.) SendRawEmail keeps the whole MIME
//     message, so use it when both parts matter.
//   - moto records no time. SentAt is the raw message's Date header, and
//     the zero time for SendEmail or a raw message without a Date.
//   - SendTemplatedEmail keeps no rendered content; such emails are not
//     returned.
type SentEmail struct {
	// ID is the MessageId SES returned to the sender.
	ID string
	// From is the sender: SendEmail's Source, or the raw message's From
	// header when the envelope source was not given.
	From string
	// To, Cc and Bcc are the recipients. For a raw message, To and Cc come
	// from its headers and Bcc holds the envelope recipients found in
	// neither.
	To, Cc, Bcc []string
	Subject     string
	// Text and HTML are the bodies, with CRLF line ends turned into LF.
	// Raw messages' parts are decoded from base64 or quoted-printable;
	// charsets other than UTF-8 and ASCII are not converted.
	Text, HTML string
	SentAt     time.Time
	// Raw reports whether the email was sent with SendRawEmail.
	Raw bool
}

// motoData is the part of GET /moto-api/data.json that holds SES's emails
// (moto 5.2.1). data.json lists every tracked model instance of every
// service, across all accounts and regions, keyed by service and class.
type motoData struct {
	SES struct {
		Message []struct {
			ID           string `json:"id"`
			Source       string `json:"source"`
			Subject      string `json:"subject"`
			Body         string `json:"body"`
			Destinations struct {
				ToAddresses  []string
				CcAddresses  []string
				BccAddresses []string
			} `json:"destinations"`
		} `json:"Message"`
		RawMessage []struct {
			ID           string   `json:"id"`
			Source       *string  `json:"source"`
			Destinations []string `json:"destinations"`
			RawData      string   `json:"raw_data"`
		} `json:"RawMessage"`
	} `json:"ses"`
}

// SentEmails returns every email the moto server at endpoint has accepted
// through SES (SendEmail and SendRawEmail, from any account and region): first
// the SendEmail ones, then the SendRawEmail ones, each group oldest first.
// See SentEmail for what moto does not keep.
//
// It returns an error if the server cannot be reached, answers with a
// status other than 200, or returns JSON of an unexpected shape. A raw
// message whose MIME structure cannot be parsed is not an error: it is
// returned with the headers that could be read, and with Text holding the
// undecoded body if even the headers are broken.
func SentEmails(ctx context.Context, endpoint string) ([]SentEmail, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/moto-api/data.json", nil)
	if err != nil {
		return nil, fmt.Errorf("read moto's sent emails: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read moto's sent emails: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read moto's sent emails: GET /moto-api/data.json: %s", resp.Status)
	}
	var data motoData
	if err := json.NewDecoder(resp.Body).Decode(&data); err != nil {
		return nil, fmt.Errorf("read moto's sent emails: decode data.json: %w", err)
	}

	emails := make([]SentEmail, 0, len(data.SES.Message)+len(data.SES.RawMessage))
	for _, m := range data.SES.Message {
		e := SentEmail{
			ID:      m.ID,
			From:    m.Source,
			To:      m.Destinations.ToAddresses,
			Cc:      m.Destinations.CcAddresses,
			Bcc:     m.Destinations.BccAddresses,
			Subject: m.Subject,
		}
		body := normalizeNewlines(m.Body)
		if isHTML(body) {
			e.HTML = body
		} else {
			e.Text = body
		}
		emails = append(emails, e)
	}
	for _, m := range data.SES.RawMessage {
		e := parseRaw(m.RawData)
		e.ID, e.Raw = m.ID, true
		if m.Source != nil && *m.Source != "" {
			e.From = *m.Source
		}
		e.Bcc = envelopeOnly(m.Destinations, e.To, e.Cc)
		emails = append(emails, e)
	}
	return emails, nil
}

// isHTML reports whether body is HTML by the rules of http.DetectContentType
// (a leading <!DOCTYPE HTML, <html, <p, <div, <!--, ... tag).
func isHTML(body string) bool {
	return strings.HasPrefix(http.DetectContentType([]byte(body)), "text/html")
}

func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// parseRaw reads the headers and the first text/plain and text/html parts
// (attachments aside) of a raw MIME message.
func parseRaw(raw string) SentEmail {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return SentEmail{Text: normalizeNewlines(raw)}
	}
	var dec mime.WordDecoder
	header := func(name string) string {
		v := msg.Header.Get(name)
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	e := SentEmail{
		From:    header("From"),
		Subject: header("Subject"),
		To:      addressList(msg.Header, "To"),
		Cc:      addressList(msg.Header, "Cc"),
	}
	if t, err := msg.Header.Date(); err == nil {
		e.SentAt = t
	}
	var b bodies
	b.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body, 0)
	e.Text, e.HTML = normalizeNewlines(b.text), normalizeNewlines(b.html)
	return e
}

// addressList returns the addresses in a header, as "Name <addr>" (the name
// decoded and unquoted, for display) when a name is given; if the header
// does not parse, its raw value.
func addressList(h mail.Header, name string) []string {
	if h.Get(name) == "" {
		return nil
	}
	list, err := h.AddressList(name)
	if err != nil {
		return []string{h.Get(name)}
	}
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
		if a.Name != "" {
			out[i] = a.Name + " <" + a.Address + ">"
		}
	}
	return out
}

// envelopeOnly returns the envelope recipients that appear in neither to nor
// cc, each once. (moto adds the header recipients to the envelope list, so
// it holds duplicates.)
func envelopeOnly(envelope, to, cc []string) []string {
	seen := map[string]bool{}
	for _, list := range [][]string{to, cc} {
		for _, a := range list {
			seen[bareAddress(a)] = true
		}
	}
	var out []string
	for _, a := range envelope {
		if k := bareAddress(a); !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

// bareAddress returns the lower-cased address in "Name <addr>" or "addr".
func bareAddress(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return strings.ToLower(a.Address)
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// bodies collects the first text and HTML bodies found in a MIME tree.
type bodies struct{ text, html string }

// maxDepth bounds nested multiparts.
const maxDepth = 10

func (b *bodies) walk(contentType, encoding, disposition string, r io.Reader, depth int) {
	if depth > maxDepth {
		return
	}
	if d, _, err := mime.ParseMediaType(disposition); err == nil && d == "attachment" {
		return
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if contentType == "" || err != nil {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextPart() // decodes quoted-printable itself
			if err != nil {
				return
			}
			b.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p, depth+1)
		}
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return
	}
	data, err := io.ReadAll(decodeTransfer(encoding, r))
	if err != nil {
		return
	}
	switch {
	case mediaType == "text/plain" && b.text == "":
		b.text = string(data)
	case mediaType == "text/html" && b.html == "":
		b.html = string(data)
	}
}

// decodeTransfer undoes a Content-Transfer-Encoding.
func decodeTransfer(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r) // skips line breaks itself
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}
