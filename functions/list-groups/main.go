// Command list-groups serves GET /api/groups as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-groups"); err != nil {
		slog.Error("start", "function", "list-groups", "err", err)
		os.Exit(1)
	}
}
