// Command create-location serves POST /api/locations as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "create-location"); err != nil {
		slog.Error("start", "function", "create-location", "err", err)
		os.Exit(1)
	}
}
