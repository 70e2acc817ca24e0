package stream_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/training"
)

// killingClient passes requests through until its writes run out, then fails
// every write, as a worker's process that died would write nothing more.
// Every write method of dynamo.Client counts, whatever it writes: a test
// (TestKillingClient_CountsEveryWriteMethod) calls each method of the
// interface and fails on a write that goes past the count.
type killingClient struct {
	dynamo.Client
	mu     sync.Mutex
	left   int      // writes that still go through
	method string   // when set, writes go through until the first of this method
	passed []string // what each write that went through wrote (writeLabel)
	killed string   // what the first write refused would have written
}

var errKilled = errors.New("killed")

// newKillingClient returns a client on c that lets writes go through, then
// fails every write after them.
func newKillingClient(c dynamo.Client, writes int) *killingClient {
	return &killingClient{Client: c, left: writes}
}

// newMethodKillingClient returns a client on c that lets writes go
// through until the first write of method (TransactWriteItems, PutItem …),
// then fails it and every write after it.
func newMethodKillingClient(c dynamo.Client, method string) *killingClient {
	return &killingClient{Client: c, left: math.MaxInt, method: method}
}

// countingClient lets every write through, counting them.
func countingClient(c dynamo.Client) *killingClient { return newKillingClient(c, math.MaxInt) }

// write counts a write: it returns errKilled once the writes ran out, or
// done, to call with the write's error (a write refused by its condition
// is labelled failed).
func (c *killingClient) write(label string) (done func(error), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.method != "" && writeMethod(label) == c.method {
		c.left = 0
	}
	if c.left <= 0 {
		if c.killed == "" {
			c.killed = label
		}
		return nil, errKilled
	}
	c.left--
	c.passed = append(c.passed, label)
	i := len(c.passed) - 1
	return func(err error) {
		if err != nil {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.passed[i] += " failed"
		}
	}, nil
}

// writes returns what each write that went through wrote, in order.
func (c *killingClient) writes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.passed)
}

// killedAt returns what the first refused write would have written, "" if
// the client was never killed.
func (c *killingClient) killedAt() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.killed
}

func (c *killingClient) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	var kinds []string
	for _, it := range in.TransactItems {
		switch {
		case it.Put != nil:
			kinds = append(kinds, itemKind(it.Put.Item))
		case it.Update != nil:
			kinds = append(kinds, itemKind(it.Update.Key))
		case it.Delete != nil:
			kinds = append(kinds, itemKind(it.Delete.Key))
		case it.ConditionCheck != nil:
			kinds = append(kinds, itemKind(it.ConditionCheck.Key)+"?") // checked, not written
		}
	}
	done, err := c.write(writeLabel("TransactWriteItems", kinds...))
	if err != nil {
		return nil, err
	}
	out, err := c.Client.TransactWriteItems(ctx, in, opts...)
	done(err)
	return out, err
}

func (c *killingClient) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	done, err := c.write(writeLabel("PutItem", itemKind(in.Item)))
	if err != nil {
		return nil, err
	}
	out, err := c.Client.PutItem(ctx, in, opts...)
	done(err)
	return out, err
}

func (c *killingClient) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	done, err := c.write(writeLabel("UpdateItem", itemKind(in.Key)))
	if err != nil {
		return nil, err
	}
	out, err := c.Client.UpdateItem(ctx, in, opts...)
	done(err)
	return out, err
}

func (c *killingClient) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	done, err := c.write(writeLabel("DeleteItem", itemKind(in.Key)))
	if err != nil {
		return nil, err
	}
	out, err := c.Client.DeleteItem(ctx, in, opts...)
	done(err)
	return out, err
}

