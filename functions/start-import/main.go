// Command start-import serves POST /api/imports as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "start-import"); err != nil {
		slog.Error("start", "function", "start-import", "err", err)
		os.Exit(1)
	}
}
