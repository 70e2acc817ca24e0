// Command remove-users-from-groups serves POST /api/users/actions/remove-from-groups as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "remove-users-from-groups"); err != nil {
		slog.Error("start", "function", "remove-users-from-groups", "err", err)
		os.Exit(1)
	}
}
