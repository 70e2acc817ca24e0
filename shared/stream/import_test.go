package stream_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/accounts"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/files"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/ses"
	"github.com/rosterhq/roster/shared/sheetread"
)

// importEnv is a job environment whose service reads uploads and sends
// invitations through moto's SES.
type importEnv struct {
	*jobEnv
	t      *testing.T
	bucket *testenv.FilesBucket
	files  *files.Bucket // the bucket, its calls recorded for the policies
	mailer roster.Mailer
}

func newImportEnv(t *testing.T) *importEnv {
	t.Helper()
	e := &importEnv{jobEnv: newJobEnv(t), t: t, bucket: testenv.Files(t)}
	e.files = files.New(e.calls.S3(e.bucket.Client), e.bucket.Name, e.bucket.URL)
	e.configure(e.svc)
	e.worker = e.newWorker(e.svc)
	return e
}

func (e *importEnv) configure(svc *roster.Service) {
	svc.Files = e.files
	importsOf(svc).OpenSheet = func(r io.Reader, name string) (imports.RowReader, error) {
		return sheetread.Open(r, name, sheetread.DefaultLimits)
	}
	if e.mailer == nil {
		e.mailer = ses.New(motoserver.Client(context.Background(), testenv.SES(e.t)), testenv.Sender)
	}
	svc.Mailer, svc.AppURL = e.mailer, "https://roster.test"
	// Invitations go out through the accounts service, as shared/app wires it.
	acc := accounts.NewService(svc.Store.(accounts.Store), quiet)
	acc.Now, acc.NewID = func() time.Time { return svc.Now() }, svc.NewID
	acc.Mailer, acc.AppURL = svc.Mailer, svc.AppURL
	svc.Invitations = acc
}

// upload starts an import and puts the file through its link, as the browser does.
func (e *importEnv) upload(t *testing.T, name, content string) *imports.Import {
	t.Helper()
	return e.uploadWithLink(t, name, content).Import
}

// validate uploads the file and validates it with o, returning the preview.
func (e *importEnv) validate(t *testing.T, name, content string, o roster.ImportOptions) *imports.Import {
	t.Helper()
	pre, err := importsOf(e.svc).ValidateImport(context.Background(), e.owner(), e.upload(t, name, content).ID, o)
	if err != nil {
		t.Fatal(err)
	}
	return pre
}

