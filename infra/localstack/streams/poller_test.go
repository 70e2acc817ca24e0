package streams_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestPoller_BatchingWindow writes 3 items, then 7 more: a poll with a
// batching window waits for them and delivers the 10 as one batch (as soon
// as it is full, well before the window ends); without one, a poll delivers
// what was there.
func TestPoller_BatchingWindow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		window time.Duration
		want   []int
	}{
		{"no window", 0, []int{3, 7}},
		{"window", time.Minute, []int{10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tbl := testenv.DynamoDB(t)
			ctx := context.Background()
			put := func(from, to int) {
				for i := from; i < to; i++ {
					_, err := tbl.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &tbl.Name, Item: map[string]types.AttributeValue{
						"PK": &types.AttributeValueMemberS{Value: "P"}, "SK": &types.AttributeValueMemberS{Value: fmt.Sprintf("S%02d", i)},
					}})
					if err != nil {
						t.Error(err)
					}
				}
			}
			var batches []int
			p := &streams.Poller{
				Client: tbl.Streams, StreamARN: tbl.StreamARN, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
				BatchSize: 10, BatchingWindow: tc.window,
				Handler: func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
					batches = append(batches, len(ev.Records))
					return events.DynamoDBEventResponse{}, nil
				},
			}
			put(0, 3)
			rest := make(chan struct{})
			writeRest := func() { defer close(rest); put(3, 10) }
			if tc.window > 0 {
				go func() { time.Sleep(300 * time.Millisecond); writeRest() }() // within the window
			}
			_, err := p.Poll(ctx)
			if tc.window == 0 {
				writeRest()
			}
			<-rest // the writer's errors are reported before the test can end
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(batches, tc.want) {
				t.Errorf("batches of %v records, want %v", batches, tc.want)
			}
		})
	}
}
