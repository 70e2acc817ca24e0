package dynamo_test

import (
	"context"
	"errors"
	"testing"

	roster "github.com/rosterhq/roster/shared"
)

// TestStore_UpdateUserForJob checks that a job's change notes the job on the
// user in the same write, that the note survives other writes, and that the
// job never changes the user again while it is noted.
func TestStore_UpdateUserForJob(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.newUser(t, "org1", "Ada", "Lovelace", "ada@example.com", "", nil)
	rename := func(name string) func(*roster.User) error {
		return func(u *roster.User) error { u.FirstName = name; return nil }
	}

	got, err := f.store.UpdateUserForJob(ctx, "org1", "job-a", u.ID, nil, rename("Augusta"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || !got.ChangedByJob("job-a") {
		t.Fatalf("after the job: version %d, recent jobs %v; want 2 and job-a", got.Version, got.RecentJobs)
	}
	// An ordinary write, from a stale read too, keeps the note.
	if _, err := f.store.UpdateUser(ctx, "org1", u.ID, 0, rename("Ada")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateUserForJob(ctx, "org1", "job-a", u.ID, u, rename("Augusta")); !errors.Is(err, roster.ErrOutcomeRecorded) {
		t.Fatalf("the same job again, from a stale read: err = %v, want ErrOutcomeRecorded", err)
	}
	stored, err := f.store.GetUser(ctx, "org1", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Version != 3 || stored.FirstName != "Ada" || !stored.ChangedByJob("job-a") {
		t.Fatalf("stored = version %d, %q, recent jobs %v; want version 3, Ada, job-a noted", stored.Version, stored.FirstName, stored.RecentJobs)
	}

	// A refused change writes nothing, not even the note.
	refused := errors.New("refused")
	if _, err := f.store.UpdateUserForJob(ctx, "org1", "job-b", u.ID, nil, func(*roster.User) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("refused change: err = %v", err)
	}
	if again, _ := f.store.GetUser(ctx, "org1", u.ID); again.Version != 3 || again.ChangedByJob("job-b") {
		t.Fatalf("after a refusal: version %d, recent jobs %v; want unchanged", again.Version, again.RecentJobs)
	}
}
