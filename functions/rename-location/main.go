// Command rename-location serves PATCH /api/locations/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "rename-location"); err != nil {
		slog.Error("start", "function", "rename-location", "err", err)
		os.Exit(1)
	}
}
