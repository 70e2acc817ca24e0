// Command list-locations serves GET /api/locations as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-locations"); err != nil {
		slog.Error("start", "function", "list-locations", "err", err)
		os.Exit(1)
	}
}