func (c *killingClient) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	var kinds []string
	for _, reqs := range in.RequestItems {
		for _, r := range reqs {
			switch {
			case r.PutRequest != nil:
				kinds = append(kinds, itemKind(r.PutRequest.Item))
			case r.DeleteRequest != nil:
				kinds = append(kinds, itemKind(r.DeleteRequest.Key))
			}
		}
	}
	done, err := c.write(writeLabel("BatchWriteItem", kinds...))
	if err != nil {
		return nil, err
	}
	out, err := c.Client.BatchWriteItem(ctx, in, opts...)
	done(err)
	return out, err
}

// itemKind is the kind of an item, its sort key up to the first "#" (USER,
// JOB, SEATS…), or "?" when the key is not there.
func itemKind(key map[string]types.AttributeValue) string {
	sk, ok := key["SK"].(*types.AttributeValueMemberS)
	if !ok {
		return "?"
	}
	kind, _, _ := strings.Cut(sk.Value, "#")
	return kind
}

// writeLabel names a write: its method and the kinds of items it writes
// (or checks: "GROUP?"), as "TransactWriteItems(JOBUSER+USER)"; the label
// of a write that failed ends " failed".
func writeLabel(method string, kinds ...string) string {
	slices.Sort(kinds)
	return method + "(" + strings.Join(slices.Compact(kinds), "+") + ")"
}

// writeMethod is the method of a write's label.
func writeMethod(label string) string {
	m, _, _ := strings.Cut(label, "(")
	return m
}

// readMethods are the methods of dynamo.Client that write nothing; every
// other method of the interface is a write that killingClient must count.
var readMethods = map[string]bool{"GetItem": true, "Query": true, "BatchGetItem": true}

// TestKillingClient_CountsEveryWriteMethod calls every method of
// dynamo.Client through a killed client on a client that panics when
// reached: a write method must fail with errKilled without reaching it (a
// write method added to the interface and not wrapped is promoted from the
// embedded client and reaches it), and count as a write when alive; a read
// goes through, counting nothing.
func TestKillingClient_CountsEveryWriteMethod(t *testing.T) {
	iface := reflect.TypeFor[dynamo.Client]()
	for name := range readMethods {
		if _, ok := iface.MethodByName(name); !ok {
			t.Errorf("readMethods names %s, not a method of dynamo.Client", name)
		}
	}
	// call calls the method with an empty input and reports whether it
	// reached the client underneath, and the error it returned.
	call := func(c *killingClient, m reflect.Method) (reached bool, err error) {
		defer func() {
			if recover() != nil {
				reached = true
			}
		}()
		in := reflect.New(m.Type.In(1).Elem())
		out := reflect.ValueOf(c).MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(context.Background()), in})
		err, _ = out[len(out)-1].Interface().(error)
		return false, err
	}
	writes := 0
	for i := range iface.NumMethod() {
		m := iface.Method(i)
		t.Run(m.Name, func(t *testing.T) {
			killed := newKillingClient(unreachableClient{}, 0)
			reached, err := call(killed, m)
			if readMethods[m.Name] {
				if !reached || killed.killedAt() != "" {
					t.Errorf("a read through a killed client: reached %v, counted %q; want it passed through, uncounted", reached, killed.killedAt())
				}
				return
			}
			writes++
			if reached || !errors.Is(err, errKilled) || writeMethod(killed.killedAt()) != m.Name {
				t.Errorf("a write through a killed client: reached %v, err %v, refused %q; want it refused as a %s write, with errKilled", reached, err, killed.killedAt(), m.Name)
			}
			alive := newKillingClient(unreachableClient{}, 1)
			if reached, _ := call(alive, m); !reached || len(alive.writes()) != 1 || writeMethod(alive.writes()[0]) != m.Name {
				t.Errorf("a write through a live client: reached %v, counted %q; want it passed through and counted", reached, alive.writes())
			}
		})
	}
	if writes < 5 {
		t.Errorf("%d write methods in dynamo.Client, want at least transactions, puts, updates, deletes and batch writes", writes)
	}
}

// unreachableClient panics on every call: nothing should reach it.
type unreachableClient struct{ dynamo.Client }

