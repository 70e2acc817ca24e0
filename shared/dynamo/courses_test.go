package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/training"
)

func seats(n int) *int { return &n }

func (f *fixture) newCourse(t *testing.T, org, name string, pool *int) *roster.Course {
	t.Helper()
	c := &roster.Course{ID: roster.NewRandomID(), OrgID: org, Name: name, Seats: pool, CreatedAt: f.now, Version: 1}
	m := training.SeatMove{ID: roster.NewRandomID(), At: f.now, Cause: "created"}
	if pool != nil {
		m.Count = *pool
	}
	if err := f.store.CreateCourse(context.Background(), c, m); err != nil {
		t.Fatalf("CreateCourse(%s): %v", name, err)
	}
	return c
}

// figures returns a course's seats bought (-1: unlimited), reserved, used and free (-1: unlimited).
func figures(t *testing.T, f *fixture, org, id string) [4]int {
	t.Helper()
	c, err := f.store.GetCourse(context.Background(), org, id)
	if err != nil {
		t.Fatal(err)
	}
	out := [4]int{-1, c.Reserved, c.Used, -1}
	if c.Seats != nil {
		out[0], out[3] = *c.Seats, *c.Free()
	}
	return out
}

func ledger(t *testing.T, f *fixture, org, id string) []training.LedgerEntry {
	t.Helper()
	var all []training.LedgerEntry
	page := roster.PageRequest{Limit: 7}
	for {
		p, err := f.store.ListSeatLedger(context.Background(), org, id, page)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			return all
		}
		page.Cursor = p.NextCursor
	}
}

func countKinds(entries []training.LedgerEntry) map[training.SeatKind]int {
	out := map[training.SeatKind]int{}
	for _, e := range entries {
		out[e.Kind] += e.Count
	}
	return out
}

func TestStore_CreateCourse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.newCourse(t, "o1", "Food Hygiene", seats(400))
	if got, want := figures(t, f, "o1", c.ID), [4]int{400, 0, 0, 400}; got != want {
		t.Errorf("figures = %v, want %v", got, want)
	}
	free := f.newCourse(t, "o1", "Allergen awareness", nil)
	if got, want := figures(t, f, "o1", free.ID), [4]int{-1, 0, 0, -1}; got != want {
		t.Errorf("unlimited figures = %v, want %v", got, want)
	}
	zero := f.newCourse(t, "o1", "Forklift", seats(0))
	if got, want := figures(t, f, "o1", zero.ID), [4]int{0, 0, 0, 0}; got != want {
		t.Errorf("zero-seat figures = %v, want %v (a pool of 0 is not unlimited)", got, want)
	}

	dup := &roster.Course{ID: roster.NewRandomID(), OrgID: "o1", Name: "food  HYGIENE", Version: 1}
	wantCode(t, f.store.CreateCourse(ctx, dup, training.SeatMove{ID: roster.NewRandomID()}), roster.CodeConflict, "name")
	if _, err := f.store.GetCourse(ctx, "o1", dup.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("a refused course was written: %v", err)
	}
	other := &roster.Course{ID: roster.NewRandomID(), OrgID: "o2", Name: "Food Hygiene", Version: 1}
	if err := f.store.CreateCourse(ctx, other, training.SeatMove{ID: roster.NewRandomID()}); err != nil {
		t.Errorf("another organization may use the name: %v", err)
	}
	if _, err := f.store.GetCourse(ctx, "o2", c.ID); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("GetCourse of another organization's course = %v, want not found", err)
	}

	list, err := f.store.ListCourses(ctx, "o1")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
	}
	if got, want := fmt.Sprint(names), "[Allergen awareness Food Hygiene Forklift]"; got != want {
		t.Errorf("ListCourses = %s, want %s", got, want)
	}
	entries := ledger(t, f, "o1", c.ID)
	if len(entries) != 1 || entries[0].Kind != training.SeatsBought || entries[0].Count != 400 || *entries[0].SeatsAfter != 400 {
		t.Errorf("ledger after creation = %+v, want one bought 400", entries)
	}
	if got := ledger(t, f, "o1", free.ID); len(got) != 0 {
		t.Errorf("an unlimited course's ledger = %+v, want empty", got)
	}
}

