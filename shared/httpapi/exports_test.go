package httpapi_test

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/streams"
	roster "github.com/rosterhq/roster/shared"
)

// runExports runs the export worker over everything written so far, as its
// own function.
func (s *server) runExports(t *testing.T) {
	t.Helper()
	worker := &streams.Poller{Client: s.poller.Client, StreamARN: s.poller.StreamARN, Handler: iamcheck.AsFunction("export-worker", s.app.ExportWorker().Handle), Log: s.poller.Log, BatchSize: 1000}
	if err := worker.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// download fetches an export's presigned link as a browser does.
func download(t *testing.T, export map[string]any) (body []byte, disposition string) {
	t.Helper()
	d, _ := export["download"].(map[string]any)
	url, _ := d["url"].(string)
	if url == "" {
		t.Fatalf("export %v has no download link", export)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download: %d %s", resp.StatusCode, body)
	}
	return body, resp.Header.Get("Content-Disposition")
}

func TestAPI_Exports(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	ctx := context.Background()
	due := time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)
	expires := time.Date(2031, 6, 30, 0, 0, 0, 0, time.UTC)
	mallory := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "=HYPERLINK(\"http://evil\")", LastName: "Mallory", Email: "mallory@mine.example",
		GroupIDs: []string{s.mine.GroupIDs[0]}, LocationID: s.mine.LocationIDs[0], ExpiresAt: &expires}, "")
	ada := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ada", LastName: "Lovelace", UserID: "ada-1", GroupIDs: s.mine.GroupIDs}, "")
	c.want(c.do("POST", "/api/users/actions/assign-courses", map[string]any{"userIds": []string{ada.ID}, "courseIds": s.mine.CourseIDs, "dueAt": due.Format(time.RFC3339)}), 200)
	if _, err := s.app.Training.CompleteTraining(ctx, &roster.Principal{OrgID: s.mine.Organization.ID, UserID: ada.ID, Role: roster.RoleLearner}, s.mine.CourseIDs[1]); err != nil {
		t.Fatal(err)
	}
	archived := s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Gone", LastName: "Archived", Email: "gone@mine.example"}, "")
	c.want(c.do("POST", "/api/users/actions/archive", map[string]any{"userIds": []string{archived.ID}}), 200)
	s.theirs.AddUser(t, s.app.Store, &roster.User{FirstName: "Eve", LastName: "Other", Email: "eve@theirs.example"}, "")
	s.settle(t)

	course, err := s.app.Store.GetCourse(ctx, s.mine.Organization.ID, s.mine.CourseIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	completed, err := s.app.Store.GetCourse(ctx, s.mine.Organization.ID, s.mine.CourseIDs[1])
	if err != nil {
		t.Fatal(err)
	}

	t.Run("xlsx of the active roster", func(t *testing.T) {
		c := c.on(t)
		started := c.want(c.do("POST", "/api/exports", map[string]any{"kind": "users", "format": "xlsx", "filter": map[string]any{}}), 202).json(t)
		if started["status"] != "queued" || started["download"] != nil {
			t.Fatalf("202 body = %v, want a queued export without a link", started)
		}
		id := started["id"].(string)
		s.runExports(t)
		got := c.want(c.do("GET", "/api/exports/"+id, nil), 200).json(t)
		if got["status"] != "done" || got["rows"] != 3.0 {
			t.Fatalf("export = %v, want done with 3 rows (owner, Mallory, Ada)", got)
		}
		body, disposition := download(t, got)
		if !strings.HasPrefix(disposition, "attachment") || !strings.Contains(disposition, ".xlsx") {
			t.Errorf("Content-Disposition = %q, want an .xlsx attachment", disposition)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Users")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || strings.Join(rows[0], "|") != strings.Join(exports.UserExportColumns, "|") {
			t.Fatalf("rows = %q, want the header and 3 users", rows)
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			byName[r[0]] = r
		}
		m := byName[`'=HYPERLINK("http://evil") Mallory`]
		if m == nil {
			t.Fatalf("no neutralised row for Mallory in %q", rows)
		}
		if m[1] != "mallory@mine.example" || m[7] == "" || m[8] == "" || m[10] != "2031-06-30" {
			t.Errorf("Mallory's row = %q", m)
		}
		a := byName["Ada Lovelace"]
		today := time.Now().UTC().Format("2006-01-02")
		if a == nil || a[2] != "ada-1" || !strings.Contains(a[8], "; ") ||
			!strings.Contains(a[9], course.Name+" (due 2030-01-31, not started)") ||
			!strings.Contains(a[9], completed.Name+" (due 2030-01-31, completed "+today+")") {
			t.Errorf("Ada's row = %q, want her user ID, both groups, %s due 2030-01-31 not started and %s completed today", a, course.Name, completed.Name)
		}
		if _, ok := byName["Gone Archived"]; ok {
			t.Error("the active roster's export holds an archived user")
		}
		for _, r := range rows {
			if strings.Contains(strings.Join(r, " "), "Eve") {
				t.Error("the export holds a user of another organization")
			}
		}
		if typ, _ := f.GetCellType("Users", "M2"); typ == excelize.CellTypeInlineString {
			t.Error("Created is text, want a date")
		}
	})

	t.Run("csv of listed users, archived included, another organization's left out", func(t *testing.T) {
		c := c.on(t)
		theirs := s.theirs.Owner.ID
		started := c.want(c.do("POST", "/api/exports", map[string]any{"kind": "users", "format": "csv", "userIds": []string{archived.ID, theirs, mallory.ID}}), 202).json(t)
		s.runExports(t)
		got := c.want(c.do("GET", "/api/exports/"+started["id"].(string), nil), 200).json(t)
		if got["status"] != "done" || got["rows"] != 2.0 {
			t.Fatalf("export = %v, want done with 2 rows", got)
		}
		body, _ := download(t, got)
		if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
			t.Error("the CSV has no byte order mark")
		}
		records, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 3 || records[1][0] != "Gone Archived" || records[1][4] != "archived" || records[2][0] != `'=HYPERLINK("http://evil") Mallory` {
			t.Errorf("records = %q, want the header, Gone (archived) then Mallory (neutralised), in the order listed", records)
		}
	})

	t.Run("training records, archived activity marked", func(t *testing.T) {
		c := c.on(t)
		c.want(c.do("POST", "/api/users/actions/assign-courses", map[string]any{"userIds": []string{mallory.ID}, "courseIds": []string{s.mine.CourseIDs[0]}}), 200)
		c.want(c.do("POST", "/api/users/actions/archive-activity", map[string]any{"userIds": []string{mallory.ID}, "courseIds": []string{s.mine.CourseIDs[0]}}), 200)
		s.settle(t)

		started := c.want(c.do("POST", "/api/exports", map[string]any{"kind": "training-records", "format": "xlsx", "records": map[string]any{"course": s.mine.CourseIDs[0]}}), 202).json(t)
		s.runExports(t)
		got := c.want(c.do("GET", "/api/exports/"+started["id"].(string), nil), 200).json(t)
		if got["status"] != "done" || got["rows"] != 2.0 {
			t.Fatalf("export = %v, want done with 2 rows (Ada's record, Mallory's archived one)", got)
		}
		body, disposition := download(t, got)
		if !strings.Contains(disposition, "roster-training-records-") || !strings.Contains(disposition, ".xlsx") {
			t.Errorf("Content-Disposition = %q, want roster-training-records-<day>.xlsx", disposition)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Training records")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || strings.Join(rows[0], "|") != strings.Join(exports.TrainingRecordExportColumns, "|") {
			t.Fatalf("rows = %q, want the header and 2 records", rows)
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			r = append(r, make([]string, len(exports.TrainingRecordExportColumns)-len(r))...)
			byName[r[0]] = r
		}
		a := byName["Ada Lovelace"]
		if a == nil || a[2] != "ada-1" || a[4] != course.Name || a[6] != "2030-01-31" || a[10] != "not started" || a[11] != "" || !strings.Contains(a[13], "; ") {
			t.Errorf("Ada's record = %q, want %s due 2030-01-31, not started, not archived, both groups", a, course.Name)
		}
		m := byName[`'=HYPERLINK("http://evil") Mallory`]
		if m == nil {
			t.Fatalf("no neutralised record for Mallory in %q", rows)
		}
		if m[1] != "mallory@mine.example" || m[11] == "" || m[12] == "" {
			t.Errorf("Mallory's record = %q, want her email, the activity's archive date and her location", m)
		}
		if typ, _ := f.GetCellType("Training records", "F2"); typ == excelize.CellTypeInlineString {
			t.Error("Assigned is text, want a date")
		}

		started = c.want(c.do("POST", "/api/exports", map[string]any{"kind": "training-records", "format": "csv", "records": map[string]any{"status": "activity_archived"}}), 202).json(t)
		s.runExports(t)
		got = c.want(c.do("GET", "/api/exports/"+started["id"].(string), nil), 200).json(t)
		body, _ = download(t, got)
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 2 || records[1][0] != `'=HYPERLINK("http://evil") Mallory` || records[1][11] == "" {
			t.Errorf("records = %q, want the header and Mallory's archived record", records)
		}
	})

	t.Run("refused requests change nothing", func(t *testing.T) {
		c := c.on(t)
		for _, tt := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "courses", "format": "xlsx", "filter": map[string]any{}}, "kind"},
			{map[string]any{"kind": "users", "format": "pdf", "filter": map[string]any{}}, "format"},
			{map[string]any{"kind": "users", "format": "csv"}, "filter"},
			{map[string]any{"kind": "users", "format": "csv", "filter": map[string]any{}, "userIds": []string{ada.ID}}, "userIds"},
			{map[string]any{"kind": "users", "format": "csv", "userIds": []string{}}, "userIds"},
			{map[string]any{"kind": "users", "format": "csv", "filter": map[string]any{"status": "sleeping"}}, "filter.status"},
			{map[string]any{"kind": "training-records", "format": "csv", "records": map[string]any{"status": "sleeping"}}, "records.status"},
			{map[string]any{"kind": "training-records", "format": "csv", "records": map[string]any{"dueFrom": "soon"}}, "records.dueFrom"},
			{map[string]any{"kind": "training-records", "format": "csv", "records": map[string]any{"course": "nope"}}, "records.course"},
			{map[string]any{"kind": "training-records", "format": "csv", "records": map[string]any{"who": "me"}}, "records.who"},
			{map[string]any{"kind": "training-records", "format": "csv", "userIds": []string{ada.ID}}, "records"},
			{map[string]any{"kind": "users", "format": "csv", "filter": map[string]any{}, "records": map[string]any{}}, "records"},
		} {
			c.wantError(c.do("POST", "/api/exports", tt.body), 422, tt.field)
		}
		c.wantError(c.do("GET", "/api/exports/nope", nil), 404, "")
	})

	t.Run("a finished export is not run again", func(t *testing.T) {
		started := c.want(c.do("POST", "/api/exports", map[string]any{"kind": "users", "format": "csv", "userIds": []string{ada.ID}}), 202).json(t)
		id := started["id"].(string)
		s.runExports(t)
		if err := s.app.Exports.RunExport(ctx, s.mine.Organization.ID, id); err != nil {
			t.Fatalf("RunExport of a done export: %v", err)
		}
		e, err := s.app.Store.GetExport(ctx, s.mine.Organization.ID, id)
		if err != nil || e.Status != exports.ExportDone || e.Rows != 1 {
			t.Errorf("export = %+v, %v; want done with 1 row", e, err)
		}
	})

	t.Run("a restarted export starts over", func(t *testing.T) {
		e := &exports.Export{ID: roster.NewRandomID(), OrgID: s.mine.Organization.ID, Kind: exports.ExportUsers, Format: exports.ExportCSV,
			Filter: &roster.UserFilter{}, ActorID: s.mine.Owner.ID, Status: exports.ExportRunning, Rows: 2, CreatedAt: time.Now().UTC()}
		if err := s.app.Store.CreateExport(ctx, e); err != nil {
			t.Fatal(err)
		}
		s.runExports(t)
		got, err := s.app.Store.GetExport(ctx, s.mine.Organization.ID, e.ID)
		if err != nil || got.Status != exports.ExportDone || got.Rows != 3 {
			t.Errorf("export = %+v, %v; want done with 3 rows, counted from 0", got, err)
		}
	})
}
