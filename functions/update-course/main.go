// Command update-course serves PATCH /api/courses/{id} as an AWS Lambda function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeFunction(context.Background(), "update-course"); err != nil {
		slog.Error("start", "function", "update-course", "err", err)
		os.Exit(1)
	}
}
