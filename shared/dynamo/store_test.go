package dynamo_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/groups"
	"github.com/rosterhq/roster/shared/stream"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// fixture is a store on a fresh table, with the table's stream fed to the
// real consumer on demand.
type fixture struct {
	store  *dynamo.Store
	poller *streams.Poller
	now    time.Time
	// freshPoller returns a poller from the stream's start: it delivers
	// every record again, as Lambda does after a failure.
	freshPoller func() *streams.Poller
	tbl         *testenv.Table
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	tbl := testenv.DynamoDB(t)
	f := &fixture{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), tbl: tbl}
	f.store = dynamo.New(tbl.Client, tbl.Name).WithClock(func() time.Time { return f.now })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	consumer := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(f.store), DecodeFigures: dynamo.SeatFiguresFromStream, Ledger: changes.NewRecorder(f.store), Log: log}
	f.freshPoller = func() *streams.Poller {
		return &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: consumer.Handle, Log: log}
	}
	f.poller = f.freshPoller()
	return f
}

// settle feeds every stream record written so far to the consumer.
func (f *fixture) settle(t *testing.T) {
	t.Helper()
	if err := f.poller.Drain(context.Background()); err != nil {
		t.Fatalf("drain stream: %v", err)
	}
}

func (f *fixture) newUser(t *testing.T, org, first, last, email, userID string, change func(*roster.User)) *roster.User {
	t.Helper()
	u := &roster.User{
		ID: roster.NewRandomID(), OrgID: org, FirstName: first, LastName: last, Email: email, UserID: userID,
		Role: roster.RoleLearner, State: roster.StateActivated, CreatedAt: f.now, UpdatedAt: f.now, Version: 1,
	}
	if change != nil {
		change(u)
	}
	f.ensureRefs(t, org, u.LocationID, u.GroupIDs...)
	if err := f.store.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%s %s): %v", first, last, err)
	}
	return u
}

