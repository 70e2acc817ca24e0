// Command list-audit serves GET /api/audit as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-audit"); err != nil {
		slog.Error("start", "function", "list-audit", "err", err)
		os.Exit(1)
	}
}
