// Command add-users-to-groups serves POST /api/users/actions/add-to-groups as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "add-users-to-groups"); err != nil {
		slog.Error("start", "function", "add-users-to-groups", "err", err)
		os.Exit(1)
	}
}
