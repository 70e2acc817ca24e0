// Command apply-import serves POST /api/imports/{id}/apply as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "apply-import"); err != nil {
		slog.Error("start", "function", "apply-import", "err", err)
		os.Exit(1)
	}
}
