// Command job-worker runs background jobs (bulk actions on large selections)
// as an AWS Lambda function fed by the roster table's DynamoDB stream.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeJobWorker(context.Background()); err != nil {
		slog.Error("start", "function", "job-worker", "err", err)
		os.Exit(1)
	}
}
