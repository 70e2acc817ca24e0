// Command delete-location serves DELETE /api/locations/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "delete-location"); err != nil {
		slog.Error("start", "function", "delete-location", "err", err)
		os.Exit(1)
	}
}
