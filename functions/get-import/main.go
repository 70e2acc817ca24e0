// Command get-import serves GET /api/imports/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-import"); err != nil {
		slog.Error("start", "function", "get-import", "err", err)
		os.Exit(1)
	}
}
