// Command create-group serves POST /api/groups as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "create-group"); err != nil {
		slog.Error("start", "function", "create-group", "err", err)
		os.Exit(1)
	}
}
