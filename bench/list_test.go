package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
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
)

func TestMain(m *testing.M) { testenv.Main(m) }

// rosterSize is the organization the list benchmark seeds; ROSTER_BENCH_USERS changes it.
func rosterSize() int { return envSize("ROSTER_BENCH_USERS", 100_000) }

const benchOrg = "bench-org"

// seeded is the benchmark organization, seeded once per run.
type seeded struct {
	store      *dynamo.Store
	client     *countingClient
	locations  []string
	groups     []string
	seedTime   time.Duration // import and stream consumer
	importTime time.Duration
}

var (
	seedOnce sync.Once
	theSeed  *seeded
)

// seedRoster imports n users in batches (DynamoDB Local manages a few dozen
// user transactions a second with nine indexes on two cores, too slow for
// 100,000), then runs the real stream consumer over every record so that the
// counters hold.
func seedRoster(b *testing.B, n int) *seeded {
	seedOnce.Do(func() {
		tbl := testenv.DynamoDB(b)
		s := &seeded{client: &countingClient{db: tbl.Client}}
		s.store = dynamo.New(s.client, tbl.Name)
		for i := range 20 {
			s.locations = append(s.locations, fmt.Sprintf("loc%02d", i))
		}
		for i := range 50 {
			s.groups = append(s.groups, fmt.Sprintf("grp%02d", i))
		}
		start := time.Now()
		now := start.UTC()
		users := make([]*roster.User, n)
		for i := range users {
			users[i] = benchUser(i, now, s.locations, s.groups)
		}
		if err := s.store.ImportUsers(context.Background(), users); err != nil {
			b.Fatalf("seed: %v", err)
		}
		s.importTime = time.Since(start)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		consumer := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(s.store), Log: log}
		poller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: consumer.Handle, Log: log, BatchSize: 1000}
		if err := poller.Drain(context.Background()); err != nil {
			b.Fatalf("stream: %v", err)
		}
		s.seedTime = time.Since(start)
		theSeed = s
	})
	if theSeed == nil {
		b.Fatal("seeding failed in an earlier benchmark")
	}
	return theSeed
}

func benchUser(i int, now time.Time, locations, groups []string) *roster.User {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	u := &roster.User{
		ID: fmt.Sprintf("u%07d", i), OrgID: benchOrg,
		FirstName: fixtures.FirstNames[rng.IntN(len(fixtures.FirstNames))], LastName: fixtures.LastNames[rng.IntN(len(fixtures.LastNames))],
		Role: roster.RoleLearner, State: roster.StateActive, LocationID: locations[rng.IntN(len(locations))],
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if i%5 == 0 {
		u.UserID = fmt.Sprintf("EMP-%07d", i)
	} else {
		u.Email = fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(u.FirstName), strings.ToLower(strings.ReplaceAll(u.LastName, "'", "")), i)
	}
	if i%50 == 0 {
		u.Role = roster.RoleAdmin
	}
	switch r := rng.IntN(20); {
	case r < 2:
		u.State = roster.StatePending
	case r < 5:
		u.State = roster.StateActivated
	case r < 7:
		u.State = roster.StateDeactivated
	}
	for _, g := range groups {
		if rng.IntN(25) == 0 {
			u.GroupIDs = append(u.GroupIDs, g)
		}
	}
	switch rng.IntN(50) {
	case 0, 1, 2, 3, 4:
		u.ArchivedAt = &now
	case 5:
		past := now.Add(-24 * time.Hour)
		u.ExpiresAt = &past
	}
	return u
}

// BenchmarkListUsers measures the first page (50 users) of the roster for no
// filter, each single filter and text searches, on an organization of
// rosterSize() users. Each case runs 30 times and reports the median and p95
// time, and the DynamoDB requests and read capacity of one listing.
func BenchmarkListUsers(b *testing.B) {
	s := seedRoster(b, rosterSize())
	b.Logf("seeded %d users in %s (import %s, then the stream consumer)", rosterSize(), s.seedTime.Round(time.Second), s.importTime.Round(time.Second))
	cases := []struct {
		name     string
		f        roster.UserFilter
		nextPage bool // measure the second page, with the first page's cursor
	}{
		{"no-filter", roster.UserFilter{}, false},
		{"location", roster.UserFilter{LocationID: s.locations[3]}, false},
		{"group", roster.UserFilter{GroupID: s.groups[7]}, false},
		{"status-active", roster.UserFilter{Status: roster.StatusActive}, false},
		{"status-deactivated", roster.UserFilter{Status: roster.StatusDeactivated}, false},
		{"status-expired", roster.UserFilter{Status: roster.StatusExpired}, false},
		{"role-admin", roster.UserFilter{Role: roster.RoleAdmin}, false},
		{"archived-only", roster.UserFilter{Archived: roster.ArchivedOnly}, false},
		{"archived-include", roster.UserFilter{Archived: roster.ArchivedInclude}, false},
		{"search-last-name", roster.UserFilter{Query: "tho"}, false},
		{"search-full-name", roster.UserFilter{Query: "grace smi"}, false},
		{"search-email", roster.UserFilter{Query: "olivia.k"}, false},
		{"search-user-id", roster.UserFilter{Query: "emp-00123"}, false},
		{"search-one-letter", roster.UserFilter{Query: "s"}, false},
		{"search-one-letter-page-2", roster.UserFilter{Query: "s"}, true},
		{"status-and-role", roster.UserFilter{Status: roster.StatusActive, Role: roster.RoleAdmin}, false},
		{"location-and-group", roster.UserFilter{LocationID: s.locations[3], GroupID: s.groups[7]}, false},
		{"no-filter-page-2", roster.UserFilter{}, true},
	}
	const runs = 30
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			f, err := tc.f.Normalize("")
			if err != nil {
				b.Fatal(err)
			}
			var times []time.Duration
			var requests int
			var capacity float64
			var total int
			cursor := ""
			if tc.nextPage {
				first, err := s.store.ListUsers(context.Background(), benchOrg, f, roster.PageRequest{Limit: 50})
				if err != nil {
					b.Fatal(err)
				}
				cursor = first.NextCursor
			}
			for range b.N {
				for range runs {
					s.client.reset()
					start := time.Now()
					page, err := s.store.ListUsers(context.Background(), benchOrg, f, roster.PageRequest{Limit: 50, Cursor: cursor})
					times = append(times, time.Since(start))
					if err != nil {
						b.Fatal(err)
					}
					total = page.Total
					requests, capacity = s.client.totals()
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(requests), "requests")
			b.ReportMetric(capacity, "RCU")
			b.ReportMetric(float64(total), "matching")
		})
	}
}
