// Command bootstrap creates an organization and its first owner in a
// deployed Roster table, for the first sign-in after `make deploy`:
//
//	go run ./infra/ops/bootstrap -table TABLE -slug acme -name "Acme Ltd" -email owner@acme.example
//
// The owner's password is read from ROSTER_OWNER_PASSWORD, or made up and
// printed once. AWS credentials and region come from the usual chain
// (AWS_PROFILE, AWS_REGION, ...); -endpoint points it at DynamoDB Local.
package main

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
)

func main() {
	var table, endpoint string
	var in accounts.NewOrganization
	flag.StringVar(&table, "table", "", "the Roster table (the stack's TableName output)")
	flag.StringVar(&endpoint, "endpoint", "", "a DynamoDB endpoint other than AWS's, e.g. http://127.0.0.1:8000")
	flag.StringVar(&in.Slug, "slug", "", "what people type to sign in: lower-case letters, digits, hyphens")
	flag.StringVar(&in.Name, "name", "", "the organization's name, as emails show it")
	flag.StringVar(&in.OwnerEmail, "email", "", "the owner's email")
	flag.StringVar(&in.OwnerFirstName, "first-name", "Owner", "the owner's first name")
	flag.StringVar(&in.OwnerLastName, "last-name", "Account", "the owner's last name")
	flag.Parse()
	if table == "" {
		fmt.Fprintln(os.Stderr, "bootstrap: -table is required (the stack's TableName output)")
		os.Exit(2)
	}
	in.OwnerPassword = os.Getenv("ROSTER_OWNER_PASSWORD")
	madeUp := in.OwnerPassword == ""
	if madeUp {
		in.OwnerPassword = roster.NewRandomID()[:20]
	}

	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bootstrap: AWS configuration:", err)
		os.Exit(1)
	}
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = &endpoint
		}
	})
	svc := accounts.NewService(dynamo.New(db, table), slog.New(slog.NewTextHandler(os.Stderr, nil)))
	org, owner, err := svc.CreateOrganization(ctx, in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bootstrap:", err)
		os.Exit(1)
	}
	fmt.Printf("Created %s (%s). Sign in with organization %q as %s", org.Name, org.ID, org.Slug, owner.Email)
	if madeUp {
		fmt.Printf(", password %s", in.OwnerPassword)
	}
	fmt.Println(".")
}
