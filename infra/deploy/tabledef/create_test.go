package tabledef

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/infra/localstack/dynamolocal"
)

func TestCreateTable(t *testing.T) {
	ctx := t.Context()
	begin := time.Now()
	srv, err := dynamolocal.Start(ctx, dynamolocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	started := time.Since(begin)
	client := dynamolocal.Client(ctx, srv.Endpoint)
	path, err := FindTemplate()
	if err != nil {
		t.Fatal(err)
	}

	begin = time.Now()
	if err := CreateTable(ctx, client, path, "roster-test"); err != nil {
		t.Fatal(err)
	}
	t.Logf("DynamoDB Local started in %v; table created in %v", started, time.Since(begin))

	t.Run("matches the template", func(t *testing.T) {
		tbl, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("roster-test")})
		if err != nil {
			t.Fatal(err)
		}
		d := out.Table
		if d.TableStatus != types.TableStatusActive {
			t.Errorf("status = %s", d.TableStatus)
		}
		if keys(d.KeySchema) != keys(tbl.KeySchema) {
			t.Errorf("KeySchema = %s, want %s", keys(d.KeySchema), keys(tbl.KeySchema))
		}
		if len(d.GlobalSecondaryIndexes) != len(tbl.GlobalSecondaryIndexes) {
			t.Errorf("%d GSIs, want %d", len(d.GlobalSecondaryIndexes), len(tbl.GlobalSecondaryIndexes))
		}
		for _, g := range d.GlobalSecondaryIndexes {
			if g.IndexStatus != types.IndexStatusActive {
				t.Errorf("index %s is %s", *g.IndexName, g.IndexStatus)
			}
		}
		if d.LatestStreamArn == nil || d.StreamSpecification == nil ||
			d.StreamSpecification.StreamViewType != types.StreamViewTypeNewAndOldImages {
			t.Errorf("stream = %v, %+v; want NEW_AND_OLD_IMAGES", d.LatestStreamArn, d.StreamSpecification)
		}
		if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != types.BillingModePayPerRequest {
			t.Errorf("BillingModeSummary = %+v", d.BillingModeSummary)
		}
	})

	t.Run("enables time to live", func(t *testing.T) {
		out, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("roster-test")})
		if err != nil {
			t.Fatal(err)
		}
		d := out.TimeToLiveDescription
		if d == nil || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != "ttl" {
			t.Errorf("TimeToLiveDescription = %+v, want ttl ENABLED", d)
		}
	})

	t.Run("an existing table is an error", func(t *testing.T) {
		err := CreateTable(ctx, client, path, "roster-test")
		var inUse *types.ResourceInUseException
		if !errors.As(err, &inUse) {
			t.Errorf("err = %v, want a ResourceInUseException", err)
		}
	})
}

func TestTable_AddMissingIndexes(t *testing.T) {
	ctx := t.Context()
	srv, err := dynamolocal.Start(ctx, dynamolocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	client := dynamolocal.Client(ctx, srv.Endpoint)
	path, err := FindTemplate()
	if err != nil {
		t.Fatal(err)
	}
	def, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// A table made from an older template: one index fewer.
	old := *def
	old.GlobalSecondaryIndexes = def.GlobalSecondaryIndexes[:len(def.GlobalSecondaryIndexes)-1]
	used := map[string]bool{}
	for _, k := range old.KeySchema {
		used[aws.ToString(k.AttributeName)] = true
	}
	for _, g := range old.GlobalSecondaryIndexes {
		for _, k := range g.KeySchema {
			used[aws.ToString(k.AttributeName)] = true
		}
	}
	old.AttributeDefinitions = nil
	for _, a := range def.AttributeDefinitions {
		if used[aws.ToString(a.AttributeName)] {
			old.AttributeDefinitions = append(old.AttributeDefinitions, a)
		}
	}
	if err := old.Create(ctx, client, "older"); err != nil {
		t.Fatal(err)
	}
	added, err := def.AddMissingIndexes(ctx, client, "older")
	want := aws.ToString(def.GlobalSecondaryIndexes[len(def.GlobalSecondaryIndexes)-1].IndexName)
	if err != nil || len(added) != 1 || added[0] != want {
		t.Fatalf("added %v, %v; want [%s]", added, err, want)
	}
	if added, err := def.AddMissingIndexes(ctx, client, "older"); err != nil || len(added) != 0 {
		t.Errorf("a second time: added %v, %v; want none", added, err)
	}
}
