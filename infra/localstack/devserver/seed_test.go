package devserver

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/dynamo"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var testArgon = accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

func TestSeedDemo(t *testing.T) {
	tbl := testenv.DynamoDB(t)
	store := dynamo.New(tbl.Client, tbl.Name)
	ctx := context.Background()
	d := Demo{Slug: "demo", Name: "Demo Foods Ltd", Users: 40, OwnerEmail: "owner@demo.example", OwnerPassword: "first password"}

	created, err := seedDemo(ctx, store, d, testArgon)
	if err != nil || !created {
		t.Fatalf("seedDemo = %v, %v; want created", created, err)
	}
	org, err := store.FindOrganizationBySlug(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	locations, _ := store.ListLocations(ctx, org.ID)
	groups, _ := store.ListGroups(ctx, org.ID)
	if len(locations) != len(demoLocations) || len(groups) != len(demoGroups) {
		t.Errorf("seeded %d locations and %d groups, want %d and %d", len(locations), len(groups), len(demoLocations), len(demoGroups))
	}
	courses, err := store.ListCourses(ctx, org.ID)
	if err != nil || len(courses) != len(demoCourses) {
		t.Errorf("seeded %d courses, %v; want %d", len(courses), err, len(demoCourses))
	}
	for _, c := range courses {
		if c.Name == "Food Hygiene Level 2" && (c.Seats == nil || *c.Seats != 400 || *c.Free() != 400) {
			t.Errorf("food hygiene = %+v, want a pool of 400 free seats", c)
		}
		if c.Name == "Allergen Awareness" && (c.Seats != nil || c.RetakeMonths != 12) {
			t.Errorf("allergen awareness = %+v, want unlimited with a 12-month retake", c)
		}
	}
	all, err := store.SelectUserIDs(ctx, org.ID, roster.UserFilter{Archived: roster.ArchivedInclude}, 1000)
	if err != nil || len(all) != d.Users+1 {
		t.Errorf("seeded %d users, %v; want %d and the owner", len(all), err, d.Users)
	}
	known := map[string]bool{}
	for _, l := range locations {
		known[l.ID] = true
	}
	for _, g := range groups {
		known[g.ID] = true
	}
	page, err := store.ListUsers(ctx, org.ID, roster.UserFilter{Archived: roster.ArchivedInclude}, roster.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range page.Items {
		for _, ref := range append([]string{u.LocationID}, u.GroupIDs...) {
			if ref != "" && !known[ref] {
				t.Errorf("%s %s refers to %s, which was not seeded", u.FirstName, u.LastName, ref)
			}
		}
	}

	t.Run("a second start keeps the data and sets the new password", func(t *testing.T) {
		d.OwnerPassword = "second password"
		created, err := seedDemo(ctx, store, d, testArgon)
		if err != nil || created {
			t.Fatalf("seedDemo again = %v, %v; want kept", created, err)
		}
		owner, _ := store.FindUserByLogin(ctx, org.ID, d.OwnerEmail)
		hash, _ := store.GetPasswordHash(ctx, org.ID, owner.ID)
		if ok, _ := accounts.VerifyPassword("second password", hash); !ok {
			t.Error("the owner's password is not the one printed at the second start")
		}
	})
}

// TestSeedDemo_DueTraining seeds the demo with due training and runs the
// reminders as `make run` does at start, then again through POST
// /dev/reminders as `make reminders` does: the first run emails the
// learners at a reminder day and a digest to the owner; the second sends
// nothing new.
func TestSeedDemo_DueTraining(t *testing.T) {
	tbl := testenv.DynamoDB(t)
	endpoint := testenv.SES(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.Assemble(app.Config{TableName: tbl.Name, Sender: testenv.Sender, AppURL: "http://127.0.0.1:8080"}, log, tbl.Client, motoserver.Client(ctx, endpoint), nil)
	d := Demo{Slug: "demo", Name: "Demo Foods Ltd", Users: 60, OwnerEmail: "owner@due-training.example", OwnerPassword: "first password", DueTraining: true}
	if _, err := seedDemo(ctx, a.Store, d, testArgon); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Reminders.SendReminders(ctx)
	// Reminded today: overdue by 8 days and by 1, due tomorrow, in 7 days
	// (twice), and the retake due tomorrow; not those due in 3 and 5 days.
	if err != nil || rep.Learners != 6 || rep.Digests < 1 || rep.Failed != 0 {
		t.Fatalf("the first run: %+v, %v; want 6 learners and the digests", rep, err)
	}
	sent, err := motoserver.SentEmails(ctx, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	var digest *motoserver.SentEmail
	for i, m := range sent {
		if slices.Contains(m.To, d.OwnerEmail) {
			digest = &sent[i]
		}
	}
	if digest == nil || digest.Subject != "Training due at Demo Foods Ltd: 2 overdue, 6 due soon" {
		t.Fatalf("the owner's digest: %+v", digest)
	}

	srv := httptest.NewServer(newServer(a.API.Handler(), t.TempDir(), endpoint, a.Reminders.SendReminders, log, filesRoute{origin: "http://127.0.0.1:1"}))
	defer srv.Close()
	state := filepath.Join(t.TempDir(), "devserver.json")
	if err := RunReminders(ctx, state, io.Discard); err == nil || !strings.Contains(err.Error(), "start it with `make run`") {
		t.Errorf("without a running server: %v", err)
	}
	remove, err := writeState(state, State{URL: srv.URL, PID: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	var out strings.Builder
	if err := RunReminders(ctx, state, &out); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Reminders: 0 learners and 0 administrators (digests) emailed, %d already sent today, 0 failed", rep.Learners+rep.Digests); !strings.HasPrefix(out.String(), want) {
		t.Errorf("make reminders printed %q, want %q…", out.String(), want)
	}

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/dev/reminders", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site POST /dev/reminders: %s, want 403", res.Status)
	}
}
