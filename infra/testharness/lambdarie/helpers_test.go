package lambdarie

import (
	"log/slog"
	"os"

	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
)

func rosterUser(first, last, email string) roster.User {
	return roster.User{FirstName: first, LastName: last, Email: email}
}

// newPoller reads the table's stream as Lambda's event source mapping does
// and hands each batch to h.
func newPoller(t *testenv.Table, h streams.Handler) *streams.Poller {
	return &streams.Poller{Client: t.Streams, StreamARN: t.StreamARN, Handler: h, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})), BatchSize: 100, Retries: 1}
}
