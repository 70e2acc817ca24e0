// Command list-jobs serves GET /api/jobs as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-jobs"); err != nil {
		slog.Error("start", "function", "list-jobs", "err", err)
		os.Exit(1)
	}
}
