package dynamo_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
)

func setRole(role roster.Role) func(*roster.User) error {
	return func(u *roster.User) error { u.Role = role; return nil }
}

func TestStore_LastOwnerStays(t *testing.T) {
	tbl := testenv.DynamoDB(t)
	store := dynamo.New(tbl.Client, tbl.Name)
	ctx := context.Background()
	now := time.Now().UTC()
	org := &roster.Organization{ID: "org1", Slug: "one", Name: "One", CreatedAt: now}
	owner := func(id, email string) *roster.User {
		return &roster.User{ID: id, OrgID: org.ID, FirstName: "O", LastName: id, Email: email, Role: roster.RoleOwner, State: roster.StateActive, CreatedAt: now, UpdatedAt: now, Version: 1}
	}
	olive, otto := owner("olive", "olive@one.example"), owner("otto", "otto@one.example")
	if err := store.CreateOrganization(ctx, org, olive, "hash"); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateUser(ctx, otto); err != nil {
		t.Fatal(err)
	}
	wantLastOwner := func(t *testing.T, err error, id string) {
		t.Helper()
		if !errors.Is(err, roster.ErrLastOwner) {
			t.Fatalf("error = %v, want ErrLastOwner", err)
		}
		if u, _ := store.GetUser(ctx, org.ID, id); !u.HoldsOwnership() {
			t.Fatalf("the last owner lost ownership: %+v", u)
		}
	}

	if _, err := store.UpdateUser(ctx, org.ID, olive.ID, 0, setRole(roster.RoleAdmin)); err != nil {
		t.Fatalf("demoting one of two owners: %v", err)
	}
	past, future := now.Add(-time.Hour), now.Add(30*24*time.Hour)
	for name, change := range map[string]func(*roster.User) error{
		"demote":          setRole(roster.RoleLearner),
		"deactivate":      func(u *roster.User) error { u.State = roster.StateDeactivated; return nil },
		"archive":         func(u *roster.User) error { u.ArchivedAt = &now; return nil },
		"expire":          func(u *roster.User) error { u.ExpiresAt = &past; return nil },
		"expiration date": func(u *roster.User) error { u.ExpiresAt = &future; return nil },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := store.UpdateUser(ctx, org.ID, otto.ID, 0, change)
			wantLastOwner(t, err, otto.ID)
		})
	}
	t.Run("delete", func(t *testing.T) {
		wantLastOwner(t, store.DeleteUser(ctx, org.ID, otto.ID, func(*roster.User) error { return nil }), otto.ID)
	})
	t.Run("other changes of the last owner go through", func(t *testing.T) {
		if _, err := store.UpdateUser(ctx, org.ID, otto.ID, 0, func(u *roster.User) error { u.FirstName = "Otto"; return nil }); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("an organization made before the count starts it from its owners", func(t *testing.T) {
		if _, err := tbl.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &tbl.Name, Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "ORG#" + org.ID}, "SK": &types.AttributeValueMemberS{Value: "OWNERS"},
		}}); err != nil {
			t.Fatal(err)
		}
		_, err := store.UpdateUser(ctx, org.ID, otto.ID, 0, setRole(roster.RoleAdmin))
		wantLastOwner(t, err, otto.ID)
		if _, err := store.UpdateUser(ctx, org.ID, olive.ID, 0, setRole(roster.RoleOwner)); err != nil {
			t.Fatal(err)
		}
		if err := store.DeleteUser(ctx, org.ID, olive.ID, func(*roster.User) error { return nil }); err != nil {
			t.Fatalf("deleting one of two owners: %v", err)
		}
		if err := store.CreateUser(ctx, olive); err != nil {
			t.Fatal(err)
		}
	})

	// Two owners taking each other's ownership at the same moment: exactly
	// one wins, whatever the timing, round after round.
	for round := range 5 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		ids := []string{olive.ID, otto.ID}
		for i := range 2 {
			wg.Go(func() {
				_, errs[i] = store.UpdateUser(ctx, org.ID, ids[1-i], 0, func(u *roster.User) error {
					if round%2 == 0 {
						u.Role = roster.RoleAdmin
					} else {
						u.State = roster.StateDeactivated
					}
					return nil
				})
			})
		}
		wg.Wait()
		lost := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, roster.ErrLastOwner):
				lost++
			case err != nil:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		holding := 0
		for _, id := range ids {
			if u, _ := store.GetUser(ctx, org.ID, id); u.HoldsOwnership() {
				holding++
			} else if _, err := store.UpdateUser(ctx, org.ID, id, 0, func(u *roster.User) error {
				u.Role, u.State = roster.RoleOwner, roster.StateActive
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		if lost != 1 || holding != 1 {
			t.Fatalf("round %d: %d refused, %d owners left, want 1 and 1 (%v)", round, lost, holding, errs)
		}
	}
}