// TestStore_ReserveSeatsRace races many reservations against a few seats:
// exactly the seats bought succeed, the rest are refused with the figures,
// and the ledger holds exactly the movements that happened.
func TestStore_ReserveSeatsRace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const bought, racers = 5, 40
	c := f.newCourse(t, "o1", "Food Hygiene", seats(bought))

	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.store.ReserveSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 1, Cause: "assigned", UserID: fmt.Sprintf("u%d", i), At: f.now})
		}()
	}
	wg.Wait()
	succeeded := 0
	for _, err := range errs {
		if err == nil {
			succeeded++
			continue
		}
		short, ok := roster.AsSeatShortage(err)
		if !ok || short.Needed != 1 || short.Free != 0 {
			t.Errorf("a refused reservation: %v, want a shortage of 1 needed, 0 free", err)
			continue
		}
		wantCode(t, short.Unwrap(), roster.CodeConflict, "seats")
	}
	if succeeded != bought {
		t.Errorf("%d reservations succeeded, want exactly %d", succeeded, bought)
	}
	if got, want := figures(t, f, "o1", c.ID), [4]int{bought, bought, 0, 0}; got != want {
		t.Errorf("figures = %v, want %v", got, want)
	}
	entries := ledger(t, f, "o1", c.ID)
	users := map[string]bool{}
	for _, e := range entries {
		if e.Kind == training.SeatsReserved {
			users[e.UserID] = true
		}
	}
	if got := countKinds(entries); got[training.SeatsReserved] != bought || len(users) != bought || len(entries) != bought+1 {
		t.Errorf("ledger = %+v, want the creation and exactly %d reservations of different users", entries, bought)
	}
	for i := 1; i < len(entries); i++ {
		if entries[i].At.After(entries[i-1].At) {
			t.Errorf("ledger not newest first at %d", i)
		}
	}
	// Releasing races the same way: only the seats reserved come back.
	released := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			released[i] = f.store.ReleaseSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 1, Cause: "unassigned", At: f.now})
		}()
	}
	wg.Wait()
	back := 0
	for _, err := range released {
		if err == nil {
			back++
		} else if !roster.IsCode(err, roster.CodeConflict) {
			t.Errorf("a refused release: %v, want a conflict on seats", err)
		}
	}
	if back != bought {
		t.Errorf("%d releases succeeded, want exactly %d", back, bought)
	}
	if got, want := figures(t, f, "o1", c.ID), [4]int{bought, 0, 0, bought}; got != want {
		t.Errorf("figures after releases = %v, want %v", got, want)
	}
	if got := countKinds(ledger(t, f, "o1", c.ID))[training.SeatsReleased]; got != bought {
		t.Errorf("ledger holds %d released, want %d", got, bought)
	}
	version := figuresVersion(t, f, "o1", c.ID)
	if version != 1 {
		t.Errorf("version after seat movements = %d, want 1: movements must not bump it", version)
	}
}

// TestStore_SeatsRaceWithEdit lowers the seats bought while reservations
// race: whatever the order, the pool never goes below what is reserved.
func TestStore_SeatsRaceWithEdit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.newCourse(t, "o1", "Food Hygiene", seats(20))
	var wg sync.WaitGroup
	var mu sync.Mutex
	reserved := 0
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f.store.ReserveSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 1, At: f.now}); err == nil {
				mu.Lock()
				reserved++
				mu.Unlock()
			} else if _, ok := roster.AsSeatShortage(err); !ok {
				t.Errorf("reserve: %v", err)
			}
		}()
	}
	var editErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, editErr = f.store.UpdateCourse(ctx, "o1", c.ID, 1, func(c *roster.Course) error {
			if c.Reserved+c.Used > 10 {
				return training.PoolTooSmall(c.Reserved + c.Used)
			}
			c.Seats = seats(10)
			return nil
		}, training.SeatMove{ID: roster.NewRandomID(), At: f.now})
	}()
	wg.Wait()
	got := figures(t, f, "o1", c.ID)
	if got[1] != reserved || got[3] < 0 || got[0] != got[1]+got[3] {
		t.Errorf("figures = %v with %d reserved: the pool must equal reserved + free, free never below 0", got, reserved)
	}
	switch {
	case editErr == nil && got[0] != 10:
		t.Errorf("the edit succeeded but seats = %d, want 10", got[0])
	case editErr != nil && (got[0] != 20 || !roster.IsCode(editErr, roster.CodeInvalid)):
		t.Errorf("the edit failed with %v; seats = %d, want 20 and a refusal with the numbers", editErr, got[0])
	}
}

