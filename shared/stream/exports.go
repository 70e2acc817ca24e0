package stream

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
)

// ExportDecoder returns the export a stream record asks to run; ok is false
// for records that ask for none.
type ExportDecoder func(events.DynamoDBEventRecord) (orgID, id string, ok bool, err error)

// ExportRunner writes exports; *roster.Service is one.
type ExportRunner interface {
	RunExport(ctx context.Context, orgID, id string) error
}

// ExportWorker writes exports from the table's stream: each export item's
// INSERT runs that export.
type ExportWorker struct {
	Decode  ExportDecoder
	Exports ExportRunner
	Log     *slog.Logger
}

// Handle runs the batch's exports in order. When one fails it reports that
// record's SequenceNumber, so that Lambda retries from there; an export
// run again starts over, and a finished one is left alone.
func (w *ExportWorker) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	runs := 0
	for _, r := range ev.Records {
		orgID, id, ok, err := w.Decode(r)
		if err == nil && ok {
			runs++
			err = w.Exports.RunExport(ctx, orgID, id)
		}
		if err != nil {
			w.Log.ErrorContext(ctx, "export failed", "event", r.EventID, "sequence", r.Change.SequenceNumber, "export", id, "err", err)
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
			break
		}
	}
	if runs > 0 || len(resp.BatchItemFailures) > 0 {
		w.Log.InfoContext(ctx, "export batch", "records", len(ev.Records), "exports", runs, "failed", len(resp.BatchItemFailures))
	}
	return resp, nil
}
