package testenv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	sestypes "github.com/aws/aws-sdk-go-v2/service/ses/types"

	"github.com/rosterhq/roster/infra/localstack/dynamolocal"
	"github.com/rosterhq/roster/infra/localstack/motoserver"
)

func TestMain(m *testing.M) { Main(m) }

func TestDynamoDB(t *testing.T) {
	ctx := t.Context()
	begin := time.Now()
	first := DynamoDB(t)
	t.Logf("first table (DynamoDB Local started) in %v", time.Since(begin))
	begin = time.Now()
	second := DynamoDB(t)
	t.Logf("second table in %v", time.Since(begin))

	t.Run("tables are distinct and empty", func(t *testing.T) {
		if first.Name == second.Name {
			t.Fatalf("both tables are called %s", first.Name)
		}
		if _, err := first.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(first.Name), Item: item("ORG#1", "META")}); err != nil {
			t.Fatal(err)
		}
		out, err := second.Client.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(second.Name)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Count != 0 {
			t.Errorf("second table holds %d items", out.Count)
		}
	})

	t.Run("the stream carries writes", func(t *testing.T) {
		if first.StreamARN == "" {
			t.Fatal("no StreamARN")
		}
		desc, err := first.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(first.StreamARN)})
		if err != nil {
			t.Fatal(err)
		}
		if desc.StreamDescription.StreamViewType != streamtypes.StreamViewTypeNewAndOldImages {
			t.Errorf("StreamViewType = %s", desc.StreamDescription.StreamViewType)
		}
		var records []streamtypes.Record
		for _, shard := range desc.StreamDescription.Shards {
			it, err := first.Streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
				StreamArn: aws.String(first.StreamARN), ShardId: shard.ShardId, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon,
			})
			if err != nil {
				t.Fatal(err)
			}
			out, err := first.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
			if err != nil {
				t.Fatal(err)
			}
			records = append(records, out.Records...)
		}
		if len(records) != 1 || records[0].Dynamodb.NewImage["PK"].(*streamtypes.AttributeValueMemberS).Value != "ORG#1" {
			t.Errorf("records = %+v, want the one INSERT", records)
		}
	})

	t.Run("a subtest's table is deleted when it ends", func(t *testing.T) {
		var name string
		t.Run("inner", func(t *testing.T) { name = DynamoDB(t).Name })
		_, err := first.Client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		var notFound *types.ResourceNotFoundException
		if !errors.As(err, &notFound) {
			t.Errorf("DescribeTable(%s) = %v, want ResourceNotFoundException", name, err)
		}
	})

	t.Run("the template's indexes exist", func(t *testing.T) {
		out, err := first.Client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(first.Name)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Table.GlobalSecondaryIndexes) == 0 {
			t.Error("no global secondary indexes")
		}
	})
}

func TestSES(t *testing.T) {
	ctx := t.Context()
	endpoint := SES(t)
	t.Run("same server for every call", func(t *testing.T) {
		if again := SES(t); again != endpoint {
			t.Errorf("SES = %s, then %s", endpoint, again)
		}
	})
	t.Run("the sender is verified", func(t *testing.T) {
		out, err := motoserver.Client(ctx, endpoint).SendEmail(ctx, &ses.SendEmailInput{
			Source:      aws.String(Sender),
			Destination: &sestypes.Destination{ToAddresses: []string{"testenv@example.test"}},
			Message: &sestypes.Message{
				Subject: &sestypes.Content{Data: aws.String("hello")},
				Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String("body")}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		emails, err := motoserver.SentEmails(ctx, endpoint)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range emails {
			if e.ID == *out.MessageId {
				return
			}
		}
		t.Errorf("message %s not among moto's sent emails", *out.MessageId)
	})
}

func TestTableName(t *testing.T) {
	cases := []struct {
		name, test, want string
	}{
		{"keeps allowed characters", "TestStore_Put/ok-1.2", "t-TestStore_Put_ok-1.2-7"},
		{"replaces the rest", "TestX/with space#and:ü", "t-TestX_with_space_and__-7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tableName(tc.test, 7); got != tc.want {
				t.Errorf("tableName(%q) = %q, want %q", tc.test, got, tc.want)
			}
		})
	}
	t.Run("at most 255 characters", func(t *testing.T) {
		if got := tableName(strings.Repeat("x", 400), 123456); len(got) != 255 || !strings.HasSuffix(got, "-123456") {
			t.Errorf("len = %d, name ends %q", len(got), got[len(got)-10:])
		}
	})
}

// TestMain_killedBinary checks that the emulators die with a test binary
// that is killed before Main can stop them.
func TestMain_killedBinary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux has a parent-death signal; elsewhere a killed test binary leaves its emulators running")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "TESTENV_HELPER=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	endpoints := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for len(endpoints) < 2 && sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && (k == "DYNAMODB" || k == "SES") {
			endpoints[k] = v
		}
	}
	if len(endpoints) < 2 {
		t.Fatalf("helper printed %v before exiting: %v", endpoints, sc.Err())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	alive := func() (dynamo, moto bool) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := dynamolocal.Client(ctx, endpoints["DYNAMODB"]).ListTables(ctx, &dynamodb.ListTablesInput{},
			func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
		dynamo = err == nil
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoints["SES"]+"/moto-api/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			moto = true
		}
		return dynamo, moto
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		dynamo, moto := alive()
		if !dynamo && !moto {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the test binary died: DynamoDB Local answering %v, moto answering %v", dynamo, moto)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestHelperProcess is the test binary TestMain_killedBinary kills. It does
// nothing unless run by that test.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("TESTENV_HELPER") != "1" {
		return
	}
	fmt.Printf("DYNAMODB=%s\n", DynamoDB(t).Endpoint)
	fmt.Printf("SES=%s\n", SES(t))
	time.Sleep(time.Hour) // until killed
}

func item(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: pk},
		"SK": &types.AttributeValueMemberS{Value: sk},
	}
}
