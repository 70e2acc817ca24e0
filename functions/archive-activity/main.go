// Command archive-activity serves POST /api/users/actions/archive-activity as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "archive-activity"); err != nil {
		slog.Error("start", "function", "archive-activity", "err", err)
		os.Exit(1)
	}
}
