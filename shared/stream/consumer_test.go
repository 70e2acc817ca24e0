package stream_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/infra/deploy/iamcheck"
	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/stream"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// recording wraps a handler and keeps every batch it was given.
type recording struct {
	mu      sync.Mutex
	records []events.DynamoDBEventRecord
	handle  streams.Handler
}

func (r *recording) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	r.mu.Lock()
	r.records = append(r.records, ev.Records...)
	r.mu.Unlock()
	return r.handle(ctx, ev)
}

type env struct {
	tbl      *testenv.Table
	store    *dynamo.Store
	consumer *stream.Consumer
	rec      *recording
	poller   *streams.Poller
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{tbl: testenv.DynamoDB(t)}
	calls := iamcheck.NewRecorder()
	t.Cleanup(func() { iamcheck.CheckTemplate(t, calls) })
	e.store = dynamo.New(calls.DynamoDB(e.tbl.Client), e.tbl.Name)
	e.consumer = &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(e.store), Log: quiet}
	e.rec = &recording{handle: iamcheck.AsFunction("stream", e.consumer.Handle)}
	e.poller = &streams.Poller{Client: e.tbl.Streams, StreamARN: e.tbl.StreamARN, Handler: e.rec.Handle, Log: quiet}
	return e
}

func (e *env) drain(t *testing.T) {
	t.Helper()
	if err := e.poller.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (e *env) auditCount(t *testing.T, org string) int {
	t.Helper()
	out, err := e.tbl.Client.Query(context.Background(), &dynamodb.QueryInput{
		TableName:              &e.tbl.Name,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "ORG#" + org}, ":a": &types.AttributeValueMemberS{Value: "AUDIT#"},
		},
		Select: types.SelectCount,
	})
	if err != nil {
		t.Fatal(err)
	}
	return int(out.Count)
}

