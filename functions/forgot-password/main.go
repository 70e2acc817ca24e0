// Command forgot-password serves POST /api/auth/password/forgot as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "forgot-password"); err != nil {
		slog.Error("start", "function", "forgot-password", "err", err)
		os.Exit(1)
	}
}
