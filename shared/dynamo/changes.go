package dynamo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

// maxTransactItems is DynamoDB's limit on the items of one transaction.
const maxTransactItems = 100

// RecordEntries records the first entries that fit in one transaction
// (chunkOfEntries) and returns how many it took: each one's audit entry,
// put on condition that it is absent, and the sum of their counter deltas.
// The audit entry's key is derived from the change, so a change recorded
// before fails its condition; it is then dropped and the rest retried, and
// its counters never move twice. Silent entries write nothing.
func (s *Store) RecordEntries(ctx context.Context, es []changes.Entry) (int, error) {
	if len(es) == 0 {
		return 0, nil
	}
	chunk := chunkOfEntries(es)
	if err := s.recordChunk(ctx, chunk); err != nil {
		return 0, err
	}
	return len(chunk), nil
}

// chunkOfEntries returns the longest prefix of es whose audit entries and
// distinct counters fit in one transaction, always at least one entry; an
// audit entry met twice starts a new one, so its condition tells.
func chunkOfEntries(es []changes.Entry) []changes.Entry {
	counters := map[string]bool{}
	audits := map[string]bool{}
	for i, c := range es {
		e := c.Audit
		added := 0
		for k := range c.Deltas {
			if !counters[e.OrgID+"/"+k] {
				added++
			}
		}
		if i > 0 && (len(audits)+1+len(counters)+added > maxTransactItems || audits[e.OrgID+"/"+e.ID]) {
			return es[:i]
		}
		audits[e.OrgID+"/"+e.ID] = true
		for k := range c.Deltas {
			counters[e.OrgID+"/"+k] = true
		}
	}
	return es
}

// recordChunk records entries that fit in one transaction.
func (s *Store) recordChunk(ctx context.Context, pending []changes.Entry) error {
	pending = slices.DeleteFunc(slices.Clone(pending), func(e changes.Entry) bool { return e.Silent })
	for attempt := 0; len(pending) > 0; attempt++ {
		items, err := s.entryItems(pending)
		if err != nil {
			return err
		}
		failed, err := s.t.Transact(ctx, items)
		switch {
		case err == nil:
			return nil
		case err == kit.ErrConditionFailed:
			// Only audit puts carry a condition: those changes were recorded before.
			before := len(pending)
			pending = slices.Clone(pending)
			for _, i := range slices.Backward(failed) {
				if i < len(pending) {
					pending = slices.Delete(pending, i, i+1)
				}
			}
			if len(pending) == before {
				return roster.Internal(err, "record user changes: a condition failed outside the audit entries")
			}
		case err == kit.ErrTransactionConflict && attempt < kit.UpdateAttempts:
			if err := kit.Backoff(ctx, attempt+1); err != nil {
				return err
			}
		default:
			return kit.Wrap(err, "record user changes")
		}
	}
	return nil
}

// entryItems returns the transaction of some entries: their audit entries
// first, in order, then the counters they move.
func (s *Store) entryItems(es []changes.Entry) ([]types.TransactWriteItem, error) {
	type counter struct{ org, key string }
	deltas := map[counter]int{}
	var items []types.TransactWriteItem
	for _, c := range es {
		audit, err := s.t.PutNew(newAuditItem(c.Audit))
		if err != nil {
			return nil, err
		}
		items = append(items, audit)
		for k, d := range c.Deltas {
			deltas[counter{c.Audit.OrgID, k}] += d
		}
	}
	keys := slices.SortedFunc(maps.Keys(deltas), func(a, b counter) int { return strings.Compare(a.org+a.key, b.org+b.key) })
	for _, k := range keys {
		if deltas[k] == 0 {
			continue
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                 &s.t.Name,
			Key:                       kit.Key(kit.OrgPK(k.org), kit.CounterSK(k.key)),
			UpdateExpression:          aws.String("ADD n :d"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberN{Value: strconv.Itoa(deltas[k])}},
		}})
	}
	return items, nil
}

