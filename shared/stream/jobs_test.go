package stream_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/training"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/stream"
)

// jobEnv is a table with an organization, the stream consumer and a job
// worker, each fed by its own poller as by its own event source mapping.
type jobEnv struct {
	tbl      *testenv.Table
	store    *dynamo.Store
	svc      *roster.Service
	org      *fixtures.Org
	consumer *streams.Poller
	worker   *streams.Poller
	// calls records the stream functions' AWS calls for the template's
	// IAM policies; mustCall names the functions a test must see call.
	calls    *iamcheck.Recorder
	mustCall []string
}

const (
	testJobThreshold = 20
	testJobChunkSize = 25
)

func newJobEnv(t *testing.T) *jobEnv {
	t.Helper()
	e := &jobEnv{tbl: testenv.DynamoDB(t), calls: iamcheck.NewRecorder()}
	t.Cleanup(func() { iamcheck.CheckTemplate(t, e.calls, e.mustCall...) })
	e.store = dynamo.New(e.calls.DynamoDB(e.tbl.Client), e.tbl.Name)
	e.svc = newJobService(e.store)
	e.org = fixtures.NewOrg(t, e.store, "jobs")
	c := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(e.store), Log: quiet}
	e.consumer = &streams.Poller{Client: e.tbl.Streams, StreamARN: e.tbl.StreamARN, Handler: iamcheck.AsFunction("stream", c.Handle), Log: quiet, BatchSize: 1000}
	e.worker = e.newWorker(e.svc)
	return e
}

func newJobService(store *dynamo.Store) *roster.Service {
	svc := withTraining(roster.NewService(store, quiet), store)
	svc.JobThreshold, svc.JobChunkSize = testJobThreshold, testJobChunkSize
	return svc
}

// withTraining gives svc the training service on store, reading svc's
// clock and ids, as shared/app wires them.
func withTraining(svc *roster.Service, store *dynamo.Store) *roster.Service {
	svc.Imports = &imports.Service{Service: svc, Store: store}
	svc.Training = &training.Service{Store: store, Now: func() time.Time { return svc.Now() }, NewID: func() string { return svc.NewID() }, Log: svc.Log}
	return svc
}

// trn is svc's training service.
func trn(svc *roster.Service) *training.Service { return svc.Training.(*training.Service) }

// newWorker returns a poller feeding a job worker on svc from the start of
// the stream: a new one redelivers every record, as Lambda does after a crash.
func (e *jobEnv) newWorker(svc *roster.Service) *streams.Poller {
	w := &stream.JobWorker{Decode: dynamo.JobStepFromStream, Jobs: svc, Log: quiet}
	return &streams.Poller{Client: e.tbl.Streams, StreamARN: e.tbl.StreamARN, Handler: iamcheck.AsFunction("job-worker", w.Handle), Log: quiet, Retries: 1}
}

// settle runs the worker and the consumer until neither has anything left.
func (e *jobEnv) settle(t *testing.T, worker *streams.Poller) {
	t.Helper()
	ctx := context.Background()
	for {
		before := worker.Delivered() + e.consumer.Delivered()
		if err := worker.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if err := e.consumer.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if worker.Delivered()+e.consumer.Delivered() == before {
			return
		}
	}
}

// addUsers imports n learners at the location and records them on the stream.
func (e *jobEnv) addUsers(t *testing.T, n int, location string) []*roster.User {
	t.Helper()
	now := time.Now().UTC()
	// Ids in the users' order, so that lists ordered by id (an import's
	// users not in the file) come in the same order in every run.
	ids := make([]string, n)
	for i := range ids {
		ids[i] = roster.NewRandomID()
	}
	slices.Sort(ids)
	users := make([]*roster.User, n)
	for i := range users {
		users[i] = &roster.User{
			ID: ids[i], OrgID: e.org.Organization.ID, FirstName: fmt.Sprintf("First%04d", i), LastName: "Learner",
			UserID: fmt.Sprintf("emp-%s-%04d", location, i), Role: roster.RoleLearner, State: roster.StateActive, LocationID: location,
			CreatedAt: now, UpdatedAt: now, Version: 1,
		}
	}
	if err := e.store.ImportUsers(context.Background(), users); err != nil {
		t.Fatal(err)
	}
	if err := e.consumer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return users
}

