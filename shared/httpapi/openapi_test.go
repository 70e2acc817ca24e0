package httpapi

// An internal test, so that the JSON types of dto.go can be held against the
// schemas that document them.

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	roster "github.com/rosterhq/roster/shared"
)

// openAPIMethods are the operation keys of an OpenAPI path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadOpenAPI parses api/openapi.yaml from the module root.
func loadOpenAPI(t *testing.T) *yaml.Node {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = filepath.Dir(dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("api/openapi.yaml: %v", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		t.Fatal("api/openapi.yaml: not a YAML mapping")
	}
	return doc.Content[0]
}

// field returns the value of key in mapping n, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// pairs calls fn for each key and value of mapping n, in order.
func pairs(n *yaml.Node, fn func(key string, value *yaml.Node)) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, n.Content[i+1])
	}
}

// resolve follows a local $ref ("#/components/schemas/User") to its node.
func resolve(t *testing.T, root, n *yaml.Node) *yaml.Node {
	t.Helper()
	for seen := 0; n != nil; seen++ {
		ref := field(n, "$ref")
		if ref == nil {
			return n
		}
		if seen > 10 || !strings.HasPrefix(ref.Value, "#/") {
			t.Fatalf("$ref %q: not a local reference, or a loop", ref.Value)
		}
		target := root
		for _, key := range strings.Split(strings.TrimPrefix(ref.Value, "#/"), "/") {
			target = field(target, strings.ReplaceAll(strings.ReplaceAll(key, "~1", "/"), "~0", "~"))
		}
		if target == nil {
			t.Fatalf("$ref %q points at nothing", ref.Value)
		}
		n = target
	}
	return n
}

type operation struct{ method, path, id string }

func TestOpenAPI_MatchesRouteTable(t *testing.T) {
	root := loadOpenAPI(t)
	if v := field(root, "openapi"); v == nil || !strings.HasPrefix(v.Value, "3.1.") {
		t.Errorf("openapi = %v, want 3.1.x", v)
	}
	var got []operation
	pairs(field(root, "paths"), func(path string, item *yaml.Node) {
		pairs(item, func(key string, op *yaml.Node) {
			if slices.Contains(openAPIMethods, key) {
				id := ""
				if v := field(op, "operationId"); v != nil {
					id = v.Value
				}
				got = append(got, operation{strings.ToUpper(key), path, id})
			}
		})
	})
	var want []operation
	for _, rt := range Routes {
		want = append(want, operation{rt.Method, rt.Path, rt.Function})
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("route %s %s (function %s): no operation with that method, path and operationId in api/openapi.yaml", w.method, w.path, w.id)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("api/openapi.yaml: %s %s (operationId %q) is not a route of httpapi.Routes", g.method, g.path, g.id)
		}
	}
}

// TestOpenAPI_Operations checks what each documented operation says against
// its route: path parameters, who may call it, and its error statuses.
func TestOpenAPI_Operations(t *testing.T) {
	root := loadOpenAPI(t)
	pathParam := regexp.MustCompile(`\{([^}]+)\}`)
	for _, rt := range Routes {
		t.Run(rt.Function, func(t *testing.T) {
			item := field(field(root, "paths"), rt.Path)
			op := field(item, strings.ToLower(rt.Method))
			if op == nil {
				t.Skip("not documented: reported by TestOpenAPI_MatchesRouteTable")
			}
			declared := map[string]bool{}
			for _, list := range []*yaml.Node{field(item, "parameters"), field(op, "parameters")} {
				for _, p := range listItems(list) {
					p = resolve(t, root, p)
					if in := field(p, "in"); in != nil && in.Value == "path" {
						declared[field(p, "name").Value] = true
					}
				}
			}
			for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
				if !declared[m[1]] {
					t.Errorf("path parameter %q is not declared", m[1])
				}
			}

			// An operation without its own security uses the document's,
			// which requires the session; `- {}` makes it optional.
			anonymous := false
			if sec := field(op, "security"); sec != nil {
				anonymous = len(sec.Content) == 0 || slices.ContainsFunc(sec.Content, func(n *yaml.Node) bool { return len(n.Content) == 0 })
			}
			if public := rt.Access == Public; anonymous != public {
				t.Errorf("callable without a session = %v in api/openapi.yaml, want %v: the route is %s", anonymous, public, accessNames[rt.Access])
			}

			responses := field(op, "responses")
			has := func(status string) bool { return field(responses, status) != nil }
			var want []string
			if rt.Access != Public {
				want = append(want, "401")
			}
			if rt.Access == Admin || rt.Access == Owner {
				want = append(want, "403")
			}
			if strings.Contains(rt.Path, "{") {
				want = append(want, "404")
			}
			if (rt.Method == "POST" || rt.Method == "PATCH") && rt.Function != "logout" {
				want = append(want, "400", "413", "422") // every JSON body
			}
			for _, status := range want {
				if !has(status) {
					t.Errorf("no %s response", status)
				}
			}
		})
	}
}

