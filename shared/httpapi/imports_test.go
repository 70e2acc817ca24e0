package httpapi_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/localstack/streams"
)

// runJobs runs the job worker and the stream consumer until neither has
// anything left, each as its own function.
func (s *server) runJobs(t *testing.T) {
	t.Helper()
	if s.jobWorker == nil {
		s.jobWorker = &streams.Poller{Client: s.poller.Client, StreamARN: s.poller.StreamARN, Handler: iamcheck.AsFunction("job-worker", s.app.JobWorker().Handle), Log: s.poller.Log}
	}
	for {
		before := s.jobWorker.Delivered() + s.poller.Delivered()
		if err := s.jobWorker.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.settle(t)
		if s.jobWorker.Delivered()+s.poller.Delivered() == before {
			return
		}
	}
}

// uploadCSV starts an import of content, puts the file and validates it
// ("add"); it returns the import's path, the upload link and the preview.
func uploadCSV(t *testing.T, c *client, name, content string) (string, map[string]any, map[string]any) {
	t.Helper()
	started := c.want(c.do("POST", "/api/imports", map[string]any{"fileName": name, "size": len(content)}), 201).json(t)
	link := started["upload"].(map[string]any)
	putFile(t, link, strings.NewReader(content), int64(len(content)))
	path := "/api/imports/" + started["import"].(map[string]any)["id"].(string)
	preview := c.want(c.do("POST", path+"/validate", map[string]any{"mode": "add"}), 200).json(t)
	return path, link, preview
}

func apply(t *testing.T, c *client, path string, preview map[string]any) string {
	t.Helper()
	applied := c.want(c.do("POST", path+"/apply", map[string]any{"mode": "add", "expectedCounts": preview["counts"]}), 202).json(t)
	return applied["job"].(map[string]any)["id"].(string)
}

