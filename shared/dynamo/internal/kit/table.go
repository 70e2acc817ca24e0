// Package kit is what every part of the DynamoDB store shares: the client,
// the table, every key (keys.go), reads, writes and transactions with their
// error translation, and stream-image decoding.
package kit

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// Table is the table every store of the package writes, with the client
// and the clock they share.
type Table struct {
	DB   Client
	Name string
	Now  roster.NowFunc
}

func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: pk}, AttrSK: &types.AttributeValueMemberS{Value: sk}}
}

// Num is a number attribute value.
func Num[T int | int64](n T) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(n), 10)}
}

// GetItem reads one item into out; found is false when there is none. what
// names the item in errors: keys can hold emails, which never go in a log.
func (s *Table) GetItem(ctx context.Context, what, pk, sk string, consistent bool, out any) (found bool, err error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: Key(pk, sk), ConsistentRead: aws.Bool(consistent)})
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

// GetExisting reads one item into a new T, strongly consistently when
// asked; a missing item is NotFound("no such <what>").
func GetExisting[T any](ctx context.Context, s *Table, what, pk, sk string, consistent bool) (*T, error) {
	var it T
	found, err := s.GetItem(ctx, what, pk, sk, consistent, &it)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, roster.NotFound("no such %s", what)
	}
	return &it, nil
}

// BatchGet reads the items with these keys, 100 per BatchGetItem, asking
// again, after a pause, for any DynamoDB leaves unprocessed. Missing items
// are left out. what names the items in errors.
func (s *Table) BatchGet(ctx context.Context, what string, keys []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	return s.BatchRead(ctx, what, keys, false)
}

// BatchRead is BatchGet, strongly consistent when consistent is true.
func (s *Table) BatchRead(ctx context.Context, what string, keys []map[string]types.AttributeValue, consistent bool) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += 100 {
		pending := map[string]types.KeysAndAttributes{s.Name: {Keys: keys[start:min(start+100, len(keys))], ConsistentRead: aws.Bool(consistent)}}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 0 {
				if err := Backoff(ctx, attempt); err != nil {
					return nil, err
				}
			}
			res, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return nil, roster.Internal(err, "get %s", what)
			}
			out = append(out, res.Responses[s.Name]...)
			pending = res.UnprocessedKeys
		}
	}
	return out, nil
}

func Marshal(v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, roster.Internal(err, "encode item")
	}
	return m, nil
}

// PutNew is a transaction item creating an item that must not exist yet.
func (s *Table) PutNew(v any) (types.TransactWriteItem, error) {
	m, err := Marshal(v)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.Name, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}}, nil
}

// Put is a transaction item writing an item whatever is there.
func (s *Table) Put(v any) (types.TransactWriteItem, error) {
	m, err := Marshal(v)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.Name, Item: m}}, nil
}

// DeleteOwned is a transaction item deleting a unique item if ref still owns it.
func (s *Table) DeleteOwned(pk, sk, ref string) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{
		TableName: &s.Name, Key: Key(pk, sk),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR #ref = :ref"),
		ExpressionAttributeNames:  map[string]string{"#ref": "ref"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":ref": &types.AttributeValueMemberS{Value: ref}},
	}}
}

func (s *Table) DeleteItem(pk, sk string) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: Key(pk, sk)}}
}

// Transact runs a transaction. When it is cancelled because conditions
// failed, it returns the indexes of those items and ErrConditionFailed; when
// it lost to a concurrent transaction on the same items, ErrTransactionConflict.
// Any other cancellation (a validation error, throttling) is an internal error
// that names the reasons.
func (s *Table) Transact(ctx context.Context, items []types.TransactWriteItem) (failed []int, err error) {
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
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
		return failed, ErrConditionFailed
	case conflict:
		return nil, ErrTransactionConflict
	}
	return nil, roster.Internal(err, "write transaction of %d items cancelled without a reason", len(items))
}

var (
	ErrUnprocessed         = errors.New("dynamo: keys left unprocessed")
	ErrConditionFailed     = errors.New("dynamo: condition failed")
	ErrTransactionConflict = errors.New("dynamo: transaction conflict")
)

func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var re *roster.Error
	if errors.As(err, &re) {
		return err
	}
	return roster.Internal(err, "%s", fmt.Sprintf(format, args...))
}

// QueryPrefix returns every item of the organization whose SK starts with
// prefix, decoded as T, strongly consistent when asked; what names them in
// errors.
func QueryPrefix[T any](ctx context.Context, s *Table, orgID, prefix string, consistent bool, what string) ([]T, error) {
	var out []T
	p := dynamodb.NewQueryPaginator(s.DB, &dynamodb.QueryInput{
		TableName: &s.Name, ConsistentRead: aws.Bool(consistent),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: OrgPK(orgID)}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
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

// CreateItem puts a new item, on condition that its key is free; what names
// it in errors.
func (s *Table) CreateItem(ctx context.Context, v any, what string) error {
	m, err := Marshal(v)
	if err != nil {
		return err
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	return Wrap(err, "create %s", what)
}

// UpdateAttempts bounds how often UpdateUser re-reads and retries after a
// concurrent write to the same user; between attempts it waits a random time
// that doubles each round, so writers that collided spread out.
const UpdateAttempts = 8

// Backoff waits a random time up to 5ms·2^attempt (at most about 0.6s).
func Backoff(ctx context.Context, attempt int) error {
	d := time.Duration(rand.Int64N(int64(5*time.Millisecond) << min(attempt, 7)))
	select {
	case <-ctx.Done():
		return roster.Internal(ctx.Err(), "update user: gave up waiting")
	case <-time.After(d):
		return nil
	}
}

func Str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func IsConditionFailed(err error) bool {
	var failed *types.ConditionalCheckFailedException
	return err != nil && errors.As(err, &failed)
}

func StringAttr(m map[string]types.AttributeValue, name string) (string, bool) {
	v, ok := m[name].(*types.AttributeValueMemberS)
	if !ok {
		return "", false
	}
	return v.Value, true
}
