// Command delete-users serves POST /api/users/actions/delete as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "delete-users"); err != nil {
		slog.Error("start", "function", "delete-users", "err", err)
		os.Exit(1)
	}
}
