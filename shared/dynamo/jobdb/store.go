// Package jobdb keeps background jobs, their chunks and outcomes, imports
// and exports in the DynamoDB table. The users a job changes are the root
// store's: jobdb reads them through the Users hook it is given.
package jobdb

import (
	"context"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// Users reads the users with these ids from the partition pk, by id;
// missing users are left out.
type Users func(ctx context.Context, pk string, ids []string) (map[string]*roster.User, error)

// Store is the part of the DynamoDB store that keeps jobs, imports and
// exports.
type Store struct {
	t     *kit.Table
	users Users
}

// New returns the jobs' store on the table; users reads the users whose
// outcomes it reports.
func New(t *kit.Table, users Users) *Store {
	return &Store{t: t, users: users}
}
