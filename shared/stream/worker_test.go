package stream_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/stream"
)

// scriptedRunner runs steps by their job id: "fail" fails, and a step named
// in waits finishes only once the step it names has started (or fails after
// a while: it ran alone). It records which ran and how many ran at once.
type scriptedRunner struct {
	waits   map[string]string
	mu      sync.Mutex
	started map[string]chan struct{}
	ran     []string
	running int
	most    int
}

func (r *scriptedRunner) startedChan(job string) chan struct{} {
	if r.started == nil {
		r.started = map[string]chan struct{}{}
	}
	if r.started[job] == nil {
		r.started[job] = make(chan struct{})
	}
	return r.started[job]
}

func (r *scriptedRunner) RunJobStep(_ context.Context, step roster.JobStep) error {
	r.mu.Lock()
	r.running++
	r.most = max(r.most, r.running)
	if c := r.startedChan(step.JobID); step.JobID != "fail" {
		close(c)
	}
	var partner chan struct{}
	if other, ok := r.waits[step.JobID]; ok {
		partner = r.startedChan(other)
	}
	r.mu.Unlock()
	var err error
	if partner != nil {
		select {
		case <-partner:
		case <-time.After(10 * time.Second):
			err = errors.New("ran alone")
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running--
	r.ran = append(r.ran, step.JobID)
	if step.JobID == "fail" {
		return errors.New("step failed")
	}
	return err
}

// TestJobWorker_Handle checks the order of a batch's steps, two chunks at a
// time, and that a failure reports the first failed record.
func TestJobWorker_Handle(t *testing.T) {
	// Each record's event id names its step: "chunk:<job>", "snapshot:<job>", or "user" (no step).
	decode := func(r events.DynamoDBEventRecord) (roster.JobStep, bool, error) {
		kind, job, _ := strings.Cut(r.EventID, ":")
		switch kind {
		case "chunk":
			return roster.JobStep{Kind: roster.JobStepChunk, JobID: job}, true, nil
		case "snapshot":
			return roster.JobStep{Kind: roster.JobStepSnapshot, JobID: job}, true, nil
		case "bad":
			return roster.JobStep{}, false, errors.New("undecodable")
		}
		return roster.JobStep{}, false, nil
	}
	tests := []struct {
		name     string
		records  []string
		waits    map[string]string
		failedAt int // index of the record reported, -1 for none
		ran      [][]string
		most     int
	}{
		{"chunks two at a time, other steps alone", []string{"chunk:a", "user", "chunk:b", "chunk:c", "snapshot:d", "chunk:e"},
			map[string]string{"a": "b", "b": "a"}, -1, [][]string{{"a", "b"}, {"c"}, {"d"}, {"e"}}, 2},
		{"a failed chunk is reported; its partner ran, nothing after", []string{"chunk:a", "chunk:fail", "chunk:b", "snapshot:c"},
			nil, 1, [][]string{{"a", "fail"}}, 2},
		{"the first failure of two", []string{"chunk:fail", "chunk:fail"}, nil, 0, [][]string{{"fail", "fail"}}, 2},
		{"an undecodable record stops the batch", []string{"chunk:a", "bad", "chunk:b"}, nil, 1, [][]string{{"a"}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := events.DynamoDBEvent{}
			for i, id := range tc.records {
				ev.Records = append(ev.Records, events.DynamoDBEventRecord{EventID: id, Change: events.DynamoDBStreamRecord{SequenceNumber: strconv.Itoa(100 + i)}})
			}
			runner := &scriptedRunner{waits: tc.waits}
			w := &stream.JobWorker{Decode: decode, Jobs: runner, Log: quiet}
			resp, err := w.Handle(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			var want []events.DynamoDBBatchItemFailure
			if tc.failedAt >= 0 {
				want = []events.DynamoDBBatchItemFailure{{ItemIdentifier: strconv.Itoa(100 + tc.failedAt)}}
			}
			if !slices.Equal(resp.BatchItemFailures, want) {
				t.Errorf("failures = %v, want %v", resp.BatchItemFailures, want)
			}
			// Steps of one group may finish in any order.
			got := slices.Clone(runner.ran)
			pos := 0
			for _, group := range tc.ran {
				if pos+len(group) > len(got) {
					t.Fatalf("ran %v, want the groups %v", runner.ran, tc.ran)
				}
				part := got[pos : pos+len(group)]
				slices.Sort(part)
				if !slices.Equal(part, slices.Sorted(slices.Values(group))) {
					t.Fatalf("ran %v, want the groups %v", runner.ran, tc.ran)
				}
				pos += len(group)
			}
			if pos != len(got) || runner.most > tc.most {
				t.Errorf("ran %v (at most %d at once), want the groups %v (%d at once)", runner.ran, runner.most, tc.ran, tc.most)
			}
		})
	}
}