// Kill sweeps: sweepChunkSize keeps each scenario to a few dozen writes, in
// several chunks, so that every kill point runs in well under a minute.
const (
	sweepThreshold = 4
	sweepChunkSize = 4
	sweepUsers     = 10
	// sweepMaxPoints caps the kill points of one scenario: past it, every
	// Nth write is killed (and the first of each write method). Under the
	// race detector every point costs about 8 s; ROSTER_KILL_SWEEP=all
	// kills every write.
	sweepMaxPoints = 12
)

// sweepScenario is a job killed at each of its writes in turn.
type sweepScenario struct {
	name string
	// start returns a fresh environment (sized) with the job started, and
	// how to configure a worker's service (nil for nothing).
	start func(t *testing.T) (*jobEnv, func(*roster.Service), *roster.Job)
	// extra adds scenario state to the end state (the import's result file).
	extra func(t *testing.T, e *jobEnv, j *roster.Job, norm *normalizer) []string
}

// sized gives e's service the sweep's sizes.
func sized(e *jobEnv) *jobEnv {
	e.svc.JobThreshold, e.svc.JobChunkSize = sweepThreshold, sweepChunkSize
	return e
}

// sweepService is a job service on store with the sweep's sizes.
func sweepService(store *dynamo.Store, configure func(*roster.Service)) *roster.Service {
	svc := newJobService(store)
	svc.JobThreshold, svc.JobChunkSize = sweepThreshold, sweepChunkSize
	if configure != nil {
		configure(svc)
	}
	return svc
}

