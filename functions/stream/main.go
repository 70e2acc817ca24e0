// Command stream consumes the roster table's DynamoDB stream as an AWS Lambda
// function: it performs the side effects of user changes (roster counts, audit).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeStream(context.Background()); err != nil {
		slog.Error("start", "function", "stream", "err", err)
		os.Exit(1)
	}
}
