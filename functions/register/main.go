// Command register serves POST /api/auth/register as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "register"); err != nil {
		slog.Error("start", "function", "register", "err", err)
		os.Exit(1)
	}
}