var accessNames = map[Access]string{Public: "Public", Member: "Member", Admin: "Admin", Owner: "Owner"}

func listItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// TestOpenAPI_SchemasMatchJSONTypes holds each schema against the Go type
// that encodes or decodes it: the same properties, and for responses, every
// field that is always sent is required.
func TestOpenAPI_SchemasMatchJSONTypes(t *testing.T) {
	root := loadOpenAPI(t)
	schemas := field(field(root, "components"), "schemas")
	tests := []struct {
		schema   *yaml.Node
		name     string
		typ      any
		response bool
	}{
		{field(schemas, "User"), "User", userJSON{}, true},
		{field(schemas, "Me"), "Me", meJSON{}, true},
		{field(schemas, "Organization"), "Organization", organizationJSON{}, true},
		{field(schemas, "OrganizationSummary"), "OrganizationSummary", organizationSummaryJSON{}, true},
		{field(schemas, "UserPage"), "UserPage", userPageJSON{}, true},
		{field(schemas, "Named"), "Named", namedJSON{}, true},
		{field(schemas, "ActionResult"), "ActionResult", actionResultJSON{}, true},
		{field(schemas, "Error"), "Error", errorBody{}, true},
		{field(schemas, "LoginRequest"), "LoginRequest", loginRequest{}, false},
		{field(schemas, "TokenRequest"), "TokenRequest", tokenRequest{}, false},
		{field(schemas, "RedeemLinkRequest"), "RedeemLinkRequest", redeemLinkRequest{}, false},
		{field(schemas, "LinkInfo"), "LinkInfo", linkJSON{}, true},
		{field(schemas, "ForgotPasswordRequest"), "ForgotPasswordRequest", forgotPasswordRequest{}, false},
		{field(schemas, "ChangePasswordRequest"), "ChangePasswordRequest", changePasswordRequest{}, false},
		{field(schemas, "OneTimePassword"), "OneTimePassword", oneTimePasswordJSON{}, true},
		{field(schemas, "Empty"), "Empty", emptyJSON{}, true},
		{field(schemas, "Registration"), "Registration", registrationJSON{}, true},
		{field(schemas, "SetRegistrationRequest"), "SetRegistrationRequest", setRegistrationRequest{}, false},
		{field(schemas, "TokenRequest"), "TokenRequest", tokenRequest{}, false},
		{field(schemas, "RegistrationCheck"), "RegistrationCheck", registrationCheckJSON{}, true},
		{field(schemas, "RegisterRequest"), "RegisterRequest", registerRequest{}, false},
		{field(schemas, "NewUser"), "NewUser", createUserRequest{}, false},
		{field(schemas, "Filter"), "Filter", filterJSON{}, false},
		{field(field(field(field(field(field(root, "components"), "requestBodies"), "Name"), "content"), "application/json"), "schema"), "Name request", nameRequest{}, false},
		{field(field(field(field(field(field(root, "components"), "requestBodies"), "Rename"), "content"), "application/json"), "schema"), "Rename request", renameRequest{}, false},
		{field(schemas, "Deleted"), "Deleted", deletedJSON{}, true},
		{field(schemas, "AuditPage"), "AuditPage", auditPageJSON{}, true},
		{field(schemas, "AuditEntry"), "AuditEntry", auditEntryJSON{}, true},
		{field(schemas, "Person"), "Person", personJSON{}, true},
		{field(schemas, "FieldChange"), "FieldChange", fieldChangeJSON{}, true},
		{field(schemas, "Course"), "Course", courseJSON{}, true},
		{field(schemas, "NewCourse"), "NewCourse", createCourseRequest{}, false},
		{field(schemas, "LedgerPage"), "LedgerPage", ledgerPageJSON{}, true},
		{field(schemas, "TrainingRecordPage"), "TrainingRecordPage", recordPageJSON{}, true},
		{field(schemas, "LedgerEntry"), "LedgerEntry", ledgerEntryJSON{}, true},
		{field(schemas, "Job"), "Job", jobJSON{}, true},
		{field(schemas, "JobStarted"), "JobStarted", jobStartedJSON{}, true},
		{field(schemas, "JobList"), "JobList", listJSON[jobJSON]{}, true},
		{field(schemas, "JobOutcomePage"), "JobOutcomePage", jobOutcomePageJSON{}, true},
		{field(schemas, "JobOutcome"), "JobOutcome", jobOutcomeJSON{}, true},
		{field(schemas, "ExportRequest"), "ExportRequest", startExportJSON{}, false},
		{field(schemas, "Export"), "Export", exportJSON{}, true},
		{field(schemas, "Download"), "Download", downloadJSON{}, true},
		{field(schemas, "Import"), "Import", importJSON{}, true},
		{field(schemas, "ImportStarted"), "ImportStarted", importStartedJSON{}, true},
		{field(schemas, "ImportApplied"), "ImportApplied", importAppliedJSON{}, true},
		{field(schemas, "ImportCounts"), "ImportCounts", importCountsJSON{}, true},
		{field(schemas, "ImportResults"), "ImportResults", importResultsJSON{}, true},
		{field(schemas, "FileLink"), "FileLink", fileLinkJSON{}, true},
		{field(schemas, "StartImportRequest"), "StartImportRequest", startImportRequest{}, false},
		{field(schemas, "ValidateImportRequest"), "ValidateImportRequest", validateImportRequest{}, false},
		{field(schemas, "ApplyImportRequest"), "ApplyImportRequest", applyImportRequest{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.schema == nil {
				t.Fatalf("api/openapi.yaml has no schema %s", tt.name)
			}
			compareSchema(t, root, tt.schema, reflect.TypeOf(tt.typ), tt.name, tt.response)
		})
	}
}

