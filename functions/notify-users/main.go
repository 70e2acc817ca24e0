// Command notify-users serves POST /api/users/actions/notify as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "notify-users"); err != nil {
		slog.Error("start", "function", "notify-users", "err", err)
		os.Exit(1)
	}
}
