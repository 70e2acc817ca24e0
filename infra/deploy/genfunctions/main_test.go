package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rosterhq/roster/shared/functions"
	"github.com/rosterhq/roster/shared/httpapi"
)

const root = "../../.."

// TestGenerated_UpToDate fails for each generated file that differs from
// what the list of functions gives now.
func TestGenerated_UpToDate(t *testing.T) {
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale (it differs from shared/functions and httpapi.Routes): run `go generate ./...`", name)
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := files["functions/"+e.Name()+"/main.go"]; !ok {
			t.Errorf("functions/%s: not in shared/functions: delete the folder or add the function", e.Name())
		}
	}
}

// TestBuildRule checks that sam.mk's one rule builds each function's folder.
func TestBuildRule(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	args := []string{"-s", "-n", "-f", "infra/deploy/sam.mk", "ARTIFACTS_DIR=/artifacts"}
	for _, f := range functions.All {
		args = append(args, "build-"+functions.LogicalID(f.Name))
	}
	cmd := exec.Command("make", args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(functions.All) {
		t.Fatalf("make -n printed %d commands for %d functions:\n%s", len(lines), len(functions.All), out)
	}
	for i, f := range functions.All {
		if !strings.HasPrefix(lines[i], "GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build ") || !strings.HasSuffix(lines[i], " -o /artifacts/bootstrap ./functions/"+f.Name) {
			t.Errorf("build-%s runs %q, want a build of ./functions/%s", functions.LogicalID(f.Name), lines[i], f.Name)
		}
	}
}

// TestMains_LinkOnlyTheirAdapters checks that only the functions that send
// email link the SES client, and only those that keep files link S3.
func TestMains_LinkOnlyTheirAdapters(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "./functions/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		deps[strings.TrimPrefix(fields[0], "github.com/rosterhq/roster/functions/")] = fields[1:]
	}
	for _, f := range functions.All {
		d, ok := deps[f.Name]
		if !ok {
			t.Errorf("%s: no package ./functions/%s", f.Name, f.Name)
			continue
		}
		if got := slices.Contains(d, "github.com/aws/aws-sdk-go-v2/service/ses"); got != f.Email {
			t.Errorf("%s links the SES client: %v, want %v (Email)", f.Name, got, f.Email)
		}
		if got := slices.Contains(d, "github.com/aws/aws-sdk-go-v2/service/s3"); got != f.Files {
			t.Errorf("%s links the S3 client: %v, want %v (Files)", f.Name, got, f.Files)
		}
	}
}

// TestCheck_Catches checks the checks of the list.
func TestCheck_Catches(t *testing.T) {
	email := functions.Statement{Sid: "Send", Actions: []string{"ses:SendRawEmail"}, Resources: []string{functions.SESIdentities}, FromSenderOnly: true}
	put := functions.Statement{Sid: "Files", Actions: []string{"s3:PutObject"}, Resources: []string{functions.Objects("org/*")}}
	route := []httpapi.Route{{Function: "a", Method: "GET", Path: "/api/a"}}
	tests := []struct {
		name string
		all  []functions.Function
		want string
	}{
		{"email without the adapter", []functions.Function{{Name: "a", Policy: []functions.Statement{email}}}, "a may ses:SendRawEmail but its main does not wire email"},
		{"email from any address", []functions.Function{{Name: "a", Email: true, Policy: []functions.Statement{{Sid: "S", Actions: []string{"ses:SendRawEmail"}}}}}, "sends email from any address"},
		{"files without the adapter", []functions.Function{{Name: "a", Policy: []functions.Statement{put}}}, "a may s3:PutObject but its main does not wire files"},
		{"a scan", []functions.Function{{Name: "a", Policy: []functions.Statement{{Sid: "S", Actions: []string{"dynamodb:Scan"}}}}}, "a may Scan"},
		{"a route of no function", nil, "route GET /api/a: function a is not in shared/functions"},
		{"no route, no source", []functions.Function{{Name: "a"}, {Name: "b"}}, "b has no event source and no route"},
		{"a worker without its main", []functions.Function{{Name: "a"}, {Name: "w", Stream: &functions.Stream{}}}, "w serves no route: it needs a Main"},
		{"twice", []functions.Function{{Name: "a"}, {Name: "a"}}, "a is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.all, route)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("check = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if err := check(functions.All, httpapi.Routes); err != nil {
		t.Errorf("the list itself: %v", err)
	}
}
