// Command login serves POST /api/auth/login as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "login"); err != nil {
		slog.Error("start", "function", "login", "err", err)
		os.Exit(1)
	}
}
