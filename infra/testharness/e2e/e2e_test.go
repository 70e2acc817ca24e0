//go:build e2e

// Package e2e runs the browser tests of web/e2e against the real dev server:
// DynamoDB Local, moto, the stream consumer and the built front end, driven
// by Debian's headless Chromium. `make test-e2e` builds what it needs first.
package e2e

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/devserver"
	roster "github.com/rosterhq/roster/shared"
)

func TestBrowser(t *testing.T) {
	web, err := filepath.Abs("../../../web")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(web, "dist", "index.html")); err != nil {
		t.Fatalf("the front end is not built (%v): run `make test-e2e`, which builds it", err)
	}
	password := roster.NewRandomID()[:20]
	s := devserver.Settings{
		WebDir: filepath.Join(web, "dist"),
		Table:  "roster-e2e",
		Bucket: "roster-e2e-files", // the gateway serves /<bucket>/: without a name it would take every path
		Sender: "no-reply@roster.test",
		Demo:   devserver.Demo{Slug: "demo", Name: "Demo Foods Ltd", Users: 60, OwnerEmail: "owner@e2e.example", OwnerPassword: password},
		// Above the 53 users roster.e2e.mjs acts on at once, which stay
		// inline; jobs.e2e.mjs adds more than this and watches a job.
		JobThreshold: 55,
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		Out:          io.Discard,
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	s.OnReady = func(url string) { ready <- url }
	done := make(chan error, 1)
	go func() { done <- devserver.Run(ctx, s) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("dev server: %v", err)
		}
	})

	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatalf("dev server did not start: %v", err)
	case <-time.After(5 * time.Minute):
		t.Fatal("dev server did not start within 5 minutes")
	}

	cmd := exec.CommandContext(ctx, "npm", "run", "--silent", "e2e")
	if only := strings.Fields(os.Getenv("E2E_FILES")); len(only) > 0 {
		// Some of the scenarios, while working on them: E2E_FILES="records.e2e.mjs".
		for i, f := range only {
			only[i] = filepath.Join("e2e", filepath.Base(f))
		}
		cmd = exec.CommandContext(ctx, "node", append([]string{"--test"}, only...)...)
	}
	cmd.Dir = web
	cmd.Env = append(os.Environ(),
		"BASE_URL="+url,
		"ROSTER_ORG="+s.Demo.Slug,
		"ROSTER_OWNER_EMAIL="+s.Demo.OwnerEmail,
		"ROSTER_OWNER_PASSWORD="+password,
		"ROSTER_JOB_THRESHOLD="+strconv.Itoa(s.JobThreshold),
	)
	out, err := cmd.CombinedOutput()
	t.Logf("npm run e2e:\n%s", out)
	if err != nil {
		t.Fatalf("browser tests failed: %v (screenshots in web/test-results/)", err)
	}
}
