// Command send-password-reset serves POST /api/users/{id}/password-reset as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "send-password-reset"); err != nil {
		slog.Error("start", "function", "send-password-reset", "err", err)
		os.Exit(1)
	}
}