// ensureRefs creates the location and groups a test user refers to, with
// their ids as names, unless they exist.
func (f *fixture) ensureRefs(t *testing.T, org, location string, groups ...string) {
	t.Helper()
	ctx := context.Background()
	if location != "" {
		if _, err := f.store.GetLocation(ctx, org, location); err != nil {
			if err := f.store.CreateLocation(ctx, &roster.Location{ID: location, OrgID: org, Name: location, Version: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, g := range groups {
		if _, err := f.store.GetGroup(ctx, org, g); err != nil {
			if err := f.store.CreateGroup(ctx, &roster.Group{ID: g, OrgID: org, Name: g, Version: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func wantCode(t *testing.T, err error, code roster.Code, field string) {
	t.Helper()
	var e *roster.Error
	if err == nil || !asError(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("error = %v, want %s on %q", err, code, field)
	}
}

func asError(err error, target **roster.Error) bool {
	e, ok := err.(*roster.Error)
	*target = e
	return ok
}

func TestStore_CreateUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "ADA-1", nil)

	t.Run("reads back", func(t *testing.T) {
		got, err := f.store.GetUser(ctx, "o1", ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != ada.Email || got.UserID != ada.UserID || got.Version != 1 || !got.CreatedAt.Equal(ada.CreatedAt) {
			t.Errorf("GetUser = %+v, want %+v", got, ada)
		}
	})
	t.Run("duplicate email in any case is refused and writes nothing", func(t *testing.T) {
		u := &roster.User{ID: "dup1", OrgID: "o1", FirstName: "A", LastName: "B", Email: "ADA@example.com", UserID: "fresh-id", Role: roster.RoleLearner, State: roster.StatePending, Version: 1}
		wantCode(t, f.store.CreateUser(ctx, u), roster.CodeConflict, "email")
		if _, err := f.store.GetUser(ctx, "o1", "dup1"); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("the refused user was written: %v", err)
		}
		if _, err := f.store.FindUserByLogin(ctx, "o1", "fresh-id"); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("the refused user's user ID was reserved: %v", err)
		}
	})
	t.Run("duplicate user ID is refused", func(t *testing.T) {
		u := &roster.User{ID: "dup2", OrgID: "o1", FirstName: "A", LastName: "B", UserID: "ada-1", Role: roster.RoleLearner, State: roster.StatePending, Version: 1}
		wantCode(t, f.store.CreateUser(ctx, u), roster.CodeConflict, "userId")
	})
	t.Run("the same email in another organization is fine", func(t *testing.T) {
		f.newUser(t, "o2", "Ada", "Lovelace", "ada@example.com", "ADA-1", nil)
	})
	t.Run("find by login", func(t *testing.T) {
		for _, login := range []string{"ada@example.com", "Ada@Example.com", "ada-1"} {
			got, err := f.store.FindUserByLogin(ctx, "o1", login)
			if err != nil || got.ID != ada.ID {
				t.Errorf("FindUserByLogin(%q) = %v, %v; want %s", login, got, err, ada.ID)
			}
		}
	})
}

func TestStore_UpdateUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	f.newUser(t, "o1", "Charles", "Babbage", "charles@example.com", "", nil)

	t.Run("stale version is a conflict and changes nothing", func(t *testing.T) {
		_, err := f.store.UpdateUser(ctx, "o1", ada.ID, 7, func(u *roster.User) error { u.FirstName = "X"; return nil })
		wantCode(t, err, roster.CodeConflict, "version")
		got, _ := f.store.GetUser(ctx, "o1", ada.ID)
		if got.FirstName != "Ada" || got.Version != 1 {
			t.Errorf("user after refused update = %+v", got)
		}
	})
	t.Run("email change moves the reservation", func(t *testing.T) {
		u, err := f.store.UpdateUser(ctx, "o1", ada.ID, 1, func(u *roster.User) error { u.Email = "countess@example.com"; return nil })
		if err != nil || u.Version != 2 {
			t.Fatalf("UpdateUser = %+v, %v", u, err)
		}
		if got, err := f.store.FindUserByLogin(ctx, "o1", "countess@example.com"); err != nil || got.ID != ada.ID {
			t.Errorf("new email not found: %v", err)
		}
		// The old address is free again.
		f.newUser(t, "o1", "Another", "Ada", "ada@example.com", "", nil)
	})
	t.Run("taking another user's email is a conflict", func(t *testing.T) {
		_, err := f.store.UpdateUser(ctx, "o1", ada.ID, 0, func(u *roster.User) error { u.Email = "charles@example.com"; return nil })
		wantCode(t, err, roster.CodeConflict, "email")
	})
	t.Run("a skip writes nothing", func(t *testing.T) {
		_, err := f.store.UpdateUser(ctx, "o1", ada.ID, 0, func(u *roster.User) error { return &roster.Skip{Reason: "already archived"} })
		if _, ok := err.(*roster.Skip); !ok {
			t.Fatalf("err = %v, want the Skip", err)
		}
		got, _ := f.store.GetUser(ctx, "o1", ada.ID)
		if got.Version != 2 {
			t.Errorf("version = %d after a skip, want 2", got.Version)
		}
	})
	t.Run("concurrent updates lose nothing", func(t *testing.T) {
		const writers = 8
		for i := range writers {
			f.ensureRefs(t, "o1", "", fmt.Sprintf("g%d", i))
		}
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.store.UpdateUser(ctx, "o1", ada.ID, 0, func(u *roster.User) error {
					u.GroupIDs = append(u.GroupIDs, fmt.Sprintf("g%d", i))
					slices.Sort(u.GroupIDs)
					return nil
				})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent update: %v", err)
			}
		}
		got, _ := f.store.GetUser(ctx, "o1", ada.ID)
		if len(got.GroupIDs) != writers || got.Version != 2+writers {
			t.Errorf("after %d concurrent updates: groups %v, version %d; want %d groups, version %d", writers, got.GroupIDs, got.Version, writers, 2+writers)
		}
	})
	t.Run("unknown user is not found", func(t *testing.T) {
		_, err := f.store.UpdateUser(ctx, "o1", "nobody", 0, func(*roster.User) error { return nil })
		wantCode(t, err, roster.CodeNotFound, "")
	})
}

// seedRoster writes a varied roster and returns it.
func seedRoster(t *testing.T, f *fixture, org string, n int) []*roster.User {
	t.Helper()
	firsts := []string{"Ada", "Alan", "Grace", "John", "Joan", "Linus", "Barbara", "Ken"}
	lasts := []string{"Lovelace", "Turing", "Hopper", "Johnson", "Clarke", "Torvalds", "Liskov", "Thompson"}
	var users []*roster.User
	for i := range n {
		first, last := firsts[i%len(firsts)], lasts[(i/len(firsts)+i)%len(lasts)]
		email, userID := fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), i), ""
		if i%5 == 0 {
			email, userID = "", fmt.Sprintf("EMP-%04d", i)
		}
		u := f.newUser(t, org, first, last, email, userID, func(u *roster.User) {
			u.Role = []roster.Role{roster.RoleLearner, roster.RoleLearner, roster.RoleAdmin}[i%3]
			u.State = []roster.State{roster.StatePending, roster.StateActivated, roster.StateActive, roster.StateDeactivated}[i%4]
			if i%3 != 0 {
				u.LocationID = fmt.Sprintf("loc%d", i%3)
			}
			u.GroupIDs = []string{fmt.Sprintf("g%d", i%4)}
			if i%7 == 0 {
				u.GroupIDs = append(u.GroupIDs, "g9")
			}
			if i%11 == 0 {
				past := f.now.Add(-time.Hour)
				u.ExpiresAt = &past
			}
		})
		users = append(users, u)
	}
	// Archive every sixth user.
	for i, u := range users {
		if i%6 == 5 {
			got, err := f.store.UpdateUser(context.Background(), org, u.ID, 0, func(u *roster.User) error { at := f.now; u.ArchivedAt = &at; return nil })
			if err != nil {
				t.Fatal(err)
			}
			users[i] = got
		}
	}
	return users
}

// expected lists, by brute force, the ids the filter matches in roster order.
func expected(users []*roster.User, flt roster.UserFilter, now time.Time) []string {
	var match []*roster.User
	for _, u := range users {
		if flt.Matches(u, func() time.Time { return now }) {
			match = append(match, u)
		}
	}
	slices.SortFunc(match, func(a, b *roster.User) int {
		if a.Archived() != b.Archived() {
			if a.Archived() {
				return 1
			}
			return -1
		}
		ka := roster.NormalizeSearch(a.LastName+" "+a.FirstName) + "#" + a.ID
		kb := roster.NormalizeSearch(b.LastName+" "+b.FirstName) + "#" + b.ID
		return strings.Compare(ka, kb)
	})
	ids := make([]string, len(match))
	for i, u := range match {
		ids[i] = u.ID
	}
	return ids
}

func TestStore_ListUsers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	users := seedRoster(t, f, "o1", 90)
	seedRoster(t, f, "other", 12) // another organization's users must never show
	f.settle(t)

	filters := []struct {
		name    string
		f       roster.UserFilter
		ordered bool // the index lists in roster order
	}{
		{"default", roster.UserFilter{}, true},
		{"include archived", roster.UserFilter{Archived: roster.ArchivedInclude}, true},
		{"only archived", roster.UserFilter{Archived: roster.ArchivedOnly}, true},
		{"status archived", roster.UserFilter{Status: roster.StatusArchived}, true},
		{"location", roster.UserFilter{LocationID: "loc1"}, true},
		{"group", roster.UserFilter{GroupID: "g9"}, true},
		{"group with archived", roster.UserFilter{GroupID: "g1", Archived: roster.ArchivedInclude}, true},
		{"role", roster.UserFilter{Role: roster.RoleAdmin}, true},
		{"status active, expired left out", roster.UserFilter{Status: roster.StatusActive}, true},
		{"status pending", roster.UserFilter{Status: roster.StatusPending}, true},
		{"status expired", roster.UserFilter{Status: roster.StatusExpired}, false},
		{"location and role", roster.UserFilter{LocationID: "loc2", Role: roster.RoleLearner}, true},
		{"search last name", roster.UserFilter{Query: "john"}, false},
		{"search first name with archived", roster.UserFilter{Query: "gra", Archived: roster.ArchivedInclude}, false},
		{"search full name", roster.UserFilter{Query: "ada love"}, false},
		{"search email", roster.UserFilter{Query: "linus.t"}, false},
		{"search user ID", roster.UserFilter{Query: "emp-00"}, false},
		{"search and group", roster.UserFilter{Query: "a", GroupID: "g2"}, false},
		{"nothing matches", roster.UserFilter{Query: "zzz"}, true},
		{"unknown group", roster.UserFilter{GroupID: "nope"}, true},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			flt, err := tt.f.Normalize("")
			if err != nil {
				t.Fatal(err)
			}
			want := expected(users, flt, f.now)
			var got []string
			cursor, pages := "", 0
			for {
				page, err := f.store.ListUsers(ctx, "o1", flt, roster.PageRequest{Limit: 7, Cursor: cursor})
				if err != nil {
					t.Fatalf("ListUsers page %d: %v", pages, err)
				}
				pages++
				if page.Total != len(want) || !page.Exact {
					t.Errorf("page %d: total = %d (exact %v), want %d", pages, page.Total, page.Exact, len(want))
				}
				for _, u := range page.Items {
					got = append(got, u.ID)
				}
				if page.NextCursor == "" {
					break
				}
				if len(page.Items) != 7 {
					t.Errorf("page %d has %d items and a next cursor", pages, len(page.Items))
				}
				cursor = page.NextCursor
			}
			if !tt.ordered {
				slices.Sort(got)
				want = slices.Clone(want)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("listed %d users %v\nwant %d users %v", len(got), got, len(want), want)
			}
			if n, err := f.store.CountUsers(ctx, "o1", flt); err != nil || n != (roster.Count{Total: len(want), Exact: true}) {
				t.Errorf("CountUsers = %+v, %v; want %d, exact", n, err, len(want))
			}
		})
	}
	t.Run("bad cursors", func(t *testing.T) {
		flt, _ := roster.UserFilter{}.Normalize("")
		page, err := f.store.ListUsers(ctx, "o1", flt, roster.PageRequest{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := roster.UserFilter{Role: roster.RoleAdmin}.Normalize("")
		for name, c := range map[string]string{"garbage": "!!!", "not json": "bm90IGpzb24", "another filter's": page.NextCursor} {
			_, err := f.store.ListUsers(ctx, "o1", other, roster.PageRequest{Limit: 5, Cursor: c})
			if !roster.IsCode(err, roster.CodeBadRequest) {
				t.Errorf("%s cursor: err = %v, want bad request", name, err)
			}
		}
		if _, err := f.store.ListUsers(ctx, "other", flt, roster.PageRequest{Limit: 5, Cursor: page.NextCursor}); !roster.IsCode(err, roster.CodeBadRequest) {
			t.Errorf("another organization's cursor: err = %v, want bad request", err)
		}
	})
	t.Run("a user matched by several tokens is listed once", func(t *testing.T) {
		users := []struct {
			user *roster.User
			q    string
		}{
			{f.newUser(t, "o1", "John", "Johnson", "johnjohnson@example.com", "johnj", nil), "john"},
			{f.newUser(t, "o1", "Jo", "Jo", "jojo@example.com", "", nil), "jo jo"}, // "last first" = "first last"
		}
		for _, tt := range users {
			flt, _ := roster.UserFilter{Query: tt.q}.Normalize("")
			ids, err := f.store.SelectUserIDs(ctx, "o1", flt, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(slices.DeleteFunc(ids, func(id string) bool { return id != tt.user.ID })); n != 1 {
				t.Errorf("%s %s listed %d times for q=%q, want once", tt.user.FirstName, tt.user.LastName, n, tt.q)
			}
		}
	})
}

func TestStore_Tenancy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	theirs := f.newUser(t, "theirs", "Eve", "Other", "eve@example.com", "EVE", nil)
	f.newUser(t, "mine", "Mallory", "Mine", "mallory@example.com", "", nil)
	f.settle(t)

	if _, err := f.store.GetUser(ctx, "mine", theirs.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("GetUser of another organization's user: %v, want not found", err)
	}
	if _, err := f.store.UpdateUser(ctx, "mine", theirs.ID, 0, func(u *roster.User) error { u.FirstName = "Owned"; return nil }); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("UpdateUser of another organization's user: %v, want not found", err)
	}
	if _, err := f.store.FindUserByLogin(ctx, "mine", "eve@example.com"); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("FindUserByLogin across organizations: %v, want not found", err)
	}
	for _, q := range []string{"", "eve", "other"} {
		flt, _ := roster.UserFilter{Query: q, Archived: roster.ArchivedInclude}.Normalize("")
		page, err := f.store.ListUsers(ctx, "mine", flt, roster.PageRequest{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Items {
			if u.OrgID != "mine" {
				t.Errorf("q=%q listed %s of organization %s", q, u.ID, u.OrgID)
			}
		}
	}
	got, _ := f.store.GetUser(ctx, "theirs", theirs.ID)
	if got.FirstName != "Eve" || got.Version != 1 {
		t.Errorf("another organization's user changed: %+v", got)
	}
}

func TestStore_Sessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	s := &accounts.Session{TokenHash: roster.HashToken("t1"), OrgID: "o1", UserID: u.ID, CreatedAt: f.now, ExpiresAt: f.now.Add(time.Hour)}
	if err := f.store.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	sess, user, err := f.store.GetSession(ctx, s.TokenHash, "o1", u.ID)
	if err != nil || sess.UserID != u.ID || user.Email != "ada@example.com" {
		t.Fatalf("GetSession = %+v, %+v, %v", sess, user, err)
	}
	for name, ids := range map[string][2]string{"another organization": {"o2", u.ID}, "another user": {"o1", "someone"}} {
		if _, _, err := f.store.GetSession(ctx, s.TokenHash, ids[0], ids[1]); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("session asked for as %s: %v, want not found", name, err)
		}
	}
	f.now = f.now.Add(time.Hour)
	if _, _, err := f.store.GetSession(ctx, s.TokenHash, "o1", u.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("expired session: %v, want not found", err)
	}
	if err := f.store.DeleteSession(ctx, s.TokenHash); err != nil {
		t.Errorf("DeleteSession: %v", err)
	}
}

