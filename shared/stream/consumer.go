// Package stream reads the table's DynamoDB stream, as Lambda's event
// source mapping delivers it, decodes its records and hands them to the
// domain, which decides and persists what follows: user changes and seat
// figures to a recorder (shared/changes: the audit entry, the roster
// counters, seats released on archiving, a deleted user's training), job
// steps and exports to the Service. It decides nothing itself.
package stream

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

// Decoder turns a stream record into a user change; ok is false for records
// of other items, which the consumer passes over.
type Decoder func(events.DynamoDBEventRecord) (c roster.UserChange, ok bool, err error)

// FiguresDecoder turns a stream record of a course's seat movement into
// the figures after it; ok is false for other records.
type FiguresDecoder func(events.DynamoDBEventRecord) (f training.SeatFigures, ok bool, err error)

// Consumer handles batches of stream records.
type Consumer struct {
	Decode Decoder
	// Recorder performs the side effects of user changes, once each;
	// *changes.Recorder is one.
	Recorder roster.ChangeRecorder
	// DecodeFigures and Ledger, when set, copy the pool's figures after
	// each seat movement onto its ledger entry.
	DecodeFigures FiguresDecoder
	Ledger        training.LedgerRecorder
	Log           *slog.Logger
}

// Handle records the user changes of a batch, in order. When a record cannot
// be decoded or recorded it reports that record's SequenceNumber, so that
// Lambda retries from there and no later change of the same user overtakes
// it; the records before it are recorded and, delivered again, change nothing.
func (c *Consumer) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var (
		changes []roster.UserChange
		from    []int // from[i] is the index of the record of changes[i]
		figures []training.SeatFigures
		figFrom []int // figFrom[i] is the index of the record of figures[i]
		failAt  = -1
		reason  error
	)
	for i, r := range ev.Records {
		change, ok, err := c.Decode(r)
		if err == nil && !ok && c.DecodeFigures != nil {
			var f training.SeatFigures
			if f, ok, err = c.DecodeFigures(r); ok {
				figures = append(figures, f)
				figFrom = append(figFrom, i)
				continue
			}
		}
		if err != nil {
			failAt, reason = i, err
			break
		}
		if ok {
			changes = append(changes, change)
			from = append(from, i)
		}
	}
	recorded, err := c.Recorder.RecordUserChanges(ctx, changes)
	if err != nil {
		failAt, reason = from[recorded], err
	}
	if len(figures) > 0 {
		// Figures are independent of the user changes: each is set on its
		// own entry. A failure stops the batch at the earliest failing record.
		done, err := c.Ledger.RecordSeatFigures(ctx, figures)
		if err != nil && (failAt < 0 || figFrom[done] < failAt) {
			failAt, reason = figFrom[done], err
		}
	}
	var resp events.DynamoDBEventResponse
	if failAt >= 0 {
		r := ev.Records[failAt]
		c.Log.ErrorContext(ctx, "stream record failed", "event", r.EventID, "sequence", r.Change.SequenceNumber, "err", reason)
		resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
	}
	c.Log.InfoContext(ctx, "stream batch", "records", len(ev.Records), "userChanges", len(changes), "recorded", recorded, "failed", len(resp.BatchItemFailures))
	return resp, nil
}
