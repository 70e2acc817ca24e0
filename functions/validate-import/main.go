// Command validate-import serves POST /api/imports/{id}/validate as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "validate-import"); err != nil {
		slog.Error("start", "function", "validate-import", "err", err)
		os.Exit(1)
	}
}
