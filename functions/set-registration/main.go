// Command set-registration serves PUT /api/organization/registration as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "set-registration"); err != nil {
		slog.Error("start", "function", "set-registration", "err", err)
		os.Exit(1)
	}
}
