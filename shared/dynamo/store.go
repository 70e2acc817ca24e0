// Package dynamo keeps Roster's records in one DynamoDB table. The table's
// keys, indexes and access patterns are described in docs/data-model.md;
// every key is built in internal/kit/keys.go, and each package keeps the
// stored layouts of its aggregates in its items.go.
package dynamo

import (
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// Client is the part of the DynamoDB API the store uses. *dynamodb.Client
// implements it; a wrapper can count or time requests.
type Client = kit.Client

// Store is the DynamoDB implementation of roster.Store.
type Store struct {
	t *kit.Table
}

var _ roster.Store = (*Store)(nil)

// New returns a store on the named table.
func New(db Client, table string) *Store {
	return build(&kit.Table{DB: db, Name: table, Now: time.Now})
}

func build(t *kit.Table) *Store {
	return &Store{t: t}
}

// WithClock returns a copy of s that reads time from now (for expiry in tests).
func (s *Store) WithClock(now roster.NowFunc) *Store {
	t := *s.t
	t.Now = now
	return build(&t)
}