// applyPreview applies the upload as its preview says, returning its job.
func (e *importEnv) applyPreview(t *testing.T, pre *imports.Import) *roster.Job {
	t.Helper()
	_, j, err := importsOf(e.svc).ApplyImport(context.Background(), e.owner(), pre.ID, pre.Options, pre.Counts)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// apply uploads the file, validates it with o and applies it as previewed,
// returning the import and its job.
func (e *importEnv) apply(t *testing.T, name, content string, o roster.ImportOptions) (*imports.Import, *roster.Job) {
	t.Helper()
	pre := e.validate(t, name, content, o)
	return pre, e.applyPreview(t, pre)
}

// rename sets a user's first name behind the import's back.
func (e *importEnv) rename(t *testing.T, userID, first string) {
	t.Helper()
	if _, err := e.store.UpdateUser(context.Background(), e.org.Organization.ID, userID, 0, func(u *roster.User) error {
		u.FirstName = first
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// uploadWithLink is upload, keeping the link: within its lifetime it can put
// other bytes of the same size there.
func (e *importEnv) uploadWithLink(t *testing.T, name, content string) *imports.Upload {
	t.Helper()
	up, err := importsOf(e.svc).StartImport(context.Background(), e.owner(), name, int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	putThrough(t, up.Upload, content)
	return up
}

// getImport reads the import as the API does.
func (e *importEnv) getImport(t *testing.T, id string) *imports.Import {
	t.Helper()
	imp, err := importsOf(e.svc).GetImport(context.Background(), e.owner(), id)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

// resultFile downloads the import's result file through the link the API
// hands out and returns its lines, the header first.
func (e *importEnv) resultFile(t *testing.T, id string) [][]string {
	t.Helper()
	link, err := importsOf(e.svc).ImportResultsLink(context.Background(), e.owner(), id)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("result file: status %d", resp.StatusCode)
	}
	lines, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 || strings.Join(lines[0], ",") != strings.Join(imports.ResultColumns, ",") {
		t.Fatalf("result file starts %q, want the header", lines)
	}
	return lines
}

// putThrough sends content with a presigned link.
func putThrough(t *testing.T, link roster.FileLink, content string) {
	t.Helper()
	req, err := http.NewRequest(link.Method, link.URL, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range link.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: status %d", resp.StatusCode)
	}
}

func (e *importEnv) users(t *testing.T) map[string]*roster.User {
	t.Helper()
	snap, err := e.store.ReadRoster(context.Background(), e.org.Organization.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*roster.User{}
	for _, u := range snap.Users {
		key := u.Email
		if key == "" {
			key = u.UserID
		}
		out[key] = u
	}
	return out
}

const importHeader = "First name,Last name,Email,User ID,Location,Groups,Courses,Active,Approved,Notify\n"

func TestImport_ValidateApplyRunsEachRowOnce(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	existing := e.addUsers(t, 3, e.org.LocationIDs[0]) // user IDs emp-<loc>-0000…
	var csv strings.Builder
	csv.WriteString(importHeader)
	for i := range 30 {
		fmt.Fprintf(&csv, "New%02d,Learner,,new-%02d,York,Day shift,Manual handling,,Yes,\n", i, i)
	}
	fmt.Fprintf(&csv, "Nia,Notified,nia@jobs.example,,Leeds,,,Yes,Yes,Yes\n")         // line 32: invited
	fmt.Fprintf(&csv, "Renamed,Learner,,%s,,Night shift,,No,,\n", existing[0].UserID) // line 33: updated, deactivated
	fmt.Fprintf(&csv, "First0001,Learner,,%s,,,,,,\n", existing[1].UserID)            // line 34: unchanged
	fmt.Fprintf(&csv, "Bad,Row,,bad-1,Atlantis,,,,,\n")                               // line 35: unknown location
	imp := e.upload(t, "roster.csv", csv.String())

	o := roster.ImportOptions{Mode: roster.ImportAddUpdate}
	got, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	want := imports.Counts{Rows: 34, Create: 31, Update: 1, Unchanged: 1, Errors: 1}
	if got.Counts != want || got.Status != imports.ImportValidated {
		t.Fatalf("preview = %s %+v, want validated %+v", got.Status, got.Counts, want)
	}
	if len(got.Errors) != 1 || got.Errors[0].Line != 35 || got.Errors[0].Column != "E" {
		t.Fatalf("errors = %+v, want line 35 column E", got.Errors)
	}
	key, _ := roster.FileKey(e.org.Organization.ID, "imports", imp.ID, "errors.csv")
	report, _, err := e.files.Open(ctx, e.org.Organization.ID, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(report)
	if wantReport := "Line,Column,Field,Error\n35,E,Location,\"no such location: \"\"Atlantis\"\"\"\n"; string(b) != wantReport {
		t.Errorf("error report = %q, want %q", b, wantReport)
	}

	// Nothing is written while an error remains, unless the rows are skipped.
	if _, _, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, want); !roster.IsCode(err, roster.CodeInvalid) {
		t.Fatalf("apply with errors: err = %v, want invalid", err)
	}
	o.SkipBadRows = true
	stale := want
	stale.Create = 30
	if _, _, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, stale); !roster.IsCode(err, roster.CodeConflict) {
		t.Fatalf("apply with other counts: err = %v, want conflict", err)
	}
	_, j, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, want)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, want); !roster.IsCode(err, roster.CodeConflict) {
		t.Fatalf("second apply: err = %v, want conflict", err)
	}
	if n := len(e.users(t)); n != 4 {
		t.Fatalf("%d users before the job ran, want 4 (nothing written inline)", n)
	}
	e.settle(t, e.worker)

	done := e.job(t, j.ID)
	if done.Status != roster.JobDone || done.Done != 32 || done.Skipped+done.Failed != 0 || done.Chunks != 2 {
		t.Fatalf("job = %+v, want done with 32 rows done in 2 chunks", done)
	}
	users := e.users(t)
	if len(users) != 35 {
		t.Fatalf("%d users after the job, want 35", len(users))
	}
	n := users["new-07"]
	if n == nil || n.State != roster.StateActivated || n.LocationID != e.org.LocationIDs[1] || len(n.GroupIDs) != 1 || len(n.Courses) != 1 || n.Version != 2 {
		t.Errorf("new-07 = %+v, want activated at York, in Day shift, on one course, written twice (created, then assigned)", n)
	}
	if nia := users["nia@jobs.example"]; nia == nil || nia.NotifiedAt == nil {
		t.Errorf("nia = %+v, want notified", nia)
	}
	if r := users[existing[0].UserID]; r.FirstName != "Renamed" || r.State != roster.StateDeactivated || r.Version != 2 || !r.ChangedByJob(j.ID) {
		t.Errorf("updated user = %+v, want renamed and deactivated in one write, noting the job", r)
	}
	if u := users[existing[1].UserID]; u.Version != 1 {
		t.Errorf("unchanged user written: version %d", u.Version)
	}
	course, err := e.store.GetCourse(ctx, e.org.Organization.ID, e.org.CourseIDs[1])
	if err != nil {
		t.Fatal(err)
	}
	if course.Reserved != 30 {
		t.Errorf("Manual handling reserved = %d, want 30", course.Reserved)
	}

	// The result file, written by the worker when the job ended: one line
	// per row applied, in the file's order.
	after := e.getImport(t, imp.ID)
	if r := after.Results; r == nil || r.JobStatus != roster.JobDone || r.Done != 32 || r.Skipped+r.Failed+r.NotApplied != 0 {
		t.Fatalf("import results = %+v, want done with 32 rows done", r)
	}
	lines := e.resultFile(t, imp.ID)
	if len(lines) != 33 || lines[1][0] != "2" || lines[32][0] != "33" {
		t.Fatalf("result file = %d lines from line %q, want the header and 32 from line 2 to 33", len(lines), lines[1][0])
	}
	for _, l := range lines[1:] {
		if l[5] != "done" {
			t.Errorf("line %s: %q, want done", l[0], l)
		}
	}
	if l := lines[31]; l[1] != "Nia" || l[3] != "nia@jobs.example" {
		t.Errorf("line 32 of the file = %q, want Nia as she is now", l)
	}

	// An applied import stays as it is.
	if _, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o); !roster.IsCode(err, roster.CodeConflict) || !strings.Contains(err.Error(), "applied already") {
		t.Fatalf("validate an applied import: err = %v, want a conflict", err)
	}
	if after.Validatable() {
		t.Error("an applied import says it can be validated again")
	}

	// Every record delivered again (a worker that crashed): the same file.
	e.settle(t, e.newWorker(e.svc))
	if again := e.resultFile(t, imp.ID); fmt.Sprint(again) != fmt.Sprint(lines) {
		t.Errorf("the result file written again differs:\n%q\nwas\n%q", again, lines)
	}
}

func TestImport_KilledPartWayResumesWithEachRowOnce(t *testing.T) {
	e := newImportEnv(t)
	var csv strings.Builder
	csv.WriteString(importHeader)
	for i := range 60 {
		fmt.Fprintf(&csv, "K%02d,Learner,,k-%02d,,,Fire safety,,Yes,\n", i, i)
	}
	_, j := e.apply(t, "big.csv", csv.String(), roster.ImportOptions{Mode: roster.ImportAdd})
	// The first worker dies part-way: the snapshot's writes, then some rows.
	dying := newJobService(dynamo.New(newKillingClient(e.tbl.Client, 70), e.tbl.Name))
	e.configure(dying)
	e.settle(t, e.newWorker(dying))
	if mid := e.job(t, j.ID); mid.Status != roster.JobRunning {
		t.Fatalf("after the kill: job = %+v, want running", mid)
	}
	e.settle(t, e.newWorker(e.svc))
	got := e.job(t, j.ID)
	if got.Status != roster.JobDone || got.Done != 60 || got.Failed+got.Skipped != 0 {
		t.Fatalf("after the resume: job = %+v, want 60 done", got)
	}
	users := e.users(t)
	if len(users) != 61 {
		t.Fatalf("%d users, want 61: each row created once", len(users))
	}
	for i := range 60 {
		u := users[fmt.Sprintf("k-%02d", i)]
		if u == nil || len(u.Courses) != 1 || u.Version != 2 || !u.ChangedByJob(j.ID) {
			t.Errorf("k-%02d = %+v, want created and assigned once (version 2), noting the job", i, u)
		}
	}
}

// TestImport_SnapshotKeepsItsDecisionToFail interrupts a snapshot that
// found the roster changed since the preview, part-way through writing its
// chunks; the roster changes back before the snapshot runs again. The job
// still fails, changing nobody: it never runs chunks of a plan it refused
// mixed with chunks of another.
func TestImport_SnapshotKeepsItsDecisionToFail(t *testing.T) {
	e := newImportEnv(t)
	n := 3 * testJobChunkSize
	users := e.addUsers(t, n, e.org.LocationIDs[0])
	var csv strings.Builder
	csv.WriteString(importHeader)
	for i, u := range users {
		fmt.Fprintf(&csv, "Renamed%04d,Learner,,%s,,,,,,\n", i, u.UserID)
	}
	pre := e.validate(t, "rename.csv", csv.String(), roster.ImportOptions{Mode: roster.ImportUpdate})
	e.rename(t, users[0].ID, "Renamed0000") // the first row now changes nothing: other counts
	j := e.applyPreview(t, pre)
	dying := newJobService(dynamo.New(newKillingClient(e.tbl.Client, 2), e.tbl.Name)) // the decision, one chunk, then the worker dies
	e.configure(dying)
	e.settle(t, e.newWorker(dying))
	if mid := e.job(t, j.ID); mid.Status != roster.JobSnapshotting || mid.Chunks != 1 {
		t.Fatalf("after the kill: job = %+v, want snapshotting with one chunk", mid)
	}
	e.rename(t, users[0].ID, "First0000") // as at the preview
	e.settle(t, e.newWorker(e.svc))
	got := e.job(t, j.ID)
	if got.Status != roster.JobFailed || !strings.Contains(got.Message, "the roster changed since the preview") || got.Done != 0 {
		t.Fatalf("job = %+v, want failed as the first snapshot decided", got)
	}
	for _, u := range e.users(t) {
		if strings.HasPrefix(u.FirstName, "Renamed") {
			t.Errorf("%s renamed by a failed job", u.UserID)
		}
	}
}

// failingCreate is a files bucket that cannot write: storage failing for
// longer than the stream retries a record.
type failingCreate struct{ roster.Files }

func (failingCreate) Create(context.Context, string, string, string, func(io.Writer) error) (int64, error) {
	return 0, roster.Internal(errors.New("storage is down"), "create a file")
}

// TestImport_FailedJobValidatesAgainWithoutItsResultFile fails a job (the
// roster changed since the preview) on a worker that cannot store the
// result file: the upload is not left waiting for it, but validated again
// and applied; the late file of the old job is never asked for.
func TestImport_FailedJobValidatesAgainWithoutItsResultFile(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	users := e.addUsers(t, 2, e.org.LocationIDs[0])
	o := roster.ImportOptions{Mode: roster.ImportUpdate}
	pre := e.validate(t, "late.csv", importHeader+fmt.Sprintf("Renamed,Learner,,%s,,,,,,\n", users[0].UserID), o)
	e.rename(t, users[0].ID, "Renamed") // the row now changes nothing
	j := e.applyPreview(t, pre)
	broken := newJobService(e.store)
	e.configure(broken)
	broken.Files = failingCreate{e.files}
	e.settle(t, e.newWorker(broken)) // the result file's record is abandoned after its retries
	if got := e.job(t, j.ID); got.Status != roster.JobFailed {
		t.Fatalf("job = %+v, want failed", got)
	}
	if got := e.getImport(t, pre.ID); got.Results != nil || got.Validatable() {
		t.Fatalf("import = %+v, want no results yet", got)
	}
	again, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), pre.ID, o)
	if err != nil {
		t.Fatalf("validating again after a failed job without its result file: %v", err)
	}
	if want := (imports.Counts{Rows: 1, Unchanged: 1}); again.Counts != want || again.JobID != "" {
		t.Fatalf("validated again = %+v, want %+v and no job", again, want)
	}
}

