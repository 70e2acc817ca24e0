// Command my-training serves GET /api/me/training as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "my-training"); err != nil {
		slog.Error("start", "function", "my-training", "err", err)
		os.Exit(1)
	}
}