// runSweep runs the scenario uninterrupted, counting its worker's writes,
// then once per kill point: the worker killed at that write, then a new
// worker given every record again, as Lambda redelivers after a crash. Each
// end state must be exactly the uninterrupted run's. The sweep's workers
// take one record a batch, so that a run writes in the same order each
// time and write k of one run is write k of the others.
func runSweep(t *testing.T, sc sweepScenario) {
	began := time.Now()
	start := sc.start
	// settleOn runs a worker on client, a record a batch, to the end.
	settleOn := func(t *testing.T, e *jobEnv, configure func(*roster.Service), client dynamo.Client) {
		t.Helper()
		w := e.newWorker(sweepService(dynamo.New(client, e.tbl.Name), configure))
		w.BatchSize = 1
		e.settle(t, w)
	}

	// The uninterrupted run: its writes and its end state.
	e, configure, j := start(t)
	before := userLines(t, e, j)
	counter := countingClient(e.tbl.Client)
	settleOn(t, e, configure, counter)
	want := endState(t, e, j, sc)
	if got := e.job(t, j.ID); got.Status != roster.JobDone {
		t.Fatalf("the uninterrupted job = %+v, want done", got)
	}
	wantUsers := userLines(t, e, j)
	var jobUsers []string // the users the job changes or adds
	for key, l := range wantUsers {
		if before[key] != l {
			jobUsers = append(jobUsers, key)
		}
	}
	writes := counter.writes()
	total := len(writes)
	methods := map[string]int{} // each write method the job uses: its first write
	userWrites := 0
	for i, w := range writes {
		if _, ok := methods[writeMethod(w)]; !ok {
			methods[writeMethod(w)] = i + 1
		}
		if writesKind(w, "USER") {
			userWrites++
		}
	}
	t.Logf("%d writes uninterrupted, %d of users: %s", total, userWrites, strings.Join(writes, " "))
	if len(jobUsers) < 2 || userWrites < 2 {
		t.Fatalf("the job changed %d users in %d writes: want a few", len(jobUsers), userWrites)
	}

	t.Run("every record delivered again changes nothing", func(t *testing.T) {
		e.settle(t, e.newWorker(e.svc))
		wantSame(t, want, endState(t, e, j, sc))
	})
	t.Run("every batch delivered twice in a row", func(t *testing.T) {
		e, _, j := start(t)
		w := e.newWorker(e.svc)
		once := w.Handler
		w.Handler = func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
			if resp, err := once(ctx, ev); err != nil || len(resp.BatchItemFailures) > 0 {
				return resp, err
			}
			return once(ctx, ev)
		}
		e.settle(t, w)
		wantSame(t, want, endState(t, e, j, sc))
	})

	points := killPoints(total, methods)
	killedIn := map[string]bool{}
	partWay := 0
	kill := func(name string, client func(dynamo.Client) *killingClient) {
		t.Run(name, func(t *testing.T) {
			e, configure, j := start(t)
			dying := client(e.tbl.Client)
			settleOn(t, e, configure, dying)
			// The stream's shards are read in no set order: write k is
			// not always the uninterrupted run's write k.
			at := dying.killedAt()
			if at == "" {
				t.Fatalf("the worker wrote %d times and was never killed", len(dying.writes()))
			}
			killedIn[writeMethod(at)] = true
			t.Logf("killed at %s", at)
			passed := 0
			for _, w := range dying.writes() {
				if writesKind(w, "USER") {
					passed++
				}
			}
			if 0 < passed && passed < userWrites {
				// Users were written before the kill, and one is still to
				// be: some users are changed, not all as the job leaves them.
				touched, final := 0, 0
				got := userLines(t, e, j)
				for _, key := range jobUsers {
					if got[key] != before[key] {
						touched++
					}
					if got[key] == wantUsers[key] {
						final++
					}
				}
				if touched == 0 || final == len(jobUsers) {
					t.Fatalf("after the kill (%d of %d user writes): %d of %d users changed, %d as the job leaves them; want some changed, not all", passed, userWrites, touched, len(jobUsers), final)
				}
				partWay++
			}
			e.settle(t, e.newWorker(e.svc))
			wantSame(t, want, endState(t, e, j, sc))
		})
	}
	for _, k := range points {
		kill(fmt.Sprintf("killed at write %02d of %d", k, total), func(c dynamo.Client) *killingClient { return newKillingClient(c, k-1) })
	}
	// The shards' order moves writes about: a write method no point fell
	// in is killed at its first write.
	for _, m := range slices.Sorted(maps.Keys(methods)) {
		if !killedIn[m] {
			kill("killed at the first "+m, func(c dynamo.Client) *killingClient { return newMethodKillingClient(c, m) })
		}
	}
	for m, first := range methods {
		if !killedIn[m] {
			t.Errorf("no kill point in a %s write (the job's first is write %d): the sweep missed a write method", m, first)
		}
	}
	if partWay == 0 {
		t.Errorf("no kill point came part-way through the %d user writes of %d", userWrites, total)
	}
	t.Logf("%d kill points of %d writes, %d part-way through the users, in %s", len(points), total, partWay, time.Since(began).Round(time.Millisecond))
}

// writesKind reports whether a write's label names that kind of item
// written, and the write did not fail.
func writesKind(label, kind string) bool {
	if strings.HasSuffix(label, " failed") {
		return false
	}
	_, kinds, _ := strings.Cut(strings.TrimSuffix(label, ")"), "(")
	return slices.Contains(strings.Split(kinds, "+"), kind)
}

