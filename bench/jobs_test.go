package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/stream"
)

// jobSize is how many users the job benchmark archives; ROSTER_BENCH_JOB_USERS changes it.
func jobSize() int { return envSize("ROSTER_BENCH_JOB_USERS", 10_000) }

// bareWorkers is how many bare transactions are written at once: as many as
// a chunk of a job applies at once.
const bareWorkers = 16

// BenchmarkArchiveJob archives jobSize() users selected by a filter (one
// location) as a background job: the action's request, the job worker fed
// by the stream (snapshot, chunks, each user's write noting the job), and
// the stream consumer recording every change (audit entries and counters,
// in batches as its event source mapping makes them), until the roster
// counts show every user archived. In the same run it writes the bare
// transactions the action needs for as many other users (the same shape:
// each user's item archived, conditional on its version, 16 at a time, then
// their side effects) and reports the ratio of the two times, and the
// DynamoDB requests per user of the job and of the consumer.
func BenchmarkArchiveJob(b *testing.B) {
	n := jobSize()
	ctx := context.Background()
	tbl := testenv.DynamoDB(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain := dynamo.New(tbl.Client, tbl.Name)
	org := fixtures.NewOrg(b, plain, "jobs")
	orgID := org.Organization.ID
	jobLoc, bareLoc := org.LocationIDs[0], org.LocationIDs[1]

	start := time.Now()
	now := start.UTC()
	users := make([]*roster.User, 0, 2*n)
	for i := range 2 * n {
		u := benchUser(i, now, []string{jobLoc}, nil)
		u.ID, u.OrgID, u.Role, u.State, u.ArchivedAt, u.ExpiresAt, u.GroupIDs = fmt.Sprintf("j%07d", i), orgID, roster.RoleLearner, roster.StateActive, nil, nil, nil
		u.LocationID = jobLoc
		if i >= n {
			u.LocationID = bareLoc
		}
		users = append(users, u)
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
	b.Logf("seeded %d users in %s", 2*n, time.Since(start).Round(time.Second))

	// The bare writes of the other location's users: each user's archive
	// transaction, built from the stored item (no read timed), then the side
	// effects' transactions (audit entries and counters, 100 items each)
	// written by the store from the changes in memory, without the stream.
	// Half are written before the job and half after it, so that the load of
	// a shared machine drifting during the run weighs on both measures alike.
	bare := bareArchiveTransactions(b, tbl, orgID, users[n:], now)
	userChanges := make([]roster.UserChange, 0, n)
	for _, old := range users[n:] {
		archived := *old
		archived.ArchivedAt, archived.UpdatedAt, archived.Version = &now, now, old.Version+1
		userChanges = append(userChanges, roster.UserChange{Old: old, New: &archived})
	}
	var userWriteTime, bareTime time.Duration
	writeBare := func(from, to, wantArchived int) {
		began := time.Now()
		writeAll(b, tbl.Client, bare[from:to])
		userWriteTime += time.Since(began)
		if recorded, err := changes.NewRecorder(plain).RecordUserChanges(ctx, userChanges[from:to]); err != nil || recorded != to-from {
			b.Fatalf("side effects: %d of %d recorded: %v", recorded, to-from, err)
		}
		bareTime += time.Since(began)
		// The consumer then reads the same changes from the stream and finds
		// them recorded: nothing moves twice (checked below).
		if err := consumerPoller.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		if archived := archivedCount(b, plain, orgID); archived != wantArchived {
			b.Fatalf("after the bare writes %d users are archived, want %d", archived, wantArchived)
		}
	}
	// The split falls between reads of bareArchiveTransactions, which
	// return 100 users at a time in no order among them.
	half := n / 2 / 100 * 100
	writeBare(0, half, half)
	consumerClient.reset()

	// The job, driven by the stream as in AWS: the worker and the consumer
	// each read the stream on their own. The worker's poller reads large
	// batches: unlike the event source mapping it does not filter out the
	// records that are not a job's.
	jobClient := &countingClient{db: tbl.Client}
	jobStore := dynamo.New(jobClient, tbl.Name)
	svc := withTraining(roster.NewService(jobStore, log), jobStore)
	worker := &stream.JobWorker{Decode: dynamo.JobStepFromStream, Jobs: svc, Log: log}
	workerPoller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: worker.Handle, Log: log, BatchSize: 1000}
	if err := workerPoller.Drain(ctx); err != nil { // past the seed's records
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, p := range []*streams.Poller{workerPoller, consumerPoller} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = p.Run(runCtx) }()
	}
	owner := &roster.Principal{OrgID: orgID, UserID: org.Owner.ID, Role: roster.RoleOwner, RequestID: "bench"}
	jobStart := time.Now()
	res, err := svc.RunAction(ctx, owner, roster.ActionArchive, roster.ActionParams{}, roster.Selection{Filter: &roster.UserFilter{LocationID: jobLoc}, ExpectedCount: &n})
	if err != nil {
		b.Fatal(err)
	}
	if res.Job == nil {
		b.Fatalf("%d users ran inline, want a job", n)
	}
	var jobTime, snapshotTime time.Duration
	for {
		time.Sleep(50 * time.Millisecond)
		if jobTime == 0 {
			j, err := plain.GetJob(ctx, orgID, res.Job.ID)
			if err != nil {
				b.Fatal(err)
			}
			if snapshotTime == 0 && j.Status != roster.JobSnapshotting {
				snapshotTime = time.Since(jobStart)
			}
			if j.Status.Finished() {
				jobTime = time.Since(jobStart)
				if j.Status != roster.JobDone || j.Done != n {
					b.Fatalf("job = %+v, want done with %d done", j, n)
				}
			}
		}
		if jobTime != 0 && archivedCount(b, plain, orgID) == half+n {
			break
		}
	}
	total := time.Since(jobStart)
	stop()
	wg.Wait()
	jobRequests, _ := jobClient.totals()
	consumerRequests, _ := consumerClient.totals()
	writeBare(half, n, 2*n)

	b.Logf("bare writes: %d user transactions in %s, with their side effects %s; job: snapshot checked after %s, done in %s, side effects recorded %s after the request",
		n, userWriteTime.Round(time.Millisecond), bareTime.Round(time.Millisecond), snapshotTime.Round(time.Millisecond), jobTime.Round(time.Millisecond), total.Round(time.Millisecond))
	b.ReportMetric(total.Seconds(), "total-s")
	b.ReportMetric(jobTime.Seconds(), "job-s")
	b.ReportMetric(snapshotTime.Seconds(), "snapshot-s")
	b.ReportMetric(bareTime.Seconds(), "bare-s")
	b.ReportMetric(userWriteTime.Seconds(), "bare-user-s")
	b.ReportMetric(total.Seconds()/bareTime.Seconds(), "ratio")
	b.ReportMetric(total.Seconds()/userWriteTime.Seconds(), "ratio-to-user-writes")
	b.ReportMetric(float64(jobRequests)/float64(n), "job-req/user")
	b.ReportMetric(float64(consumerRequests)/float64(n), "stream-req/user")
	b.ReportMetric(float64(jobRequests+consumerRequests)/float64(n), "req/user")
}