func TestImport_SyncArchivesTheUsersNotInTheFile(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	users := e.addUsers(t, 5, e.org.LocationIDs[0])
	csv := importHeader + fmt.Sprintf("First0000,Learner,,%s,,,,,,\n", users[0].UserID)
	imp := e.upload(t, "keep-one.csv", csv)
	o := roster.ImportOptions{Mode: roster.ImportUpdate, Sync: roster.SyncArchive}
	pre, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := (imports.Counts{Rows: 1, Unchanged: 1, Archive: 4}); pre.Counts != want {
		t.Fatalf("counts = %+v, want %+v", pre.Counts, want)
	}
	if _, _, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, pre.Counts); err != nil {
		t.Fatal(err)
	}
	e.settle(t, e.worker)
	for _, u := range e.users(t) {
		if archived := u.Archived(); archived != (u.ID != users[0].ID && u.ID != e.org.Owner.ID) {
			t.Errorf("%s archived = %v", u.UserID, archived)
		}
	}
}

func TestImport_BadFilesWriteNothing(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	for _, tc := range []struct{ name, content, want string }{
		{"empty.csv", "\n", "is empty"},
		{"header.csv", importHeader, "holds only a header"},
		{"junk.csv", "\x00\x01\x02binary", "binary data"},
		{"broken.xlsx", "PK\x03\x04garbage", "not a readable Excel workbook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			imp := e.upload(t, tc.name, tc.content)
			_, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, roster.ImportOptions{Mode: roster.ImportAdd})
			if !roster.IsCode(err, roster.CodeInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want invalid holding %q", err, tc.want)
			}
			got, err := importsOf(e.svc).GetImport(ctx, e.owner(), imp.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != imports.ImportInvalid || !strings.Contains(got.FileError, tc.want) {
				t.Errorf("import = %+v, want invalid", got)
			}
		})
	}
	if n := len(e.users(t)); n != 1 {
		t.Errorf("%d users, want only the owner", n)
	}
}