func (e *env) counts(t *testing.T, org string) roster.RosterCounts {
	t.Helper()
	c, err := e.store.GetRosterCounts(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) addUser(t *testing.T, org, first string) *roster.User {
	t.Helper()
	now := time.Now().UTC()
	if _, err := e.store.GetGroup(context.Background(), org, "g1"); err != nil {
		if err := e.store.CreateGroup(context.Background(), &roster.Group{ID: "g1", OrgID: org, Name: "Group one", Version: 1}); err != nil {
			t.Fatal(err)
		}
	}
	u := &roster.User{ID: roster.NewRandomID(), OrgID: org, FirstName: first, LastName: "Test", UserID: first, Role: roster.RoleLearner, State: roster.StateActive, GroupIDs: []string{"g1"}, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) setArchived(t *testing.T, org, id string, archived bool) {
	t.Helper()
	_, err := e.store.UpdateUser(context.Background(), org, id, 0, func(u *roster.User) error {
		u.UpdatedAt = time.Now().UTC()
		u.ArchivedAt = nil
		if archived {
			u.ArchivedAt = &u.UpdatedAt
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConsumer_RecordsEachChangeOnce(t *testing.T) {
	e := newEnv(t)
	ada, alan := e.addUser(t, "o1", "ada"), e.addUser(t, "o1", "alan")
	e.addUser(t, "o1", "grace")
	// Archive, unarchive and archive again in quick succession.
	e.setArchived(t, "o1", ada.ID, true)
	e.setArchived(t, "o1", ada.ID, false)
	e.setArchived(t, "o1", ada.ID, true)
	e.setArchived(t, "o1", alan.ID, true)
	e.drain(t)

	want := roster.RosterCounts{Active: 1, Archived: 2}
	if got := e.counts(t, "o1"); got != want {
		t.Fatalf("counts = %+v, want %+v", got, want)
	}
	if got := e.auditCount(t, "o1"); got != 7 {
		t.Fatalf("audit entries = %d, want 7 (3 created, 4 changes)", got)
	}
	group, err := e.store.CountUsers(context.Background(), "o1", roster.UserFilter{GroupID: "g1", Archived: roster.ArchivedOnly})
	if err != nil || group.Total != 2 {
		t.Errorf("archived members of g1 = %d, %v; want 2", group.Total, err)
	}

	t.Run("a batch holding every record twice records each once", func(t *testing.T) {
		twice := append(append([]events.DynamoDBEventRecord(nil), e.rec.records...), e.rec.records...)
		fresh := newEnv(t)
		resp, err := fresh.consumer.Handle(context.Background(), events.DynamoDBEvent{Records: twice})
		if err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("Handle = %+v, %v", resp, err)
		}
		if got := fresh.counts(t, "o1"); got != want {
			t.Errorf("counts = %+v, want %+v", got, want)
		}
		if got := fresh.auditCount(t, "o1"); got != 7 {
			t.Errorf("audit entries = %d, want 7", got)
		}
	})
	t.Run("records from two shards, in any order, end the same", func(t *testing.T) {
		// DynamoDB Streams orders the records of one item; records of different
		// items reach the consumer from different shards in any interleaving, and
		// Lambda handles shards at once. Counter deltas add up in any order and
		// audit entries are keyed by their change, so the end state is the same
		// even when one user's records are shuffled too.
		for seed := range uint64(4) {
			shuffled := slices.Clone(e.rec.records)
			rand.New(rand.NewPCG(seed, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			fresh := newEnv(t)
			half := len(shuffled) / 2
			var wg sync.WaitGroup
			for _, shard := range [][]events.DynamoDBEventRecord{shuffled[:half], shuffled[half:]} {
				wg.Go(func() {
					resp, err := fresh.consumer.Handle(context.Background(), events.DynamoDBEvent{Records: shard})
					if err != nil || len(resp.BatchItemFailures) != 0 {
						t.Errorf("seed %d: Handle = %+v, %v", seed, resp, err)
					}
				})
			}
			wg.Wait()
			if got := fresh.counts(t, "o1"); got != want {
				t.Errorf("seed %d: counts = %+v, want %+v", seed, got, want)
			}
			if got := fresh.auditCount(t, "o1"); got != 7 {
				t.Errorf("seed %d: audit entries = %d, want 7", seed, got)
			}
			group, err := fresh.store.CountUsers(context.Background(), "o1", roster.UserFilter{GroupID: "g1", Archived: roster.ArchivedOnly})
			if err != nil || group.Total != 2 {
				t.Errorf("seed %d: archived members of g1 = %d, %v; want 2", seed, group.Total, err)
			}
		}
	})
	t.Run("every record delivered again changes nothing", func(t *testing.T) {
		resp, err := e.consumer.Handle(context.Background(), events.DynamoDBEvent{Records: e.rec.records})
		if err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("Handle = %+v, %v", resp, err)
		}
		if got := e.counts(t, "o1"); got != want {
			t.Errorf("counts after redelivery = %+v, want %+v", got, want)
		}
		if got := e.auditCount(t, "o1"); got != 7 {
			t.Errorf("audit entries after redelivery = %d, want 7", got)
		}
	})
}

// failingRecorder fails the change of one user, as a throttled write would.
type failingRecorder struct {
	roster.ChangeRecorder
	failUser string
}

func (f *failingRecorder) RecordUserChanges(ctx context.Context, cs []roster.UserChange) (int, error) {
	for i, c := range cs {
		if c.New != nil && c.New.ID == f.failUser {
			n, err := f.ChangeRecorder.RecordUserChanges(ctx, cs[:i])
			if err != nil {
				return n, err
			}
			return i, errors.New("throttled")
		}
	}
	return f.ChangeRecorder.RecordUserChanges(ctx, cs)
}

func TestConsumer_ReportsTheFailedRecordBySequenceNumber(t *testing.T) {
	e := newEnv(t)
	users := []*roster.User{e.addUser(t, "o1", "first"), e.addUser(t, "o1", "second"), e.addUser(t, "o1", "third")}
	e.drain(t)
	records := e.rec.records
	if len(records) < 3 {
		t.Fatalf("read %d stream records, want at least 3", len(records))
	}

	fresh := newEnv(t) // the same records, applied to an empty organization's counters
	failing := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: &failingRecorder{ChangeRecorder: changes.NewRecorder(fresh.store), failUser: users[1].ID}, Log: quiet}
	userRecords := userRecordsOnly(t, records)
	resp, err := failing.Handle(context.Background(), events.DynamoDBEvent{Records: userRecords})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != userRecords[1].Change.SequenceNumber {
		t.Fatalf("failures = %+v, want only the second record's SequenceNumber %s", resp.BatchItemFailures, userRecords[1].Change.SequenceNumber)
	}
	if got := fresh.counts(t, "o1").Active; got != 1 {
		t.Errorf("active after the failed batch = %d, want 1: the records after the failure must wait for the retry", got)
	}
	// Lambda retries from the reported record: everything lands once.
	resp, err = fresh.consumer.Handle(context.Background(), events.DynamoDBEvent{Records: userRecords[1:]})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("retry = %+v, %v", resp, err)
	}
	if got := fresh.counts(t, "o1").Active; got != 3 {
		t.Errorf("active after the retry = %d, want 3", got)
	}
}

func userRecordsOnly(t *testing.T, records []events.DynamoDBEventRecord) []events.DynamoDBEventRecord {
	t.Helper()
	var out []events.DynamoDBEventRecord
	for _, r := range records {
		if _, ok, err := dynamo.UserChangeFromStream(r); err != nil {
			t.Fatal(err)
		} else if ok {
			out = append(out, r)
		}
	}
	return out
}

func TestConsumer_ManyChangesInOneBatch(t *testing.T) {
	e := newEnv(t)
	var users []*roster.User
	for i := range 70 {
		users = append(users, e.addUser(t, "o1", fmt.Sprintf("user%02d", i)))
	}
	for _, u := range users[:45] {
		e.setArchived(t, "o1", u.ID, true)
	}
	e.poller.BatchSize = 1000
	e.drain(t)
	if got, want := e.counts(t, "o1"), (roster.RosterCounts{Active: 25, Archived: 45}); got != want {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	if got := e.auditCount(t, "o1"); got != 115 {
		t.Errorf("audit entries = %d, want 115", got)
	}
}

func TestConsumer_SampleEvent(t *testing.T) {
	// The sample event `sam local invoke` uses must be a record the consumer understands.
	b, err := os.ReadFile("../../functions/stream/testdata/event.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Records) == 0 {
		t.Fatal("sample event has no records")
	}
	for _, r := range ev.Records {
		c, ok, err := dynamo.UserChangeFromStream(r)
		if err != nil || !ok {
			t.Fatalf("record %s: ok=%v err=%v", r.EventID, ok, err)
		}
		if c.Audit().Action != "user.archived" {
			t.Errorf("record %s reads as %s, want user.archived", r.EventID, c.Audit().Action)
		}
	}
}