func TestStore_GroupsAndLocations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, name := range []string{"Night shift", "day shift"} {
		if err := f.store.CreateGroup(ctx, &roster.Group{ID: roster.NewRandomID(), OrgID: "o1", Name: name, Version: 1}); err != nil {
			t.Fatal(err)
		}
	}
	err := f.store.CreateGroup(ctx, &roster.Group{ID: "g-dup", OrgID: "o1", Name: "NIGHT  shift", Version: 1})
	wantCode(t, err, roster.CodeConflict, "name")
	groups, err := f.store.ListGroups(ctx, "o1")
	if err != nil || len(groups) != 2 || groups[0].Name != "day shift" {
		t.Errorf("ListGroups = %+v, %v; want 2 by name", groups, err)
	}
	if _, err := f.store.GetGroup(ctx, "o2", groups[0].ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("GetGroup of another organization: %v", err)
	}
	if err := f.store.CreateLocation(ctx, &roster.Location{ID: "l1", OrgID: "o1", Name: "Leeds", Version: 1}); err != nil {
		t.Fatal(err)
	}
	// A location may share a group's name: the reservations are apart.
	if err := f.store.CreateLocation(ctx, &roster.Location{ID: "l2", OrgID: "o1", Name: "Night shift", Version: 1}); err != nil {
		t.Errorf("location named like a group: %v", err)
	}
	locs, err := f.store.ListLocations(ctx, "o1")
	if err != nil || len(locs) != 2 {
		t.Errorf("ListLocations = %+v, %v", locs, err)
	}
}

