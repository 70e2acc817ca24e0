// Command activate-users serves POST /api/users/actions/activate as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "activate-users"); err != nil {
		slog.Error("start", "function", "activate-users", "err", err)
		os.Exit(1)
	}
}
