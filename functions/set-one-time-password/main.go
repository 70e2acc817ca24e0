// Command set-one-time-password serves POST /api/users/{id}/one-time-password as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "set-one-time-password"); err != nil {
		slog.Error("start", "function", "set-one-time-password", "err", err)
		os.Exit(1)
	}
}
