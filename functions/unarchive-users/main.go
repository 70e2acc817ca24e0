// Command unarchive-users serves POST /api/users/actions/unarchive as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "unarchive-users"); err != nil {
		slog.Error("start", "function", "unarchive-users", "err", err)
		os.Exit(1)
	}
}
