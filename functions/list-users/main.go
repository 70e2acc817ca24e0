// Command list-users serves GET /api/users as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-users"); err != nil {
		slog.Error("start", "function", "list-users", "err", err)
		os.Exit(1)
	}
}
