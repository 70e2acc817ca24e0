// Package streams feeds a DynamoDB table's stream to a Lambda-style stream
// handler, the way Lambda's event source mapping does in AWS: batches in
// order per shard, a reported failure retried from its SequenceNumber, and
// after the last retry the batch left behind (AWS sends it to the on-failure
// destination). The dev server and integration tests use it with DynamoDB Local.
package streams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Handler is the stream consumer's Lambda handler.
type Handler func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error)

// Poller reads one stream and calls Handler with its records.
type Poller struct {
	Client    *dynamodbstreams.Client
	StreamARN string
	Handler   Handler
	Log       *slog.Logger
	BatchSize int32         // records per call, at most 1000; 100 when zero
	Interval  time.Duration // wait between empty polls; 100ms when zero
	Retries   int           // retries of a failing batch, like MaximumRetryAttempts; 3 when zero
	// BatchingWindow, like MaximumBatchingWindowInSeconds, is how long a
	// shard's batch may wait for more records once it holds fewer than
	// BatchSize; zero delivers what one read returns.
	BatchingWindow time.Duration

	mu        sync.Mutex
	iterators map[string]*string // shard id -> next iterator; nil once the shard is closed and read
	delivered int
}

// Run polls until ctx ends, then returns ctx's error.
func (p *Poller) Run(ctx context.Context) error {
	for {
		n, err := p.Poll(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			p.Log.Warn("stream poll failed", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(p.interval()):
			}
		}
	}
}

// Drain polls until a poll of every shard finds nothing new, so a test can
// wait for the side effects of the writes it made.
func (p *Poller) Drain(ctx context.Context) error {
	for {
		n, err := p.Poll(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}

// Delivered returns how many records were handed to the handler so far.
func (p *Poller) Delivered() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.delivered
}

// Poll reads every open shard once, handles what it read, and returns the
// number of records read.
func (p *Poller) Poll(ctx context.Context) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.discoverShards(ctx); err != nil {
		return 0, err
	}
	total := 0
	for shard, it := range p.iterators {
		if it == nil {
			continue
		}
		records, err := p.read(ctx, shard, it)
		if err != nil {
			return total, err
		}
		if len(records) == 0 {
			continue
		}
		total += len(records)
		p.deliver(ctx, records)
	}
	return total, nil
}

// read reads a batch of a shard from its iterator, waiting up to the
// batching window for a full one, and moves the shard's iterator past it.
func (p *Poller) read(ctx context.Context, shard string, it *string) ([]types.Record, error) {
	var records []types.Record
	var deadline time.Time
	for {
		out, err := p.Client.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(p.batchSize() - int32(len(records)))})
		var expired *types.ExpiredIteratorException
		if errors.As(err, &expired) {
			if len(records) == 0 {
				delete(p.iterators, shard) // rediscovered on the next poll, from the trim horizon
			}
			return records, nil
		}
		if err != nil {
			return nil, fmt.Errorf("get records of shard %s: %w", shard, err)
		}
		it = out.NextShardIterator
		p.iterators[shard] = it
		records = append(records, out.Records...)
		if len(records) == 0 || p.BatchingWindow <= 0 || it == nil || len(records) >= int(p.batchSize()) {
			return records, nil
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(p.BatchingWindow)
		}
		wait := min(p.interval(), time.Until(deadline))
		if wait <= 0 {
			return records, nil
		}
		select {
		case <-ctx.Done():
			return records, nil
		case <-time.After(wait):
		}
	}
}

// discoverShards adds an iterator for every shard not seen yet.
func (p *Poller) discoverShards(ctx context.Context) error {
	if p.iterators == nil {
		p.iterators = map[string]*string{}
	}
	var start *string
	for {
		out, err := p.Client.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &p.StreamARN, ExclusiveStartShardId: start})
		if err != nil {
			return fmt.Errorf("describe stream: %w", err)
		}
		for _, sh := range out.StreamDescription.Shards {
			id := aws.ToString(sh.ShardId)
			if _, seen := p.iterators[id]; seen {
				continue
			}
			it, err := p.Client.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
				StreamArn: &p.StreamARN, ShardId: sh.ShardId, ShardIteratorType: types.ShardIteratorTypeTrimHorizon,
			})
			if err != nil {
				return fmt.Errorf("get iterator of shard %s: %w", id, err)
			}
			p.iterators[id] = it.ShardIterator
		}
		start = out.StreamDescription.LastEvaluatedShardId
		if start == nil {
			return nil
		}
	}
}

// deliver hands records to the handler, retrying from a reported failure.
func (p *Poller) deliver(ctx context.Context, records []types.Record) {
	batch := make([]events.DynamoDBEventRecord, len(records))
	for i, r := range records {
		batch[i] = toEventRecord(r)
	}
	for attempt := 0; len(batch) > 0; attempt++ {
		p.delivered += len(batch)
		resp, err := p.Handler(ctx, events.DynamoDBEvent{Records: batch})
		if err == nil && len(resp.BatchItemFailures) == 0 {
			return
		}
		if attempt >= p.retries() {
			p.Log.Error("stream batch abandoned after retries", "records", len(batch), "err", err)
			return
		}
		if err == nil {
			batch = fromSequence(batch, resp.BatchItemFailures[0].ItemIdentifier)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
		}
	}
}

// fromSequence returns the records from the one with that sequence number on.
func fromSequence(batch []events.DynamoDBEventRecord, seq string) []events.DynamoDBEventRecord {
	for i, r := range batch {
		if r.Change.SequenceNumber == seq {
			return batch[i:]
		}
	}
	return batch // an unknown identifier retries the whole batch, as Lambda does
}

func (p *Poller) batchSize() int32 {
	if p.BatchSize <= 0 {
		return 100
	}
	return min(p.BatchSize, 1000)
}

func (p *Poller) interval() time.Duration {
	if p.Interval <= 0 {
		return 100 * time.Millisecond
	}
	return p.Interval
}

func (p *Poller) retries() int {
	if p.Retries <= 0 {
		return 3
	}
	return p.Retries
}
