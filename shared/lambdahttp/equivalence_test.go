package lambdahttp_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/files"
	"github.com/rosterhq/roster/shared/httpapi"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/lambdahttp"
	"github.com/rosterhq/roster/shared/ses"
	"github.com/rosterhq/roster/shared/stream"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// The equivalence test sends the same requests, step by step, to two stacks
// built alike on two fresh tables: one reached through lambdahttp.Handler with
// API Gateway HTTP API (v2) events, the function's own handler per route, the
// other over plain HTTP to the dev server's mux. Clock, ids and session tokens
// are deterministic, so both must answer byte for byte the same.

// fixedNow is the clock of both stacks.
var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// Seeded ids and the owner's credentials.
const (
	orgID         = "org00000000000000000000001"
	ownerID       = "usr00000000000000000000001"
	orgSlug       = "acme"
	ownerEmail    = "owner@acme.example"
	ownerPassword = "correct horse battery staple"
)

// request is one step's request, as a browser would send it.
type request struct {
	method   string
	path     string // raw (escaped) path
	query    string // raw query
	header   http.Header
	body     []byte
	noCookie bool // send no cookies, as a signed-out browser
	base64   bool // API Gateway sends the body in base64 (it does for types it does not take for text)
}

// response is what a client sees of an answer.
type response struct {
	status  int
	header  map[string]string // one value per name, several joined by commas as API Gateway sends them
	cookies []string          // Set-Cookie values
	body    []byte
}

// stack is one deployment of the API on its own table.
type stack struct {
	name    string
	send    func(t *testing.T, requestID string, req request) response
	settle  func(t *testing.T) // runs the stream consumer over every write so far
	cookies map[string]string  // the browser's cookie jar, by name
	mailbox *mailbox           // what the stack emailed
	// setPassword gives a user a password, as accepting an invitation
	// would, so that the test can sign in as someone other than the owner.
	setPassword func(t *testing.T, userID, password string)
	files       *files.Bucket // where the browser's uploads land
}

// passwordSetter returns a stack's setPassword: the hash goes straight to
// the API's store.
func passwordSetter(api *httpapi.API) func(t *testing.T, userID, password string) {
	return func(t *testing.T, userID, password string) {
		t.Helper()
		hash, err := accounts.HashPassword(password, api.Accounts.Argon2)
		must(t, err)
		must(t, api.Accounts.Store.SetPasswordHash(context.Background(), orgID, userID, hash))
	}
}

// appURL is the front end's address the stacks put in invitation links.
const appURL = "https://d1a2b3c4d5e6f7.cloudfront.net"

// mailbox is a roster.Mailer that keeps what it is given instead of sending
// it: these tests are about the transport, and shared/ses has its own.
// Actions send from several goroutines at once.
type mailbox struct {
	mu   sync.Mutex
	sent []roster.Email
}

func (m *mailbox) Send(_ context.Context, e roster.Email) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, e)
	return nil
}

// take returns the emails sent since the last take, by recipient (the order
// of one action's emails is the order its workers got to them).
func (m *mailbox) take() []roster.Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.sent
	m.sent = nil
	slices.SortStableFunc(out, func(a, b roster.Email) int { return strings.Compare(a.To, b.To) })
	return out
}

// lockedReader makes a deterministic token source safe for the goroutines
// of one action (crypto/rand.Reader, the real one, is safe already).
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// newAPI builds the API on a fresh table with the seeded organization and a
// deterministic service: fixed clock, counting ids, seeded token source, a
// mailbox for a mailer. The function it returns runs the stream consumer, as
// Lambda would after writes. With a recorder, the API's DynamoDB calls and
// its emails, sent to moto's SES as well as kept, are recorded for the
// template's IAM policies.
func newAPI(t *testing.T, rec *iamcheck.Recorder) (*httpapi.API, *mailbox, func(t *testing.T)) {
	t.Helper()
	tbl := testenv.DynamoDB(t)
	now := func() time.Time { return fixedNow }
	client := tbl.Client
	if rec != nil {
		client = rec.DynamoDB(client)
	}
	store := dynamo.New(client, tbl.Name).WithClock(now)
	ctx := context.Background()
	cheap := accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}
	hash, err := accounts.HashPassword(ownerPassword, cheap)
	must(t, err)
	must(t, store.CreateOrganization(ctx, &roster.Organization{ID: orgID, Slug: orgSlug, Name: "Acme Training", CreatedAt: fixedNow}, &roster.User{
		ID: ownerID, OrgID: orgID, FirstName: "Olive", LastName: "Owner", Email: ownerEmail,
		Role: roster.RoleOwner, State: roster.StateActive, CreatedAt: fixedNow, UpdatedAt: fixedNow, Version: 1,
	}, hash))

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n := 0
	d := app.Deps{Store: store, Log: log, Now: now, Argon2: &cheap,
		NewID:  func() string { n++; return fmt.Sprintf("id%024d", n) },
		Random: &lockedReader{r: rand.NewChaCha8([32]byte{'r', 'o', 's', 't', 'e', 'r'})}}
	mail := &mailbox{}
	d.Mailer, d.AppURL = mail, appURL
	bucket := testenv.Files(t)
	s3Client := bucket.Client
	if rec != nil {
		s3Client = rec.S3(s3Client)
	}
	d.Files, d.OpenSheet = files.New(s3Client, bucket.Name, bucket.URL), app.OpenSheet
	if rec != nil {
		sesClient := rec.SES(motoserver.Client(ctx, testenv.SES(t)))
		d.Mailer = bothMailers{ses.New(sesClient, testenv.Sender), mail}
	}
	return app.NewServices(d).API(log, true, ""), mail, settler(tbl, store, log)
}

// bothMailers sends each email with every one of its mailers.
type bothMailers []roster.Mailer

func (m bothMailers) Send(ctx context.Context, e roster.Email) error {
	for _, mailer := range m {
		if err := mailer.Send(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// settler returns a function feeding the table's stream to the real
// consumer, as the stream function.
func settler(tbl *testenv.Table, store *dynamo.Store, log *slog.Logger) func(t *testing.T) {
	consumer := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(store), Log: log}
	poller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: consumer.Handle, Log: log}
	return func(t *testing.T) {
		t.Helper()
		if err := poller.Drain(iamcheck.WithFunction(context.Background(), "stream")); err != nil {
			t.Fatalf("stream: %v", err)
		}
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
}

// lambdaStack serves each request with the Lambda function of its route,
// through lambdahttp.Handler, as API Gateway would invoke it.
func lambdaStack(t *testing.T, rec *iamcheck.Recorder) *stack {
	api, mail, settle := newAPI(t, rec)
	functions := map[string]func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error){}
	for _, fn := range httpapi.Functions() {
		h, err := api.FunctionHandler(fn)
		if err != nil {
			t.Fatal(err)
		}
		functions[fn] = lambdahttp.Handler(h)
	}
	s := &stack{name: "lambda", settle: settle, cookies: map[string]string{}, mailbox: mail, setPassword: passwordSetter(api), files: api.Service.Files.(*files.Bucket)}
	s.send = func(t *testing.T, requestID string, req request) response {
		t.Helper()
		rt := routeOf(t, req)
		ev := toEvent(rt, requestID, req, s.jar(req))
		resp, err := functions[rt.Function](iamcheck.WithFunction(context.Background(), rt.Function), ev)
		if err != nil {
			t.Fatalf("%s %s: lambda: %v", req.method, req.path, err)
		}
		body := []byte(resp.Body)
		if resp.IsBase64Encoded {
			if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
				t.Fatalf("%s %s: response body: %v", req.method, req.path, err)
			}
		}
		return response{status: resp.StatusCode, header: resp.Headers, cookies: resp.Cookies, body: body}
	}
	return s
}

