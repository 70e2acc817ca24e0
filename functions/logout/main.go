// Command logout serves POST /api/auth/logout as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "logout"); err != nil {
		slog.Error("start", "function", "logout", "err", err)
		os.Exit(1)
	}
}