func TestStore_CountStopsAtMaxCounted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var users []*roster.User
	for i := range roster.MaxCounted + 50 {
		users = append(users, &roster.User{
			ID: fmt.Sprintf("u%05d", i), OrgID: "o1", FirstName: "Sam", LastName: fmt.Sprintf("Smith%05d", i), UserID: fmt.Sprintf("S%05d", i),
			Role: roster.RoleLearner, State: roster.StateActive, CreatedAt: f.now, UpdatedAt: f.now, Version: 1,
		})
	}
	if err := f.store.ImportUsers(ctx, users); err != nil {
		t.Fatal(err)
	}
	f.settle(t)
	exact, err := f.store.CountUsers(ctx, "o1", roster.UserFilter{Archived: roster.ArchivedExclude})
	if err != nil || exact != (roster.Count{Total: roster.MaxCounted + 50, Exact: true}) {
		t.Errorf("count from the counters = %+v, %v; want %d, exact", exact, err, roster.MaxCounted+50)
	}
	flt, _ := roster.UserFilter{Query: "smith"}.Normalize("")
	page, err := f.store.ListUsers(ctx, "o1", flt, roster.PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != (roster.Count{Total: roster.MaxCounted, Exact: false}) || len(page.Items) != 10 {
		t.Errorf("search total = %+v with %d items; want %d and not exact", page.Count, len(page.Items), roster.MaxCounted)
	}
	next, err := f.store.ListUsers(ctx, "o1", flt, roster.PageRequest{Limit: 10, Cursor: page.NextCursor})
	if err != nil || next.Count != page.Count {
		t.Errorf("the second page's count = %+v, %v; want the first page's %+v", next.Count, err, page.Count)
	}
}