// The apply request does not read the file again: the job's snapshot does,
// and a roster changed since the preview fails the job, changing nobody.
func TestImport_RosterChangedSinceThePreviewFailsTheJob(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	users := e.addUsers(t, 3, e.org.LocationIDs[0])
	csv := importHeader + fmt.Sprintf("Renamed,Learner,,%s,,,,,,\n", users[0].UserID) +
		fmt.Sprintf("First0001,Learner,,%s,,,,,,\n", users[1].UserID)
	imp := e.upload(t, "rename.csv", csv)
	o := roster.ImportOptions{Mode: roster.ImportUpdate}
	pre, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := (imports.Counts{Rows: 2, Update: 1, Unchanged: 1}); pre.Counts != want {
		t.Fatalf("counts = %+v, want %+v", pre.Counts, want)
	}
	// Since the preview, someone renames the unchanged user: the file now updates two.
	e.rename(t, users[1].ID, "Changed")
	_, j, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, pre.Counts)
	if err != nil {
		t.Fatal(err)
	}
	e.settle(t, e.worker)
	got := e.job(t, j.ID)
	if got.Status != roster.JobFailed || !strings.Contains(got.Message, "updates 2") || got.Done != 0 {
		t.Fatalf("job = %+v, want failed naming the new counts", got)
	}
	if u := e.users(t)[users[0].UserID]; u.FirstName == "Renamed" || u.Version != 1 {
		t.Errorf("user = %+v, want unchanged", u)
	}

	// The failed job's result file lists the rows the file now holds, none applied.
	failed := e.getImport(t, imp.ID)
	if r := failed.Results; r == nil || r.JobStatus != roster.JobFailed || r.NotApplied != 2 || r.Changed() || failed.Status != imports.ImportApplied {
		t.Fatalf("import = %s with results %+v, want applied, failed with 2 rows not applied", failed.Status, r)
	}
	lines := e.resultFile(t, imp.ID)
	if len(lines) != 3 || lines[1][0] != "2" || lines[2][0] != "3" {
		t.Fatalf("result file = %q, want lines 2 and 3", lines)
	}
	for _, l := range lines[1:] {
		if l[5] != "not applied" || l[6] != got.Message {
			t.Errorf("line %s = %q, want not applied, with the job's message", l[0], l)
		}
	}

	// Validated again, it shows the new counts and applies.
	if !failed.Validatable() {
		t.Fatal("the import of a failed job cannot be validated again")
	}
	if _, _, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, pre.Counts); !roster.IsCode(err, roster.CodeConflict) || !strings.Contains(err.Error(), "validate it again") {
		t.Fatalf("apply before validating again: err = %v, want a conflict", err)
	}
	again, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := (imports.Counts{Rows: 2, Update: 2}); again.Counts != want || again.JobID != "" || again.Results != nil || again.Status != imports.ImportValidated {
		t.Fatalf("validated again = %+v, want validated with %+v and no job", again, want)
	}
	_, j2, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), imp.ID, o, again.Counts)
	if err != nil {
		t.Fatal(err)
	}
	e.settle(t, e.worker)
	if done := e.job(t, j2.ID); done.Status != roster.JobDone || done.Done != 2 {
		t.Fatalf("second job = %+v, want done with 2 rows", done)
	}
	if u := e.users(t)[users[0].UserID]; u.FirstName != "Renamed" {
		t.Errorf("user = %+v, want renamed by the second job", u)
	}
	if lines := e.resultFile(t, imp.ID); len(lines) != 3 || lines[1][5] != "done" || lines[2][5] != "done" {
		t.Errorf("result file of the second job = %q, want both rows done", lines)
	}
}

