// Command logout-everywhere serves POST /api/auth/logout-everywhere as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "logout-everywhere"); err != nil {
		slog.Error("start", "function", "logout-everywhere", "err", err)
		os.Exit(1)
	}
}
