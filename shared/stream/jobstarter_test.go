package stream_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/imports"
)

// addStarter adds a second person of the role, with access, to start jobs
// (the seeded owner stays, so the starter can lose the owner role).
func (e *jobEnv) addStarter(t *testing.T, role roster.Role) *roster.Principal {
	t.Helper()
	u := e.org.AddUser(t, e.store, &roster.User{FirstName: "Sam", LastName: "Starter", Email: "sam-" + string(role) + "@jobs.example", Role: role}, "")
	if err := e.consumer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &roster.Principal{OrgID: e.org.Organization.ID, UserID: u.ID, Role: role, RequestID: "req-starter"}
}

// act runs an action inline as the seeded owner on one user, and wants it done.
func (e *jobEnv) act(t *testing.T, a roster.Action, params roster.ActionParams, userID string) {
	t.Helper()
	res, err := e.svc.RunAction(context.Background(), e.owner(), a, params, roster.Selection{UserIDs: []string{userID}})
	if err != nil || res.Done != 1 {
		t.Fatalf("%s the starter: %+v, %v; want done", a, res, err)
	}
}

// startAt starts action a on every user at the location as p, expecting n of them, and returns its job.
func (e *jobEnv) startAt(t *testing.T, p *roster.Principal, a roster.Action, params roster.ActionParams, location string, n int) *roster.Job {
	t.Helper()
	res, err := e.svc.RunAction(context.Background(), p, a, params,
		roster.Selection{Filter: &roster.UserFilter{LocationID: location}, ExpectedCount: &n})
	if err != nil {
		t.Fatal(err)
	}
	if res.Job == nil {
		t.Fatalf("%d users ran inline, want a job", n)
	}
	return res.Job
}

// runFirstChunk runs the job's steps by hand up to its first chunk.
func (e *jobEnv) runFirstChunk(t *testing.T, j *roster.Job) {
	t.Helper()
	org := e.org.Organization.ID
	for _, step := range []roster.JobStep{
		{Kind: roster.JobStepSnapshot, OrgID: org, JobID: j.ID},
		{Kind: roster.JobStepRelease, OrgID: org, JobID: j.ID},
		{Kind: roster.JobStepChunk, OrgID: org, JobID: j.ID, Seq: 0},
	} {
		if err := e.svc.RunJobStep(context.Background(), step); err != nil {
			t.Fatal(err)
		}
	}
}

// roles counts the users of each role.
func (e *jobEnv) roles(t *testing.T, users []*roster.User) map[roster.Role]int {
	t.Helper()
	out := map[roster.Role]int{}
	for _, u := range e.stored(t, users) {
		out[u.Role]++
	}
	return out
}

// wantStopped checks that the job stopped with the reason after one chunk,
// and that each of the other users is reported not reached.
func (e *jobEnv) wantStopped(t *testing.T, j *roster.Job, reason string, total int) {
	t.Helper()
	got := e.job(t, j.ID)
	if got.Status != roster.JobFailed || got.Message != "stopped: "+reason || got.FinishedAt == nil {
		t.Fatalf("job = %+v, want failed with %q", got, "stopped: "+reason)
	}
	if got.Done != testJobChunkSize || got.Skipped != total-testJobChunkSize || got.Failed != 0 {
		t.Errorf("job tallies: %d done, %d skipped, %d failed; want %d done, the other %d not reached", got.Done, got.Skipped, got.Failed, testJobChunkSize, total-testJobChunkSize)
	}
	outcomes := e.listOutcomes(t, j.ID, "", 40)
	if len(outcomes) != total {
		t.Fatalf("%d outcomes listed, want every one of the %d users", len(outcomes), total)
	}
	notReached := 0
	for _, o := range outcomes {
		switch {
		case o.Result == roster.ResultDone:
		case o.Result == roster.ResultSkipped && o.Reason == "not reached: "+reason:
			notReached++
		default:
			t.Errorf("outcome %+v, want done or skipped as not reached", o)
		}
	}
	if notReached != total-testJobChunkSize {
		t.Errorf("%d users reported not reached, want %d", notReached, total-testJobChunkSize)
	}
}

// An owner starts a job making 75 learners owners; after its first chunk
// they are demoted and deactivated. The job stops at its next chunk: no
// user beyond the first chunk becomes an owner, and each is reported.
func TestJobs_StarterWhoLosesTheRightStopsTheJob(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 75, loc)
	starter := e.addStarter(t, roster.RoleOwner)
	j := e.startAt(t, starter, roster.ActionSetRole, roster.ActionParams{Role: roster.RoleOwner}, loc, len(users))
	e.runFirstChunk(t, j)
	if got := e.roles(t, users)[roster.RoleOwner]; got != testJobChunkSize {
		t.Fatalf("%d owners after the first chunk, want %d", got, testJobChunkSize)
	}

	e.act(t, roster.ActionSetRole, roster.ActionParams{Role: roster.RoleAdmin}, starter.UserID)
	e.act(t, roster.ActionDeactivate, roster.ActionParams{}, starter.UserID)
	e.settle(t, e.worker) // every record again, from the start of the stream

	e.wantStopped(t, j, "the person who started it no longer has the right to change roles to owner", len(users))
	if got := e.roles(t, users); got[roster.RoleOwner] != testJobChunkSize || got[roster.RoleLearner] != len(users)-testJobChunkSize {
		t.Errorf("roles after the job: %v, want %d owners (the first chunk) and the rest learners", got, testJobChunkSize)
	}
}

