// Command complete-training serves POST /api/me/training/{courseId}/complete as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "complete-training"); err != nil {
		slog.Error("start", "function", "complete-training", "err", err)
		os.Exit(1)
	}
}
