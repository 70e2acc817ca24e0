// Command create-user serves POST /api/users as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "create-user"); err != nil {
		slog.Error("start", "function", "create-user", "err", err)
		os.Exit(1)
	}
}
