// Command start-training serves POST /api/me/training/{courseId}/start as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "start-training"); err != nil {
		slog.Error("start", "function", "start-training", "err", err)
		os.Exit(1)
	}
}
