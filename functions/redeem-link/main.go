// Command redeem-link serves POST /api/auth/links/redeem as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "redeem-link"); err != nil {
		slog.Error("start", "function", "redeem-link", "err", err)
		os.Exit(1)
	}
}
