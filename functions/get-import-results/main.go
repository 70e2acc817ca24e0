// Command get-import-results serves GET /api/imports/{id}/results as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-import-results"); err != nil {
		slog.Error("start", "function", "get-import-results", "err", err)
		os.Exit(1)
	}
}