// httpStack serves every request with the dev server's mux over real HTTP.
// The request id a Lambda gets from API Gateway comes in a test header here,
// so that error bodies carry the same id both ways.
func httpStack(t *testing.T) *stack {
	api, mail, settle := newAPI(t, nil)
	mux := api.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(roster.WithRequestID(r.Context(), r.Header.Get(testRequestIDHeader))))
	}))
	t.Cleanup(srv.Close)
	s := &stack{name: "http", settle: settle, cookies: map[string]string{}, mailbox: mail, setPassword: passwordSetter(api), files: api.Service.Files.(*files.Bucket)}
	s.send = func(t *testing.T, requestID string, req request) response {
		t.Helper()
		u := srv.URL + req.path
		if req.query != "" {
			u += "?" + req.query
		}
		r, err := http.NewRequest(req.method, u, bytes.NewReader(req.body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header = req.header.Clone()
		r.Header.Set(testRequestIDHeader, requestID)
		if jar := s.jar(req); len(jar) > 0 {
			r.Header.Set("Cookie", strings.Join(jar, "; "))
		}
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatalf("%s %s: %v", req.method, req.path, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		header := map[string]string{}
		for k, vs := range resp.Header {
			if k != "Set-Cookie" {
				header[k] = strings.Join(vs, ",")
			}
		}
		return response{status: resp.StatusCode, header: header, cookies: resp.Header.Values("Set-Cookie"), body: body}
	}
	return s
}

const testRequestIDHeader = "X-Test-Request-Id"

// jar returns the cookies the browser sends with req, as name=value.
func (s *stack) jar(req request) []string {
	if req.noCookie {
		return nil
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(s.cookies)) {
		out = append(out, name+"="+s.cookies[name])
	}
	return out
}

// keep stores the cookies a response sets, and forgets the ones it clears.
func (s *stack) keep(t *testing.T, resp response) {
	t.Helper()
	for _, line := range resp.cookies {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("%s: Set-Cookie %q: %v", s.name, line, err)
		}
		if c.MaxAge < 0 || c.Value == "" {
			delete(s.cookies, c.Name)
		} else {
			s.cookies[c.Name] = c.Value
		}
	}
}

// routeOf returns the route serving req, found by the route table's own patterns.
func routeOf(t *testing.T, req request) httpapi.Route {
	t.Helper()
	mux := http.NewServeMux()
	for _, rt := range httpapi.Routes {
		mux.Handle(rt.Pattern(), http.NotFoundHandler())
	}
	r, err := http.NewRequest(req.method, req.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, pattern := mux.Handler(r)
	for _, rt := range httpapi.Routes {
		if rt.Pattern() == pattern {
			return rt
		}
	}
	t.Fatalf("%s %s: no route", req.method, req.path)
	return httpapi.Route{}
}

// toEvent builds the event API Gateway sends for req on the route rt: header
// names in lower case, repeated headers joined by commas, cookies apart, a
// body that is not UTF-8 text in base64.
func toEvent(rt httpapi.Route, requestID string, req request, cookies []string) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{testRequestIDHeader: requestID}
	for k, vs := range req.header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       rt.Pattern(),
		RawPath:        req.path,
		RawQueryString: req.query,
		Cookies:        cookies,
		Headers:        headers,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:   rt.Pattern(),
			AccountID:  "123456789012",
			Stage:      "$default",
			RequestID:  requestID,
			APIID:      "r8s2t4u6v1",
			DomainName: "r8s2t4u6v1.execute-api.eu-west-1.amazonaws.com",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: req.method, Path: req.path, Protocol: "HTTP/1.1", SourceIP: "203.0.113.42", UserAgent: req.header.Get("User-Agent"),
			},
		},
	}
	if len(req.body) > 0 {
		if utf8.Valid(req.body) && !req.base64 {
			ev.Body = string(req.body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(req.body), true
		}
	}
	ev.PathParameters = pathParameters(rt.Path, req.path)
	return ev
}

// pathParameters returns the values of the route path's {name} segments in
// path, as API Gateway sends them in pathParameters; nil when it has none.
func pathParameters(pattern, path string) map[string]string {
	var params map[string]string
	names, values := strings.Split(pattern, "/"), strings.Split(path, "/")
	for i, name := range names {
		if i < len(values) && strings.HasPrefix(name, "{") && strings.HasSuffix(name, "}") {
			if params == nil {
				params = map[string]string{}
			}
			params[strings.Trim(name, "{}")] = values[i]
		}
	}
	return params
}

// browserHeader is what a browser sends with every request: values holding
// commas, and one header given twice.
func browserHeader() http.Header {
	return http.Header{
		"Accept":          {"application/json, text/plain, */*"},
		"Accept-Language": {"en-GB,en;q=0.9"},
		"User-Agent":      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"},
		"X-Forwarded-For": {"203.0.113.42", "130.176.212.17"},
	}
}

func get(path, query string) request {
	return request{method: http.MethodGet, path: path, query: query, header: browserHeader()}
}

func send(method, path string, body any) request {
	h := browserHeader()
	h.Set("Content-Type", "application/json")
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			panic(err)
		}
	}
	return request{method: method, path: path, header: h, body: data}
}

// presignedLink matches a presigned link's address and expiry: each stack
// signs for its own bucket, at the real time.
var presignedLink = regexp.MustCompile(`"url":"[^"]*X-Amz-Signature=[0-9a-f]+","headers":(\{[^}]*\}),"expires":"[^"]*"`)

// presignedLinks returns body with every presigned link's address and
// expiry replaced by a placeholder.
func presignedLinks(body []byte) []byte {
	return presignedLink.ReplaceAll(body, []byte(`"url":"<presigned>","headers":$1,"expires":"<expires>"`))
}

// ignoredHeaders are set by the transport, not the handler: API Gateway adds
// its own.
var ignoredHeaders = []string{"Date", "Content-Length"}

