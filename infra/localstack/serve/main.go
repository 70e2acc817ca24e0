// Command local runs the whole of Roster on this machine (see package
// devserver): `make run`, or `go run ./infra/localstack/serve` once the front end is built.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rosterhq/roster/infra/localstack/devserver"
)

func main() {
	s, err := devserver.DefaultSettings()
	if err != nil {
		fmt.Fprintln(os.Stderr, "roster:", err)
		os.Exit(2)
	}
	flag.IntVar(&s.Port, "port", s.Port, "port on 127.0.0.1 for the API and front end (env PORT)")
	flag.StringVar(&s.DataDir, "data", s.DataDir, "folder of the local data; empty keeps it in memory")
	flag.StringVar(&s.WebDir, "web", s.WebDir, "folder of the built front end")
	flag.IntVar(&s.Demo.Users, "demo-users", s.Demo.Users, "how many users the demo organization gets when first seeded")
	check := flag.Bool("check", false, "only check that the tools the dev server needs are installed")
	reminders := flag.Bool("reminders", false, "only ask the running dev server to send the reminders once (make reminders)")
	flag.Parse()
	if *reminders {
		if err := devserver.RunReminders(context.Background(), s.StateFile, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "roster:", err)
			os.Exit(1)
		}
		return
	}
	if *check {
		if err := devserver.CheckPrerequisites(); err != nil {
			fmt.Fprintln(os.Stderr, "roster:", err)
			os.Exit(1)
		}
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := devserver.Run(ctx, s); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "roster:", err)
		os.Exit(1)
	}
}
