// Command assign-courses serves POST /api/users/actions/assign-courses as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "assign-courses"); err != nil {
		slog.Error("start", "function", "assign-courses", "err", err)
		os.Exit(1)
	}
}
