// Command change-password serves POST /api/me/password as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "change-password"); err != nil {
		slog.Error("start", "function", "change-password", "err", err)
		os.Exit(1)
	}
}
