package dynamo

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// importWorkers is how many batches ImportUsers writes at once.
const importWorkers = 4

// ImportUsers writes new users, with their email and user ID reservations
// and their memberships, 25 items per BatchWriteItem. Unlike CreateUser it
// checks neither uniqueness nor prior existence, and a failure can leave part
// of the users written: it is for loading rosters already known to be valid
// and unique, such as the benchmark roster. The stream sees the users as it
// sees any other write.
func (s *Store) ImportUsers(ctx context.Context, users []*roster.User) error {
	var puts []types.WriteRequest
	add := func(v any) error {
		m, err := kit.Marshal(v)
		if err != nil {
			return err
		}
		puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: m}})
		return nil
	}
	for _, u := range users {
		if err := add(newUserItem(u)); err != nil {
			return err
		}
		if u.Email != "" {
			if err := add(&uniqueItem{PK: kit.OrgPK(u.OrgID), SK: kit.EmailSK(u.Email), Type: "email", Ref: u.ID}); err != nil {
				return err
			}
		}
		if u.UserID != "" {
			if err := add(&uniqueItem{PK: kit.OrgPK(u.OrgID), SK: kit.UserIDSK(u.UserID), Type: "userId", Ref: u.ID}); err != nil {
				return err
			}
		}
		for _, mi := range newMemberItems(u) {
			if err := add(mi); err != nil {
				return err
			}
		}
	}
	batches := make(chan []types.WriteRequest)
	errs := make(chan error, importWorkers)
	var wg sync.WaitGroup
	for range importWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if err := s.batchWrite(ctx, b); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var err error
send:
	for start := 0; start < len(puts); start += 25 {
		select {
		case batches <- puts[start:min(start+25, len(puts))]:
		case err = <-errs:
			break send
		}
	}
	close(batches)
	wg.Wait()
	close(errs)
	if err == nil {
		err = <-errs
	}
	return err
}

// batchWrite writes up to 25 items, resending what DynamoDB leaves unprocessed.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	pending := map[string][]types.WriteRequest{s.t.Name: reqs}
	for attempt := 0; len(pending[s.t.Name]) > 0; attempt++ {
		if attempt > 0 {
			if err := kit.Backoff(ctx, attempt); err != nil {
				return err
			}
		}
		out, err := s.t.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return roster.Internal(err, "import users")
		}
		pending = out.UnprocessedItems
	}
	return nil
}