// compareSchema compares the object schema s with the struct type typ, and
// the object schemas nested in it with the structs nested in typ.
func compareSchema(t *testing.T, root, s *yaml.Node, typ reflect.Type, where string, response bool) {
	t.Helper()
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
		if s = resolve(t, root, s); field(s, "items") != nil {
			s = field(s, "items")
		}
	}
	s = nonNull(t, root, s)
	if typ.Kind() != reflect.Struct || typ == reflect.TypeFor[time.Time]() {
		return
	}
	props, required := schemaProperties(t, root, s)
	fields := jsonFields(typ)
	for name, f := range fields {
		p, ok := props[name]
		if !ok {
			t.Errorf("%s: the JSON has %q, the schema does not", where, name)
			continue
		}
		if response && !f.omitempty && !required[name] {
			t.Errorf("%s: %q is always sent, but the schema does not require it", where, name)
		}
		compareSchema(t, root, p, f.typ, where+"."+name, response)
	}
	for name := range props {
		if _, ok := fields[name]; !ok {
			t.Errorf("%s: the schema has %q, the JSON does not", where, name)
		}
	}
}

// nonNull returns the schema a nullable schema allows besides null: the one
// other alternative of `anyOf: [X, {type: "null"}]` (or oneOf), the way
// OpenAPI 3.1 makes a $ref nullable. Other schemas are returned as they are.
func nonNull(t *testing.T, root, s *yaml.Node) *yaml.Node {
	t.Helper()
	s = resolve(t, root, s)
	for _, key := range []string{"anyOf", "oneOf"} {
		alts := listItems(field(s, key))
		var other []*yaml.Node
		null := false
		for _, alt := range alts {
			if typ := field(alt, "type"); typ != nil && typ.Value == "null" {
				null = true
			} else {
				other = append(other, alt)
			}
		}
		if null && len(other) == 1 {
			return resolve(t, root, other[0])
		}
	}
	return s
}