// bareArchiveTransactions reads the users' stored items (not timed) and
// returns, for each, the transaction that archives it as UpdateUser writes
// it for a user without groups: the item with every index key moved to the
// archived bucket, conditional on the version read.
func bareArchiveTransactions(b *testing.B, tbl *testenv.Table, orgID string, users []*roster.User, now time.Time) []types.TransactWriteItem {
	b.Helper()
	var out []types.TransactWriteItem
	for start := 0; start < len(users); start += 100 {
		keys := make([]map[string]types.AttributeValue, 0, 100)
		for _, u := range users[start:min(start+100, len(users))] {
			keys = append(keys, map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: "ORG#" + orgID}, "SK": &types.AttributeValueMemberS{Value: "USER#" + u.ID},
			})
		}
		pending := map[string]types.KeysAndAttributes{tbl.Name: {Keys: keys}}
		for len(pending) > 0 {
			got, err := tbl.Client.BatchGetItem(context.Background(), &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				b.Fatal(err)
			}
			for _, item := range got.Responses[tbl.Name] {
				out = append(out, archiveTransaction(b, tbl.Name, item, now))
			}
			pending = got.UnprocessedKeys
		}
	}
	return out
}

func archiveTransaction(b *testing.B, table string, item map[string]types.AttributeValue, now time.Time) types.TransactWriteItem {
	b.Helper()
	version, err := strconv.Atoi(item["version"].(*types.AttributeValueMemberN).Value)
	if err != nil {
		b.Fatal(err)
	}
	at := &types.AttributeValueMemberS{Value: now.Format(time.RFC3339Nano)}
	item["archivedAt"], item["updatedAt"] = at, at
	item["version"] = &types.AttributeValueMemberN{Value: strconv.Itoa(version + 1)}
	for _, k := range []string{"nameSK", "firstNameSK", "emailSK", "userIdSK", "expirySK"} {
		if v, ok := item[k].(*types.AttributeValueMemberS); ok {
			item[k] = &types.AttributeValueMemberS{Value: "X#" + strings.TrimPrefix(v.Value, "A#")}
		}
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(table), Item: item, ConditionExpression: aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(version)}},
	}}
}

// writeAll writes each transaction, bareWorkers at a time.
func writeAll(b *testing.B, db *dynamodb.Client, txs []types.TransactWriteItem) {
	b.Helper()
	next := make(chan types.TransactWriteItem)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range bareWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tx := range next {
				_, err := db.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{tx}})
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, tx := range txs {
		next <- tx
	}
	close(next)
	wg.Wait()
	if first != nil {
		b.Fatal(first)
	}
}

func archivedCount(b *testing.B, store *dynamo.Store, orgID string) int {
	b.Helper()
	c, err := store.GetRosterCounts(context.Background(), orgID)
	if err != nil {
		b.Fatal(err)
	}
	return c.Archived
}