// TestImport_RowTurnedIntoAnUpdateFailsTheJob previews two new users; one
// of them is added by hand before the job's snapshot, so the file would now
// add one and update one: as many rows, other counts. The job fails and
// changes nobody: the administrator approved adding two users, not
// changing one.
func TestImport_RowTurnedIntoAnUpdateFailsTheJob(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	pre := e.validate(t, "two.csv", importHeader+"Lea,Late,lea@jobs.example,,,,,,Yes,\nLeo,Late,leo@jobs.example,,,,,,Yes,\n", roster.ImportOptions{Mode: roster.ImportAddUpdate})
	if want := (imports.Counts{Rows: 2, Create: 2}); pre.Counts != want {
		t.Fatalf("counts = %+v, want %+v", pre.Counts, want)
	}
	lea, err := e.svc.CreateUser(ctx, e.owner(), roster.NewUserInput{FirstName: "Lea", LastName: "Late", Email: "lea@jobs.example"})
	if err != nil {
		t.Fatal(err)
	}
	j := e.applyPreview(t, pre)
	e.settle(t, e.worker)
	got := e.job(t, j.ID)
	if got.Status != roster.JobFailed || !strings.Contains(got.Message, "adds 1 user, updates 1") || got.Done != 0 {
		t.Fatalf("job = %+v, want failed naming the new counts", got)
	}
	u, err := e.store.GetUser(ctx, e.org.Organization.ID, lea.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.ApprovedAt != nil || u.Version != lea.Version {
		t.Errorf("Lea = %+v, want as she was added: not approved by the import", u)
	}
	if u := e.users(t)["leo@jobs.example"]; u != nil {
		t.Errorf("Leo was added by a failed job: %+v", u)
	}
}

// A job cancelled before it changed anybody leaves an import that can be
// validated again; once it changed users, the import stays as it is. Both
// get a result file that names the rows not applied.
func TestImport_CancelledJob(t *testing.T) {
	ctx := context.Background()
	var csvText strings.Builder
	csvText.WriteString(importHeader)
	for i := range 60 {
		fmt.Fprintf(&csvText, "C%02d,Learner,,c-%02d,,,,,Yes,\n", i, i)
	}
	start := func(t *testing.T, e *importEnv) (*imports.Import, *roster.Job, roster.ImportOptions) {
		t.Helper()
		o := roster.ImportOptions{Mode: roster.ImportAdd}
		imp, j := e.apply(t, "cancel.csv", csvText.String(), o)
		return imp, j, o
	}

	t.Run("before its snapshot ended", func(t *testing.T) {
		e := newImportEnv(t)
		imp, j, o := start(t, e)
		if _, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o); !roster.IsCode(err, roster.CodeConflict) || !strings.Contains(err.Error(), "being applied") {
			t.Fatalf("validate while applying: err = %v, want a conflict", err)
		}
		if _, err := e.svc.CancelJob(ctx, e.owner(), j.ID); err != nil {
			t.Fatal(err)
		}
		e.settle(t, e.worker)
		if n := len(e.users(t)); n != 1 {
			t.Fatalf("%d users, want only the owner", n)
		}
		got := e.getImport(t, imp.ID)
		if r := got.Results; r == nil || r.JobStatus != roster.JobCancelled || r.NotApplied != 60 || r.Changed() {
			t.Fatalf("import results = %+v, want cancelled with 60 rows not applied", r)
		}
		lines := e.resultFile(t, imp.ID)
		if last := lines[len(lines)-1]; last[0] != "the rest of the file" || last[5] != "not applied" {
			t.Errorf("result file ends %q, want the rest of the file not applied", last)
		}
		again, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		if again.JobID != "" || again.Counts.Create != 60 {
			t.Errorf("validated again = %+v, want 60 to add and no job", again)
		}
	})

	t.Run("after it changed users", func(t *testing.T) {
		e := newImportEnv(t)
		imp, j, o := start(t, e)
		// The worker dies part-way through the rows: 7 writes for the snapshot
		// (3 chunks, the end, 3 releases), then 10 users created.
		dying := newJobService(dynamo.New(newKillingClient(e.tbl.Client, 17), e.tbl.Name))
		e.configure(dying)
		e.settle(t, e.newWorker(dying))
		if _, err := e.svc.CancelJob(ctx, e.owner(), j.ID); err != nil {
			t.Fatal(err)
		}
		e.settle(t, e.newWorker(e.svc))
		created := len(e.users(t)) - 1
		if created == 0 || created == 60 {
			t.Fatalf("%d users created, want some of the 60", created)
		}
		got := e.getImport(t, imp.ID)
		if r := got.Results; r == nil || r.JobStatus != roster.JobCancelled || r.Done != created || r.Done+r.Failed+r.NotApplied != 60 {
			t.Fatalf("import results = %+v, want cancelled with %d done and the rest not applied", r, created)
		}
		done, notApplied := 0, 0
		for _, l := range e.resultFile(t, imp.ID)[1:] {
			switch l[5] {
			case "done":
				done++
			case "not applied":
				notApplied++
				if l[6] != "the import was cancelled before this row" || l[1] == "" {
					t.Errorf("line %s = %q, want the row's name and why it was not applied", l[0], l)
				}
			}
		}
		if done != created || done+notApplied != got.Results.Done+got.Results.Failed+got.Results.NotApplied {
			t.Errorf("result file: %d done, %d not applied; want %d done", done, notApplied, created)
		}
		if got.Validatable() {
			t.Error("an import whose job changed users says it can be validated again")
		}
		if _, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), imp.ID, o); !roster.IsCode(err, roster.CodeConflict) || !strings.Contains(err.Error(), "stays as it is") {
			t.Fatalf("validate after a cancelled job changed users: err = %v, want a conflict", err)
		}
	})
}

