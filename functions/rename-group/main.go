// Command rename-group serves PATCH /api/groups/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "rename-group"); err != nil {
		slog.Error("start", "function", "rename-group", "err", err)
		os.Exit(1)
	}
}
