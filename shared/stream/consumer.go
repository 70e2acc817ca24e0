// Package stream performs the side effects of changes to the table: it reads
// the table's DynamoDB stream, as Lambda's event source mapping delivers it,
// and records each user change once (audit entry and roster counters).
package stream

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	roster "github.com/rosterhq/roster/shared"
)

// Decoder turns a stream record into a user change; ok is false for records
// of other items, which the consumer passes over.
type Decoder func(events.DynamoDBEventRecord) (c roster.UserChange, ok bool, err error)

// Consumer handles batches of stream records.
type Consumer struct {
	Decode   Decoder
	Recorder roster.ChangeRecorder
	Log      *slog.Logger
}

// Handle records the changes of a batch in order. At the first record that
// fails it stops and reports that record's SequenceNumber, so that Lambda
// retries from there and no later change of the same user overtakes it;
// records before it were recorded and, if delivered again, change nothing.
func (c *Consumer) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	recorded, repeated := 0, 0
	for _, r := range ev.Records {
		done, err := c.handleRecord(ctx, r)
		if err != nil {
			c.Log.ErrorContext(ctx, "stream record failed", "event", r.EventID, "sequence", r.Change.SequenceNumber, "err", err)
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
			break
		}
		switch done {
		case recordedNow:
			recorded++
		case recordedBefore:
			repeated++
		}
	}
	c.Log.InfoContext(ctx, "stream batch", "records", len(ev.Records), "recorded", recorded, "repeated", repeated, "failed", len(resp.BatchItemFailures))
	return resp, nil
}

type outcome int

const (
	notAUser outcome = iota
	recordedNow
	recordedBefore
)

func (c *Consumer) handleRecord(ctx context.Context, r events.DynamoDBEventRecord) (outcome, error) {
	change, ok, err := c.Decode(r)
	if err != nil || !ok {
		return notAUser, err
	}
	first, err := c.Recorder.RecordUserChange(ctx, change)
	if err != nil {
		return notAUser, err
	}
	if first {
		return recordedNow, nil
	}
	return recordedBefore, nil
}
