// Command get-job serves GET /api/jobs/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-job"); err != nil {
		slog.Error("start", "function", "get-job", "err", err)
		os.Exit(1)
	}
}