// schemaProperties returns an object schema's properties and required names,
// merging the parts of an allOf.
func schemaProperties(t *testing.T, root, s *yaml.Node) (map[string]*yaml.Node, map[string]bool) {
	t.Helper()
	s = resolve(t, root, s)
	props, required := map[string]*yaml.Node{}, map[string]bool{}
	for _, part := range listItems(field(s, "allOf")) {
		p, r := schemaProperties(t, root, part)
		for k, v := range p {
			props[k] = v
		}
		for k := range r {
			required[k] = true
		}
	}
	pairs(field(s, "properties"), func(name string, v *yaml.Node) { props[name] = v })
	for _, r := range listItems(field(s, "required")) {
		required[r.Value] = true
	}
	return props, required
}

type jsonField struct {
	typ       reflect.Type
	omitempty bool
}

// jsonFields returns the JSON names of typ's fields as encoding/json sees
// them, with embedded structs' fields in place.
func jsonFields(typ reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for f := range typ.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonField{typ: f.Type, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty")}
	}
	return out
}

// actionPathPrefix is where the route table puts each action's route:
// /api/users/actions/<action>.
const actionPathPrefix = "/api/users/actions/"

// selectionFields are the fields of every action's body that choose the users.
var selectionFields = []string{"userIds", "filter", "expectedCount"}

// deleteParams is what deleteUsers reads besides the selection, as
// actionParams says it for the other actions: deleting is no action of the
// state machine, so it has a handler and no entry in actionParams.
var deleteParams = map[string]bool{"confirmation": true}

// bodyParams returns the parameters the route of action reads besides the
// selection: actionParams', or deleteParams for delete.
func bodyParams(action roster.Action) (map[string]bool, bool) {
	if action == roster.ActionDelete {
		return deleteParams, true
	}
	params, ok := actionParams[action]
	return params, ok
}

// TestOpenAPI_ActionBodies holds each action route's request body schema
// against what runAction reads: the selection and exactly the parameters
// actionParams lists for that action, the required ones required, and no
// other field. Delete's route is held against deleteParams. The schemas are written out per action (additionalProperties
// cannot see the properties of an allOf part), so this is what keeps them
// in step with actionParams.
func TestOpenAPI_ActionBodies(t *testing.T) {
	root := loadOpenAPI(t)
	routed := map[roster.Action]bool{}
	for _, rt := range Routes {
		name, ok := strings.CutPrefix(rt.Path, actionPathPrefix)
		if !ok {
			continue
		}
		action := roster.Action(name)
		routed[action] = true
		t.Run(rt.Function, func(t *testing.T) {
			params, ok := bodyParams(action)
			if !ok {
				t.Fatalf("%s: actionParams has no action %q", rt.Pattern(), action)
			}
			for _, d := range actionBodyDiffs(t, root, rt, params) {
				t.Error(d)
			}
		})
	}
	for _, a := range append(slices.Clone(roster.Actions), roster.ActionDelete) {
		if !routed[a] {
			t.Errorf("action %q: no route %s%s in the route table", a, actionPathPrefix, a)
		}
	}
	for a := range actionParams {
		if !slices.Contains(roster.Actions, a) {
			t.Errorf("actionParams lists %q, which is not one of roster.Actions", a)
		}
	}
}

