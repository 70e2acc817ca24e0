// Command cancel-job serves POST /api/jobs/{id}/cancel as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "cancel-job"); err != nil {
		slog.Error("start", "function", "cancel-job", "err", err)
		os.Exit(1)
	}
}
