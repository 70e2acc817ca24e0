package bench

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/rosterhq/roster/shared/dynamo"
)

// countingClient counts the DynamoDB requests the store makes and the
// capacity they consume, asking DynamoDB to report it on every read.
type countingClient struct {
	db *dynamodb.Client

	mu       sync.Mutex
	requests int
	capacity float64
}

var _ dynamo.Client = (*countingClient)(nil)

func (c *countingClient) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests, c.capacity = 0, 0
}

func (c *countingClient) totals() (int, float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests, c.capacity
}

func (c *countingClient) add(consumed ...types.ConsumedCapacity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests++
	for _, cc := range consumed {
		c.capacity += aws.ToFloat64(cc.CapacityUnits)
	}
}

func (c *countingClient) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := c.db.GetItem(ctx, in, opts...)
	if err == nil && out.ConsumedCapacity != nil {
		c.add(*out.ConsumedCapacity)
	} else {
		c.add()
	}
	return out, err
}

func (c *countingClient) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := c.db.Query(ctx, in, opts...)
	if err == nil && out.ConsumedCapacity != nil {
		c.add(*out.ConsumedCapacity)
	} else {
		c.add()
	}
	return out, err
}

func (c *countingClient) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := c.db.BatchGetItem(ctx, in, opts...)
	if err == nil {
		c.add(out.ConsumedCapacity...)
	} else {
		c.add()
	}
	return out, err
}

func (c *countingClient) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.add()
	return c.db.PutItem(ctx, in, opts...)
}

func (c *countingClient) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.add()
	return c.db.DeleteItem(ctx, in, opts...)
}

func (c *countingClient) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.add()
	return c.db.BatchWriteItem(ctx, in, opts...)
}

func (c *countingClient) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.add()
	return c.db.UpdateItem(ctx, in, opts...)
}

func (c *countingClient) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.add()
	return c.db.TransactWriteItems(ctx, in, opts...)
}
