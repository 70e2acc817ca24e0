// Package dynamo keeps Roster's records in one DynamoDB table. The table's
// keys, indexes and access patterns are described in docs/data-model.md;
// every key is built in internal/kit/keys.go, and each package keeps the
// stored layouts of its aggregates in its items.go.
package dynamo

import (
	"time"

	"github.com/aws/aws-lambda-go/events"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/dynamo/jobdb"
)

// Client is the part of the DynamoDB API the store uses. *dynamodb.Client
// implements it; a wrapper can count or time requests.
type Client = kit.Client

// Store is the DynamoDB implementation of roster.Store.
//
// It is composed of the stores of each aggregate: users, organizations,
// groups, locations, accounts, changes and audit are kept here; jobs,
// imports and exports in jobdb.
type Store struct {
	t *kit.Table
	*jobdb.Store
}

var _ roster.Store = (*Store)(nil)

// New returns a store on the named table.
func New(db Client, table string) *Store {
	return build(&kit.Table{DB: db, Name: table, Now: time.Now})
}

func build(t *kit.Table) *Store {
	s := &Store{t: t}
	s.Store = jobdb.New(t, s.batchGetUsers)
	return s
}

// WithClock returns a copy of s that reads time from now (for expiry in tests).
func (s *Store) WithClock(now roster.NowFunc) *Store {
	t := *s.t
	t.Now = now
	return build(&t)
}

// JobStepFromStream decodes a stream record of a job or a job chunk into the
// step it asks for; see jobdb.JobStepFromStream.
func JobStepFromStream(r events.DynamoDBEventRecord) (step roster.JobStep, ok bool, err error) {
	return jobdb.JobStepFromStream(r)
}

// ExportFromStream returns the export a stream record asks to run; see
// jobdb.ExportFromStream.
func ExportFromStream(r events.DynamoDBEventRecord) (orgID, id string, ok bool, err error) {
	return jobdb.ExportFromStream(r)
}
