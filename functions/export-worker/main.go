// Command export-worker writes exports of the roster to spreadsheets as an
// AWS Lambda function fed by the roster table's DynamoDB stream.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeExportWorker(context.Background()); err != nil {
		slog.Error("start", "function", "export-worker", "err", err)
		os.Exit(1)
	}
}
