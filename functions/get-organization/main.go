// Command get-organization serves GET /api/organization as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-organization"); err != nil {
		slog.Error("start", "function", "get-organization", "err", err)
		os.Exit(1)
	}
}
