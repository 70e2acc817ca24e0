package devserver

import (
	"context"
	"testing"

	"github.com/rosterhq/roster/infra/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var testArgon = roster.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

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
		if ok, _ := roster.VerifyPassword("second password", hash); !ok {
			t.Error("the owner's password is not the one printed at the second start")
		}
	})
}
