// Command unassign-courses serves POST /api/users/actions/unassign-courses as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "unassign-courses"); err != nil {
		slog.Error("start", "function", "unassign-courses", "err", err)
		os.Exit(1)
	}
}