func TestHandler_SameAsHTTP(t *testing.T) {
	rec := iamcheck.NewRecorder()
	lambda, plain := lambdaStack(t, rec), httpStack(t)
	served := map[string]bool{}
	var step int

	// do sends req to both stacks, checks that they answer alike and with
	// the wanted status, and returns the answer.
	do := func(t *testing.T, name string, req request, wantStatus int) response {
		t.Helper()
		step++
		requestID := fmt.Sprintf("req-%03d", step)
		served[routeOf(t, req).Function] = true
		got, want := lambda.send(t, requestID, req), plain.send(t, requestID, req)
		lambda.keep(t, got)
		plain.keep(t, want)
		where := fmt.Sprintf("step %d (%s: %s %s", step, name, req.method, req.path)
		if req.query != "" {
			where += "?" + req.query
		}
		where += ")"
		if got.status != want.status {
			t.Errorf("%s: status = %d through Lambda, %d over HTTP", where, got.status, want.status)
		}
		if want.status != wantStatus {
			t.Errorf("%s: status = %d, want %d; body %s", where, want.status, wantStatus, want.body)
		}
		if !bytes.Equal(presignedLinks(got.body), presignedLinks(want.body)) {
			t.Errorf("%s: body through Lambda:\n%s\nover HTTP:\n%s", where, got.body, want.body)
		}
		for _, h := range ignoredHeaders {
			delete(got.header, h)
			delete(want.header, h)
		}
		if !maps.Equal(got.header, want.header) {
			t.Errorf("%s: headers through Lambda %q, over HTTP %q", where, got.header, want.header)
		}
		if !slices.Equal(got.cookies, want.cookies) {
			t.Errorf("%s: Set-Cookie through Lambda %q, over HTTP %q", where, got.cookies, want.cookies)
		}
		return want
	}
	decode := func(t *testing.T, resp response, v any) {
		t.Helper()
		if err := json.Unmarshal(resp.body, v); err != nil {
			t.Fatalf("decode %s: %v", resp.body, err)
		}
	}
	type idOnly struct {
		ID string `json:"id"`
	}

	// A theme cookie rides along with the session, as a browser sends it.
	lambda.cookies["roster_theme"], plain.cookies["roster_theme"] = "dark", "dark"

	login := map[string]string{"org": orgSlug, "login": ownerEmail, "password": ownerPassword}
	do(t, "wrong password", send("POST", "/api/auth/login", map[string]string{"org": orgSlug, "login": ownerEmail, "password": "not it at all"}), 401)
	do(t, "malformed JSON", send("POST", "/api/auth/login", `{"org":`), 400)
	binary := send("POST", "/api/auth/login", "\xff\xfe\x00binary")
	binary.header.Set("Content-Type", "application/octet-stream")
	do(t, "a body API Gateway sends in base64", binary, 400)
	do(t, "signed out", get("/api/me", ""), 401)
	resp := do(t, "sign in", send("POST", "/api/auth/login", login), 200)
	if len(resp.cookies) != 1 || !strings.HasPrefix(resp.cookies[0], httpapi.SessionCookie+"=") {
		t.Fatalf("sign in: Set-Cookie %q, want the session cookie", resp.cookies)
	}
	do(t, "me", get("/api/me", ""), 200)
	signedOut := get("/api/me", "")
	signedOut.noCookie = true
	resp = do(t, "no cookie", signedOut, 401)
	if !bytes.Contains(resp.body, []byte(fmt.Sprintf(`"requestId":"req-%03d"`, step))) {
		t.Errorf("error body %s does not carry the request id", resp.body)
	}
	do(t, "organization", get("/api/organization", ""), 200)

	var leeds, night idOnly
	decode(t, do(t, "add location", send("POST", "/api/locations", map[string]string{"name": "Leeds"}), 201), &leeds)
	do(t, "same location again", send("POST", "/api/locations", map[string]string{"name": " leeds "}), 409)
	york := send("POST", "/api/locations", map[string]string{"name": "York"})
	york.base64 = true
	do(t, "add location, body in base64", york, 201)
	do(t, "location without name", send("POST", "/api/locations", map[string]string{"name": ""}), 422)
	do(t, "location, unknown field", send("POST", "/api/locations", map[string]string{"nmae": "York"}), 400)
	decode(t, do(t, "add group", send("POST", "/api/groups", map[string]string{"name": "Night shift"}), 201), &night)
	do(t, "list locations", get("/api/locations", ""), 200)
	do(t, "list groups", get("/api/groups", ""), 200)

	var grace, alan idOnly
	resp = do(t, "add user", send("POST", "/api/users", map[string]any{
		"firstName": "Grace", "lastName": "Hopper", "email": "grace.hopper@example.com", "userId": "GH1906",
		"locationId": leeds.ID, "groupIds": []string{night.ID}, "expiresAt": "2026-12-31",
	}), 201)
	decode(t, resp, &grace)
	if want := "/api/users/" + grace.ID; resp.header["Location"] != want {
		t.Errorf("Location = %q, want %q", resp.header["Location"], want)
	}
	decode(t, do(t, "add user by user ID", send("POST", "/api/users", map[string]any{"firstName": "Alan", "lastName": "Turing", "userId": "AT1912"}), 201), &alan)
	do(t, "duplicate email", send("POST", "/api/users", map[string]any{"firstName": "G", "lastName": "H", "email": "Grace.Hopper@example.com"}), 409)
	do(t, "bad email", send("POST", "/api/users", map[string]any{"firstName": "G", "lastName": "H", "email": "grace@"}), 422)
	do(t, "oversized body", send("POST", "/api/users", `{"firstName":"`+strings.Repeat("x", httpapi.MaxBodyBytes)+`"}`), 413)
	plainText := send("POST", "/api/users", `{"firstName":"G"}`)
	plainText.header.Set("Content-Type", "text/plain")
	do(t, "not JSON", plainText, 400)

	do(t, "list", get("/api/users", ""), 200)
	do(t, "search with an encoded comma", get("/api/users", "q=a%2Cb"), 200)
	do(t, "search", get("/api/users", "q=gra"), 200)
	do(t, "repeated key", get("/api/users", "status=active&status=pending"), 400)
	do(t, "unknown key", get("/api/users", "sort=name"), 400)
	do(t, "bad status", get("/api/users", "status=sleeping"), 422)
	do(t, "bad limit", get("/api/users", "limit=0"), 422)
	do(t, "bad cursor", get("/api/users", "cursor=bm90LWEtY3Vyc29y"), 400)
	do(t, "filters", get("/api/users", "status=pending&location="+leeds.ID+"&group="+night.ID+"&role=learner&archived=include&limit=10"), 200)
	var page struct {
		NextCursor *string `json:"nextCursor"`
	}
	decode(t, do(t, "first page", get("/api/users", "limit=1"), 200), &page)
	if page.NextCursor == nil {
		t.Fatal("first page of 1: no nextCursor")
	}
	do(t, "next page", get("/api/users", "limit=1&cursor="+url.QueryEscape(*page.NextCursor)), 200)

	do(t, "get user", get("/api/users/"+grace.ID, ""), 200)
	do(t, "unknown user", get("/api/users/nosuchuser", ""), 404)
	do(t, "update user", send("PATCH", "/api/users/"+grace.ID, map[string]any{"version": 1, "lastName": "Hopper-Murray", "expiresAt": nil}), 200)
	do(t, "stale version", send("PATCH", "/api/users/"+grace.ID, map[string]any{"version": 1, "lastName": "Hopper"}), 409)
	do(t, "field that cannot change", send("PATCH", "/api/users/"+grace.ID, map[string]any{"version": 2, "status": "active"}), 400)

	do(t, "archive", send("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{grace.ID, alan.ID, ownerID, "nosuchuser"}}), 200)
	do(t, "archive again", send("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{grace.ID}}), 200)
	do(t, "archived only", get("/api/users", "archived=only"), 200)
	lambda.settle(t) // the count a filter is checked against is the listing's, kept by the stream
	plain.settle(t)
	do(t, "unarchive, count changed", send("POST", "/api/users/actions/unarchive", map[string]any{"filter": map[string]string{"archived": "only"}, "expectedCount": 3}), 409)
	do(t, "unarchive by filter", send("POST", "/api/users/actions/unarchive", map[string]any{"filter": map[string]string{"archived": "only"}, "expectedCount": 2}), 200)
	do(t, "unarchive, both selections", send("POST", "/api/users/actions/unarchive", map[string]any{"userIds": []string{grace.ID}, "filter": map[string]string{}}), 422)

	// The other actions, each with the parameters it takes and bodies it
	// refuses. Emails go to each stack's mailbox; the same ones both ways.
	mailed := func(t *testing.T, name string, to ...string) {
		t.Helper()
		got, want := lambda.mailbox.take(), plain.mailbox.take()
		recipients := func(es []roster.Email) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.To)
				if !strings.Contains(e.Text, appURL+"/invitation#") {
					t.Errorf("%s: the email to %s holds no invitation link:\n%s", name, e.To, e.Text)
				}
			}
			return out
		}
		if g, w := recipients(got), recipients(want); !slices.Equal(g, w) || !slices.Equal(w, to) {
			t.Errorf("%s: emailed %q through Lambda, %q over HTTP, want %q", name, g, w, to)
		}
	}
	const (
		approve          = "/api/users/actions/approve"
		notify           = "/api/users/actions/notify"
		deactivate       = "/api/users/actions/deactivate"
		activate         = "/api/users/actions/activate"
		setExpiration    = "/api/users/actions/set-expiration"
		addToGroups      = "/api/users/actions/add-to-groups"
		removeFromGroups = "/api/users/actions/remove-from-groups"
		setLocation      = "/api/users/actions/set-location"
		setRole          = "/api/users/actions/set-role"
	)
	var ada, day idOnly
	decode(t, do(t, "add user, approved and invited", send("POST", "/api/users", map[string]any{
		"firstName": "Ada", "lastName": "Lovelace", "email": "ada.lovelace@example.com", "approve": true, "notify": true,
	}), 201), &ada)
	mailed(t, "add user, approved and invited", "ada.lovelace@example.com")
	do(t, "invite without approving", send("POST", "/api/users", map[string]any{"firstName": "Mary", "lastName": "Jackson", "email": "mary.jackson@example.com", "notify": true}), 422)
	decode(t, do(t, "add another group", send("POST", "/api/groups", map[string]string{"name": "Day shift"}), 201), &day)

	do(t, "approve and notify", send("POST", approve, map[string]any{"userIds": []string{grace.ID, alan.ID, ownerID}, "notify": true}), 200)
	mailed(t, "approve and notify", "grace.hopper@example.com")
	do(t, "approve, notify not a boolean", send("POST", approve, map[string]any{"userIds": []string{grace.ID}, "notify": "yes"}), 400)
	do(t, "approve, a parameter of set-role", send("POST", approve, map[string]any{"userIds": []string{grace.ID}, "role": "admin"}), 400)
	do(t, "approve again", send("POST", approve, map[string]any{"userIds": []string{grace.ID}}), 200)
	mailed(t, "approve again")

	do(t, "notify", send("POST", notify, map[string]any{"userIds": []string{grace.ID, alan.ID, ada.ID}}), 200)
	mailed(t, "notify", "ada.lovelace@example.com", "grace.hopper@example.com")
	do(t, "notify, a parameter of approve", send("POST", notify, map[string]any{"userIds": []string{grace.ID}, "notify": true}), 400)

	do(t, "deactivate", send("POST", deactivate, map[string]any{"userIds": []string{grace.ID, ownerID}}), 200)
	do(t, "deactivate, unknown parameter", send("POST", deactivate, map[string]any{"userIds": []string{grace.ID}, "reason": "left the company"}), 400)
	do(t, "notify a deactivated user", send("POST", notify, map[string]any{"userIds": []string{grace.ID}}), 200)
	mailed(t, "notify a deactivated user")
	do(t, "activate", send("POST", activate, map[string]any{"userIds": []string{grace.ID, alan.ID}}), 200)
	do(t, "activate, no selection", send("POST", activate, map[string]any{}), 422)

	do(t, "set expiration", send("POST", setExpiration, map[string]any{"userIds": []string{grace.ID, alan.ID}, "expiresAt": "2026-12-31"}), 200)
	do(t, "set expiration in the past", send("POST", setExpiration, map[string]any{"userIds": []string{alan.ID}, "expiresAt": "2026-03-01T17:00:00Z"}), 200)
	do(t, "set expiration, missing", send("POST", setExpiration, map[string]any{"userIds": []string{grace.ID}}), 422)
	do(t, "set expiration, not a date", send("POST", setExpiration, map[string]any{"userIds": []string{grace.ID}, "expiresAt": "31/12/2026"}), 422)
	do(t, "clear expiration", send("POST", setExpiration, map[string]any{"userIds": []string{alan.ID}, "expiresAt": nil}), 200)

	do(t, "add to groups", send("POST", addToGroups, map[string]any{"userIds": []string{grace.ID, alan.ID}, "groupIds": []string{night.ID, day.ID}}), 200)
	do(t, "add to groups, missing", send("POST", addToGroups, map[string]any{"userIds": []string{grace.ID}}), 422)
	do(t, "add to an unknown group", send("POST", addToGroups, map[string]any{"userIds": []string{grace.ID}, "groupIds": []string{"nosuchgroup"}}), 422)
	do(t, "remove from groups", send("POST", removeFromGroups, map[string]any{"userIds": []string{grace.ID, alan.ID}, "groupIds": []string{night.ID}}), 200)
	do(t, "remove from no group", send("POST", removeFromGroups, map[string]any{"userIds": []string{grace.ID}, "groupIds": []string{}}), 422)
	do(t, "remove from groups, unknown parameter", send("POST", removeFromGroups, map[string]any{"userIds": []string{grace.ID}, "groupIds": []string{night.ID}, "locationId": leeds.ID}), 400)

	do(t, "set location", send("POST", setLocation, map[string]any{"userIds": []string{grace.ID, alan.ID}, "locationId": leeds.ID}), 200)
	do(t, "clear location", send("POST", setLocation, map[string]any{"userIds": []string{grace.ID}, "locationId": nil}), 200)
	do(t, "set an unknown location", send("POST", setLocation, map[string]any{"userIds": []string{grace.ID}, "locationId": "nosuchlocation"}), 422)
	do(t, "set location, missing", send("POST", setLocation, map[string]any{"userIds": []string{grace.ID}}), 422)

	do(t, "set role", send("POST", setRole, map[string]any{"userIds": []string{grace.ID, alan.ID, ownerID}, "role": "admin"}), 200)
	do(t, "an unknown role", send("POST", setRole, map[string]any{"userIds": []string{grace.ID}, "role": "boss"}), 422)
	do(t, "set role, missing", send("POST", setRole, map[string]any{"userIds": []string{grace.ID}}), 422)
	lambda.settle(t)
	plain.settle(t)
	do(t, "set role by filter", send("POST", setRole, map[string]any{"filter": map[string]string{"role": "admin"}, "expectedCount": 2, "role": "learner"}), 200)
	do(t, "user after the actions", get("/api/users/"+grace.ID, ""), 200)

	// Groups and locations: renamed on the version read, deleted after the
	// member count shown is confirmed. Member counts come from the stream.
	// Now Grace and Alan are in Day shift and nobody in Night shift; Alan
	// is at Leeds.
	lambda.settle(t)
	plain.settle(t)
	var harrogate idOnly
	decode(t, do(t, "add a location to keep", send("POST", "/api/locations", map[string]string{"name": "Harrogate"}), 201), &harrogate)
	groupPath, locationPath := "/api/groups/", "/api/locations/"
	del := func(path, query string) request {
		return request{method: http.MethodDelete, path: path, query: query, header: browserHeader()}
	}
	do(t, "rename group", send("PATCH", groupPath+night.ID, map[string]any{"version": 1, "name": "Late shift"}), 200)
	do(t, "rename group, stale version", send("PATCH", groupPath+night.ID, map[string]any{"version": 1, "name": "Evening shift"}), 409)
	do(t, "rename group to a name taken", send("PATCH", groupPath+day.ID, map[string]any{"version": 1, "name": " late  SHIFT "}), 409)
	do(t, "rename group, no version", send("PATCH", groupPath+day.ID, map[string]any{"name": "Early shift"}), 422)
	do(t, "rename group, no name", send("PATCH", groupPath+day.ID, map[string]any{"version": 1, "name": "  "}), 422)
	do(t, "rename group, unknown field", send("PATCH", groupPath+day.ID, map[string]any{"version": 1, "name": "Early shift", "colour": "red"}), 400)
	do(t, "rename an unknown group", send("PATCH", groupPath+"nosuchgroup", map[string]any{"version": 1, "name": "Early shift"}), 404)
	do(t, "delete group, member count changed", del(groupPath+day.ID, "version=1&expectedMembers=1"), 409)
	do(t, "delete group, no member count", del(groupPath+day.ID, "version=1"), 422)
	do(t, "delete group, no version", del(groupPath+day.ID, "expectedMembers=2"), 422)
	do(t, "delete group, count not a number", del(groupPath+day.ID, "version=1&expectedMembers=two"), 400)
	do(t, "delete group, unknown parameter", del(groupPath+day.ID, "version=1&expectedMembers=2&force=true"), 400)
	do(t, "delete an unknown group", del(groupPath+"nosuchgroup", "version=1&expectedMembers=0"), 404)
	resp = do(t, "delete group with members", del(groupPath+day.ID, "version=1&expectedMembers=2"), 200)
	if want := `{"membersTakenOut":2}` + "\n"; string(resp.body) != want {
		t.Errorf("delete group: body %s, want %s", resp.body, want)
	}
	do(t, "delete group, stale version", del(groupPath+night.ID, "version=1&expectedMembers=0"), 409)
	do(t, "delete empty group", del(groupPath+night.ID, "version=2&expectedMembers=0"), 200)
	do(t, "delete group again", del(groupPath+night.ID, "version=2&expectedMembers=0"), 404)
	do(t, "groups after deleting", get("/api/groups", ""), 200)
	do(t, "user after the groups went", get("/api/users/"+grace.ID, ""), 200)

	do(t, "rename location", send("PATCH", locationPath+leeds.ID, map[string]any{"version": 1, "name": "Leeds Central"}), 200)
	do(t, "rename location, stale version", send("PATCH", locationPath+leeds.ID, map[string]any{"version": 1, "name": "Leeds North"}), 409)
	do(t, "rename location to a name taken", send("PATCH", locationPath+harrogate.ID, map[string]any{"version": 1, "name": "leeds central"}), 409)
	do(t, "rename location, version not a number", send("PATCH", locationPath+harrogate.ID, map[string]any{"version": "1", "name": "Ripon"}), 400)
	do(t, "rename location, name too long", send("PATCH", locationPath+harrogate.ID, map[string]any{"version": 1, "name": strings.Repeat("x", 101)}), 422)
	do(t, "delete location, member count changed", del(locationPath+leeds.ID, "version=2&expectedMembers=0"), 409)
	do(t, "delete location, negative count", del(locationPath+leeds.ID, "version=2&expectedMembers=-1"), 400)
	do(t, "delete location, stale version", del(locationPath+harrogate.ID, "version=2&expectedMembers=0"), 409)
	resp = do(t, "delete location with a member", del(locationPath+leeds.ID, "version=2&expectedMembers=1"), 200)
	if want := `{"membersTakenOut":1}` + "\n"; string(resp.body) != want {
		t.Errorf("delete location: body %s, want %s", resp.body, want)
	}
	do(t, "rename a deleted location", send("PATCH", locationPath+leeds.ID, map[string]any{"version": 2, "name": "Leeds"}), 404)
	do(t, "locations after deleting", get("/api/locations", ""), 200)

	var hygiene idOnly
	decode(t, do(t, "add course", send("POST", "/api/courses", map[string]any{"name": "Food Hygiene", "retakeMonths": 36, "seats": 10}), 201), &hygiene)
	do(t, "add course, unlimited", send("POST", "/api/courses", map[string]any{"name": "Allergen awareness"}), 201)
	do(t, "add course, name taken", send("POST", "/api/courses", map[string]any{"name": "food  hygiene"}), 409)
	do(t, "add course, negative seats", send("POST", "/api/courses", map[string]any{"name": "Forklift", "seats": -1}), 422)
	do(t, "list courses", get("/api/courses", "retired=include"), 200)
	do(t, "list courses, bad mode", get("/api/courses", "retired=all"), 422)
	do(t, "get course", get("/api/courses/"+hygiene.ID, ""), 200)
	do(t, "get an unknown course", get("/api/courses/nosuchcourse", ""), 404)
	do(t, "buy seats", send("PATCH", "/api/courses/"+hygiene.ID, map[string]any{"version": 1, "seats": 12}), 200)
	do(t, "edit course, stale version", send("PATCH", "/api/courses/"+hygiene.ID, map[string]any{"version": 1, "seats": 14}), 409)
	do(t, "retire course", send("PATCH", "/api/courses/"+hygiene.ID, map[string]any{"version": 2, "retired": true}), 200)
	do(t, "edit a retired course", send("PATCH", "/api/courses/"+hygiene.ID, map[string]any{"version": 3, "name": "Food Hygiene 2"}), 422)
	do(t, "restore course, unlimited", send("PATCH", "/api/courses/"+hygiene.ID, map[string]any{"version": 3, "retired": false, "seats": nil}), 200)
	do(t, "ledger", get("/api/courses/"+hygiene.ID+"/ledger", "limit=2"), 200)
	do(t, "ledger, bad cursor", get("/api/courses/"+hygiene.ID+"/ledger", "cursor=nope"), 400)

	// Assignments: a seat each, the shortage choice, bad input.
	var forklift idOnly
	decode(t, do(t, "add course, one seat", send("POST", "/api/courses", map[string]any{"name": "Forklift", "seats": 1}), 201), &forklift)
	const assign, unassign, setDue = "/api/users/actions/assign-courses", "/api/users/actions/unassign-courses", "/api/users/actions/set-due-date"
	do(t, "assign, short, none", send("POST", assign, map[string]any{"userIds": []string{grace.ID, alan.ID}, "courseIds": []string{forklift.ID}}), 409)
	do(t, "assign", send("POST", assign, map[string]any{"userIds": []string{grace.ID}, "courseIds": []string{forklift.ID, hygiene.ID}, "dueAt": "2031-01-31T17:00:00Z"}), 200)
	do(t, "assign, short, fit", send("POST", assign, map[string]any{"userIds": []string{alan.ID}, "courseIds": []string{forklift.ID}, "whenShort": "fit"}), 200)
	do(t, "assign twice", send("POST", assign, map[string]any{"userIds": []string{grace.ID}, "courseIds": []string{hygiene.ID}}), 200)
	do(t, "assign an unknown course", send("POST", assign, map[string]any{"userIds": []string{grace.ID}, "courseIds": []string{"nosuchcourse"}}), 422)
	do(t, "assign, due in the past", send("POST", assign, map[string]any{"userIds": []string{alan.ID}, "courseIds": []string{hygiene.ID}, "dueAt": "2020-01-01T00:00:00Z"}), 422)
	do(t, "assign, bad shortage choice", send("POST", assign, map[string]any{"userIds": []string{alan.ID}, "courseIds": []string{hygiene.ID}, "whenShort": "some"}), 422)
	do(t, "set due date", send("POST", setDue, map[string]any{"userIds": []string{grace.ID, alan.ID}, "courseIds": []string{forklift.ID}, "dueAt": "2031-02-28T17:00:00Z"}), 200)
	do(t, "set due date, missing", send("POST", setDue, map[string]any{"userIds": []string{grace.ID}, "courseIds": []string{forklift.ID}}), 422)
	do(t, "user with courses", get("/api/users/"+grace.ID, ""), 200)
	do(t, "assign to oneself", send("POST", assign, map[string]any{"userIds": []string{ownerID}, "courseIds": []string{hygiene.ID}, "dueAt": "2031-01-31T17:00:00Z"}), 200)
	do(t, "my training", get("/api/me/training", ""), 200)
	do(t, "my training, a parameter", get("/api/me/training", "limit=5"), 400)
	do(t, "start", send("POST", "/api/me/training/"+hygiene.ID+"/start", map[string]any{}), 200)
	do(t, "start again", send("POST", "/api/me/training/"+hygiene.ID+"/start", map[string]any{}), 200)
	do(t, "start, a field", send("POST", "/api/me/training/"+hygiene.ID+"/start", map[string]any{"at": "now"}), 400)
	do(t, "start a course not assigned", send("POST", "/api/me/training/"+forklift.ID+"/start", map[string]any{}), 404)
	do(t, "complete", send("POST", "/api/me/training/"+hygiene.ID+"/complete", map[string]any{}), 200)
	do(t, "complete again", send("POST", "/api/me/training/"+hygiene.ID+"/complete", map[string]any{}), 200)
	do(t, "complete a course not assigned", send("POST", "/api/me/training/nosuchcourse/complete", map[string]any{}), 404)
	do(t, "archive activity", send("POST", "/api/users/actions/archive-activity", map[string]any{"userIds": []string{grace.ID, alan.ID}, "courseIds": []string{hygiene.ID}}), 200)
	do(t, "unassign", send("POST", unassign, map[string]any{"userIds": []string{grace.ID, alan.ID}, "courseIds": []string{forklift.ID}}), 200)
	do(t, "course after unassigning", get("/api/courses/"+forklift.ID, ""), 200)

	// Training records: a course's, the organization's, a location's, bad filters.
	const records = "/api/training-records"
	do(t, "records of a course", get(records, "course="+hygiene.ID), 200)
	do(t, "records, archived activity", get(records, "status=activity_archived&limit=1"), 200)
	do(t, "records of a location, due by a date", get(records, "location="+harrogate.ID+"&dueTo=2031-12-31"), 200)
	do(t, "records of a deleted group", get(records, "group="+night.ID), 422)
	do(t, "records, bad status", get(records, "status=late"), 422)
	do(t, "records, bad date", get(records, "completedFrom=yesterday"), 422)
	do(t, "records, unknown course", get(records, "course=nosuchcourse"), 422)
	do(t, "records, bad cursor", get(records, "cursor=nope"), 400)

	// The audit log, which the stream writes: settle first, so that every
	// change so far has its entry.
	lambda.settle(t)
	plain.settle(t)
	type auditEntry struct {
		Action string `json:"action"`
		Target struct {
			ID   string  `json:"id"`
			Name *string `json:"name"`
		} `json:"target"`
		Changes []json.RawMessage `json:"changes"`
	}
	var auditPage struct {
		Items      []auditEntry `json:"items"`
		NextCursor *string      `json:"nextCursor"`
	}
	decode(t, do(t, "audit log", get("/api/audit", ""), 200), &auditPage)
	if len(auditPage.Items) == 0 {
		t.Fatal("audit log: no entries after settling")
	}
	decode(t, do(t, "audit log, first page", get("/api/audit", "limit=3"), 200), &auditPage)
	if auditPage.NextCursor == nil {
		t.Fatal("audit log, first page of 3: no nextCursor")
	}
	do(t, "audit log, next page", get("/api/audit", "limit=3&cursor="+url.QueryEscape(*auditPage.NextCursor)), 200)
	do(t, "audit log, a cursor of other filters", get("/api/audit", "action=user.updated&limit=3&cursor="+url.QueryEscape(*auditPage.NextCursor)), 400)
	do(t, "audit log, bad cursor", get("/api/audit", "cursor=bm90LWEtY3Vyc29y"), 400)
	do(t, "audit log, filtered", get("/api/audit", "action=user.archived&actor="+ownerID+"&from=2026-03-02&to=2026-03-02T09%3A30%3A00Z"), 200)
	do(t, "audit log, one user", get("/api/audit", "user="+grace.ID+"&limit=5"), 200)
	do(t, "audit log, unknown key", get("/api/audit", "sort=at"), 400)
	do(t, "audit log, repeated key", get("/api/audit", "action=user.archived&action=user.created"), 400)
	do(t, "audit log, limit too large", get("/api/audit", "limit=101"), 422)
	do(t, "audit log, limit 0", get("/api/audit", "limit=0"), 422)
	do(t, "audit log, not a time", get("/api/audit", "from=yesterday"), 422)
	do(t, "audit log, to before from", get("/api/audit", "from=2026-03-02&to=2026-03-01"), 422)
	decode(t, do(t, "user history", get("/api/users/"+grace.ID+"/audit", "limit=2"), 200), &auditPage)
	if auditPage.NextCursor == nil {
		t.Fatal("user history, first page of 2: no nextCursor")
	}
	do(t, "user history, next page", get("/api/users/"+grace.ID+"/audit", "limit=2&cursor="+url.QueryEscape(*auditPage.NextCursor)), 200)
	do(t, "user history, another user's cursor", get("/api/users/"+alan.ID+"/audit", "limit=2&cursor="+url.QueryEscape(*auditPage.NextCursor)), 400)
	do(t, "user history, bad cursor", get("/api/users/"+grace.ID+"/audit", "cursor=bm90LWEtY3Vyc29y"), 400)
	do(t, "user history, by actor and action", get("/api/users/"+grace.ID+"/audit", "actor="+ownerID+"&action=user.updated"), 200)
	do(t, "user history, the log's own filter", get("/api/users/"+grace.ID+"/audit", "user="+alan.ID), 400)
	do(t, "history of an unknown user", get("/api/users/nosuchuser/audit", ""), 200)

	// Jobs: none runs here (no filter is large enough); unknown ids are 404s.
	// Exports: queued here (no worker runs); shared/httpapi's TestAPI_Exports runs them.
	var export struct {
		ID string `json:"id"`
	}
	decode(t, do(t, "start an export", send("POST", "/api/exports", map[string]any{"kind": "users", "format": "xlsx", "filter": map[string]any{"archived": "include"}}), 202), &export)
	do(t, "an export's progress", get("/api/exports/"+export.ID, ""), 200)
	do(t, "an export, a parameter", get("/api/exports/"+export.ID, "x=1"), 400)
	do(t, "an export of nobody", send("POST", "/api/exports", map[string]any{"kind": "users", "format": "csv", "userIds": []string{}}), 422)
	do(t, "unknown export", get("/api/exports/nosuchexport", ""), 404)
	do(t, "recent jobs: none", get("/api/jobs", ""), 200)
	do(t, "recent jobs, a parameter", get("/api/jobs", "limit=5"), 400)
	do(t, "unknown job", get("/api/jobs/nosuchjob", ""), 404)
	do(t, "job id with a key separator", get("/api/jobs/"+url.PathEscape("a#b"), ""), 404)
	do(t, "unknown job's outcomes", get("/api/jobs/nosuchjob/outcomes", "result=skipped"), 404)
	do(t, "job outcomes, unknown result", get("/api/jobs/nosuchjob/outcomes", "result=maybe"), 422)
	do(t, "cancel an unknown job", send("POST", "/api/jobs/nosuchjob/cancel", map[string]any{}), 404)
	do(t, "cancel a job, a field", send("POST", "/api/jobs/nosuchjob/cancel", map[string]any{"force": true}), 400)

	// Imports: an upload with a bad row, validated and applied (no worker
	// runs here, so its job stays snapshotting).
	upload := []byte("First name,Last name,Email,Location\nIda,New,ida@acme.example,\nBad,Row,bad@acme.example,Atlantis\n")
	var started struct {
		Import struct {
			ID string `json:"id"`
		} `json:"import"`
	}
	do(t, "start an import, not a spreadsheet", send("POST", "/api/imports", map[string]any{"fileName": "team.exe", "size": 10}), 422)
	do(t, "start an import, too large", send("POST", "/api/imports", map[string]any{"fileName": "team.csv", "size": imports.MaxUploadBytes + 1}), 422)
	decode(t, do(t, "start an import", send("POST", "/api/imports", map[string]any{"fileName": "team.csv", "size": len(upload)}), 201), &started)
	imports := "/api/imports/" + started.Import.ID
	do(t, "validate before the file arrived", send("POST", imports+"/validate", map[string]any{"mode": "add"}), 422)
	uploadKey, err := roster.FileKey(orgID, "imports", started.Import.ID, "upload")
	must(t, err)
	for _, st := range []*stack{lambda, plain} {
		_, err := st.files.Create(context.Background(), orgID, uploadKey, "text/csv", func(w io.Writer) error { _, err := w.Write(upload); return err })
		must(t, err)
	}
	do(t, "an import", get(imports, ""), 200)
	do(t, "validate, unknown mode", send("POST", imports+"/validate", map[string]any{"mode": "merge"}), 422)
	do(t, "validate", send("POST", imports+"/validate", map[string]any{"mode": "add"}), 200)
	do(t, "the error report", get(imports+"/errors", ""), 200)
	counts := map[string]int{"rows": 2, "create": 1, "update": 0, "unchanged": 0, "deactivate": 0, "archive": 0, "errors": 1}
	do(t, "apply with an error", send("POST", imports+"/apply", map[string]any{"mode": "add", "expectedCounts": counts}), 422)
	do(t, "apply, other counts", send("POST", imports+"/apply", map[string]any{"mode": "add", "skipBadRows": true, "expectedCounts": map[string]int{"rows": 2}}), 409)
	do(t, "apply", send("POST", imports+"/apply", map[string]any{"mode": "add", "skipBadRows": true, "expectedCounts": counts}), 202)
	do(t, "apply again", send("POST", imports+"/apply", map[string]any{"mode": "add", "skipBadRows": true, "expectedCounts": counts}), 409)
	do(t, "results, before the job ran", get(imports+"/results", ""), 409)
	do(t, "validate while the job runs", send("POST", imports+"/validate", map[string]any{"mode": "add"}), 409)
	do(t, "unknown import", get("/api/imports/nosuchimport", ""), 404)
	do(t, "results of an unknown import", get("/api/imports/nosuchimport/results", ""), 404)
	do(t, "errors of an unknown import", get("/api/imports/nosuchimport/errors", ""), 404)

	// Deleting users: owners only, with the typed confirmation.
	const deleteUsers = "/api/users/actions/delete"
	do(t, "delete, no confirmation", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID}}), 422)
	do(t, "delete, wrong confirmation", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID, ada.ID}, "confirmation": "delete 1 user"}), 422)
	do(t, "delete, confirmation not a string", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID}, "confirmation": 1}), 400)
	do(t, "delete, a parameter of an action", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID}, "confirmation": "delete 1 user", "notify": true}), 400)
	do(t, "delete, no selection", send("POST", deleteUsers, map[string]any{"confirmation": "delete 1 user"}), 422)
	do(t, "delete by filter, count changed", send("POST", deleteUsers, map[string]any{"filter": map[string]string{"q": "turing"}, "expectedCount": 2, "confirmation": "delete 2 users"}), 409)

	// An administrator may do the rest, but not delete: sign in as Grace,
	// made an admin with a password of her own.
	const gracePassword = "amazing grace, how sweet the sound"
	do(t, "make Grace an admin", send("POST", setRole, map[string]any{"userIds": []string{grace.ID}, "role": "admin"}), 200)
	lambda.setPassword(t, grace.ID, gracePassword)
	plain.setPassword(t, grace.ID, gracePassword)
	do(t, "sign in as an admin", send("POST", "/api/auth/login", map[string]string{"org": orgSlug, "login": "grace.hopper@example.com", "password": gracePassword}), 200)
	do(t, "an admin reads the audit log", get("/api/audit", "limit=1"), 200)
	do(t, "an admin deletes", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID}, "confirmation": "delete 1 user"}), 403)
	do(t, "sign in as the owner again", send("POST", "/api/auth/login", login), 200)

	resp = do(t, "delete", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID, ownerID, alan.ID, "nosuchuser"}, "confirmation": "  Delete 3 USERS "}), 200)
	var deleted struct {
		Action                string `json:"action"`
		Done, Skipped, Failed int
	}
	decode(t, resp, &deleted)
	if deleted.Action != "delete" || deleted.Done != 1 || deleted.Skipped != 2 || deleted.Failed != 0 {
		t.Errorf("delete: %s, want action delete, 1 done and 2 skipped (the owner, an unknown id)", resp.body)
	}
	do(t, "deleted user", get("/api/users/"+alan.ID, ""), 404)
	do(t, "delete again", send("POST", deleteUsers, map[string]any{"userIds": []string{alan.ID}, "confirmation": "delete 1 user"}), 200)
	do(t, "user ID free again", send("POST", "/api/users", map[string]any{"firstName": "Alan", "lastName": "Turing", "userId": "AT1912"}), 201)

	// The stream leaves the deleted user's entries as tombstones: no field
	// changes, and no name.
	lambda.settle(t)
	plain.settle(t)
	decode(t, do(t, "deleted user's history", get("/api/users/"+alan.ID+"/audit", ""), 200), &auditPage)
	// (Not necessarily the newest entry: the clock is fixed, and entries of
	// one time are ordered by their ids.)
	if !slices.ContainsFunc(auditPage.Items, func(e auditEntry) bool { return e.Action == "user.deleted" }) || len(auditPage.Items) < 2 {
		t.Errorf("deleted user's history: %d entries, want several, one of them user.deleted", len(auditPage.Items))
	}
	for i, e := range auditPage.Items {
		if len(e.Changes) > 0 || e.Target.ID != alan.ID || e.Target.Name != nil {
			t.Errorf("deleted user's history, entry %d (%s): target %s named %v, %d changes; want no name and no changes", i, e.Action, e.Target.ID, e.Target.Name, len(e.Changes))
		}
	}
	do(t, "audit log after deleting", get("/api/audit", "action=user.deleted"), 200)

	// Accounts: a reset link asked for, checked, spent once; passwords;
	// sessions ended everywhere; what administrators do for a user.
	linkToken := func(t *testing.T, name, page string) string {
		t.Helper()
		got, want := lambda.mailbox.take(), plain.mailbox.take()
		if len(got) != 1 || len(want) != 1 || got[0].Text != want[0].Text {
			t.Fatalf("%s: emailed %d through Lambda, %d over HTTP, want the same one email", name, len(got), len(want))
		}
		_, token, ok := strings.Cut(want[0].Text, appURL+"/"+page+"#")
		if !ok {
			t.Fatalf("%s: the email holds no %s link:\n%s", name, page, want[0].Text)
		}
		return strings.Fields(token)[0]
	}
	do(t, "forgot password", send("POST", "/api/auth/password/forgot", map[string]string{"org": orgSlug, "login": "grace.hopper@example.com"}), 202)
	reset := linkToken(t, "forgot password", "reset-password")
	do(t, "forgot password, no such account", send("POST", "/api/auth/password/forgot", map[string]string{"org": orgSlug, "login": "nobody@example.com"}), 202)
	do(t, "check a link", send("POST", "/api/auth/links/check", map[string]string{"token": reset}), 200)
	do(t, "check a tampered link", send("POST", "/api/auth/links/check", map[string]string{"token": reset + "x"}), 404)
	do(t, "redeem, password too short", send("POST", "/api/auth/links/redeem", map[string]string{"token": reset, "password": "short"}), 422)
	const gracePassword2 = "a new password for grace"
	do(t, "redeem a link", send("POST", "/api/auth/links/redeem", map[string]string{"token": reset, "password": gracePassword2}), 200)
	do(t, "redeem it again", send("POST", "/api/auth/links/redeem", map[string]string{"token": reset, "password": gracePassword2}), 410)
	do(t, "change password, wrong current one", send("POST", "/api/me/password", map[string]string{"currentPassword": gracePassword, "newPassword": "yet another one"}), 422)
	do(t, "change password", send("POST", "/api/me/password", map[string]string{"currentPassword": gracePassword2, "newPassword": "yet another one"}), 200)
	do(t, "log out everywhere", send("POST", "/api/auth/logout-everywhere", nil), 204)
	do(t, "after logging out everywhere", get("/api/me", ""), 401)
	do(t, "sign in as the owner once more", send("POST", "/api/auth/login", login), 200)
	do(t, "send a reset link", send("POST", "/api/users/"+grace.ID+"/password-reset", nil), 202)
	linkToken(t, "send a reset link", "reset-password")
	do(t, "set a one-time password", send("POST", "/api/users/"+grace.ID+"/one-time-password", "{}"), 200)
	do(t, "set a one-time password, unknown field", send("POST", "/api/users/"+grace.ID+"/one-time-password", `{"password":"mine"}`), 400)
	// Registration: the link, turned on, opens the organization and adds a
	// pending learner; renewed, the old one no longer opens it.
	do(t, "registration, off", get("/api/organization/registration", ""), 200)
	var reg struct {
		Enabled bool   `json:"enabled"`
		URL     string `json:"url"`
	}
	decode(t, do(t, "registration on", send("PUT", "/api/organization/registration", map[string]any{"enabled": true}), 200), &reg)
	_, token, _ := strings.Cut(reg.URL, "#")
	do(t, "registration, renew without enabled", send("PUT", "/api/organization/registration", map[string]any{"enabled": false, "renew": true}), 422)
	do(t, "check registration", send("POST", "/api/auth/register/check", map[string]string{"token": token}), 200)
	do(t, "check a tampered registration", send("POST", "/api/auth/register/check", map[string]string{"token": token + "x"}), 404)
	do(t, "register", send("POST", "/api/auth/register", map[string]string{"token": token, "firstName": "Rita", "lastName": "Register", "email": "rita@example.com"}), 202)
	do(t, "register again", send("POST", "/api/auth/register", map[string]string{"token": token, "firstName": "Rita", "lastName": "Again", "email": "RITA@example.com"}), 202)
	do(t, "register, bad email", send("POST", "/api/auth/register", map[string]string{"token": token, "firstName": "Rita", "lastName": "Register", "email": "rita@"}), 422)
	do(t, "registration renewed", send("PUT", "/api/organization/registration", map[string]any{"enabled": true, "renew": true}), 200)
	do(t, "register with the old link", send("POST", "/api/auth/register", map[string]string{"token": token, "firstName": "Rob", "lastName": "Late", "email": "rob@example.com"}), 404)
	do(t, "registration", get("/api/organization/registration", ""), 200)

	// Another site may not change anything; APP_URL's origin may, though
	// the Host is API Gateway's in Lambda and the dev server's over HTTP.
	fromSite := func(origin string, req request) request {
		req.header.Set("Origin", origin)
		return req
	}
	do(t, "cross-origin", fromSite("https://evil.example", send("POST", "/api/groups", map[string]string{"name": "Cross"})), 403)
	crossSite := send("POST", "/api/auth/logout", nil)
	crossSite.header.Set("Sec-Fetch-Site", "cross-site")
	do(t, "cross-site sign out", crossSite, 403)
	do(t, "from the site", fromSite(appURL, send("POST", "/api/groups", map[string]string{"name": "From the site"})), 201)

	do(t, "sign out", send("POST", "/api/auth/logout", nil), 204)
	if _, ok := plain.cookies[httpapi.SessionCookie]; ok {
		t.Error("sign out did not clear the session cookie")
	}
	do(t, "after sign out", get("/api/me", ""), 401)

	for _, fn := range httpapi.Functions() {
		if !served[fn] {
			t.Errorf("function %s: no request reached it; add a step", fn)
		}
	}

	// Every function's policy in template.yaml allows what it did here, and
	// every function of the template is driven here or, for the job worker
	// and the reminders, by shared/stream's and shared/app's tests, and for
	// the export worker by shared/httpapi's TestAPI_Exports, which check
	// their policies the same way.
	iamcheck.CheckTemplate(t, rec, append(httpapi.Functions(), "stream")...)
	for fn := range iamcheck.TemplatePolicies(t) {
		if !slices.Contains(httpapi.Functions(), fn) && fn != "stream" && fn != "job-worker" && fn != "send-reminders" && fn != "export-worker" {
			t.Errorf("%s: a function of template.yaml that no test records the AWS calls of: serve it in a route or drive it with an iamcheck.Recorder", fn)
		}
	}
}
