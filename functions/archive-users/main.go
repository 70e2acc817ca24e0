// Command archive-users serves POST /api/users/actions/archive as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "archive-users"); err != nil {
		slog.Error("start", "function", "archive-users", "err", err)
		os.Exit(1)
	}
}
