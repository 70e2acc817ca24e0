// Command list-user-audit serves GET /api/users/{id}/audit as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-user-audit"); err != nil {
		slog.Error("start", "function", "list-user-audit", "err", err)
		os.Exit(1)
	}
}