// userLines returns each user's normalized state by their user ID or email.
func userLines(t *testing.T, e *jobEnv, j *roster.Job) map[string]string {
	t.Helper()
	snap, err := e.store.ReadRoster(context.Background(), e.org.Organization.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := newNormalizer(e, j, snap.Users, snap.Courses)
	out := map[string]string{}
	for _, u := range snap.Users {
		out[n.key(u)] = n.line(t, "user", u)
	}
	return out
}

// killPoints returns the writes to kill at, 1-based: every one of total, or
// past sweepMaxPoints every Nth and the first of each write method.
func killPoints(total int, firstOfMethod map[string]int) []int {
	step := max(1, (total+sweepMaxPoints-1)/sweepMaxPoints)
	if os.Getenv("ROSTER_KILL_SWEEP") == "all" {
		step = 1
	}
	var points []int
	for k := 1; k <= total; k += step {
		points = append(points, k)
	}
	for _, k := range firstOfMethod {
		points = append(points, k)
	}
	points = append(points, total)
	slices.Sort(points)
	return slices.Compact(points)
}

// wantSame fails the test with the lines of the end state that differ.
func wantSame(t *testing.T, want, got []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	var missing, extra []string
	for _, l := range want {
		if !slices.Contains(got, l) {
			missing = append(missing, l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			extra = append(extra, l)
		}
	}
	t.Fatalf("end state differs from the uninterrupted run's:\nonly uninterrupted:\n  %s\nonly here:\n  %s",
		strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
}

// normalizer writes values as JSON with the run's random ids named
// (users by their user ID or email) and every time as "<time>", so that two
// runs' states compare line by line.
type normalizer struct {
	ids *strings.Replacer
}

func newNormalizer(e *jobEnv, j *roster.Job, users []*roster.User, courses []roster.Course) *normalizer {
	org := e.org
	pairs := []string{org.Organization.ID, "<org>", j.ID, "<job>"}
	if j.ImportID != "" {
		pairs = append(pairs, j.ImportID, "<import>")
	}
	for i, id := range org.GroupIDs {
		pairs = append(pairs, id, fmt.Sprintf("<group%d>", i))
	}
	for i, id := range org.LocationIDs {
		pairs = append(pairs, id, fmt.Sprintf("<location%d>", i))
	}
	for _, c := range courses {
		pairs = append(pairs, c.ID, "<course "+c.Name+">")
	}
	n := &normalizer{ids: strings.NewReplacer(pairs...)}
	for _, u := range users {
		pairs = append(pairs, u.ID, "<user "+n.key(u)+">")
	}
	n.ids = strings.NewReplacer(pairs...)
	return n
}

// key names a user by their email or user ID, normalized: the same user of
// two runs has the same key.
func (n *normalizer) key(u *roster.User) string {
	if u.Email != "" {
		return n.ids.Replace(u.Email)
	}
	return n.ids.Replace(u.UserID)
}

// line returns v as normalized JSON, without the fields named in drop.
func (n *normalizer) line(t *testing.T, prefix string, v any, drop ...string) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal([]byte(n.ids.Replace(string(b))), &generic); err != nil {
		t.Fatal(err)
	}
	if m, ok := generic.(map[string]any); ok {
		for _, f := range drop {
			delete(m, f)
		}
	}
	b, err = json.Marshal(untime(generic))
	if err != nil {
		t.Fatal(err)
	}
	return prefix + " " + string(b)
}

// untime replaces every time in v by "<time>".
func untime(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = untime(x)
		}
	case []any:
		for i, x := range v {
			v[i] = untime(x)
		}
	case string:
		if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return "<time>"
		}
	}
	return v
}

