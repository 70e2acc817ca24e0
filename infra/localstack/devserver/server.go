package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
)

// securityHeaders go on every answer, the front end's and the API's, as
// CloudFront's response headers policy (SiteResponseHeadersPolicy in
// template.yaml) adds them in AWS; server_test.go keeps the two equal.
// Browsers ignore Strict-Transport-Security over plain HTTP.
//
// The policy lets the front end connect to the files bucket, for presigned
// uploads: filesOrigin, as the template writes it, stands for the bucket's
// address and withSecurityHeaders puts the dev server's own in its place.
var securityHeaders = map[string]string{
	"Content-Security-Policy":    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' " + filesOrigin + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
	"X-Content-Type-Options":     "nosniff",
	"X-Frame-Options":            "DENY",
	"Referrer-Policy":            "no-referrer",
	"Strict-Transport-Security":  "max-age=31536000",
	"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
	"Cross-Origin-Opener-Policy": "same-origin",
}

// filesOrigin is the files bucket's address in template.yaml's policy (a
// !Sub), where presigned links point in AWS.
const filesOrigin = "https://${FilesBucket}.s3.${AWS::Region}.amazonaws.com"

// serverHeaders returns securityHeaders with the files bucket at origin.
func serverHeaders(origin string) map[string]string {
	h := maps.Clone(securityHeaders)
	h["Content-Security-Policy"] = strings.Replace(h["Content-Security-Policy"], filesOrigin, origin, 1)
	return h
}

// withSecurityHeaders sets the security headers, with the files bucket at
// filesAt, on every answer of h; a handler may still replace one (the
// mailbox's email view has a stricter policy).
func withSecurityHeaders(h http.Handler, filesAt string) http.Handler {
	headers := serverHeaders(filesAt)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		h.ServeHTTP(w, r)
	})
}

// filesRoute is where the dev server serves the files bucket: presigned links
// name this server's origin and the bucket's path, and gateway checks and
// forwards them to moto.
type filesRoute struct {
	bucket  string
	gateway http.Handler
	origin  string
}

// newServer routes the API, the files bucket, the mailbox, a run of the
// reminders on request and the front end, every answer with the security
// headers.
func newServer(api http.Handler, webDir, motoEndpoint string, reminders sendReminders, log *slog.Logger, f filesRoute) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	if reminders != nil {
		mux.Handle("POST /dev/reminders", remindersHandler(reminders))
	}
	if f.gateway != nil {
		mux.Handle("/"+f.bucket+"/", f.gateway)
	}
	mb := &mailbox{endpoint: motoEndpoint, log: log}
	mux.HandleFunc("GET /dev/mailbox", mb.page)
	mux.HandleFunc("GET /dev/mailbox.json", mb.json)
	mux.HandleFunc("GET /dev/mailbox/{n}/html", mb.html)
	mux.Handle("/", frontEnd(webDir))
	return withSecurityHeaders(mux, f.origin)
}

// frontEnd serves the built single-page app: files as they are, and
// index.html for every other path so the app's own routes survive a reload.
func frontEnd(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		index := filepath.Join(dir, "index.html")
		if _, err := os.Stat(index); err != nil {
			http.Error(w, "The front end is not built: run `make run` (or `make web`) to build it.", http.StatusServiceUnavailable)
			return
		}
		clean := path.Clean("/" + r.URL.Path)
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(clean))); err == nil && !fi.IsDir() {
			if strings.HasPrefix(clean, "/assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(w, r)
			return
		}
		page, err := os.ReadFile(index)
		if err != nil {
			http.Error(w, "could not read the front end", http.StatusInternalServerError)
			return
		}
		// Tell the front end a mailbox is here: it shows a link to it.
		page = bytes.Replace(page, []byte("</head>"), []byte(`<meta name="roster-mailbox" content="/dev/mailbox"></head>`), 1)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
}

// mailbox shows the emails moto's SES has accepted, newest first.
type mailbox struct {
	endpoint string
	log      *slog.Logger
}

// mailJSON is one email as /dev/mailbox.json lists it.
type mailJSON struct {
	To      []string  `json:"to"`
	From    string    `json:"from"`
	Subject string    `json:"subject"`
	Text    string    `json:"text"`
	HTML    string    `json:"html"`
	SentAt  time.Time `json:"sentAt"`
}

func (m *mailbox) emails(ctx context.Context) ([]mailJSON, error) {
	sent, err := motoserver.SentEmails(ctx, m.endpoint)
	if err != nil {
		return nil, err
	}
	out := make([]mailJSON, len(sent))
	for i, e := range sent {
		// Newest first.
		out[len(sent)-1-i] = mailJSON{To: e.To, From: e.From, Subject: e.Subject, Text: e.Text, HTML: e.HTML, SentAt: e.SentAt}
	}
	return out, nil
}

func (m *mailbox) json(w http.ResponseWriter, r *http.Request) {
	emails, err := m.emails(r.Context())
	if err != nil {
		m.log.Error("read the mailbox", "err", err)
		http.Error(w, "could not read moto's mailbox", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"items": emails})
}

// html shows one email's HTML part under a policy that runs nothing.
func (m *mailbox) html(w http.ResponseWriter, r *http.Request) {
	emails, err := m.emails(r.Context())
	n, nerr := strconv.Atoi(r.PathValue("n"))
	if err != nil || nerr != nil || n < 0 || n >= len(emails) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(emails[n].HTML))
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"']+`)

// mailLinks returns the links of an email's text part, or of its HTML part
// when it has no text, each once.
func mailLinks(m mailJSON) []string {
	var out []string
	seen := map[string]bool{}
	for _, body := range []string{m.Text, html.UnescapeString(m.HTML)} {
		for _, l := range linkPattern.FindAllString(body, -1) {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

var mailboxPage = template.Must(template.New("mailbox").Funcs(template.FuncMap{
	"links": func(m mailJSON) []string { return mailLinks(m) },
	"join":  strings.Join,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mailbox · Roster (local)</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2433;padding:0 1rem}
h1{font-size:1.4rem} .mail{border:1px solid #d5dae3;border-radius:8px;padding:1rem;margin:1rem 0}
.meta{color:#5b6578;font-size:.9rem} pre{white-space:pre-wrap;background:#f5f7fa;padding:.75rem;border-radius:6px}
</style></head><body>
<h1>Mailbox <small class="meta">emails sent through moto's SES, newest first · <a href="/dev/mailbox.json">JSON</a> · <a href="/">Roster</a></small></h1>
{{if not .}}<p>No emails yet.</p>{{end}}
{{range $i, $m := .}}<article class="mail" aria-label="{{$m.Subject}}">
<h2>{{$m.Subject}}</h2>
<p class="meta">To {{join $m.To ", "}} · from {{$m.From}} {{if not $m.SentAt.IsZero}} · {{$m.SentAt.Format "2006-01-02 15:04:05 MST"}}{{end}}{{if $m.HTML}} · <a href="/dev/mailbox/{{$i}}/html">HTML part</a>{{end}}</p>
{{with links $m}}<p>Links: {{range .}}<a href="{{.}}">{{.}}</a> {{end}}</p>{{end}}
<pre>{{$m.Text}}</pre>
</article>{{end}}
</body></html>`))

func (m *mailbox) page(w http.ResponseWriter, r *http.Request) {
	emails, err := m.emails(r.Context())
	if err != nil {
		m.log.Error("read the mailbox", "err", err)
		http.Error(w, "could not read moto's mailbox", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := mailboxPage.Execute(w, emails); err != nil {
		m.log.Error("render the mailbox", "err", err)
	}
}
