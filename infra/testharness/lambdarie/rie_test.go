// Package lambdarie runs real function binaries the way Lambda runs them:
// built from functions/ with the deploy build's flags (infra/deploy/sam.mk,
// for this machine), each under AWS's Lambda Runtime Interface Emulator
// (aws-lambda-rie, the piece of `sam local` that runs a function), with the
// environment template.yaml gives it pointed at DynamoDB Local, moto and its
// S3, and driven with API Gateway HTTP API v2 events (the functions' testdata
// events among them) and DynamoDB stream events read from DynamoDB Local.
package lambdarie

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"

	"github.com/rosterhq/roster/infra/deploy/rie"
	"github.com/rosterhq/roster/infra/deploy/tabledef"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/functions"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// originSecret is what CloudFront would add; 48 letters and digits, as the
// template generates.
const originSecret = "RieTestOriginSecret0123456789abcdefghijklmnopqrs"

// moduleRoot returns the folder holding template.yaml and functions/.
func moduleRoot(tb testing.TB) string {
	tb.Helper()
	tpl, err := tabledef.FindTemplate()
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Dir(tpl)
}

// findRIE returns aws-lambda-rie, installed from the module proxy if missing.
func findRIE(tb testing.TB) string {
	tb.Helper()
	p, err := rie.Find()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// build compiles the functions' mains, as sam.mk does but for this machine,
// into dir/<name>.
func build(tb testing.TB, root, dir string, names []string) {
	tb.Helper()
	var pkgs []string
	for _, n := range names {
		pkgs = append(pkgs, "./functions/"+n)
	}
	if err := rie.Build(root, dir+string(os.PathSeparator), pkgs...); err != nil {
		tb.Fatal(err)
	}
}

// templateGlobals returns the names of the variables the template's Globals
// give every function.
func templateGlobals(tb testing.TB, root string) []string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Globals struct {
			Function struct {
				Environment struct {
					Variables map[string]yaml.Node `yaml:"Variables"`
				} `yaml:"Environment"`
			} `yaml:"Function"`
		} `yaml:"Globals"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		tb.Fatal(err)
	}
	var names []string
	for k := range doc.Globals.Function.Environment.Variables {
		names = append(names, k)
	}
	slices.Sort(names)
	if !slices.Contains(names, "TABLE_NAME") {
		tb.Fatalf("template.yaml's Globals give no TABLE_NAME: %q", names)
	}
	return names
}

// env is the local stand-in for what the template resolves at deploy time.
type env struct {
	table, dynamoEndpoint, sesEndpoint, bucket, filesEndpoint string
}

// functionEnv is the environment of one function: Lambda's own variables,
// every Globals variable of the template with its local value (the test
// fails on one it does not know), the function's own from shared/functions,
// and the endpoints of the local services.
func functionEnv(tb testing.TB, globals []string, e env, f functions.Function) []string {
	tb.Helper()
	local := map[string]string{
		"ROSTER_STACK":      "rie",
		"TABLE_NAME":        e.table,
		"LOG_LEVEL":         "INFO",
		"SES_SENDER":        testenv.Sender,
		"APP_URL":           "https://d1a2b3c4d5e6f7.cloudfront.net", // the origin of the sample events
		"ORIGIN_SECRET":     originSecret,
		"FILES_BUCKET":      e.bucket,
		"DAILY_EMAIL_QUOTA": "2000",
	}
	vars := map[string]string{}
	for _, g := range globals {
		v, ok := local[g]
		if !ok {
			tb.Fatalf("template.yaml's Globals set %s, which this test gives no local value: add it", g)
		}
		vars[g] = v
	}
	for _, v := range f.Env {
		if v.Value == functions.RefAppURL {
			vars[v.Name] = local["APP_URL"]
		} else {
			vars[v.Name] = v.Value
		}
	}
	if !f.HTTP() {
		vars["ORIGIN_SECRET"] = ""
	}
	vars["DYNAMODB_ENDPOINT"] = e.dynamoEndpoint
	vars["SES_ENDPOINT"] = e.sesEndpoint
	vars["FILES_ENDPOINT"] = e.filesEndpoint
	out := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"AWS_LAMBDA_FUNCTION_NAME=rie-" + functions.LogicalID(f.Name),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + fmt.Sprint(max(f.MemoryMB, 256)),
		"AWS_LAMBDA_FUNCTION_TIMEOUT=" + fmt.Sprint(max(f.TimeoutSeconds, 10)),
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
	}
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	return out
}

// lambda is one function running under the emulator.
type lambda struct {
	*rie.Function
}

// start runs bin under the emulator on free loopback ports until tb ends.
func start(tb testing.TB, emulator, bin string, environ []string, name string) *lambda {
	tb.Helper()
	f, err := rie.Start(emulator, bin, name, environ, "error")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(f.Stop)
	return &lambda{f}
}

// invoke sends event and decodes the function's answer into out.
func (l *lambda) invoke(tb testing.TB, event, out any) {
	tb.Helper()
	body, err := json.Marshal(event)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	status, data, err := l.Invoke(ctx, body)
	if err != nil {
		tb.Fatal(err)
	}
	if status != http.StatusOK {
		tb.Fatalf("%s: emulator answered %d: %s\n%s", l.Name, status, data, l.Logs.String())
	}
	if err := json.Unmarshal(data, out); err != nil {
		tb.Fatalf("%s: %v: %s\n%s", l.Name, err, data, l.Logs.String())
	}
}

// testdataEvent reads a function's sample event.
func testdataEvent(tb testing.TB, root, name string) events.APIGatewayV2HTTPRequest {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(root, "functions", name, "testdata", "event.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var e events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(data, &e); err != nil {
		tb.Fatal(err)
	}
	return e
}

// viaCloudFront is ev as it arrives through CloudFront: the origin secret
// and the viewer's address added, the session cookie given.
func viaCloudFront(ev events.APIGatewayV2HTTPRequest, cookies ...string) events.APIGatewayV2HTTPRequest {
	h := map[string]string{}
	for k, v := range ev.Headers {
		h[k] = v
	}
	h["x-roster-origin-secret"] = originSecret
	h["cloudfront-viewer-address"] = "203.0.113.42:51234"
	ev.Headers = h
	if cookies != nil {
		ev.Cookies = cookies
	}
	return ev
}

func header(resp events.APIGatewayV2HTTPResponse, name string) string {
	for k, v := range resp.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func TestFunctionsUnderTheEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds function binaries")
	}
	root := moduleRoot(t)
	emulator := findRIE(t)
	names := []string{"login", "list-users", "archive-users", "stream"}
	bin := t.TempDir()
	build(t, root, bin, names)

	table := testenv.DynamoDB(t)
	e := env{table: table.Name, dynamoEndpoint: table.Endpoint, sesEndpoint: testenv.SES(t), bucket: "rie-files"}
	globals := templateGlobals(t, root)
	run := map[string]*lambda{}
	for _, n := range names {
		f, ok := functions.ByName(n)
		if !ok {
			t.Fatalf("%s is not in shared/functions", n)
		}
		run[n] = start(t, emulator, filepath.Join(bin, n), functionEnv(t, globals, e, f), n)
	}

	store := dynamo.New(table.Client, table.Name)
	org := fixtures.NewOrg(t, store, "demo")
	u := rosterUser("Lee", "Learner", "lee@demo.example")
	learner := org.AddUser(t, store, &u, "")

	// Sign-in: the sample event as CloudFront sends it, with this org's password.
	login := viaCloudFront(testdataEvent(t, root, "login"))
	login.Body = fmt.Sprintf(`{"org":"demo","login":%q,"password":%q}`, org.Owner.Email, org.Password)
	var resp events.APIGatewayV2HTTPResponse
	run["login"].invoke(t, login, &resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login answered %d: %s\n%s", resp.StatusCode, resp.Body, run["login"].Logs.String())
	}
	var session string
	for _, c := range resp.Cookies {
		if strings.HasPrefix(c, "roster_session=") {
			session = strings.SplitN(c, ";", 2)[0]
			for _, attr := range []string{"HttpOnly", "Secure", "SameSite=Strict", "Path=/api"} {
				if !strings.Contains(c, attr) {
					t.Errorf("session cookie %q lacks %s", c, attr)
				}
			}
		}
	}
	if session == "" {
		t.Fatalf("login set no session cookie: %q", resp.Cookies)
	}
	if ct := header(resp, "Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("login Content-Type = %q", ct)
	}
	if !strings.Contains(resp.Body, org.Owner.ID) {
		t.Errorf("login body does not name the owner: %s", resp.Body)
	}

	// Without the origin secret (the execute-api address), refused.
	direct := testdataEvent(t, root, "login")
	direct.Body = login.Body
	run["login"].invoke(t, direct, &resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without the origin secret answered %d, want 403: %s", resp.StatusCode, resp.Body)
	}

	// A listing: the sample event, with this session and no filters.
	list := viaCloudFront(testdataEvent(t, root, "list-users"), session)
	list.RawQueryString, list.QueryStringParameters = "", nil
	run["list-users"].invoke(t, list, &resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list-users answered %d: %s", resp.StatusCode, resp.Body)
	}
	for _, want := range []string{org.Owner.ID, learner.ID} {
		if !strings.Contains(resp.Body, want) {
			t.Errorf("the listing lacks %s: %s", want, resp.Body)
		}
	}
	if cc := header(resp, "Cache-Control"); cc != "no-store" {
		t.Errorf("list-users Cache-Control = %q, want no-store", cc)
	}

	// An action on ids: archive the learner.
	archive := viaCloudFront(login, session)
	archive.RouteKey, archive.RawPath = "POST /api/users/actions/archive", "/api/users/actions/archive"
	archive.RequestContext.RouteKey, archive.RequestContext.HTTP.Path = archive.RouteKey, archive.RawPath
	archive.Body = fmt.Sprintf(`{"userIds":[%q]}`, learner.ID)
	run["archive-users"].invoke(t, archive, &resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("archive-users answered %d: %s\n%s", resp.StatusCode, resp.Body, run["archive-users"].Logs.String())
	}
	if !strings.Contains(resp.Body, `"changed":1`) && !strings.Contains(resp.Body, learner.ID) {
		t.Errorf("archive-users body: %s", resp.Body)
	}

	// The stream consumer: every record the above wrote, as Lambda's
	// DynamoDB event, through the emulator.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	delivered := 0
	poll := newPoller(table, func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		var out events.DynamoDBEventResponse
		run["stream"].invoke(t, ev, &out)
		delivered += len(ev.Records)
		return out, nil
	})
	if err := poll.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if delivered == 0 {
		t.Fatal("the stream consumer was given no record")
	}
	if strings.Contains(run["stream"].Logs.String(), `"level":"ERROR"`) {
		t.Errorf("the stream consumer logged an error:\n%s", run["stream"].Logs.String())
	}
}
