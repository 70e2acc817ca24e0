// Command send-reminders emails due, overdue and retake reminders to
// learners and a digest to each organization's administrators, as an AWS
// Lambda function run daily by an EventBridge schedule.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/rosterhq/roster/shared/app"
)

func main() {
	if err := app.ServeReminders(context.Background()); err != nil {
		slog.Error("start", "function", "send-reminders", "err", err)
		os.Exit(1)
	}
}
