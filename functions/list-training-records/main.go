// Command list-training-records serves GET /api/training-records as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-training-records"); err != nil {
		slog.Error("start", "function", "list-training-records", "err", err)
		os.Exit(1)
	}
}
