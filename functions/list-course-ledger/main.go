// Command list-course-ledger serves GET /api/courses/{id}/ledger as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-course-ledger"); err != nil {
		slog.Error("start", "function", "list-course-ledger", "err", err)
		os.Exit(1)
	}
}
