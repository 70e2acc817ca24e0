// Command check-link serves POST /api/auth/links/check as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "check-link"); err != nil {
		slog.Error("start", "function", "check-link", "err", err)
		os.Exit(1)
	}
}
