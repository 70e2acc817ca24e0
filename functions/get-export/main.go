// Command get-export serves GET /api/exports/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-export"); err != nil {
		slog.Error("start", "function", "get-export", "err", err)
		os.Exit(1)
	}
}