func figuresVersion(t *testing.T, f *fixture, org, id string) int64 {
	t.Helper()
	c, err := f.store.GetCourse(context.Background(), org, id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

func TestStore_SeatMovements(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	move := func(n int) training.SeatMove {
		return training.SeatMove{ID: roster.NewRandomID(), Count: n, Cause: "test", At: f.now}
	}
	c := f.newCourse(t, "o1", "Food Hygiene", seats(10))

	t.Run("reserve, use, release", func(t *testing.T) {
		for _, step := range []struct {
			name string
			do   func() error
			want [4]int
		}{
			{"reserve 6", func() error { return f.store.ReserveSeats(ctx, "o1", c.ID, move(6)) }, [4]int{10, 6, 0, 4}},
			{"use 2", func() error { return f.store.UseSeats(ctx, "o1", c.ID, move(2)) }, [4]int{10, 4, 2, 4}},
			{"release 3", func() error { return f.store.ReleaseSeats(ctx, "o1", c.ID, move(3)) }, [4]int{10, 1, 2, 7}},
		} {
			if err := step.do(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got := figures(t, f, "o1", c.ID); got != step.want {
				t.Errorf("after %s: figures = %v, want %v", step.name, got, step.want)
			}
		}
	})
	t.Run("refusals change nothing", func(t *testing.T) {
		before := figures(t, f, "o1", c.ID)
		entries := len(ledger(t, f, "o1", c.ID))
		err := f.store.ReserveSeats(ctx, "o1", c.ID, move(8))
		if short, ok := roster.AsSeatShortage(err); !ok || short.Needed != 8 || short.Free != 7 {
			t.Errorf("reserve 8 of 7 free = %v, want a shortage of 8 needed, 7 free", err)
		} else if got := err.Error(); got != "conflict: seats: 8 seats needed, only 7 free" {
			t.Errorf("message = %q", got)
		}
		wantCode(t, f.store.ReleaseSeats(ctx, "o1", c.ID, move(2)), roster.CodeConflict, "seats")
		wantCode(t, f.store.UseSeats(ctx, "o1", c.ID, move(2)), roster.CodeConflict, "seats")
		wantCode(t, f.store.ReserveSeats(ctx, "o1", c.ID, move(0)), roster.CodeInvalid, "seats")
		if err := f.store.ReserveSeats(ctx, "o1", "nope", move(1)); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("reserve on no course = %v, want not found", err)
		}
		if err := f.store.ReserveSeats(ctx, "o2", c.ID, move(1)); !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("reserve on another organization's course = %v, want not found", err)
		}
		if got := figures(t, f, "o1", c.ID); got != before {
			t.Errorf("figures = %v, want %v unchanged", got, before)
		}
		if got := len(ledger(t, f, "o1", c.ID)); got != entries {
			t.Errorf("ledger has %d entries, want %d unchanged", got, entries)
		}
	})
	t.Run("unlimited pool", func(t *testing.T) {
		u := f.newCourse(t, "o1", "Allergens", nil)
		if err := f.store.ReserveSeats(ctx, "o1", u.ID, move(1000)); err != nil {
			t.Fatal(err)
		}
		if err := f.store.UseSeats(ctx, "o1", u.ID, move(10)); err != nil {
			t.Fatal(err)
		}
		if err := f.store.ReleaseSeats(ctx, "o1", u.ID, move(90)); err != nil {
			t.Fatal(err)
		}
		if got, want := figures(t, f, "o1", u.ID), [4]int{-1, 900, 10, -1}; got != want {
			t.Errorf("figures = %v, want %v", got, want)
		}
		k := countKinds(ledger(t, f, "o1", u.ID))
		if k[training.SeatsReserved] != 1000 || k[training.SeatsUsed] != 10 || k[training.SeatsReleased] != 90 {
			t.Errorf("ledger counts = %v", k)
		}
	})
	t.Run("retired course takes no reservation", func(t *testing.T) {
		r := f.newCourse(t, "o1", "Old course", seats(3))
		if err := f.store.ReserveSeats(ctx, "o1", r.ID, move(1)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.UpdateCourse(ctx, "o1", r.ID, 1, func(c *roster.Course) error { c.RetiredAt = &f.now; return nil }, training.SeatMove{ID: roster.NewRandomID(), At: f.now}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.store.ReserveSeats(ctx, "o1", r.ID, move(1)), roster.CodeInvalid, "courseId")
		if err := f.store.ReleaseSeats(ctx, "o1", r.ID, move(1)); err != nil {
			t.Errorf("a retired course's seats still come back: %v", err)
		}
		if got, want := figures(t, f, "o1", r.ID), [4]int{3, 0, 0, 3}; got != want {
			t.Errorf("figures = %v, want %v", got, want)
		}
	})
}

func TestStore_UpdateCourse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.newCourse(t, "o1", "Food Hygiene", seats(10))
	f.newCourse(t, "o1", "Allergens", nil)
	if err := f.store.ReserveSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 7, At: f.now}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.UseSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 2, At: f.now}); err != nil {
		t.Fatal(err)
	}
	tick := func() time.Time { f.now = f.now.Add(time.Second); return f.now }
	setSeats := func(n *int) func(*roster.Course) error {
		return func(c *roster.Course) error { c.Seats = n; return nil }
	}
	version := int64(1)
	edit := func(t *testing.T, change func(*roster.Course) error) (*roster.Course, error) {
		t.Helper()
		got, err := f.store.UpdateCourse(ctx, "o1", c.ID, version, change, training.SeatMove{ID: roster.NewRandomID(), At: tick(), ActorID: "admin"})
		if err == nil {
			version = got.Version
		}
		return got, err
	}

	t.Run("buy more and fewer", func(t *testing.T) {
		got, err := edit(t, setSeats(seats(15)))
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || *got.Seats != 15 || *got.Free() != 8 || got.Reserved != 5 || got.Used != 2 {
			t.Errorf("after buying 5 more: %+v", got)
		}
		if _, err := edit(t, setSeats(seats(7))); err != nil {
			t.Fatal(err)
		}
		if got, want := figures(t, f, "o1", c.ID), [4]int{7, 5, 2, 0}; got != want {
			t.Errorf("figures = %v, want %v", got, want)
		}
		e := ledger(t, f, "o1", c.ID)[0]
		if e.Kind != training.SeatsBought || e.Count != -8 || *e.SeatsAfter != 7 || e.ActorID != "admin" || e.Cause != "8 seats taken off (15 to 7)" {
			t.Errorf("newest ledger entry = %+v", e)
		}
	})
	t.Run("the pool never goes below reserved and used", func(t *testing.T) {
		if err := f.store.ReleaseSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 1, At: tick()}); err != nil {
			t.Fatal(err)
		}
		// The rule runs on the figures read; a reservation after the read
		// fails the write's condition, and the rule runs again on the new figures.
		raced := false
		_, err := edit(t, func(c *roster.Course) error {
			if !raced {
				raced = true
				if err := f.store.ReserveSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 1, At: tick()}); err != nil {
					t.Fatal(err)
				}
			}
			if c.Reserved+c.Used > 6 {
				return roster.Invalid("seats", "the pool needs at least %d", c.Reserved+c.Used)
			}
			c.Seats = seats(6)
			return nil
		})
		wantCode(t, err, roster.CodeInvalid, "seats")
		if got, want := figures(t, f, "o1", c.ID), [4]int{7, 5, 2, 0}; got != want {
			t.Errorf("figures = %v, want %v unchanged", got, want)
		}
		// Without the rule, the condition alone refuses, with the numbers.
		_, err = edit(t, setSeats(seats(6)))
		wantCode(t, err, roster.CodeInvalid, "seats")
		if got, want := err.Error(), "invalid: seats: 7 seats are reserved or used: the pool needs at least 7"; got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
		if got, want := figures(t, f, "o1", c.ID), [4]int{7, 5, 2, 0}; got != want {
			t.Errorf("figures = %v, want %v unchanged", got, want)
		}
	})
	t.Run("unlimited and back", func(t *testing.T) {
		if _, err := edit(t, setSeats(nil)); err != nil {
			t.Fatal(err)
		}
		if got, want := figures(t, f, "o1", c.ID), [4]int{-1, 5, 2, -1}; got != want {
			t.Errorf("figures = %v, want %v", got, want)
		}
		if err := f.store.ReserveSeats(ctx, "o1", c.ID, training.SeatMove{ID: roster.NewRandomID(), Count: 100, At: tick()}); err != nil {
			t.Fatal(err)
		}
		if _, err := edit(t, setSeats(seats(110))); err != nil {
			t.Fatal(err)
		}
		if got, want := figures(t, f, "o1", c.ID), [4]int{110, 105, 2, 3}; got != want {
			t.Errorf("figures = %v, want %v", got, want)
		}
		kinds := []training.SeatKind{}
		for _, e := range ledger(t, f, "o1", c.ID)[:3] {
			kinds = append(kinds, e.Kind)
		}
		if got, want := fmt.Sprint(kinds), "[limited reserved unlimited]"; got != want {
			t.Errorf("newest ledger kinds = %s, want %s", got, want)
		}
	})
	t.Run("rename, retake, retire", func(t *testing.T) {
		wantCode(t, func() error {
			_, err := edit(t, func(c *roster.Course) error { c.Name = "ALLERGENS"; return nil })
			return err
		}(), roster.CodeConflict, "name")
		got, err := edit(t, func(c *roster.Course) error {
			c.Name, c.RetakeMonths, c.RetiredAt = "Food Safety", 24, &f.now
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Food Safety" || got.RetakeMonths != 24 || !got.Retired() || *got.Seats != 110 {
			t.Errorf("after edit: %+v", got)
		}
		dup := &roster.Course{ID: roster.NewRandomID(), OrgID: "o1", Name: "food hygiene", Version: 1}
		if err := f.store.CreateCourse(ctx, dup, training.SeatMove{ID: roster.NewRandomID()}); err != nil {
			t.Errorf("the old name is free again: %v", err)
		}
		dup.ID, dup.Name = roster.NewRandomID(), "Food safety"
		wantCode(t, f.store.CreateCourse(ctx, dup, training.SeatMove{ID: roster.NewRandomID()}), roster.CodeConflict, "name")
		got, err = edit(t, func(c *roster.Course) error { c.RetakeMonths, c.RetiredAt = 0, nil; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if got.RetakeMonths != 0 || got.Retired() {
			t.Errorf("after restore: %+v", got)
		}
	})
	t.Run("stale version", func(t *testing.T) {
		_, err := f.store.UpdateCourse(ctx, "o1", c.ID, 1, setSeats(seats(500)), training.SeatMove{ID: roster.NewRandomID(), At: f.now})
		wantCode(t, err, roster.CodeConflict, "version")
		_, err = f.store.UpdateCourse(ctx, "o2", c.ID, version, setSeats(seats(500)), training.SeatMove{ID: roster.NewRandomID(), At: f.now})
		if !roster.IsCode(err, roster.CodeNotFound) {
			t.Errorf("another organization's course = %v, want not found", err)
		}
	})
	t.Run("bad cursor", func(t *testing.T) {
		_, err := f.store.ListSeatLedger(ctx, "o1", c.ID, roster.PageRequest{Limit: 5, Cursor: "U0VBVFMjb3RoZXIj"})
		wantCode(t, err, roster.CodeBadRequest, "cursor")
	})
}

func TestService_CourseChangesInTheAuditTrail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	admin := &roster.Principal{OrgID: "o1", UserID: "admin1", Role: roster.RoleAdmin, RequestID: "req-courses"}
	c, err := trn(svc).CreateCourse(ctx, admin, training.CourseInput{Name: "Ladders", Seats: seats(10)})
	if err != nil {
		t.Fatal(err)
	}
	edits := []training.CoursePatch{
		{Name: roster.Optional[string]{Set: true, Value: "Ladder safety"}, RetakeMonths: roster.Optional[int]{Set: true, Value: 12}},
		{Seats: roster.Optional[*int]{Set: true, Value: seats(15)}},
		{Seats: roster.Optional[*int]{Set: true, Value: seats(15)}}, // nothing changes: no entry
		{Retired: roster.Optional[bool]{Set: true, Value: true}},
		{Retired: roster.Optional[bool]{Set: true, Value: false}},
	}
	for _, patch := range edits {
		f.now = f.now.Add(time.Minute)
		patch.Version = c.Version
		if c, err = trn(svc).UpdateCourse(ctx, admin, c.ID, patch); err != nil {
			t.Fatal(err)
		}
	}
	view, err := (&audit.Service{Store: f.store}).ListAudit(ctx, admin, audit.Filter{}, roster.PageRequest{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range view.Items {
		line := e.Action + " " + e.ActorID + " " + e.RequestID
		for _, ch := range e.Changes {
			if ch.Field != "retiredAt" {
				line += " " + ch.Field + ":" + ch.From + ">" + ch.To
			} else {
				line += " " + ch.Field
			}
		}
		if e.TargetID != c.ID {
			t.Errorf("entry about %s, want the course %s", e.TargetID, c.ID)
		}
		got = append(got, line)
	}
	want := []string{ // newest first
		"course.restored admin1 req-courses retiredAt",
		"course.retired admin1 req-courses retiredAt",
		"course.updated admin1 req-courses seats:10>15",
		"course.updated admin1 req-courses name:Ladders>Ladder safety retakeMonths:>12",
		"course.created admin1 req-courses name:>Ladders seats:>10",
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := view.Courses[c.ID]; c == nil || c.Name != "Ladder safety" {
		t.Errorf("the view names the course: %+v", view.Courses)
	}
}

func TestStore_LedgerFiguresAfterEachMovement(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	admin := &roster.Principal{OrgID: "o1", UserID: "admin1", Role: roster.RoleAdmin, RequestID: "req-figures"}
	c, err := trn(svc).CreateCourse(ctx, admin, training.CourseInput{Name: "Ladders", Seats: seats(3)})
	if err != nil {
		t.Fatal(err)
	}
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	alan := f.newUser(t, "o1", "Alan", "Turing", "alan@example.com", "", nil)
	next := func() { f.now = f.now.Add(time.Minute) } // one movement a minute: the ledger's order
	next()
	assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, ada.ID)
	next()
	assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, alan.ID)
	next()
	if _, err := trn(svc).StartTraining(ctx, &roster.Principal{OrgID: "o1", UserID: ada.ID, Role: roster.RoleLearner}, c.ID); err != nil {
		t.Fatal(err)
	}
	next()
	if _, err := svc.RunAction(ctx, trainer, roster.ActionUnassignCourses, roster.ActionParams{CourseIDs: []string{c.ID}}, roster.Selection{UserIDs: []string{alan.ID}}); err != nil {
		t.Fatal(err)
	}
	next()
	if _, err := trn(svc).UpdateCourse(ctx, admin, c.ID, training.CoursePatch{Version: c.Version, Seats: roster.Optional[*int]{Set: true, Value: seats(5)}}); err != nil {
		t.Fatal(err)
	}
	f.settle(t)
	// Delivered again, from the stream's start: the figures stay as they are.
	if err := f.freshPoller().Drain(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := trn(svc).ListSeatLedger(ctx, admin, c.ID, roster.PageRequest{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Items {
		line := string(e.Kind) + " -"
		if a := e.After; a != nil {
			line = fmt.Sprintf("%s %d/%d/%d", e.Kind, a.Reserved, a.Used, *a.Free)
		}
		got = append(got, line)
	}
	want := []string{ // newest first: reserved/used/free after each
		"bought 0/1/4",
		"released 0/1/2",
		"used 1/1/1",
		"reserved 2/0/1",
		"reserved 1/0/2",
		"bought 0/0/3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ledger figures %q, want %q", got, want)
	}
}
