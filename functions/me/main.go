// Command me serves GET /api/me as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "me"); err != nil {
		slog.Error("start", "function", "me", "err", err)
		os.Exit(1)
	}
}