// An admin's archive job whose starter is deleted after its first chunk:
// a deleted starter has lost access too.
func TestJobs_DeletedStarterStopsTheJob(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 60, loc)
	starter := e.addStarter(t, roster.RoleAdmin)
	j := e.startAt(t, starter, roster.ActionArchive, roster.ActionParams{}, loc, len(users))
	e.runFirstChunk(t, j)

	res, err := e.svc.DeleteUsers(context.Background(), e.owner(), roster.Selection{UserIDs: []string{starter.UserID}}, roster.DeleteConfirmation(1))
	if err != nil || res.Done != 1 {
		t.Fatalf("delete the starter: %+v, %v", res, err)
	}
	e.settle(t, e.worker)

	e.wantStopped(t, j, "the person who started it no longer has the right to archive users", len(users))
	if changed := len(e.changedIDs(t, users)); changed != testJobChunkSize {
		t.Errorf("%d users archived, want %d (the first chunk)", changed, testJobChunkSize)
	}
}

// A starter who keeps the right goes on, with the role they hold now: an
// owner demoted to admin mid-archive still archives learners.
func TestJobs_StarterWhoKeepsTheRightGoesOn(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 60, loc)
	starter := e.addStarter(t, roster.RoleOwner)
	j := e.startAt(t, starter, roster.ActionArchive, roster.ActionParams{}, loc, len(users))
	e.runFirstChunk(t, j)
	e.act(t, roster.ActionSetRole, roster.ActionParams{Role: roster.RoleAdmin}, starter.UserID)
	e.settle(t, e.worker)
	if got := e.job(t, j.ID); got.Status != roster.JobDone || got.Done != len(users) {
		t.Fatalf("job = %+v, want done with %d done", got, len(users))
	}
}

// A starter who loses access before the snapshot ends changes nobody.
func TestJobs_StarterWhoLosesAccessBeforeTheSnapshotChangesNobody(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 40, loc)
	starter := e.addStarter(t, roster.RoleOwner)
	j := e.startAt(t, starter, roster.ActionSetRole, roster.ActionParams{Role: roster.RoleOwner}, loc, len(users))
	e.act(t, roster.ActionDeactivate, roster.ActionParams{}, starter.UserID)
	e.settle(t, e.worker)

	got := e.job(t, j.ID)
	want := "the person who started it no longer has the right to change roles to owner: nothing was changed"
	if got.Status != roster.JobFailed || got.Message != want || got.Done+got.Skipped+got.Failed != 0 || got.FinishedAt == nil {
		t.Fatalf("job = %+v, want failed with %q", got, want)
	}
	for id, v := range e.versions(t, users) {
		if v != 1 {
			t.Errorf("user %s version = %d, want 1 (unchanged)", id, v)
		}
	}
	if listed := e.listOutcomes(t, j.ID, "", 40); len(listed) != 0 {
		t.Errorf("%d outcomes listed, want none: no chunk was released", len(listed))
	}
}

