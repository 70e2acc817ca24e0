// Command get-user serves GET /api/users/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "get-user"); err != nil {
		slog.Error("start", "function", "get-user", "err", err)
		os.Exit(1)
	}
}
