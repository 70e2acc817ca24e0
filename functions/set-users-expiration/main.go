// Command set-users-expiration serves POST /api/users/actions/set-expiration as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "set-users-expiration"); err != nil {
		slog.Error("start", "function", "set-users-expiration", "err", err)
		os.Exit(1)
	}
}