func TestAPI_Imports(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	const header = "First name,Last name,Email\n"

	t.Run("the result file is a link once the job has ended", func(t *testing.T) {
		c := c.on(t)
		path, _, preview := uploadCSV(t, c, "team.csv", header+"Ida,Import,ida@mine.example\nEve,Import,eve@mine.example\n")
		if preview["validatable"] != true || preview["results"] != nil {
			t.Fatalf("preview = %v, want validatable without results", preview)
		}
		c.wantError(c.do("GET", path+"/results", nil), 404, "")
		jobID := apply(t, c, path, preview)
		c.wantError(c.do("GET", path+"/results", nil), 409, "")
		c.wantError(c.do("POST", path+"/validate", map[string]any{"mode": "add"}), 409, "")
		s.runJobs(t)

		imp := c.want(c.do("GET", path, nil), 200).json(t)
		results, _ := imp["results"].(map[string]any)
		if results == nil || results["jobStatus"] != "done" || results["done"] != 2.0 || results["notApplied"] != 0.0 || imp["validatable"] != false {
			t.Fatalf("import = %v, want done results for 2 rows, not validatable", imp)
		}
		if job := c.want(c.do("GET", "/api/jobs/"+jobID, nil), 200).json(t); job["status"] != "done" {
			t.Fatalf("job = %v, want done", job)
		}
		link := c.want(c.do("GET", path+"/results", nil), 200).json(t)
		if link["method"] != "GET" || link["expires"] == nil {
			t.Fatalf("results = %v, want a download link", link)
		}
		body, disposition := download(t, map[string]any{"download": link})
		if !strings.Contains(disposition, `filename="team results.csv"`) {
			t.Errorf("Content-Disposition = %q, want team results.csv", disposition)
		}
		lines, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"Line", "First name", "Last name", "Email", "User ID", "Result", "Reason"},
			{"2", "Ida", "Import", "ida@mine.example", "", "done", ""},
			{"3", "Eve", "Import", "eve@mine.example", "", "done", ""},
		}
		if strings.Join(flatten(lines), "|") != strings.Join(flatten(want), "|") {
			t.Errorf("result file = %q, want %q", lines, want)
		}
		c.wantError(c.do("POST", path+"/validate", map[string]any{"mode": "add"}), 409, "")
	})

	t.Run("Active Yes gives new users access, without an email", func(t *testing.T) {
		// As the seed help page writes the file: "Active users should have a
		// value of Yes ... in the Active column".
		c := c.on(t)
		sent := func() int {
			t.Helper()
			mails, err := motoserver.SentEmails(context.Background(), s.ses)
			if err != nil {
				t.Fatal(err)
			}
			return len(mails)
		}
		before := sent()
		path, _, preview := uploadCSV(t, c, "active.csv", "First name,Last name,Email,Active\n"+
			"Ava,Active,ava@mine.example,Yes\nAbe,Active,abe@mine.example,yes\nAlf,Active,alf@mine.example,No\n")
		if counts := preview["counts"].(map[string]any); counts["create"] != 3.0 || counts["errors"] != 0.0 {
			t.Fatalf("preview = %v, want 3 users to add and no errors", preview)
		}
		jobID := apply(t, c, path, preview)
		s.runJobs(t)
		if job := c.want(c.do("GET", "/api/jobs/"+jobID, nil), 200).json(t); job["status"] != "done" {
			t.Fatalf("job = %v, want done", job)
		}
		list := c.want(c.do("GET", "/api/users?q=active", nil), 200).json(t)
		got := map[string]string{}
		for _, it := range list["items"].([]any) {
			u := it.(map[string]any)
			got[u["email"].(string)] = u["status"].(string)
			if u["notifiedAt"] != nil {
				t.Errorf("%s was notified: only Notify sends the invitation", u["email"])
			}
			if (u["status"] == "activated") != (u["approvedAt"] != nil) {
				t.Errorf("%v: an activated user is approved, a deactivated one never was", u)
			}
		}
		want := map[string]string{"ava@mine.example": "activated", "abe@mine.example": "activated", "alf@mine.example": "deactivated"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("users = %v, want %v", got, want)
		}
		if n := sent() - before; n != 0 {
			t.Errorf("%d emails sent, want none", n)
		}
	})

	t.Run("a file whose every row has an error says so when they are skipped", func(t *testing.T) {
		c := c.on(t)
		path, _, preview := uploadCSV(t, c, "bad.csv", "First name,Last name,Email,Active,Approved\nBea,Bad,bea@mine.example,Yes,No\nBen,Bad,ben@,,\n")
		r := c.do("POST", path+"/apply", map[string]any{"mode": "add", "skipBadRows": true, "expectedCounts": preview["counts"]})
		c.wantError(r, 422, "file")
		if msg := r.json(t)["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "every row has an error") {
			t.Errorf("message = %q, want every row has an error", msg)
		}
	})

	t.Run("a file changed since its validation is refused, then validated again", func(t *testing.T) {
		c := c.on(t)
		path, link, preview := uploadCSV(t, c, "late.csv", header+"Lea,Late,lea@mine.example\n")
		changed := header + "Max,Late,max@mine.example\n"
		putFile(t, link, strings.NewReader(changed), int64(len(changed)))
		c.wantError(c.do("POST", path+"/apply", map[string]any{"mode": "add", "expectedCounts": preview["counts"]}), 409, "file")
		again := c.want(c.do("POST", path+"/validate", map[string]any{"mode": "add"}), 200).json(t)
		apply(t, c, path, again)
		s.runJobs(t)
		list := c.want(c.do("GET", "/api/users?q=late", nil), 200).json(t)
		items, _ := list["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["firstName"] != "Max" {
			t.Errorf("users = %v, want Max only: the file validated again", items)
		}
	})

	t.Run("a failed job's upload is validated again", func(t *testing.T) {
		c := c.on(t)
		path, link, preview := uploadCSV(t, c, "swap.csv", header+"Sam,Swap,sam@mine.example\n")
		jobID := apply(t, c, path, preview)
		swapped := header + "Sue,Swap,sue@mine.example\n"
		putFile(t, link, strings.NewReader(swapped), int64(len(swapped))) // before the job's snapshot reads it
		s.runJobs(t)
		job := c.want(c.do("GET", "/api/jobs/"+jobID, nil), 200).json(t)
		if job["status"] != "failed" || !strings.Contains(job["message"].(string), "the file changed since it was validated") {
			t.Fatalf("job = %v, want failed: the file changed", job)
		}
		imp := c.want(c.do("GET", path, nil), 200).json(t)
		if imp["validatable"] != true || imp["results"].(map[string]any)["jobStatus"] != "failed" {
			t.Fatalf("import = %v, want validatable after its job failed", imp)
		}
		// The result file says nobody was changed, and why.
		body, _ := download(t, map[string]any{"download": c.want(c.do("GET", path+"/results", nil), 200).json(t)})
		lines, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 2 || strings.Join(lines[1][:6], ",") != "the whole file,,,,,not applied" || !strings.Contains(lines[1][6], "the file changed since it was validated") {
			t.Errorf("result file = %q, want the whole file not applied: it changed", lines)
		}
		if list := c.want(c.do("GET", "/api/users?q=swap", nil), 200).json(t); len(list["items"].([]any)) != 0 {
			t.Errorf("users = %v, want nobody from the failed job", list["items"])
		}
		again := c.want(c.do("POST", path+"/validate", map[string]any{"mode": "add"}), 200).json(t)
		if again["jobId"] != nil || again["results"] != nil || again["status"] != "validated" {
			t.Fatalf("validated again = %v, want validated with no job", again)
		}
		c.wantError(c.do("GET", path+"/results", nil), 404, "")
	})
}

func flatten(lines [][]string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.Join(l, ","))
	}
	return out
}
