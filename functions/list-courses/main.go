// Command list-courses serves GET /api/courses as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "list-courses"); err != nil {
		slog.Error("start", "function", "list-courses", "err", err)
		os.Exit(1)
	}
}