func (e *jobEnv) owner() *roster.Principal {
	return &roster.Principal{OrgID: e.org.Organization.ID, UserID: e.org.Owner.ID, Role: roster.RoleOwner, RequestID: "req-job"}
}

// archiveAt starts archiving every user at the location, expecting n of them.
func (e *jobEnv) archiveAt(t *testing.T, location string, n int) *roster.Job {
	t.Helper()
	res, err := e.svc.RunAction(context.Background(), e.owner(), roster.ActionArchive, roster.ActionParams{},
		roster.Selection{Filter: &roster.UserFilter{LocationID: location}, ExpectedCount: &n})
	if err != nil {
		t.Fatal(err)
	}
	if res.Job == nil {
		t.Fatalf("%d users ran inline (%d done), want a job", n, res.Done)
	}
	return res.Job
}

func (e *jobEnv) job(t *testing.T, id string) *roster.Job {
	t.Helper()
	j, err := e.svc.GetJob(context.Background(), e.owner(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// stored reads users as the store has them now, by id.
func (e *jobEnv) stored(t *testing.T, users []*roster.User) map[string]*roster.User {
	t.Helper()
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	got, err := e.store.GetUsers(context.Background(), e.org.Organization.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// versions returns each user's stored version.
func (e *jobEnv) versions(t *testing.T, users []*roster.User) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for id, u := range e.stored(t, users) {
		out[id] = u.Version
	}
	return out
}

// archivedAudits counts the user.archived audit entries per user.
func (e *jobEnv) archivedAudits(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	cursor := ""
	for {
		page, err := e.store.ListAudit(context.Background(), e.org.Organization.ID, audit.Filter{Action: "user.archived"}, roster.PageRequest{Limit: 200, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Items {
			out[a.TargetID]++
		}
		if cursor = page.NextCursor; cursor == "" {
			return out
		}
	}
}

// listOutcomes returns every outcome of the job of one result ("" for all),
// reading pages of limit.
func (e *jobEnv) listOutcomes(t *testing.T, id string, result roster.Result, limit int) []roster.JobOutcome {
	t.Helper()
	var out []roster.JobOutcome
	cursor := ""
	for {
		page, err := e.svc.ListJobOutcomes(context.Background(), e.owner(), id, result, roster.PageRequest{Limit: limit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return out
		}
		if len(page.Items) != limit {
			t.Fatalf("a page of %d outcomes with a cursor, want %d", len(page.Items), limit)
		}
	}
}

// doneIDs returns the ids of the outcomes that are done.
func doneIDs(outcomes []roster.JobOutcome) []string {
	var ids []string
	for _, o := range outcomes {
		if o.Result == roster.ResultDone {
			ids = append(ids, o.UserID)
		}
	}
	return ids
}

// changedIDs returns the ids of the users at version 2, in the order given.
func (e *jobEnv) changedIDs(t *testing.T, users []*roster.User) []string {
	t.Helper()
	v := e.versions(t, users)
	var ids []string
	for _, u := range users {
		if v[u.ID] == 2 {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// wantEachChangedOnce checks that every user is archived, at version 2, with
// one audit entry, and the roster counts moved by exactly that many.
func (e *jobEnv) wantEachChangedOnce(t *testing.T, users []*roster.User) {
	t.Helper()
	for id, v := range e.versions(t, users) {
		if v != 2 {
			t.Errorf("user %s version = %d, want 2 (changed exactly once)", id, v)
		}
	}
	audits := e.archivedAudits(t)
	for _, u := range users {
		if audits[u.ID] != 1 {
			t.Errorf("user %s has %d archive audit entries, want 1", u.ID, audits[u.ID])
		}
	}
	counts, err := e.store.GetRosterCounts(context.Background(), e.org.Organization.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Archived != len(users) {
		t.Errorf("archived count = %d, want %d", counts.Archived, len(users))
	}
}

func TestJobs_ArchiveByFilterRunsToDone(t *testing.T) {
	e := newJobEnv(t)
	e.mustCall = []string{"job-worker", "stream"} // the policies of both are checked here
	loc, other := e.org.LocationIDs[0], e.org.LocationIDs[1]
	users := e.addUsers(t, 110, loc)
	bystanders := e.addUsers(t, 5, other)
	ctx := context.Background()

	j := e.archiveAt(t, loc, len(users))
	if j.Status != roster.JobSnapshotting {
		t.Fatalf("new job status = %s, want snapshotting", j.Status)
	}
	e.settle(t, e.worker)

	got := e.job(t, j.ID)
	if got.Status != roster.JobDone || got.Done != 110 || got.Skipped != 0 || got.Failed != 0 || got.Total != 110 || got.Chunks != 5 || got.FinishedAt == nil {
		t.Fatalf("job = %+v, want done with 110 done in 5 chunks", got)
	}
	e.wantEachChangedOnce(t, users)
	for id, v := range e.versions(t, bystanders) {
		if v != 1 {
			t.Errorf("bystander %s version = %d, want 1", id, v)
		}
	}

	t.Run("outcomes page by page", func(t *testing.T) {
		var seen []string
		cursor := ""
		for {
			page, err := e.svc.ListJobOutcomes(ctx, e.owner(), j.ID, roster.ResultDone, roster.PageRequest{Limit: 40, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page.Items {
				if o.Result != roster.ResultDone || o.LastName != "Learner" {
					t.Fatalf("outcome = %+v, want done with the user's name", o)
				}
				seen = append(seen, o.UserID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 110 || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != 110 {
			t.Fatalf("listed %d outcomes, want 110 distinct", len(seen))
		}
		skipped, err := e.svc.ListJobOutcomes(ctx, e.owner(), j.ID, roster.ResultSkipped, roster.PageRequest{})
		if err != nil || len(skipped.Items) != 0 {
			t.Fatalf("skipped outcomes = %v, %v; want none", skipped, err)
		}
	})

	t.Run("a done user's outcome is the job noted on the user: no outcome item", func(t *testing.T) {
		read, err := e.store.GetUsers(ctx, e.org.Organization.ID, []string{users[0].ID, users[109].ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range read {
			if !u.ChangedByJob(j.ID) {
				t.Errorf("user %s notes jobs %v, want %s", u.ID, u.RecentJobs, j.ID)
			}
		}
		items, err := e.tbl.Client.Query(ctx, &dynamodb.QueryInput{
			TableName:              &e.tbl.Name,
			KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": &types.AttributeValueMemberS{Value: "ORG#" + e.org.Organization.ID}, ":prefix": &types.AttributeValueMemberS{Value: "JOBUSER#" + j.ID + "#"},
			},
		})
		if err != nil || items.Count != 0 {
			t.Fatalf("outcome items of the job: %v, %v; want none", items.Count, err)
		}
	})

	t.Run("a finished job cannot be cancelled", func(t *testing.T) {
		_, err := e.svc.CancelJob(ctx, e.owner(), j.ID)
		if !roster.IsCode(err, roster.CodeConflict) {
			t.Fatalf("cancel a done job: err = %v, want a conflict", err)
		}
	})

	t.Run("the same job again, users already archived, skips them", func(t *testing.T) {
		n := 110
		_, err := e.svc.RunAction(ctx, e.owner(), roster.ActionArchive, roster.ActionParams{},
			roster.Selection{Filter: &roster.UserFilter{LocationID: loc, Archived: roster.ArchivedOnly}, ExpectedCount: &n})
		if err != nil {
			t.Fatal(err)
		}
		e.settle(t, e.worker)
		e.wantEachChangedOnce(t, users)
	})
}

func TestJobs_KilledPartWayResumesWithNoUserChangedTwice(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 80, loc)
	j := e.archiveAt(t, loc, len(users))

	// The first worker dies after 60 writes: the snapshot (4 chunk writes,
	// the flip, 4 releases) and about 50 users.
	dying := newJobService(dynamo.New(newKillingClient(e.tbl.Client, 60), e.tbl.Name))
	e.settle(t, e.newWorker(dying))
	mid := e.job(t, j.ID)
	if mid.Status != roster.JobRunning || mid.Done >= 80 {
		t.Fatalf("after the kill: job = %+v, want running with users left", mid)
	}
	changed := 0
	for _, v := range e.versions(t, users) {
		if v == 2 {
			changed++
		}
	}
	if changed == 0 || changed == 80 {
		t.Fatalf("%d users changed before the kill, want some but not all", changed)
	}
	// The chunks the kill stopped are not done: their done users are the
	// users noting the job, listed as they are.
	if listed, want := doneIDs(e.listOutcomes(t, j.ID, roster.ResultDone, 30)), e.changedIDs(t, users); !slices.Equal(listed, want) {
		t.Fatalf("done outcomes after the kill: %d listed, want the %d users changed", len(listed), len(want))
	}

	// A new worker gets every record again, from the start of the stream.
	e.settle(t, e.newWorker(e.svc))
	got := e.job(t, j.ID)
	if got.Status != roster.JobDone || got.Done != 80 || got.Skipped != 0 || got.Failed != 0 || got.ChunksDone != 4 {
		t.Fatalf("after the resume: job = %+v, want done, 80 done", got)
	}
	e.wantEachChangedOnce(t, users)
	if listed := e.listOutcomes(t, j.ID, "", 30); len(doneIDs(listed)) != 80 || len(listed) != 80 {
		t.Fatalf("outcomes after the resume: %d, %d done; want 80 done", len(listed), len(doneIDs(listed)))
	}
}

func TestJobs_SnapshotCountMismatchFailsAndChangesNobody(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 30, loc)
	j := e.archiveAt(t, loc, len(users))
	users = append(users, e.addUsers(t, 1, loc)...) // arrives before the snapshot

	e.settle(t, e.worker)
	got := e.job(t, j.ID)
	want := "the filter now matches 31 users, not 30: nothing was changed"
	if got.Status != roster.JobFailed || got.Message != want || got.Done != 0 || got.FinishedAt == nil {
		t.Fatalf("job = %+v, want failed with %q", got, want)
	}
	for id, v := range e.versions(t, users) {
		if v != 1 {
			t.Errorf("user %s version = %d, want 1 (unchanged)", id, v)
		}
	}
}

func TestJobs_CancelStopsBetweenChunks(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 75, loc)
	j := e.archiveAt(t, loc, len(users))
	ctx := context.Background()
	org := e.org.Organization.ID

	// Run the steps by hand up to the first chunk, then cancel.
	for _, step := range []roster.JobStep{
		{Kind: roster.JobStepSnapshot, OrgID: org, JobID: j.ID},
		{Kind: roster.JobStepRelease, OrgID: org, JobID: j.ID},
		{Kind: roster.JobStepChunk, OrgID: org, JobID: j.ID, Seq: 0},
	} {
		if err := e.svc.RunJobStep(ctx, step); err != nil {
			t.Fatal(err)
		}
	}
	cancelled, err := e.svc.CancelJob(ctx, e.owner(), j.ID)
	if err != nil || cancelled.Status != roster.JobCancelled {
		t.Fatalf("cancel: %+v, %v", cancelled, err)
	}
	e.settle(t, e.worker)

	got := e.job(t, j.ID)
	if got.Status != roster.JobCancelled || got.Done != testJobChunkSize || got.FinishedAt == nil {
		t.Fatalf("job = %+v, want cancelled after one chunk of %d", got, testJobChunkSize)
	}
	changed := 0
	for _, v := range e.versions(t, users) {
		if v == 2 {
			changed++
		}
	}
	if changed != testJobChunkSize {
		t.Fatalf("%d users changed, want %d", changed, testJobChunkSize)
	}
	// The chunks never run list nobody.
	if listed, want := doneIDs(e.listOutcomes(t, j.ID, "", 10)), e.changedIDs(t, users); !slices.Equal(listed, want) {
		t.Fatalf("outcomes of the cancelled job: %v, want the users changed %v", listed, want)
	}
}

func TestJobs_BadAndForeignIDsAreNotFound(t *testing.T) {
	e := newJobEnv(t)
	loc := e.org.LocationIDs[0]
	users := e.addUsers(t, 21, loc)
	j := e.archiveAt(t, loc, len(users))
	theirs := &roster.Principal{OrgID: "another-org", UserID: "x", Role: roster.RoleOwner}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		p    *roster.Principal
		id   string
	}{
		{"another organization's job", theirs, j.ID},
		{"unknown id", e.owner(), "nosuchjob"},
		{"id with a key separator", e.owner(), j.ID + "#x"},
		{"empty id", e.owner(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.svc.GetJob(ctx, tc.p, tc.id); !roster.IsCode(err, roster.CodeNotFound) {
				t.Errorf("get: err = %v, want not found", err)
			}
			if _, err := e.svc.CancelJob(ctx, tc.p, tc.id); !roster.IsCode(err, roster.CodeNotFound) {
				t.Errorf("cancel: err = %v, want not found", err)
			}
			if _, err := e.svc.ListJobOutcomes(ctx, tc.p, tc.id, "", roster.PageRequest{}); !roster.IsCode(err, roster.CodeNotFound) {
				t.Errorf("outcomes: err = %v, want not found", err)
			}
		})
	}
}

func TestJobStepFromStream_SampleEvent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "functions", "job-worker", "testdata", "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	const org, job = "k3v9q2m8x4c7n1p5r6t0w2y8za", "q4m8x2c7n1p5r6t0w3y9zbk2va"
	want := []roster.JobStep{
		{Kind: roster.JobStepSnapshot, OrgID: org, JobID: job},
		{Kind: roster.JobStepChunk, OrgID: org, JobID: job, Seq: 0},
	}
	if len(ev.Records) != len(want) {
		t.Fatalf("%d records, want %d", len(ev.Records), len(want))
	}
	for i, r := range ev.Records {
		got, ok, err := dynamo.JobStepFromStream(r)
		if err != nil || !ok || got != want[i] {
			t.Errorf("record %d: step %+v, %v, %v; want %+v", i, got, ok, err, want[i])
		}
	}
	// A user record asks for no step.
	user, err := os.ReadFile(filepath.Join("..", "..", "functions", "stream", "testdata", "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	var uev events.DynamoDBEvent
	if err := json.Unmarshal(user, &uev); err != nil {
		t.Fatal(err)
	}
	for i, r := range uev.Records {
		if _, ok, err := dynamo.JobStepFromStream(r); ok || err != nil {
			t.Errorf("user record %d: ok %v, err %v; want no step", i, ok, err)
		}
	}
}

// The job worker's user writes hold every kind of transaction item: a group
// and a location checked, memberships put and deleted. Its policy in
// template.yaml is checked against them when the test ends (newJobEnv).
func TestJobs_GroupAndLocationJobsRunToDone(t *testing.T) {
	e := newJobEnv(t)
	e.mustCall = []string{"job-worker"}
	loc, other, group := e.org.LocationIDs[0], e.org.LocationIDs[1], e.org.GroupIDs[0]
	n := len(e.addUsers(t, 30, loc))
	for _, step := range []struct {
		action roster.Action
		params roster.ActionParams
	}{
		{roster.ActionAddToGroups, roster.ActionParams{GroupIDs: []string{group}}},
		{roster.ActionRemoveFromGroups, roster.ActionParams{GroupIDs: []string{group}}},
		{roster.ActionSetLocation, roster.ActionParams{LocationID: other}},
	} {
		res, err := e.svc.RunAction(context.Background(), e.owner(), step.action, step.params,
			roster.Selection{Filter: &roster.UserFilter{LocationID: loc}, ExpectedCount: &n})
		if err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
		if res.Job == nil {
			t.Fatalf("%s: %d users ran inline, want a job", step.action, n)
		}
		e.settle(t, e.worker)
		if got := e.job(t, res.Job.ID); got.Status != roster.JobDone || got.Done != n {
			t.Fatalf("%s: job = %+v, want done with %d done", step.action, got, n)
		}
	}
}

// importsOf is svc's import service.
func importsOf(svc *roster.Service) *imports.Service { return svc.Imports.(*imports.Service) }
