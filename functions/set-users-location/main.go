// Command set-users-location serves POST /api/users/actions/set-location as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "set-users-location"); err != nil {
		slog.Error("start", "function", "set-users-location", "err", err)
		os.Exit(1)
	}
}
