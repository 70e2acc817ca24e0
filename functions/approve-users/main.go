// Command approve-users serves POST /api/users/actions/approve as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "approve-users"); err != nil {
		slog.Error("start", "function", "approve-users", "err", err)
		os.Exit(1)
	}
}
