// Command get-registration serves GET /api/organization/registration as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-registration"); err != nil {
		slog.Error("start", "function", "get-registration", "err", err)
		os.Exit(1)
	}
}