// actionBodyDiffs lists every way the request body schema of the action
// route rt differs from the selection plus params (name -> required).
func actionBodyDiffs(t *testing.T, root *yaml.Node, rt Route, params map[string]bool) []string {
	t.Helper()
	op := field(field(field(root, "paths"), rt.Path), strings.ToLower(rt.Method))
	if op == nil {
		return []string{"not documented in api/openapi.yaml"}
	}
	body := resolve(t, root, field(op, "requestBody"))
	if req := field(body, "required"); req == nil || req.Value != "true" {
		return []string{"the request body is not required"}
	}
	schema := field(field(field(body, "content"), "application/json"), "schema")
	if schema == nil {
		return []string{"no application/json request body schema"}
	}
	props, required := schemaProperties(t, root, schema)
	want, wantRequired := slices.Clone(selectionFields), []string{}
	for name, req := range params {
		want = append(want, name)
		if req {
			wantRequired = append(wantRequired, name)
		}
	}
	got, gotRequired := slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(required))
	slices.Sort(want)
	slices.Sort(wantRequired)
	var diffs []string
	if !slices.Equal(got, want) {
		diffs = append(diffs, fmt.Sprintf("request body properties %q, want %q: the selection and the action's parameters in actionParams", got, want))
	}
	if !slices.Equal(gotRequired, wantRequired) {
		diffs = append(diffs, fmt.Sprintf("request body requires %q, want %q: the parameters actionParams marks required", gotRequired, wantRequired))
	}
	s := resolve(t, root, schema)
	if ap := field(s, "additionalProperties"); ap == nil || ap.Value != "false" {
		diffs = append(diffs, "request body schema lacks additionalProperties: false (runAction refuses unknown fields)")
	}
	// Either userIds, or a filter with expectedCount.
	var choices []string
	for _, alt := range listItems(field(s, "oneOf")) {
		var names []string
		for _, n := range listItems(field(alt, "required")) {
			names = append(names, n.Value)
		}
		choices = append(choices, strings.Join(names, "+"))
	}
	if want := []string{"userIds", "filter+expectedCount"}; !slices.Equal(choices, want) {
		diffs = append(diffs, fmt.Sprintf("request body oneOf requires %q, want %q", choices, want))
	}
	return diffs
}

// TestActionBodyDiffs_Catches checks the check: a parameter added to or
// dropped from actionParams, or required or not, must be reported against
// the real api/openapi.yaml.
func TestActionBodyDiffs_Catches(t *testing.T) {
	root := loadOpenAPI(t)
	var rt Route
	for _, r := range Routes {
		if r.Path == actionPathPrefix+string(roster.ActionSetRole) {
			rt = r
		}
	}
	if rt.Function == "" {
		t.Fatal("no set-role route: update this test")
	}
	if diffs := actionBodyDiffs(t, root, rt, actionParams[roster.ActionSetRole]); len(diffs) > 0 {
		t.Fatalf("diffs = %q for the real actionParams, want none", diffs)
	}
	tests := []struct {
		name   string
		params map[string]bool
		want   string
	}{
		{"parameter added", map[string]bool{"role": true, "notify": false}, "request body properties"},
		{"parameter dropped", map[string]bool{}, "request body properties"},
		{"parameter no longer required", map[string]bool{"role": false}, "request body requires"},
		{"parameter renamed", map[string]bool{"roleName": true}, "request body requires"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diffs := actionBodyDiffs(t, root, rt, tt.params)
			if !slices.ContainsFunc(diffs, func(d string) bool { return strings.HasPrefix(d, tt.want) }) {
				t.Errorf("diffs = %q, want one starting %q", diffs, tt.want)
			}
		})
	}
}

// TestOpenAPI_ActionResultActions checks that the ActionResult schema names
// every action a result can report: roster.Actions and delete.
func TestOpenAPI_ActionResultActions(t *testing.T) {
	root := loadOpenAPI(t)
	props, _ := schemaProperties(t, root, field(field(field(root, "components"), "schemas"), "ActionResult"))
	var got []string
	for _, v := range listItems(field(resolve(t, root, props["action"]), "enum")) {
		got = append(got, v.Value)
	}
	var want []string
	for _, a := range append(slices.Clone(roster.Actions), roster.ActionDelete) {
		want = append(want, string(a))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ActionResult.action enum = %q, want %q", got, want)
	}
}

// TestActionBodyDiffs_CatchesDelete checks the check on delete's body: the
// confirmation must be there, and required.
func TestActionBodyDiffs_CatchesDelete(t *testing.T) {
	root := loadOpenAPI(t)
	var rt Route
	for _, r := range Routes {
		if r.Path == actionPathPrefix+string(roster.ActionDelete) {
			rt = r
		}
	}
	if rt.Function == "" {
		t.Fatal("no delete route: update this test")
	}
	if diffs := actionBodyDiffs(t, root, rt, deleteParams); len(diffs) > 0 {
		t.Fatalf("diffs = %q for deleteParams, want none", diffs)
	}
	for name, params := range map[string]map[string]bool{
		"no confirmation":          {},
		"confirmation optional":    {"confirmation": false},
		"a parameter of an action": {"confirmation": true, "notify": false},
	} {
		if diffs := actionBodyDiffs(t, root, rt, params); len(diffs) == 0 {
			t.Errorf("%s: no diffs, want some", name)
		}
	}
}
