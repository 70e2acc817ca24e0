package dynamo_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	roster "github.com/rosterhq/roster/shared"
	accounts "github.com/rosterhq/roster/shared/accounts"
)

func TestService_RegistrationNeedsAppURL(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := &roster.Organization{ID: "org1", Slug: "one", Name: "One", CreatedAt: f.now}
	owner := &roster.User{ID: "owner1", OrgID: org.ID, FirstName: "O", LastName: "Owner", Email: "o@one.example", Role: roster.RoleOwner, State: roster.StateActive, CreatedAt: f.now, UpdatedAt: f.now, Version: 1}
	if err := f.store.CreateOrganization(ctx, org, owner, "hash"); err != nil {
		t.Fatal(err)
	}
	svc := accounts.NewService(f.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	p := &roster.Principal{OrgID: org.ID, UserID: owner.ID, Role: roster.RoleOwner}
	if _, err := svc.SetRegistration(ctx, p, true, false); !roster.IsCode(err, roster.CodeInternal) {
		t.Fatalf("turning registration on without APP_URL: %v, want an internal error", err)
	}
	if got, _ := f.store.GetOrganization(ctx, org.ID); got.RegistrationToken != "" {
		t.Error("a refused SetRegistration stored a token")
	}
	svc.AppURL = "https://roster.test/"
	reg, err := svc.SetRegistration(ctx, p, true, false)
	if err != nil || !reg.Enabled || !strings.HasPrefix(reg.URL, "https://roster.test/register#org1.") {
		t.Fatalf("SetRegistration = %+v, %v", reg, err)
	}
	if err := f.store.SetRegistrationToken(ctx, "no-such-org", "x"); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("setting the token of no organization: %v, want not found", err)
	}
}