// UserChangeFromStream decodes a stream record of the table. ok is false for
// records of items that are not users (memberships, counters, sessions...).
func UserChangeFromStream(r events.DynamoDBEventRecord) (c roster.UserChange, ok bool, err error) {
	sk, hasSK := r.Change.Keys[kit.AttrSK]
	if !hasSK || sk.DataType() != events.DataTypeString || !kit.IsUserSK(sk.String()) {
		return c, false, nil
	}
	if c.Old, err = userFromImage(r.Change.OldImage); err != nil {
		return c, false, fmt.Errorf("old image: %w", err)
	}
	if c.New, err = userFromImage(r.Change.NewImage); err != nil {
		return c, false, fmt.Errorf("new image: %w", err)
	}
	if c.Old == nil && c.New == nil {
		return c, false, fmt.Errorf("user record %s has no image: the stream must be NEW_AND_OLD_IMAGES", r.EventID)
	}
	return c, true, nil
}

func userFromImage(img map[string]events.DynamoDBAttributeValue) (*roster.User, error) {
	if len(img) == 0 {
		return nil, nil
	}
	m, err := kit.FromEventImage(img)
	if err != nil {
		return nil, err
	}
	var it userItem
	if err := attributevalue.UnmarshalMap(m, &it); err != nil {
		return nil, fmt.Errorf("decode user: %w", err)
	}
	return it.user(), nil
}

// courseFiguresImage is what a course's stream image says of its pool.
type courseFiguresImage struct {
	OrgID    string `dynamodbav:"orgId"`
	ID       string `dynamodbav:"id"`
	Reserved int    `dynamodbav:"reserved"`
	Used     int    `dynamodbav:"used"`
	Free     *int   `dynamodbav:"free"`
	LastMove string `dynamodbav:"lastMove"`
}

// SeatFiguresFromStream reads a course's change that moved seats: its new
// image's figures and lastMove, the ledger entry of the movement. Other
// records, and course changes that moved no seat, are not ok.
func SeatFiguresFromStream(r events.DynamoDBEventRecord) (f training.SeatFigures, ok bool, err error) {
	sk, hasSK := r.Change.Keys[kit.AttrSK]
	if !hasSK || sk.DataType() != events.DataTypeString || !strings.HasPrefix(sk.String(), kit.CoursePrefix) || len(r.Change.NewImage) == 0 {
		return f, false, nil
	}
	decode := func(img map[string]events.DynamoDBAttributeValue) (courseFiguresImage, error) {
		var c courseFiguresImage
		if len(img) == 0 {
			return c, nil
		}
		m, err := kit.FromEventImage(img)
		if err != nil {
			return c, err
		}
		if err := attributevalue.UnmarshalMap(m, &c); err != nil {
			return c, fmt.Errorf("decode course: %w", err)
		}
		return c, nil
	}
	after, err := decode(r.Change.NewImage)
	if err != nil {
		return f, false, err
	}
	before, err := decode(r.Change.OldImage)
	if err != nil {
		return f, false, err
	}
	if after.LastMove == "" || after.LastMove == before.LastMove {
		return f, false, nil
	}
	return training.SeatFigures{
		OrgID: after.OrgID, CourseID: after.ID, EntryKey: after.LastMove,
		After: training.PoolFigures{Reserved: after.Reserved, Used: after.Used, Free: after.Free},
	}, true, nil
}

// RecordSeatFigures sets each ledger entry's figures after its movement,
// one conditional update each (the entry must exist); setting them again
// writes the same values.
func (s *Store) RecordSeatFigures(ctx context.Context, fs []training.SeatFigures) (int, error) {
	for i, f := range fs {
		v, err := attributevalue.Marshal(&figures{Reserved: f.After.Reserved, Used: f.After.Used, Free: f.After.Free})
		if err != nil {
			return i, roster.Internal(err, "encode figures")
		}
		_, err = s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(f.OrgID), f.EntryKey),
			UpdateExpression:          aws.String("SET #after = :after"),
			ConditionExpression:       aws.String("attribute_exists(PK)"),
			ExpressionAttributeNames:  map[string]string{"#after": "after"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":after": v},
		})
		if err != nil && !kit.IsConditionFailed(err) {
			return i, roster.Internal(err, "record seat figures")
		}
	}
	return len(fs), nil
}

var (
	_ training.LedgerRecorder = (*Store)(nil)
	_ changes.Store           = (*Store)(nil)
)
