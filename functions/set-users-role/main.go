// Command set-users-role serves POST /api/users/actions/set-role as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "set-users-role"); err != nil {
		slog.Error("start", "function", "set-users-role", "err", err)
		os.Exit(1)
	}
}
