package bench

import (
	"context"
	"fmt"
	"github.com/rosterhq/roster/shared/imports"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/stream"
	"github.com/rosterhq/roster/shared/training"
)

// poolSize is how many users BenchmarkAssignArchive assigns and archives,
// and how many seats the pool has; ROSTER_BENCH_POOL_USERS changes it.
func poolSize() int { return envSize("ROSTER_BENCH_POOL_USERS", 5_000) }

// BenchmarkAssignArchive assigns a course whose pool has poolSize() seats to
// poolSize() users selected by a filter (one location), as a background job,
// then archives them all by the same filter, as another job: each phase runs
// through the real job path, the job worker and the stream consumer each
// fed by the stream, until its side effects are recorded (for the archive,
// every seat given back by the consumer). It reports each phase's time and
// DynamoDB requests per user, and the pool's figures at the end, and fails
// unless every seat came back exactly once.
func BenchmarkAssignArchive(b *testing.B) {
	n := poolSize()
	ctx := context.Background()
	tbl := testenv.DynamoDB(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain := dynamo.New(tbl.Client, tbl.Name)
	org := fixtures.NewOrg(b, plain, "pool")
	orgID := org.Organization.ID
	loc := org.LocationIDs[0]

	start := time.Now()
	now := start.UTC()
	users := make([]*roster.User, n)
	for i := range users {
		u := benchUser(i, now, []string{loc}, nil)
		u.ID, u.OrgID, u.Role, u.State, u.ArchivedAt, u.ExpiresAt, u.GroupIDs = fmt.Sprintf("p%07d", i), orgID, roster.RoleLearner, roster.StateActive, nil, nil, nil
		users[i] = u
	}
	if err := plain.ImportUsers(ctx, users); err != nil {
		b.Fatal(err)
	}
	consumerClient := &countingClient{db: tbl.Client}
	consumer := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(dynamo.New(consumerClient, tbl.Name)), Log: log}
	// The consumer's batches as its event source mapping in template.yaml makes them.
	consumerPoller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: consumer.Handle, Log: log, BatchSize: 100, BatchingWindow: time.Second}
	if err := consumerPoller.Drain(ctx); err != nil {
		b.Fatal(err)
	}

	jobClient := &countingClient{db: tbl.Client}
	store := dynamo.New(jobClient, tbl.Name)
	svc := withTraining(roster.NewService(store, log), store)
	owner := &roster.Principal{OrgID: orgID, UserID: org.Owner.ID, Role: roster.RoleOwner, RequestID: "bench"}
	seats := n
	course, err := trn(svc).CreateCourse(ctx, owner, training.CourseInput{Name: "Food safety", Seats: &seats})
	if err != nil {
		b.Fatal(err)
	}
	worker := &stream.JobWorker{Decode: dynamo.JobStepFromStream, Jobs: svc, Log: log}
	workerPoller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: worker.Handle, Log: log, BatchSize: 1000}
	if err := workerPoller.Drain(ctx); err != nil { // past the seed's records
		b.Fatal(err)
	}
	b.Logf("seeded %d users in %s", n, time.Since(start).Round(time.Second))

	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, p := range []*streams.Poller{workerPoller, consumerPoller} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = p.Run(runCtx) }()
	}
	defer func() { stop(); wg.Wait() }()

	pool := func() *roster.Course {
		c, err := plain.GetCourse(ctx, orgID, course.ID)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	// phase runs the action on the location's users as a job and returns
	// when the job is done and settled reports its side effects recorded.
	phase := func(name string, a roster.Action, params roster.ActionParams, settled func() bool) (time.Duration, float64, float64) {
		jobClient.reset()
		consumerClient.reset()
		began := time.Now()
		res, err := svc.RunAction(ctx, owner, a, params, roster.Selection{Filter: &roster.UserFilter{LocationID: loc}, ExpectedCount: &n})
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		if res.Job == nil {
			b.Fatalf("%s: %d users ran inline, want a job", name, n)
		}
		finished := false
		for {
			time.Sleep(50 * time.Millisecond)
			if !finished {
				j, err := plain.GetJob(ctx, orgID, res.Job.ID)
				if err != nil {
					b.Fatal(err)
				}
				if finished = j.Status.Finished(); finished && (j.Status != roster.JobDone || j.Done != n) {
					b.Fatalf("%s: job = %+v, want done with %d done", name, j, n)
				}
			}
			if finished && settled() {
				break
			}
		}
		took := time.Since(began)
		jobRequests, _ := jobClient.totals()
		consumerRequests, _ := consumerClient.totals()
		return took, float64(jobRequests) / float64(n), float64(consumerRequests) / float64(n)
	}

	assignTime, assignJobReq, assignStreamReq := phase("assign", roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{course.ID}}, func() bool {
		c, err := plain.CountUsers(ctx, orgID, roster.UserFilter{CourseID: course.ID})
		if err != nil {
			b.Fatal(err)
		}
		return c.Total == n
	})
	if c := pool(); c.Reserved != n || c.Used != 0 || *c.Free() != 0 {
		b.Fatalf("after assigning: pool reserved %d, used %d, free %d; want %d, 0, 0", c.Reserved, c.Used, *c.Free(), n)
	}
	archiveTime, archiveJobReq, archiveStreamReq := phase("archive", roster.ActionArchive, roster.ActionParams{}, func() bool {
		return archivedCount(b, plain, orgID) == n && pool().Reserved == 0
	})

	end := pool()
	if end.Reserved != 0 || end.Used != 0 || *end.Free() != *end.Seats || *end.Seats != n {
		b.Fatalf("pool at the end: bought %d, reserved %d, used %d, free %d; want every seat back", *end.Seats, end.Reserved, end.Used, *end.Free())
	}
	kinds := ledgerKinds(b, plain, orgID, course.ID)
	if kinds[training.SeatsBought] != 1 || kinds[training.SeatsReserved] != n || kinds[training.SeatsReleased] != n || len(kinds) != 3 {
		b.Fatalf("ledger entries by kind: %v; want 1 bought (the creation), %d reserved and %d released", kinds, n, n)
	}
	b.Logf("assign: %s, %.2f requests per user (job %.2f, stream %.2f); archive with every seat back: %s, %.2f requests per user (job %.2f, stream %.2f); pool at the end: bought %d, reserved %d, used %d, free %d; ledger %v",
		assignTime.Round(time.Millisecond), assignJobReq+assignStreamReq, assignJobReq, assignStreamReq,
		archiveTime.Round(time.Millisecond), archiveJobReq+archiveStreamReq, archiveJobReq, archiveStreamReq,
		*end.Seats, end.Reserved, end.Used, *end.Free(), kinds)
	b.ReportMetric(assignTime.Seconds(), "assign-s")
	b.ReportMetric(archiveTime.Seconds(), "archive-s")
	b.ReportMetric(assignJobReq+assignStreamReq, "assign-req/user")
	b.ReportMetric(archiveJobReq+archiveStreamReq, "archive-req/user")
	b.ReportMetric(float64(*end.Free()), "free-seats")
}

// ledgerKinds counts a course's ledger entries by kind.
func ledgerKinds(b *testing.B, store *dynamo.Store, orgID, courseID string) map[training.SeatKind]int {
	b.Helper()
	kinds := map[training.SeatKind]int{}
	cursor := ""
	for {
		page, err := store.ListSeatLedger(context.Background(), orgID, courseID, roster.PageRequest{Limit: training.MaxLedgerPage, Cursor: cursor})
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range page.Items {
			kinds[e.Kind]++
		}
		if cursor = page.NextCursor; cursor == "" {
			return kinds
		}
	}
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

// importsOf is svc's import service.
func importsOf(svc *roster.Service) *imports.Service { return svc.Imports.(*imports.Service) }