// applyAs uploads the file, validates it and applies it as previewed, all
// as p, and runs the job up to its first chunk.
func (e *importEnv) applyAs(t *testing.T, p *roster.Principal, file string) (*imports.Import, *roster.Job) {
	t.Helper()
	ctx := context.Background()
	up, err := importsOf(e.svc).StartImport(ctx, p, "roster.csv", int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	putThrough(t, up.Upload, file)
	pre, err := importsOf(e.svc).ValidateImport(ctx, p, up.Import.ID, roster.ImportOptions{Mode: roster.ImportAddUpdate})
	if err != nil {
		t.Fatal(err)
	}
	_, j, err := importsOf(e.svc).ApplyImport(ctx, p, pre.ID, pre.Options, pre.Counts)
	if err != nil {
		t.Fatal(err)
	}
	e.runFirstChunk(t, j)
	return pre, j
}

// wantImportStopped checks that the import stopped with the reason after
// its first chunk: its rows added, and every other row in the result file
// as not applied, with the reason.
func (e *importEnv) wantImportStopped(t *testing.T, pre *imports.Import, j *roster.Job, reason string, rows int) {
	t.Helper()
	got := e.job(t, j.ID)
	if got.Status != roster.JobFailed || got.Message != reason || got.Done != testJobChunkSize {
		t.Fatalf("job = %+v, want failed with %q after one chunk", got, reason)
	}
	added := 0
	for key := range e.users(t) {
		if strings.HasPrefix(key, "new-") {
			added++
		}
	}
	if added != testJobChunkSize {
		t.Errorf("%d users added, want %d (the first chunk)", added, testJobChunkSize)
	}
	lines := e.resultFile(t, pre.ID)[1:]
	results := map[string]int{}
	for _, l := range lines {
		results[l[5]]++
		if l[5] == "not applied" && l[6] != reason {
			t.Errorf("line %s not applied because %q, want %q", l[0], l[6], reason)
		}
	}
	if len(lines) != rows || results["done"] != testJobChunkSize || results["not applied"] != rows-testJobChunkSize {
		t.Errorf("result file: %d rows, %v; want %d done and %d not applied", len(lines), results, testJobChunkSize, rows-testJobChunkSize)
	}
	if imp := e.getImport(t, pre.ID); imp.Results == nil || imp.Results.JobStatus != roster.JobFailed || imp.Results.NotApplied != rows-testJobChunkSize {
		t.Errorf("import results = %+v, want the job failed with %d rows not applied", imp.Results, rows-testJobChunkSize)
	}
	// It changed users: it stays as it is, as a cancelled one does.
	if _, err := importsOf(e.svc).ValidateImport(context.Background(), e.owner(), pre.ID, pre.Options); !roster.IsCode(err, roster.CodeConflict) {
		t.Errorf("validate the stopped import again: err = %v, want a conflict", err)
	}
}

// An admin's import of 60 new learners: the admin is deactivated after the
// first chunk. The import stops with the reason; the result file lists the
// rows of the first chunk done and every other row not applied.
func TestImport_StarterWhoLosesAccessStopsTheImport(t *testing.T) {
	e := newImportEnv(t)
	starter := e.addStarter(t, roster.RoleAdmin)
	var file strings.Builder
	file.WriteString(importHeader)
	const rows = 60
	for i := range rows {
		fmt.Fprintf(&file, "New%02d,Learner,,new-%02d,York,,,,,\n", i, i)
	}
	pre, j := e.applyAs(t, starter, file.String())
	e.act(t, roster.ActionDeactivate, roster.ActionParams{}, starter.UserID)
	e.settle(t, e.worker)
	e.wantImportStopped(t, pre, j, "stopped: the person who started it no longer has the right to import users", rows)
}

// An owner's import that adds administrators: the owner, demoted to admin
// after the first chunk, keeps access but no longer may give the admin
// role, which is what the rows do.
func TestImport_OwnerDemotedStopsAnImportGivingRoles(t *testing.T) {
	e := newImportEnv(t)
	starter := e.addStarter(t, roster.RoleOwner)
	var file strings.Builder
	file.WriteString("First name,Last name,User ID,Role\n")
	const rows = 60
	for i := range rows {
		fmt.Fprintf(&file, "New%02d,Admin,new-%02d,admin\n", i, i)
	}
	pre, j := e.applyAs(t, starter, file.String())
	e.act(t, roster.ActionSetRole, roster.ActionParams{Role: roster.RoleAdmin}, starter.UserID)
	e.settle(t, e.worker)
	e.wantImportStopped(t, pre, j, "stopped: the person who started it no longer has the right to import users as administrators or owners", rows)
}

// An import whose starter loses access before its snapshot changes nobody,
// and lists every row not applied; it may be validated again.
func TestImport_StarterWhoLosesAccessBeforeTheSnapshotChangesNobody(t *testing.T) {
	e := newImportEnv(t)
	ctx := context.Background()
	starter := e.addStarter(t, roster.RoleAdmin)
	var file strings.Builder
	file.WriteString(importHeader)
	const rows = 30
	for i := range rows {
		fmt.Fprintf(&file, "New%02d,Learner,,new-%02d,York,,,,,\n", i, i)
	}
	up, err := importsOf(e.svc).StartImport(ctx, starter, "roster.csv", int64(file.Len()))
	if err != nil {
		t.Fatal(err)
	}
	putThrough(t, up.Upload, file.String())
	pre, err := importsOf(e.svc).ValidateImport(ctx, starter, up.Import.ID, roster.ImportOptions{Mode: roster.ImportAddUpdate})
	if err != nil {
		t.Fatal(err)
	}
	_, j, err := importsOf(e.svc).ApplyImport(ctx, starter, pre.ID, pre.Options, pre.Counts)
	if err != nil {
		t.Fatal(err)
	}
	e.act(t, roster.ActionDeactivate, roster.ActionParams{}, starter.UserID)
	e.settle(t, e.worker)

	want := "the person who started it no longer has the right to import users: nothing was changed"
	if got := e.job(t, j.ID); got.Status != roster.JobFailed || got.Message != want || got.Done+got.Skipped+got.Failed != 0 {
		t.Fatalf("job = %+v, want failed with %q", got, want)
	}
	for key := range e.users(t) {
		if strings.HasPrefix(key, "new-") {
			t.Errorf("user %s added, want nobody", key)
		}
	}
	notApplied := 0
	for _, l := range e.resultFile(t, pre.ID)[1:] {
		if l[5] == "not applied" && l[6] == want {
			notApplied++
		}
	}
	if notApplied != rows {
		t.Errorf("%d rows not applied with the reason, want %d", notApplied, rows)
	}
	if imp := e.getImport(t, pre.ID); !imp.Validatable() {
		t.Errorf("import results = %+v: not validatable, want validatable (nothing was changed)", imp.Results)
	}
}