// The apply and the job's snapshot refuse a file that is not the one
// validated: the presigned PUT used again with other bytes.
func TestImport_FileChangedSinceTheValidation(t *testing.T) {
	ctx := context.Background()
	original := importHeader + "Ada,Lovelace,ada@jobs.example,,,,,,Yes,\n"
	changed := importHeader + "Eve,Intruder,eve@jobs.example,,,,,,Yes,\n" // the same size
	o := roster.ImportOptions{Mode: roster.ImportAdd}
	validated := func(t *testing.T, e *importEnv) (*imports.Upload, *imports.Import) {
		t.Helper()
		up := e.uploadWithLink(t, "team.csv", original)
		pre, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), up.Import.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		if pre.FileETag == "" {
			t.Fatal("the validation recorded no ETag")
		}
		return up, pre
	}

	t.Run("between the validation and the apply", func(t *testing.T) {
		e := newImportEnv(t)
		up, pre := validated(t, e)
		putThrough(t, up.Upload, changed)
		_, _, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), pre.ID, o, pre.Counts)
		var refused *roster.Error
		if !errors.As(err, &refused) || refused.Code != roster.CodeConflict || refused.Field != "file" || refused.Message != "the file changed since it was validated: validate it again" {
			t.Fatalf("apply: err = %v, want a conflict on file", err)
		}
		if got := e.getImport(t, pre.ID); got.JobID != "" || got.Status != imports.ImportValidated {
			t.Fatalf("import = %+v, want validated with no job", got)
		}
		again, err := importsOf(e.svc).ValidateImport(ctx, e.owner(), pre.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		if again.FileETag == pre.FileETag {
			t.Fatal("validated again, the ETag did not move")
		}
		_, j, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), pre.ID, o, again.Counts)
		if err != nil {
			t.Fatal(err)
		}
		e.settle(t, e.worker)
		if got := e.job(t, j.ID); got.Status != roster.JobDone {
			t.Fatalf("job = %+v, want done", got)
		}
		users := e.users(t)
		if users["eve@jobs.example"] == nil || users["ada@jobs.example"] != nil {
			t.Errorf("users = %v, want the file validated again (Eve) applied", users)
		}
	})

	t.Run("between the apply and the job's snapshot", func(t *testing.T) {
		e := newImportEnv(t)
		up, pre := validated(t, e)
		_, j, err := importsOf(e.svc).ApplyImport(ctx, e.owner(), pre.ID, o, pre.Counts)
		if err != nil {
			t.Fatal(err)
		}
		putThrough(t, up.Upload, changed)
		e.settle(t, e.worker)
		got := e.job(t, j.ID)
		if got.Status != roster.JobFailed || got.Message != "the file changed since it was validated: validate it again; nothing was changed" {
			t.Fatalf("job = %+v, want failed: the file changed", got)
		}
		if n := len(e.users(t)); n != 1 {
			t.Errorf("%d users, want only the owner", n)
		}
		lines := e.resultFile(t, pre.ID)
		if len(lines) != 2 || lines[1][0] != "the whole file" || lines[1][5] != "not applied" || lines[1][6] != got.Message {
			t.Errorf("result file = %q, want the whole file not applied, with the job's message", lines)
		}
		if !e.getImport(t, pre.ID).Validatable() {
			t.Error("the import of a job that failed cannot be validated again")
		}
	})
}
