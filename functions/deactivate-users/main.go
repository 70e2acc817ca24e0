// Command deactivate-users serves POST /api/users/actions/deactivate as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "deactivate-users"); err != nil {
		slog.Error("start", "function", "deactivate-users", "err", err)
		os.Exit(1)
	}
}
