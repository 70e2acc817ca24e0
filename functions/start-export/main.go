// Command start-export serves POST /api/exports as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "start-export"); err != nil {
		slog.Error("start", "function", "start-export", "err", err)
		os.Exit(1)
	}
}
