package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"

	"github.com/rosterhq/roster/shared/httpapi"
)

// streamFunctions are the template's functions outside the route table, by
// logical id: the consumers of the table's stream (side effects, and the
// background job worker).
var streamFunctions = map[string]string{
	"StreamFunction":       "stream",
	"JobWorkerFunction":    "job-worker",
	"ExportWorkerFunction": "export-worker",
}

// scheduledFunctions are the template's functions run on a schedule, by
// logical id.
var scheduledFunctions = map[string]string{
	"SendRemindersFunction": "send-reminders",
}

// logicalID returns the template's logical id of a function: list-users is
// ListUsersFunction.
func logicalID(function string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(function, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String() + "Function"
}

// repoRoot returns the module root, where template.yaml and functions/ are.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// parseTemplate reads a CloudFormation template with the yaml.v3 node API,
// which keeps short-form intrinsics (!Ref, !Sub, !GetAtt) as tags on nodes
// instead of failing on them.
func parseTemplate(tb testing.TB, data []byte) *yaml.Node {
	tb.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("parse template: %v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		tb.Fatal("parse template: not a YAML mapping")
	}
	return doc.Content[0]
}

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// path returns the node at the keys under n, or nil.
func path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = get(n, k)
	}
	return n
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// scalar returns n's value when n is a scalar without an intrinsic function
// tag (yaml.v3 tags plain scalars with YAML's own !!str, !!int...), "" otherwise.
func scalar(n *yaml.Node) string {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || (strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")) {
		return ""
	}
	return n.Value
}

// intrinsic returns the argument of a one-argument intrinsic function in either
// form: `!GetAtt A.B` or `Fn::GetAtt: [A, B]` (both as "A.B"), `!Ref X` or `Ref: X`.
func intrinsic(n *yaml.Node, name string) (string, bool) {
	n = deref(n)
	if n == nil {
		return "", false
	}
	short := "!" + strings.TrimPrefix(name, "Fn::")
	arg := n
	if n.Tag != short {
		if arg = get(n, name); arg == nil || len(n.Content) != 2 {
			return "", false
		}
	}
	switch arg.Kind {
	case yaml.ScalarNode:
		return arg.Value, true
	case yaml.SequenceNode:
		var parts []string
		for _, p := range arg.Content {
			parts = append(parts, p.Value)
		}
		return strings.Join(parts, "."), true
	}
	return "", false
}

// endpoint is one route as a template declares it.
type endpoint struct {
	Logical, Method, Path string
}

func (e endpoint) String() string { return e.Method + " " + e.Path + " on " + e.Logical }

// templateDiffs lists every way the functions and HTTP API events of tpl
// differ from routes, one readable line each; none means they agree.
func templateDiffs(tpl *yaml.Node, routes []httpapi.Route) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }

	wantFunctions := maps.Clone(streamFunctions) // logical id -> function
	maps.Copy(wantFunctions, scheduledFunctions)
	want := map[endpoint]bool{}
	for _, rt := range routes {
		wantFunctions[logicalID(rt.Function)] = rt.Function
		want[endpoint{logicalID(rt.Function), rt.Method, rt.Path}] = true
	}

	resources := get(tpl, "Resources")
	if resources == nil {
		return []string{"template has no Resources"}
	}
	got := map[endpoint]bool{}
	seenFunctions := map[string]bool{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		logical, res := resources.Content[i].Value, deref(resources.Content[i+1])
		if scalar(get(res, "Type")) != "AWS::Serverless::Function" {
			continue
		}
		seenFunctions[logical] = true
		if _, ok := wantFunctions[logical]; !ok {
			add("extra function %s: no route of the route table is served by it", logical)
		}
		if _, ok := streamFunctions[logical]; ok {
			diffs = append(diffs, streamDiffs(logical, res)...)
			continue
		}
		if _, ok := scheduledFunctions[logical]; ok {
			diffs = append(diffs, scheduleDiffs(logical, res)...)
			continue
		}
		evs := path(res, "Properties", "Events")
		if evs == nil || len(evs.Content) == 0 {
			add("function %s has no events", logical)
			continue
		}
		for j := 0; j+1 < len(evs.Content); j += 2 {
			name, ev := evs.Content[j].Value, deref(evs.Content[j+1])
			if typ := scalar(get(ev, "Type")); typ != "HttpApi" {
				add("event %s of %s has Type %q, want HttpApi", name, logical, typ)
				continue
			}
			if api, ok := intrinsic(path(ev, "Properties", "ApiId"), "Ref"); !ok || api != "HttpApi" {
				add("event %s of %s is not on the HttpApi resource (want ApiId: !Ref HttpApi): it would create an API of its own that CloudFront does not route to", name, logical)
			}
			e := endpoint{logical, scalar(path(ev, "Properties", "Method")), scalar(path(ev, "Properties", "Path"))}
			if got[e] {
				add("%s is declared twice", e)
			}
			got[e] = true
		}
	}

	for logical, function := range wantFunctions {
		if !seenFunctions[logical] {
			add("function %s: template.yaml has no %s", function, logical)
		}
	}
	for e := range want {
		if got[e] || !seenFunctions[e.Logical] {
			continue
		}
		elsewhere := ""
		for g := range got {
			if g.Method == e.Method && g.Path == e.Path {
				elsewhere = fmt.Sprintf(" (it is on %s)", g.Logical)
			}
		}
		add("route %s %s: missing from %s%s", e.Method, e.Path, e.Logical, elsewhere)
	}
	for e := range got {
		if !want[e] && wantFunctions[e.Logical] != "" {
			add("%s is not in the route table", e)
		}
	}
	slices.Sort(diffs)
	return diffs
}

