// Command get-import-errors serves GET /api/imports/{id}/errors as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-import-errors"); err != nil {
		slog.Error("start", "function", "get-import-errors", "err", err)
		os.Exit(1)
	}
}
