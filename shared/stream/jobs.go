package stream

import (
	"context"
	"log/slog"
	"sync"

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

// chunksAtOnce is how many consecutive chunk steps of a batch run at once:
// one chunk's reads and tallies overlap another's user writes.
const chunksAtOnce = 2

// Handle runs the steps of a batch in order, consecutive chunk steps
// chunksAtOnce at a time (chunks are independent of one another). When a
// step fails it reports the SequenceNumber of the first failed record, so
// that Lambda retries from there; the steps are idempotent, so the records
// after it that ran already, delivered again, change nothing.
func (w *JobWorker) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	type decoded struct {
		step roster.JobStep
		ok   bool
		err  error
	}
	records := make([]decoded, len(ev.Records))
	for i, r := range ev.Records {
		step, ok, err := w.Decode(r)
		records[i] = decoded{step, ok, err}
	}
	steps := 0
	for i := 0; i < len(records) && len(resp.BatchItemFailures) == 0; {
		// The group: the record at i, and while it is a chunk step, the
		// records up to chunksAtOnce chunk steps, none of another kind.
		end, chunks := i+1, 0
		if r := records[i]; r.err == nil && r.ok && r.step.Kind == roster.JobStepChunk {
			chunks = 1
			for end < len(records) && chunks < chunksAtOnce {
				r := records[end]
				if r.err != nil || (r.ok && r.step.Kind != roster.JobStepChunk) {
					break
				}
				if r.ok {
					chunks++
				}
				end++
			}
		}
		var wg sync.WaitGroup
		for k := i; k < end; k++ {
			if r := &records[k]; r.err == nil && r.ok {
				steps++
				wg.Go(func() { r.err = w.Jobs.RunJobStep(ctx, r.step) })
			}
		}
		wg.Wait()
		for k := i; k < end; k++ {
			if err := records[k].err; err != nil {
				r := ev.Records[k]
				w.Log.ErrorContext(ctx, "job step failed", "event", r.EventID, "sequence", r.Change.SequenceNumber, "job", records[k].step.JobID, "step", int(records[k].step.Kind), "err", err)
				resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
				break
			}
		}
		i = end
	}
	w.Log.InfoContext(ctx, "job batch", "records", len(ev.Records), "steps", steps, "failed", len(resp.BatchItemFailures))
	return resp, nil
}