// endState returns the organization's state after a job, as sorted lines:
// its users, roster counts, courses and their seat ledgers, audit entries,
// the job and its outcomes, and how many items of each kind the table holds.
func endState(t *testing.T, e *jobEnv, j *roster.Job, sc sweepScenario) []string {
	t.Helper()
	ctx := context.Background()
	org := e.org.Organization.ID
	snap, err := e.store.ReadRoster(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	n := newNormalizer(e, j, snap.Users, snap.Courses)
	var lines []string
	for _, u := range snap.Users {
		lines = append(lines, n.line(t, "user", u))
	}
	counts, err := e.store.GetRosterCounts(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, n.line(t, "counts", counts))
	for _, c := range snap.Courses {
		lines = append(lines, n.line(t, "course", c))
		cursor := ""
		for {
			page, err := e.store.ListSeatLedger(ctx, org, c.ID, roster.PageRequest{Limit: 100, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range page.Items {
				lines = append(lines, n.line(t, "ledger", l, "ID"))
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
	}
	cursor := ""
	for {
		page, err := e.store.ListAudit(ctx, org, audit.Filter{}, roster.PageRequest{Limit: 200, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Items {
			lines = append(lines, n.line(t, "audit", a, "ID"))
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	lines = append(lines, n.line(t, "job", e.job(t, j.ID)))
	for i, o := range e.listOutcomes(t, j.ID, "", 100) {
		lines = append(lines, n.line(t, fmt.Sprintf("outcome %03d", i), o))
	}
	lines = append(lines, itemKinds(t, e)...)
	if sc.extra != nil {
		lines = append(lines, sc.extra(t, e, j, n)...)
	}
	sort.Strings(lines)
	return lines
}

// itemKinds counts the table's items by the kinds of their keys (PK and
// SK up to the first "#"): an item written twice, or left behind, shows.
func itemKinds(t *testing.T, e *jobEnv) []string {
	t.Helper()
	kinds := map[string]int{}
	p := dynamodb.NewScanPaginator(e.tbl.Client, &dynamodb.ScanInput{TableName: &e.tbl.Name})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			pk, _ := it["PK"].(*types.AttributeValueMemberS)
			kind := "?"
			if pk != nil {
				kind, _, _ = strings.Cut(pk.Value, "#")
			}
			kinds[kind+" "+itemKind(it)]++
		}
	}
	var lines []string
	for k, n := range kinds {
		lines = append(lines, fmt.Sprintf("items %s: %d", k, n))
	}
	return lines
}

// bulkSweep is a bulk action by filter on sweepUsers learners at the first
// location (and two bystanders at the other), after prepare (nil for none).
func bulkSweep(name string, action roster.Action, params func(t *testing.T, e *jobEnv) roster.ActionParams, prepare func(t *testing.T, e *jobEnv, users []*roster.User)) sweepScenario {
	return sweepScenario{
		name: name,
		start: func(t *testing.T) (*jobEnv, func(*roster.Service), *roster.Job) {
			t.Helper()
			e := sized(newJobEnv(t))
			loc := e.org.LocationIDs[0]
			users := e.addUsers(t, sweepUsers, loc)
			e.addUsers(t, 2, e.org.LocationIDs[1])
			if prepare != nil {
				prepare(t, e, users)
				e.settle(t, e.worker)
			}
			n := sweepUsers
			res, err := e.svc.RunAction(context.Background(), e.owner(), action, params(t, e), roster.Selection{Filter: &roster.UserFilter{LocationID: loc}, ExpectedCount: &n})
			if err != nil {
				t.Fatal(err)
			}
			if res.Job == nil {
				t.Fatalf("%s ran inline, want a job", action)
			}
			return e, nil, res.Job
		},
	}
}

// inline runs an action on the users at once, as an administrator's
// selection of a few.
func inline(t *testing.T, e *jobEnv, action roster.Action, params roster.ActionParams, users []*roster.User) {
	t.Helper()
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	res, err := e.svc.RunAction(context.Background(), e.owner(), action, params, roster.Selection{UserIDs: ids})
	if err != nil || res.Done != len(users) {
		t.Fatalf("%s %d users: %+v, %v", action, len(users), res, err)
	}
}

// importSweep updates some of sweepUsers learners, leaves one as it is and
// the rest out of the file (deactivated by the sync), and adds new users
// assigned a course: each new user is written twice.
func importSweep() sweepScenario {
	return sweepScenario{
		name: "import: new users, updates and sync deactivation",
		start: func(t *testing.T) (*jobEnv, func(*roster.Service), *roster.Job) {
			t.Helper()
			ie := newImportEnv(t)
			e := sized(ie.jobEnv)
			users := e.addUsers(t, 8, e.org.LocationIDs[0])
			var csv strings.Builder
			csv.WriteString(importHeader)
			for i, u := range users[:4] {
				fmt.Fprintf(&csv, "Renamed%d,Learner,,%s,,Night shift,,,,\n", i, u.UserID)
			}
			fmt.Fprintf(&csv, "%s,Learner,,%s,,,,,,\n", users[4].FirstName, users[4].UserID) // unchanged
			for i := range 6 {
				fmt.Fprintf(&csv, "New%d,Learner,,new-%d,York,Day shift,Fire safety,,Yes,\n", i, i)
			}
			o := roster.ImportOptions{Mode: roster.ImportAddUpdate, Sync: roster.SyncDeactivate}
			pre := ie.validate(t, "sweep.csv", csv.String(), o)
			if want := (imports.Counts{Rows: 11, Create: 6, Update: 4, Unchanged: 1, Deactivate: 3}); pre.Counts != want {
				t.Fatalf("preview counts = %+v, want %+v", pre.Counts, want)
			}
			return e, ie.configure, ie.applyPreview(t, pre)
		},
		extra: func(t *testing.T, e *jobEnv, j *roster.Job, n *normalizer) []string {
			t.Helper()
			ie := &importEnv{jobEnv: e, t: t}
			imp, err := importsOf(e.svc).GetImport(context.Background(), e.owner(), j.ImportID)
			if err != nil {
				t.Fatal(err)
			}
			lines := []string{n.line(t, "import", imp.Results)}
			if imp.Results == nil {
				return lines
			}
			for i, l := range ie.resultFile(t, j.ImportID) {
				lines = append(lines, n.line(t, fmt.Sprintf("result file %03d", i), l))
			}
			return lines
		},
	}
}

// TestJobs_KillSweep kills the job worker at each write of a bulk action
// or an import in turn, resumes, and compares the end state with an
// uninterrupted run's.
func TestJobs_KillSweep(t *testing.T) {
	manual := func(t *testing.T, e *jobEnv) string { return courseNamed(t, e, "Manual handling") }
	for _, sc := range []sweepScenario{
		bulkSweep("archive with seats held", roster.ActionArchive,
			func(*testing.T, *jobEnv) roster.ActionParams { return roster.ActionParams{} },
			func(t *testing.T, e *jobEnv, users []*roster.User) {
				inline(t, e, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{manual(t, e)}}, users[:7])
			}),
		// Four users hold the course already: the six others take six of
		// the pool's ten free seats. (With fewer seats than users, which
		// users get them depends on the order the chunks run in.)
		bulkSweep("assign a course", roster.ActionAssignCourses,
			func(t *testing.T, e *jobEnv) roster.ActionParams {
				return roster.ActionParams{CourseIDs: []string{courseNamed(t, e, "Ladder safety")}}
			},
			func(t *testing.T, e *jobEnv, users []*roster.User) {
				seats := 14
				c, err := trn(e.svc).CreateCourse(context.Background(), e.owner(), training.CourseInput{Name: "Ladder safety", Seats: &seats})
				if err != nil {
					t.Fatal(err)
				}
				inline(t, e, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.ID}}, users[:4])
			}),
		bulkSweep("role change", roster.ActionSetRole,
			func(*testing.T, *jobEnv) roster.ActionParams { return roster.ActionParams{Role: roster.RoleAdmin} }, nil),
		bulkSweep("remove from a group", roster.ActionRemoveFromGroups,
			func(_ *testing.T, e *jobEnv) roster.ActionParams {
				return roster.ActionParams{GroupIDs: []string{e.org.GroupIDs[0]}}
			},
			func(t *testing.T, e *jobEnv, users []*roster.User) {
				inline(t, e, roster.ActionAddToGroups, roster.ActionParams{GroupIDs: []string{e.org.GroupIDs[0]}}, users[:8])
			}),
		importSweep(),
	} {
		// The scenarios wait on DynamoDB Local far more than they compute:
		// run side by side, they take about as long as the longest.
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			runSweep(t, sc)
		})
	}
}

// courseNamed returns the id of the organization's course of that name.
func courseNamed(t *testing.T, e *jobEnv, name string) string {
	t.Helper()
	cs, err := e.store.ListCourses(context.Background(), e.org.Organization.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == name {
			return c.ID
		}
	}
	t.Fatalf("no course %q", name)
	return ""
}
