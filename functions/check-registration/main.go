// Command check-registration serves POST /api/auth/register/check as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "check-registration"); err != nil {
		slog.Error("start", "function", "check-registration", "err", err)
		os.Exit(1)
	}
}
