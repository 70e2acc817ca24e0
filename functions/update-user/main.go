// Command update-user serves PATCH /api/users/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "update-user"); err != nil {
		slog.Error("start", "function", "update-user", "err", err)
		os.Exit(1)
	}
}
