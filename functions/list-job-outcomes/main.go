// Command list-job-outcomes serves GET /api/jobs/{id}/outcomes as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-job-outcomes"); err != nil {
		slog.Error("start", "function", "list-job-outcomes", "err", err)
		os.Exit(1)
	}
}
