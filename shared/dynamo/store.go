// Package dynamo keeps Roster's records in one DynamoDB table. The table's
// keys, indexes and access patterns are described in docs/data-model.md; every
// key is built in keys.go and every stored layout is in items.go.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
)

// Client is the part of the DynamoDB API the store uses. *dynamodb.Client
// implements it; a wrapper can count or time requests.
type Client interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

// Store is the DynamoDB implementation of roster.Store.
type Store struct {
	db    Client
	table string
	now   roster.NowFunc
}

var _ roster.Store = (*Store)(nil)

// New returns a store on the named table.
func New(db Client, table string) *Store {
	return &Store{db: db, table: table, now: time.Now}
}

// WithClock returns a copy of s that reads time from now (for expiry in tests).
func (s *Store) WithClock(now roster.NowFunc) *Store {
	c := *s
	c.now = now
	return &c
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: &types.AttributeValueMemberS{Value: pk}, attrSK: &types.AttributeValueMemberS{Value: sk}}
}

// num is a number attribute value.
func num[T int | int64](n T) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(n), 10)}
}

// getItem reads one item into out; found is false when there is none. what
// names the item in errors: keys can hold emails, which never go in a log.
func (s *Store) getItem(ctx context.Context, what, pk, sk string, consistent bool, out any) (found bool, err error) {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(consistent)})
	if err != nil {
		return false, roster.Internal(err, "get %s", what)
	}
	if res.Item == nil {
		return false, nil
	}
	if err := attributevalue.UnmarshalMap(res.Item, out); err != nil {
		return false, roster.Internal(err, "decode %s", what)
	}
	return true, nil
}

// getExisting reads one item into a new T, strongly consistently when
// asked; a missing item is NotFound("no such <what>").
func getExisting[T any](ctx context.Context, s *Store, what, pk, sk string, consistent bool) (*T, error) {
	var it T
	found, err := s.getItem(ctx, what, pk, sk, consistent, &it)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, roster.NotFound("no such %s", what)
	}
	return &it, nil
}

// batchGet reads the items with these keys, 100 per BatchGetItem, asking
// again, after a pause, for any DynamoDB leaves unprocessed. Missing items
// are left out. what names the items in errors.
func (s *Store) batchGet(ctx context.Context, what string, keys []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	return s.batchRead(ctx, what, keys, false)
}

// batchRead is batchGet, strongly consistent when consistent is true.
func (s *Store) batchRead(ctx context.Context, what string, keys []map[string]types.AttributeValue, consistent bool) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += 100 {
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys[start:min(start+100, len(keys))], ConsistentRead: aws.Bool(consistent)}}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 0 {
				if err := backoff(ctx, attempt); err != nil {
					return nil, err
				}
			}
			res, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return nil, roster.Internal(err, "get %s", what)
			}
			out = append(out, res.Responses[s.table]...)
			pending = res.UnprocessedKeys
		}
	}
	return out, nil
}

func marshal(v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, roster.Internal(err, "encode item")
	}
	return m, nil
}

// putNew is a transaction item creating an item that must not exist yet.
func (s *Store) putNew(v any) (types.TransactWriteItem, error) {
	m, err := marshal(v)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}}, nil
}

// put is a transaction item writing an item whatever is there.
func (s *Store) put(v any) (types.TransactWriteItem, error) {
	m, err := marshal(v)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: m}}, nil
}

// deleteOwned is a transaction item deleting a unique item if ref still owns it.
func (s *Store) deleteOwned(pk, sk, ref string) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{
		TableName: &s.table, Key: key(pk, sk),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR #ref = :ref"),
		ExpressionAttributeNames:  map[string]string{"#ref": "ref"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":ref": &types.AttributeValueMemberS{Value: ref}},
	}}
}

func (s *Store) deleteItem(pk, sk string) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(pk, sk)}}
}

// transact runs a transaction. When it is cancelled because conditions
// failed, it returns the indexes of those items and errConditionFailed; when
// it lost to a concurrent transaction on the same items, errTransactionConflict.
// Any other cancellation (a validation error, throttling) is an internal error
// that names the reasons.
func (s *Store) transact(ctx context.Context, items []types.TransactWriteItem) (failed []int, err error) {
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var cancelled *types.TransactionCanceledException
	if !errors.As(err, &cancelled) {
		if err != nil {
			return nil, roster.Internal(err, "write transaction of %d items", len(items))
		}
		return nil, nil
	}
	conflict := false
	var other []string
	for i, r := range cancelled.CancellationReasons {
		switch code := aws.ToString(r.Code); code {
		case "None", "":
		case "ConditionalCheckFailed":
			failed = append(failed, i)
		case "TransactionConflict":
			conflict = true
		default:
			other = append(other, code)
		}
	}
	switch {
	case len(other) > 0:
		return nil, roster.Internal(err, "write transaction of %d items cancelled: %v", len(items), other)
	case len(failed) > 0:
		return failed, errConditionFailed
	case conflict:
		return nil, errTransactionConflict
	}
	return nil, roster.Internal(err, "write transaction of %d items cancelled without a reason", len(items))
}

var (
	errUnprocessed         = errors.New("dynamo: keys left unprocessed")
	errConditionFailed     = errors.New("dynamo: condition failed")
	errTransactionConflict = errors.New("dynamo: transaction conflict")
)

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var re *roster.Error
	if errors.As(err, &re) {
		return err
	}
	return roster.Internal(err, "%s", fmt.Sprintf(format, args...))
}

// queryPrefix returns every item of the organization whose SK starts with
// prefix, decoded as T, strongly consistent when asked; what names them in
// errors.
func queryPrefix[T any](ctx context.Context, s *Store, orgID, prefix string, consistent bool, what string) ([]T, error) {
	var out []T
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName: &s.table, ConsistentRead: aws.Bool(consistent),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: orgPK(orgID)}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, roster.Internal(err, "list %s", what)
		}
		var items []T
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, roster.Internal(err, "decode %s", what)
		}
		out = append(out, items...)
	}
	return out, nil
}

// createItem puts a new item, on condition that its key is free; what names
// it in errors.
func (s *Store) createItem(ctx context.Context, v any, what string) error {
	m, err := marshal(v)
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	return wrap(err, "create %s", what)
}