// streamDiffs checks that a stream function is fed by the table's stream.
func streamDiffs(logical string, res *yaml.Node) []string {
	var diffs []string
	evs := path(res, "Properties", "Events")
	fed := false
	for j := 0; evs != nil && j+1 < len(evs.Content); j += 2 {
		name, ev := evs.Content[j].Value, deref(evs.Content[j+1])
		if typ := scalar(get(ev, "Type")); typ != "DynamoDB" {
			diffs = append(diffs, fmt.Sprintf("event %s of %s has Type %q, want DynamoDB", name, logical, typ))
			continue
		}
		if arn, ok := intrinsic(path(ev, "Properties", "Stream"), "Fn::GetAtt"); !ok || arn != "RosterTable.StreamArn" {
			diffs = append(diffs, fmt.Sprintf("event %s of %s does not read !GetAtt RosterTable.StreamArn", name, logical))
			continue
		}
		fed = true
	}
	if !fed {
		diffs = append(diffs, fmt.Sprintf("%s has no DynamoDB event on RosterTable's stream", logical))
	}
	return diffs
}

// scheduleDiffs checks that a scheduled function has a schedule and
// nothing else invokes it.
func scheduleDiffs(logical string, res *yaml.Node) []string {
	var diffs []string
	evs := path(res, "Properties", "Events")
	scheduled := false
	for j := 0; evs != nil && j+1 < len(evs.Content); j += 2 {
		name, ev := evs.Content[j].Value, deref(evs.Content[j+1])
		switch typ := scalar(get(ev, "Type")); typ {
		case "Schedule", "ScheduleV2":
			expr := scalar(path(ev, "Properties", "Schedule")) + scalar(path(ev, "Properties", "ScheduleExpression"))
			if !strings.HasPrefix(expr, "cron(") && !strings.HasPrefix(expr, "rate(") {
				diffs = append(diffs, fmt.Sprintf("event %s of %s has no cron() or rate() schedule", name, logical))
				continue
			}
			scheduled = true
		default:
			diffs = append(diffs, fmt.Sprintf("event %s of %s has Type %q, want Schedule or ScheduleV2", name, logical, typ))
		}
	}
	if !scheduled {
		diffs = append(diffs, fmt.Sprintf("%s has no schedule", logical))
	}
	return diffs
}

func readTemplate(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(tb), "template.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestTemplate_MatchesRouteTable(t *testing.T) {
	if diffs := templateDiffs(parseTemplate(t, readTemplate(t)), httpapi.Routes); len(diffs) > 0 {
		t.Errorf("template.yaml and httpapi.Routes differ:\n  %s", strings.Join(diffs, "\n  "))
	}
}

