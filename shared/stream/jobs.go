package stream

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	roster "github.com/rosterhq/roster/shared"
)

// JobDecoder turns a stream record into a job step; ok is false for records
// that ask for none.
type JobDecoder func(events.DynamoDBEventRecord) (step roster.JobStep, ok bool, err error)

// JobRunner performs job steps; *roster.Service is one.
type JobRunner interface {
	RunJobStep(ctx context.Context, step roster.JobStep) error
}

// JobWorker runs background jobs from the table's stream: each record of a
// job or chunk item drives that job's next step.
type JobWorker struct {
	Decode JobDecoder
	Jobs   JobRunner
	Log    *slog.Logger
}

// Handle runs the steps of a batch in order. When a step fails it reports
// that record's SequenceNumber, so that Lambda retries from there; the
// steps are idempotent, so the records before it, delivered again, change
// nothing.
func (w *JobWorker) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	steps := 0
	for _, r := range ev.Records {
		step, ok, err := w.Decode(r)
		if err == nil && ok {
			steps++
			err = w.Jobs.RunJobStep(ctx, step)
		}
		if err != nil {
			w.Log.ErrorContext(ctx, "job step failed", "event", r.EventID, "sequence", r.Change.SequenceNumber, "job", step.JobID, "step", int(step.Kind), "err", err)
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
			break
		}
	}
	w.Log.InfoContext(ctx, "job batch", "records", len(ev.Records), "steps", steps, "failed", len(resp.BatchItemFailures))
	return resp, nil
}
