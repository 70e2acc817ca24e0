// Command create-course serves POST /api/courses as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "create-course"); err != nil {
		slog.Error("start", "function", "create-course", "err", err)
		os.Exit(1)
	}
}