// TestTemplateDiffs_Catches checks the check: each change to the real
// template must be reported.
func TestTemplateDiffs_Catches(t *testing.T) {
	orig := string(readTemplate(t))
	replace := func(t *testing.T, pairs ...string) string {
		t.Helper()
		s := orig
		for i := 0; i+1 < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("template.yaml no longer holds %q: update this test", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
	tests := []struct {
		name     string
		template func(t *testing.T) string
		want     string
	}{
		{
			name: "function missing",
			template: func(t *testing.T) string {
				return replace(t, "\n  GetUserFunction:\n", "\n  GetUserFunctionRenamed:\n")
			},
			want: "function get-user: template.yaml has no GetUserFunction",
		},
		{
			name: "extra function",
			template: func(t *testing.T) string {
				return replace(t, "\n  GetUserFunction:\n", "\n  GetUserFunctionRenamed:\n")
			},
			want: "extra function GetUserFunctionRenamed",
		},
		{
			name: "routes swapped between functions",
			template: func(t *testing.T) string {
				return replace(t,
					"Path: /api/groups\n", "Path: /swapped\n",
					"Path: /api/locations\n", "Path: /api/groups\n",
					"Path: /swapped\n", "Path: /api/locations\n")
			},
			want: "route GET /api/groups: missing from ListGroupsFunction (it is on ListLocationsFunction)",
		},
		{
			name: "wrong method",
			template: func(t *testing.T) string {
				return replace(t, "Method: PATCH\n            Path: /api/users/{id}\n", "Method: PUT\n            Path: /api/users/{id}\n")
			},
			want: "PUT /api/users/{id} on UpdateUserFunction is not in the route table",
		},
		{
			name: "wrong path",
			template: func(t *testing.T) string {
				return replace(t, "Path: /api/users/actions/archive\n", "Path: /api/users/archive\n")
			},
			want: "route POST /api/users/actions/archive: missing from ArchiveUsersFunction",
		},
		{
			name: "REST API event",
			template: func(t *testing.T) string {
				return replace(t, "          Type: HttpApi\n          Properties:\n            ApiId: !Ref HttpApi\n            Method: GET\n            Path: /api/me\n",
					"          Type: Api\n          Properties:\n            Method: GET\n            Path: /api/me\n")
			},
			want: `event Api of MeFunction has Type "Api", want HttpApi`,
		},
		{
			name: "implicit API",
			template: func(t *testing.T) string {
				return replace(t, "            ApiId: !Ref HttpApi\n            Method: GET\n            Path: /api/me\n", "            Method: GET\n            Path: /api/me\n")
			},
			want: "event Api of MeFunction is not on the HttpApi resource",
		},
		{
			name: "reminders without a schedule",
			template: func(t *testing.T) string {
				return replace(t, "          Type: Schedule\n          Properties:\n            Schedule: cron(0 7 * * ? *)\n",
					"          Type: Schedule\n          Properties:\n            Schedule: daily\n")
			},
			want: "event Daily of SendRemindersFunction has no cron() or rate() schedule",
		},
		{
			name: "stream consumer on another stream",
			template: func(t *testing.T) string {
				return replace(t, "Stream: !GetAtt RosterTable.StreamArn", "Stream: !GetAtt OtherTable.StreamArn")
			},
			want: "event Stream of StreamFunction does not read !GetAtt RosterTable.StreamArn",
		},
		{
			name:     "stream consumer missing",
			template: func(t *testing.T) string { return replace(t, "\n  StreamFunction:\n", "\n  Consumer:\n") },
			want:     "function stream: template.yaml has no StreamFunction",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diffs := templateDiffs(parseTemplate(t, []byte(tt.template(t))), httpapi.Routes)
			if !slices.ContainsFunc(diffs, func(d string) bool { return strings.Contains(d, tt.want) }) {
				t.Errorf("diffs = %q, want one containing %q", diffs, tt.want)
			}
		})
	}
	t.Run("long-form intrinsics", func(t *testing.T) {
		long := strings.ReplaceAll(orig, "ApiId: !Ref HttpApi", "ApiId: {Ref: HttpApi}")
		long = strings.ReplaceAll(long, "Stream: !GetAtt RosterTable.StreamArn", `Stream: {"Fn::GetAtt": [RosterTable, StreamArn]}`)
		if diffs := templateDiffs(parseTemplate(t, []byte(long)), httpapi.Routes); len(diffs) > 0 {
			t.Errorf("diffs = %q, want none", diffs)
		}
	})
}

// TestFunctions_Folders checks that every function of the template has its
// folder, a main package, a sample event for `sam local invoke` that fits its
// route, and a build target in infra/deploy/sam.mk; and that functions/ holds
// nothing else.
func TestFunctions_Folders(t *testing.T) {
	root := repoRoot(t)
	functions := append(httpapi.Functions(), slices.Sorted(maps.Values(streamFunctions))...)
	functions = append(functions, slices.Sorted(maps.Values(scheduledFunctions))...)

	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(functions, e.Name()) {
			t.Errorf("functions/%s: no such function in the route table", e.Name())
		}
	}

	mk, err := os.ReadFile(filepath.Join(root, "infra", "deploy", "sam.mk"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range functions {
		t.Run(fn, func(t *testing.T) {
			dir := filepath.Join(root, "functions", fn)
			if _, err := os.Stat(filepath.Join(dir, "main.go")); err != nil {
				t.Errorf("functions/%s/main.go: %v", fn, err)
			}
			target := regexp.MustCompile(`(?m)^build-` + logicalID(fn) + `:.*\(call sam_go_build,` + regexp.QuoteMeta(fn) + `\)$`)
			if !target.Match(mk) {
				t.Errorf("infra/deploy/sam.mk: no target build-%s building ./functions/%s", logicalID(fn), fn)
			}
			data, err := os.ReadFile(filepath.Join(dir, "testdata", "event.json"))
			if err != nil {
				t.Fatalf("sample event: %v", err)
			}
			if slices.Contains(slices.Collect(maps.Values(streamFunctions)), fn) {
				checkStreamEvent(t, data)
				return
			}
			if slices.Contains(slices.Collect(maps.Values(scheduledFunctions)), fn) {
				checkScheduleEvent(t, data)
				return
			}
			checkAPIEvent(t, fn, data)
		})
	}
}

// decodeStrict decodes a sample event, refusing fields the Go event type
// does not have (a REST API or misspelled field would pass unnoticed otherwise).
func decodeStrict(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("testdata/event.json: %v", err)
	}
}

func checkAPIEvent(t *testing.T, fn string, data []byte) {
	t.Helper()
	var ev events.APIGatewayV2HTTPRequest
	decodeStrict(t, data, &ev)
	var routes []httpapi.Route
	for _, rt := range httpapi.Routes {
		if rt.Function == fn && rt.Pattern() == ev.RouteKey {
			routes = append(routes, rt)
		}
	}
	if len(routes) != 1 {
		t.Fatalf("routeKey %q is not a route of %s", ev.RouteKey, fn)
	}
	rt := routes[0]
	if ev.Version != "2.0" {
		t.Errorf("version = %q, want 2.0 (HTTP API payload format 2.0)", ev.Version)
	}
	rc := ev.RequestContext
	if rc.RouteKey != ev.RouteKey || rc.Stage != "$default" || rc.HTTP.Method != rt.Method || rc.HTTP.Path != ev.RawPath || rc.RequestID == "" {
		t.Errorf("requestContext = {routeKey %q, stage %q, http.method %q, http.path %q, requestId %q}, want {%q, $default, %q, %q, not empty}",
			rc.RouteKey, rc.Stage, rc.HTTP.Method, rc.HTTP.Path, rc.RequestID, ev.RouteKey, rt.Method, ev.RawPath)
	}
	// The route's own net/http pattern must match the event's path.
	mux := http.NewServeMux()
	mux.Handle(rt.Pattern(), http.NotFoundHandler())
	req, err := http.NewRequest(rt.Method, ev.RawPath+"?"+ev.RawQueryString, nil)
	if err != nil {
		t.Fatalf("rawPath %q: %v", ev.RawPath, err)
	}
	if _, pattern := mux.Handler(req); pattern != rt.Pattern() {
		t.Errorf("rawPath %q does not match %s", ev.RawPath, rt.Pattern())
	}
	hasSession := slices.ContainsFunc(ev.Cookies, func(c string) bool { return strings.HasPrefix(c, httpapi.SessionCookie+"=") })
	if rt.Access != httpapi.Public && !hasSession {
		t.Errorf("cookies = %q, want a %s cookie: the route needs a session", ev.Cookies, httpapi.SessionCookie)
	}
	if rt.Method == http.MethodPost || rt.Method == http.MethodPatch {
		if ev.Body != "" && !json.Valid([]byte(ev.Body)) {
			t.Errorf("body %q is not JSON", ev.Body)
		}
		if ev.Body == "" && fn != "logout" {
			t.Errorf("no body for %s", rt.Pattern())
		}
	}
}

// checkScheduleEvent checks a scheduled function's sample: EventBridge's
// Scheduled Event.
func checkScheduleEvent(t *testing.T, data []byte) {
	t.Helper()
	var ev events.EventBridgeEvent
	decodeStrict(t, data, &ev)
	if ev.Source != "aws.events" || ev.DetailType != "Scheduled Event" || ev.Time.IsZero() {
		t.Errorf("source %q, detail-type %q, time %v; want aws.events, Scheduled Event, a time", ev.Source, ev.DetailType, ev.Time)
	}
}

func checkStreamEvent(t *testing.T, data []byte) {
	t.Helper()
	var ev events.DynamoDBEvent
	decodeStrict(t, data, &ev)
	if len(ev.Records) == 0 {
		t.Fatal("no records")
	}
	for i, r := range ev.Records {
		c := r.Change
		if r.EventSource != "aws:dynamodb" || c.StreamViewType != "NEW_AND_OLD_IMAGES" || c.SequenceNumber == "" {
			t.Errorf("record %d: eventSource %q, StreamViewType %q, SequenceNumber %q; want aws:dynamodb, NEW_AND_OLD_IMAGES, a sequence number",
				i, r.EventSource, c.StreamViewType, c.SequenceNumber)
		}
		if _, ok := c.Keys["PK"]; !ok {
			t.Errorf("record %d: no PK in Keys", i)
		}
		if _, ok := c.Keys["SK"]; !ok {
			t.Errorf("record %d: no SK in Keys", i)
		}
	}
}
