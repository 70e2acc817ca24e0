// Command set-due-date serves POST /api/users/actions/set-due-date as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "set-due-date"); err != nil {
		slog.Error("start", "function", "set-due-date", "err", err)
		os.Exit(1)
	}
}