func TestService_CreateOrganization(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := accounts.NewService(f.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Argon2 = accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}
	in := accounts.NewOrganization{Slug: "Acme", Name: "Acme Ltd", OwnerFirstName: "Olive", OwnerLastName: "Owner", OwnerEmail: "olive@acme.example", OwnerPassword: "a long passphrase"}

	org, owner, err := svc.CreateOrganization(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if org.Slug != "acme" || owner.Role != roster.RoleOwner || !owner.HasAccess(f.now.Add(time.Minute)) {
		t.Errorf("created %+v with owner %+v", org, owner)
	}
	signIn, err := svc.Login(ctx, accounts.LoginInput{Org: "acme", Login: "olive@acme.example", Password: "a long passphrase"})
	if err != nil || signIn.User.ID != owner.ID {
		t.Fatalf("the owner cannot sign in: %v", err)
	}

	t.Run("a taken slug writes nothing", func(t *testing.T) {
		again := in
		again.OwnerEmail = "someone@else.example"
		_, _, err := svc.CreateOrganization(ctx, again)
		wantCode(t, err, roster.CodeConflict, "slug")
		flt, _ := roster.UserFilter{Query: "someone"}.Normalize("")
		for _, o := range []string{org.ID} {
			if ids, _ := f.store.SelectUserIDs(ctx, o, flt, 10); len(ids) != 0 {
				t.Errorf("a refused organization left its owner behind: %v", ids)
			}
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for field, change := range map[string]func(*accounts.NewOrganization){
			"slug":     func(n *accounts.NewOrganization) { n.Slug = "no spaces" },
			"name":     func(n *accounts.NewOrganization) { n.Name = " " },
			"email":    func(n *accounts.NewOrganization) { n.OwnerEmail = "" },
			"password": func(n *accounts.NewOrganization) { n.OwnerPassword = "short" },
		} {
			bad := in
			bad.Slug = "fresh-slug"
			change(&bad)
			_, _, err := svc.CreateOrganization(ctx, bad)
			wantCode(t, err, roster.CodeInvalid, field)
		}
	})
}

func TestStore_ListAudit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", func(u *roster.User) { u.ChangedBy = "admin1" })
	bob := f.newUser(t, "o1", "Bob", "Babbage", "bob@example.com", "", func(u *roster.User) { u.ChangedBy = "admin2" })
	f.newUser(t, "o2", "Eve", "Other", "eve@example.com", "", nil)
	for i := range 3 {
		f.now = f.now.Add(time.Minute)
		if _, err := f.store.UpdateUser(ctx, "o1", ada.ID, 0, func(u *roster.User) error {
			u.LastName, u.UpdatedAt, u.ChangedBy = fmt.Sprintf("Lovelace-%d", i), f.now, "admin2"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	f.settle(t)

	list := func(t *testing.T, flt audit.Filter, limit int) []roster.AuditEntry {
		t.Helper()
		var all []roster.AuditEntry
		cursor := ""
		for {
			page, err := f.store.ListAudit(ctx, "o1", flt, roster.PageRequest{Limit: limit, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page.Items...)
			if page.NextCursor == "" {
				return all
			}
			cursor = page.NextCursor
		}
	}
	t.Run("the organization's log, newest first, in pages", func(t *testing.T) {
		got := list(t, audit.Filter{}, 2)
		if len(got) != 5 {
			t.Fatalf("%d entries, want 5 (2 created, 3 updated)", len(got))
		}
		for i := 1; i < len(got); i++ {
			if got[i].At.After(got[i-1].At) {
				t.Errorf("entry %d (%s) is newer than entry %d (%s)", i, got[i].At, i-1, got[i-1].At)
			}
		}
		if got[0].Action != "user.updated" || got[0].TargetID != ada.ID || got[0].Changes[0].To != "Lovelace-2" {
			t.Errorf("newest entry = %+v", got[0])
		}
	})
	t.Run("one user's history", func(t *testing.T) {
		if got := list(t, audit.Filter{TargetID: ada.ID}, 10); len(got) != 4 {
			t.Errorf("Ada's history has %d entries, want 4", len(got))
		}
		if got := list(t, audit.Filter{TargetID: bob.ID}, 10); len(got) != 1 || got[0].Action != "user.created" {
			t.Errorf("Bob's history = %+v", got)
		}
	})
	t.Run("filters", func(t *testing.T) {
		if got := list(t, audit.Filter{ActorID: "admin1"}, 1); len(got) != 1 || got[0].TargetID != ada.ID {
			t.Errorf("by admin1 = %+v", got)
		}
		if got := list(t, audit.Filter{Action: "user.created"}, 10); len(got) != 2 {
			t.Errorf("created = %d entries, want 2", len(got))
		}
		from := f.now.Add(-90 * time.Second)
		if got := list(t, audit.Filter{From: &from}, 10); len(got) != 2 {
			t.Errorf("since %s = %d entries, want 2", from, len(got))
		}
	})
	t.Run("another organization's cursor is refused", func(t *testing.T) {
		page, _ := f.store.ListAudit(ctx, "o1", audit.Filter{}, roster.PageRequest{Limit: 1})
		if _, err := f.store.ListAudit(ctx, "o2", audit.Filter{}, roster.PageRequest{Limit: 1, Cursor: page.NextCursor}); !roster.IsCode(err, roster.CodeBadRequest) {
			t.Errorf("err = %v, want bad request", err)
		}
	})
}

func TestService_GroupsRenameAndDelete(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := &groups.Service{Store: f.store, Now: time.Now, NewID: roster.NewRandomID, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	p := &roster.Principal{OrgID: "o1", UserID: "owner", Role: roster.RoleOwner}
	night, err := svc.CreateGroup(ctx, p, "Night shift")
	if err != nil {
		t.Fatal(err)
	}
	day, _ := svc.CreateGroup(ctx, p, "Day shift")
	var members []*roster.User
	for i, name := range []string{"Ada", "Alan", "Grace"} {
		members = append(members, f.newUser(t, "o1", name, "Night", "", "N"+name, func(u *roster.User) {
			u.GroupIDs = []string{night.ID, day.ID}
			if i == 2 {
				u.ArchivedAt = &f.now // archived members are taken out too
			}
		}))
	}
	f.settle(t)

	t.Run("rename", func(t *testing.T) {
		if _, err := svc.RenameGroup(ctx, p, night.ID, 1, "day SHIFT"); !roster.IsCode(err, roster.CodeConflict) {
			t.Errorf("rename to a taken name: %v, want conflict", err)
		}
		g, err := svc.RenameGroup(ctx, p, night.ID, 1, "Late shift")
		if err != nil || g.Name != "Late shift" || g.Version != 2 {
			t.Fatalf("RenameGroup = %+v, %v", g, err)
		}
		if _, err := svc.RenameGroup(ctx, p, night.ID, 1, "Again"); !roster.IsCode(err, roster.CodeConflict) {
			t.Errorf("rename with a stale version: %v, want conflict", err)
		}
		// The old name is free again.
		if _, err := svc.CreateGroup(ctx, p, "Night shift"); err != nil {
			t.Errorf("the old name is still taken: %v", err)
		}
	})
	t.Run("delete checks the confirmed member count", func(t *testing.T) {
		_, err := svc.DeleteGroup(ctx, p, night.ID, 2, 2)
		wantCode(t, err, roster.CodeConflict, "expectedMembers")
		n, err := svc.DeleteGroup(ctx, p, night.ID, 2, 3)
		if err != nil || n != 3 {
			t.Fatalf("DeleteGroup = %d, %v; want 3 members taken out", n, err)
		}
		if _, err := f.store.GetGroup(ctx, "o1", night.ID); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("the group is still there: %v", err)
		}
		for _, m := range members {
			u, _ := f.store.GetUser(ctx, "o1", m.ID)
			if !slices.Equal(u.GroupIDs, []string{day.ID}) || u.Archived() != m.Archived() {
				t.Errorf("%s after the deletion: groups %v, archived %v", u.FirstName, u.GroupIDs, u.Archived())
			}
		}
		f.settle(t)
		count, _ := f.store.CountUsers(ctx, "o1", roster.UserFilter{GroupID: night.ID, Archived: roster.ArchivedInclude})
		if count.Total != 0 {
			t.Errorf("the deleted group still counts %d members", count.Total)
		}
	})
}

func TestService_DeleteUsers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := withTraining(roster.NewService(f.store, slog.New(slog.NewTextHandler(io.Discard, nil))), f.store)
	owner := &roster.Principal{OrgID: "o1", UserID: "owner1", Role: roster.RoleOwner}
	gone := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "ADA-1", func(u *roster.User) { u.GroupIDs = []string{"g1"} })
	kept := f.newUser(t, "o1", "Alan", "Turing", "alan@example.com", "", nil)
	if err := f.store.SetPasswordHash(ctx, "o1", gone.ID, "hash"); err != nil {
		t.Fatal(err)
	}
	f.settle(t)

	sel := roster.Selection{UserIDs: []string{gone.ID}}
	if _, err := svc.DeleteUsers(ctx, &roster.Principal{OrgID: "o1", UserID: "admin1", Role: roster.RoleAdmin}, sel, "delete 1 user"); !roster.IsCode(err, roster.CodeForbidden) {
		t.Errorf("an admin deleting: %v, want forbidden", err)
	}
	_, err := svc.DeleteUsers(ctx, owner, sel, "yes")
	wantCode(t, err, roster.CodeInvalid, "confirmation")
	res, err := svc.DeleteUsers(ctx, owner, sel, "Delete 1 user")
	if err != nil || res.Done != 1 {
		t.Fatalf("DeleteUsers = %+v, %v", res, err)
	}
	if _, err := f.store.GetUser(ctx, "o1", gone.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("the user is still there: %v", err)
	}
	if _, err := f.store.GetPasswordHash(ctx, "o1", gone.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("the password is still there: %v", err)
	}
	f.newUser(t, "o1", "New", "Ada", "ada@example.com", "ADA-1", nil) // email and user ID are free again
	f.settle(t)

	counts, _ := f.store.GetRosterCounts(ctx, "o1")
	if counts.Active != 2 { // Alan and the new Ada
		t.Errorf("active = %d, want 2", counts.Active)
	}
	if n, _ := f.store.CountUsers(ctx, "o1", roster.UserFilter{GroupID: "g1"}); n.Total != 0 {
		t.Errorf("group g1 still counts %d", n.Total)
	}
	history, err := f.store.ListAudit(ctx, "o1", audit.Filter{TargetID: gone.ID}, roster.PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(history.Items) != 2 || history.Items[0].Action != "user.deleted" || history.Items[0].ActorID != "owner1" {
		t.Fatalf("history after deletion = %+v, want the tombstone by owner1 and the creation", history.Items)
	}
	for _, e := range history.Items {
		if len(e.Changes) != 0 {
			t.Errorf("%s entry keeps personal data: %+v", e.Action, e.Changes)
		}
	}
	if other, _ := f.store.ListAudit(ctx, "o1", audit.Filter{TargetID: kept.ID}, roster.PageRequest{Limit: 10}); len(other.Items) != 1 || len(other.Items[0].Changes) == 0 {
		t.Errorf("another user's history was scrubbed: %+v", other.Items)
	}
}

func TestService_DeletionInProgress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := &groups.Service{Store: f.store, Now: time.Now, NewID: roster.NewRandomID, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	p := &roster.Principal{OrgID: "o1", UserID: "owner", Role: roster.RoleOwner}
	g, _ := svc.CreateGroup(ctx, p, "Closing store")
	member := f.newUser(t, "o1", "Ada", "Member", "", "ADA", func(u *roster.User) { u.GroupIDs = []string{g.ID} })
	f.settle(t)
	// A deletion that stopped after marking the group (its process died).
	marked, err := f.store.MarkGroupDeleting(ctx, "o1", g.ID, g.Version)
	if err != nil || !marked.Deleting {
		t.Fatalf("MarkGroupDeleting = %+v, %v", marked, err)
	}

	u := &roster.User{ID: "late", OrgID: "o1", FirstName: "Late", LastName: "Joiner", UserID: "LATE", Role: roster.RoleLearner, State: roster.StatePending, GroupIDs: []string{g.ID}, Version: 1}
	wantCode(t, f.store.CreateUser(ctx, u), roster.CodeInvalid, "groupIds")
	if _, err := svc.RenameGroup(ctx, p, g.ID, marked.Version, "Reopened"); !roster.IsCode(err, roster.CodeConflict) {
		t.Errorf("renaming a group being deleted: %v, want conflict", err)
	}
	// Deleting again finishes, whatever count it is sent.
	n, err := svc.DeleteGroup(ctx, p, g.ID, 0, 0)
	if err != nil || n != 1 {
		t.Fatalf("DeleteGroup again = %d, %v; want 1 member taken out", n, err)
	}
	got, _ := f.store.GetUser(ctx, "o1", member.ID)
	if len(got.GroupIDs) != 0 {
		t.Errorf("the member keeps the group: %v", got.GroupIDs)
	}
	if _, err := f.store.GetGroup(ctx, "o1", g.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("the group is still there: %v", err)
	}
}
