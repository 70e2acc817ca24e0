// Command delete-group serves DELETE /api/groups/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "delete-group"); err != nil {
		slog.Error("start", "function", "delete-group", "err", err)
		os.Exit(1)
	}
}
