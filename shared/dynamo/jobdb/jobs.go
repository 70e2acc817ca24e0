package jobdb

import (
	"context"
	"encoding/base64"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// jobNames spells every job and export attribute an expression names:
// several ("status", "total", "done", "rows") are DynamoDB reserved words.
var jobNames = map[string]string{
	"#status": "status", "#chunks": "chunks", "#chunksDone": "chunksDone", "#total": "total",
	"#done": "done", "#skipped": "skipped", "#failed": "failed", "#cursor": "cursor",
	"#message": "message", "#finishedAt": "finishedAt", "#ready": "ready", "#result": "result", "#rows": "rows",
	"#doneIds": "doneIds",
}

// names returns the entries of jobNames that expr uses.
func names(expr string) map[string]string {
	out := map[string]string{}
	for _, k := range nameRef.FindAllString(expr, -1) {
		out[k] = jobNames[k]
	}
	return out
}

var nameRef = regexp.MustCompile(`#[A-Za-z]+`)

// CreateJob stores a new job.
func (s *Store) CreateJob(ctx context.Context, j *roster.Job) error {
	return s.t.CreateItem(ctx, newJobItem(j), "job")
}

// GetJob reads a job strongly consistently.
func (s *Store) GetJob(ctx context.Context, orgID, id string) (*roster.Job, error) {
	it, err := kit.GetExisting[jobItem](ctx, s.t, "job", kit.OrgPK(orgID), kit.JobSK(id), true)
	if err != nil {
		return nil, err
	}
	return it.job(), nil
}

// AddJobChunk writes the next chunk and moves the job's cursor together.
func (s *Store) AddJobChunk(ctx context.Context, j *roster.Job, ids []string, next string) error {
	chunk, err := s.t.PutNew(&jobChunkItem{PK: kit.OrgPK(j.OrgID), SK: kit.JobChunkSK(j.ID, j.Chunks), Type: "jobChunk", JobID: j.ID, Seq: j.Chunks, UserIDs: ids})
	if err != nil {
		return err
	}
	update := "SET #chunks = :next, #total = #total + :n"
	values := map[string]types.AttributeValue{":seq": kit.Num(j.Chunks), ":next": kit.Num(j.Chunks + 1), ":n": kit.Num(len(ids)), ":snap": kit.Str(string(roster.JobSnapshotting))}
	if next == "" {
		update += " REMOVE #cursor"
	} else {
		update += ", #cursor = :cursor"
		values[":cursor"] = kit.Str(next)
	}
	cond := "#status = :snap AND #chunks = :seq"
	job := types.TransactWriteItem{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(j.OrgID), kit.JobSK(j.ID)),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names(update + cond), ExpressionAttributeValues: values,
	}}
	_, err = s.t.Transact(ctx, []types.TransactWriteItem{chunk, job})
	if err == kit.ErrConditionFailed || err == kit.ErrTransactionConflict {
		return roster.Conflict("chunks", "the job's snapshot moved on")
	}
	return kit.Wrap(err, "add job chunk")
}

// DecideJobFails sets the message of a job still snapshotting that has none.
func (s *Store) DecideJobFails(ctx context.Context, orgID, id, message string) error {
	return s.updateJob(ctx, orgID, id, "SET #message = :message", "#status = :snap AND attribute_not_exists(#message)",
		map[string]types.AttributeValue{":message": kit.Str(message), ":snap": kit.Str(string(roster.JobSnapshotting))}, "decide the job fails")
}

// EndJobSnapshot ends the snapshot of a job still snapshotting.
func (s *Store) EndJobSnapshot(ctx context.Context, orgID, id string, status roster.JobStatus, message string, at time.Time) error {
	update := "SET #status = :status"
	values := map[string]types.AttributeValue{":status": kit.Str(string(status)), ":snap": kit.Str(string(roster.JobSnapshotting))}
	if message != "" {
		update += ", #message = :message"
		values[":message"] = kit.Str(message)
	}
	if status.Finished() {
		update += ", #finishedAt = :at"
		values[":at"] = kit.Str(at.UTC().Format(time.RFC3339Nano))
	}
	return s.updateJob(ctx, orgID, id, update, "#status = :snap", values, "end job snapshot")
}

// updateJob runs one conditional update of a job; a failed condition is a conflict.
func (s *Store) updateJob(ctx context.Context, orgID, id, update, cond string, values map[string]types.AttributeValue, what string) error {
	_, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.JobSK(id)),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String("attribute_exists(PK) AND " + cond),
		ExpressionAttributeNames: names(update + cond), ExpressionAttributeValues: values,
	})
	if kit.IsConditionFailed(err) {
		return roster.Conflict("status", "the job is not in the state this step needs")
	}
	return kit.Wrap(err, "%s", what)
}

// releaseWorkers is how many chunks ReleaseJobChunks marks at once.
const releaseWorkers = 8

// ReleaseJobChunks marks the chunks ready, one update each, several at
// once: each update's stream record runs its chunk.
func (s *Store) ReleaseJobChunks(ctx context.Context, orgID, id string, n int) error {
	seqs := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range min(releaseWorkers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := range seqs {
				errs <- s.releaseJobChunk(ctx, orgID, id, seq)
			}
		}()
	}
	for seq := range n {
		seqs <- seq
	}
	close(seqs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) releaseJobChunk(ctx context.Context, orgID, id string, seq int) error {
	_, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.JobChunkSK(id, seq)),
		UpdateExpression:          aws.String("SET #ready = :yes"),
		ConditionExpression:       aws.String("attribute_exists(PK) AND attribute_not_exists(#ready)"),
		ExpressionAttributeNames:  names("#ready"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":yes": &types.AttributeValueMemberBOOL{Value: true}},
	})
	if err != nil && !kit.IsConditionFailed(err) {
		return roster.Internal(err, "release job chunk %d", seq)
	}
	return nil
}

// GetJobChunk reads one chunk strongly consistently.
func (s *Store) GetJobChunk(ctx context.Context, orgID, id string, seq int) (*roster.JobChunk, error) {
	it, err := kit.GetExisting[jobChunkItem](ctx, s.t, "job chunk", kit.OrgPK(orgID), kit.JobChunkSK(id, seq), true)
	if err != nil {
		return nil, err
	}
	return it.chunk(orgID)
}

// GetJobOutcomes reads the users' outcomes strongly consistently, 100 per request.
func (s *Store) GetJobOutcomes(ctx context.Context, orgID, id string, userIDs []string) (map[string]roster.Outcome, error) {
	keys := make([]map[string]types.AttributeValue, len(userIDs))
	for i, uid := range userIDs {
		keys[i] = kit.Key(kit.OrgPK(orgID), kit.JobUserSK(id, uid))
	}
	found, err := s.t.BatchRead(ctx, "job outcomes", keys, true)
	if err != nil {
		return nil, err
	}
	var items []jobUserItem
	if err := attributevalue.UnmarshalListOfMaps(found, &items); err != nil {
		return nil, roster.Internal(err, "decode job outcomes")
	}
	out := make(map[string]roster.Outcome, len(items))
	for _, it := range items {
		out[it.UserRef] = it.outcome()
	}
	return out, nil
}

// ClaimJobUser puts a claimed outcome if there is none.
func (s *Store) ClaimJobUser(ctx context.Context, orgID, jobID, userID string) (bool, roster.Outcome, error) {
	m, err := kit.Marshal(newJobUserItem(orgID, jobID, roster.Outcome{UserID: userID, Result: roster.ResultClaimed}))
	if err != nil {
		return false, roster.Outcome{}, err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.t.Name, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err == nil {
		return true, roster.Outcome{}, nil
	}
	if !kit.IsConditionFailed(err) {
		return false, roster.Outcome{}, roster.Internal(err, "claim job user")
	}
	prior, err := s.getJobOutcome(ctx, orgID, jobID, userID)
	return false, prior, err
}

// RecordJobOutcome puts o where there is no outcome, or only a claim.
func (s *Store) RecordJobOutcome(ctx context.Context, orgID, jobID string, o roster.Outcome) (roster.Outcome, error) {
	m, err := kit.Marshal(newJobUserItem(orgID, jobID, o))
	if err != nil {
		return o, err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.t.Name, Item: m,
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR #result = :claimed"),
		ExpressionAttributeNames:  names("#result"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":claimed": kit.Str(string(roster.ResultClaimed))},
	})
	if err == nil {
		return o, nil
	}
	if !kit.IsConditionFailed(err) {
		return o, roster.Internal(err, "record job outcome")
	}
	return s.getJobOutcome(ctx, orgID, jobID, o.UserID)
}

func (s *Store) getJobOutcome(ctx context.Context, orgID, jobID, userID string) (roster.Outcome, error) {
	var it jobUserItem
	found, err := s.t.GetItem(ctx, "job outcome", kit.OrgPK(orgID), kit.JobUserSK(jobID, userID), true, &it)
	if err != nil {
		return roster.Outcome{}, err
	}
	if !found {
		return roster.Outcome{}, roster.Internal(nil, "job outcome vanished")
	}
	return it.outcome(), nil
}

// FinishJobChunk marks the chunk done, with its done users, and adds its
// tallies to the job in one transaction, conditional on the chunk not being
// done yet.
func (s *Store) FinishJobChunk(ctx context.Context, orgID, id string, seq int, doneIDs []string, skipped, failed int) error {
	chunkUpdate := "SET #done = :yes, #doneIds = :ids"
	chunkCond := "attribute_exists(PK) AND attribute_not_exists(#done)"
	jobUpdate := "ADD #done :d, #skipped :s, #failed :f, #chunksDone :one"
	ids, err := attributevalue.Marshal(append([]string{}, doneIDs...)) // a list, empty rather than null
	if err != nil {
		return roster.Internal(err, "encode the chunk's done users")
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.JobChunkSK(id, seq)),
		UpdateExpression: aws.String(chunkUpdate), ConditionExpression: aws.String(chunkCond),
		ExpressionAttributeNames:  names(chunkUpdate + chunkCond),
		ExpressionAttributeValues: map[string]types.AttributeValue{":yes": &types.AttributeValueMemberBOOL{Value: true}, ":ids": ids},
	}}, {Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.JobSK(id)),
		UpdateExpression: aws.String(jobUpdate), ConditionExpression: aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames:  names(jobUpdate),
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": kit.Num(len(doneIDs)), ":s": kit.Num(skipped), ":f": kit.Num(failed), ":one": kit.Num(1)},
	}}}
	for attempt := 0; ; attempt++ {
		_, err := s.t.Transact(ctx, items)
		switch {
		case err == kit.ErrConditionFailed:
			return nil // done before: its tallies are on the job
		case err == kit.ErrTransactionConflict && attempt < kit.UpdateAttempts:
			if err := kit.Backoff(ctx, attempt+1); err != nil {
				return err
			}
			continue
		}
		return kit.Wrap(err, "finish job chunk")
	}
}

// FinishJob marks a running job with every chunk done as done.
func (s *Store) FinishJob(ctx context.Context, orgID, id string, at time.Time) error {
	return s.updateJob(ctx, orgID, id, "SET #status = :done, #finishedAt = :at", "#status = :running AND #chunksDone = #chunks",
		map[string]types.AttributeValue{":done": kit.Str(string(roster.JobDone)), ":running": kit.Str(string(roster.JobRunning)), ":at": kit.Str(at.UTC().Format(time.RFC3339Nano))},
		"finish job")
}

// StopJob marks a running job failed with the message.
func (s *Store) StopJob(ctx context.Context, orgID, id, message string, at time.Time) error {
	return s.updateJob(ctx, orgID, id, "SET #status = :failed, #message = :message, #finishedAt = :at", "#status = :running",
		map[string]types.AttributeValue{
			":failed": kit.Str(string(roster.JobFailed)), ":message": kit.Str(message), ":at": kit.Str(at.UTC().Format(time.RFC3339Nano)),
			":running": kit.Str(string(roster.JobRunning)),
		}, "stop job")
}

// CancelJob marks a job that has not finished cancelled.
func (s *Store) CancelJob(ctx context.Context, orgID, id string, at time.Time) (*roster.Job, error) {
	err := s.updateJob(ctx, orgID, id, "SET #status = :cancelled, #finishedAt = :at", "#status IN (:snap, :running)",
		map[string]types.AttributeValue{
			":cancelled": kit.Str(string(roster.JobCancelled)), ":at": kit.Str(at.UTC().Format(time.RFC3339Nano)),
			":snap": kit.Str(string(roster.JobSnapshotting)), ":running": kit.Str(string(roster.JobRunning)),
		}, "cancel job")
	if err != nil && !roster.IsCode(err, roster.CodeConflict) {
		return nil, err
	}
	j, gerr := s.GetJob(ctx, orgID, id)
	if gerr != nil {
		return nil, gerr
	}
	if err != nil {
		return nil, roster.Conflict("status", "the job has finished (%s): there is nothing to cancel", j.Status)
	}
	return j, nil
}

// ListJobs queries the organization's job items backwards: job ids start
// with their creation time.
func (s *Store) ListJobs(ctx context.Context, orgID string, limit int) ([]roster.Job, error) {
	out, err := s.t.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:              &s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": kit.Str(kit.OrgPK(orgID)), ":prefix": kit.Str(kit.JobPrefix),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, roster.Internal(err, "list jobs")
	}
	var items []jobItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return nil, roster.Internal(err, "decode jobs")
	}
	jobs := make([]roster.Job, len(items))
	for i := range items {
		jobs[i] = *items[i].job()
	}
	return jobs, nil
}

// jobChunksPerQuery is how many chunks one Query of ListJobOutcomes reads.
const jobChunksPerQuery = 8

// ListJobOutcomes walks the job's chunks in order, and in each its users in
// the snapshot's order. A done chunk names its done users; its others have
// outcome items (skipped, failed), read only when the listing wants them. A
// chunk released but not done yet (running, or stopped by a cancellation)
// has its users read: those noting the job are done. The cursor is the
// chunk and the position in it of the last outcome listed.
func (s *Store) ListJobOutcomes(ctx context.Context, orgID, id string, result roster.Result, page roster.PageRequest) (*roster.JobOutcomePage, error) {
	fromSeq, afterPos, err := decodeOutcomeCursor(page.Cursor)
	if err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{
		TableName:              &s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": kit.Str(kit.OrgPK(orgID)), ":from": kit.Str(kit.JobChunkSK(id, fromSeq)), ":to": kit.Str(kit.JobChunksPrefix(id) + kit.MaxRune),
		},
		Limit: aws.Int32(jobChunksPerQuery),
	}
	type listed struct {
		roster.Outcome
		seq, pos int
	}
	var items []listed
	for len(items) <= page.Limit {
		out, err := s.t.DB.Query(ctx, in)
		if err != nil {
			return nil, roster.Internal(err, "list job chunks")
		}
		var chunks []jobChunkItem
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &chunks); err != nil {
			return nil, roster.Internal(err, "decode job chunks")
		}
		for _, c := range chunks {
			outcomes, err := s.chunkOutcomes(ctx, orgID, &c, result)
			if err != nil {
				return nil, err
			}
			for pos, uid := range c.UserIDs {
				o, ok := outcomes[uid]
				if !ok || (result != "" && o.Result != result) || (c.Seq == fromSeq && pos <= afterPos) {
					continue
				}
				items = append(items, listed{o, c.Seq, pos})
			}
			if len(items) > page.Limit {
				break
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	res := &roster.JobOutcomePage{}
	if len(items) > page.Limit {
		items = items[:page.Limit]
		last := items[len(items)-1]
		res.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(last.seq) + "." + strconv.Itoa(last.pos)))
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.UserID
	}
	users, err := s.users(ctx, kit.OrgPK(orgID), ids)
	if err != nil {
		return nil, err
	}
	res.Items = make([]roster.JobOutcome, len(items))
	for i, it := range items {
		res.Items[i] = roster.JobOutcome{Outcome: it.Outcome}
		if u := users[it.UserID]; u != nil {
			res.Items[i].FirstName, res.Items[i].LastName = u.FirstName, u.LastName
		}
	}
	return res, nil
}

// decodeOutcomeCursor returns the chunk a listing resumes in and the
// position in it after which it resumes (-1: from the first page).
func decodeOutcomeCursor(cursor string) (seq, after int, err error) {
	if cursor == "" {
		return 0, -1, nil
	}
	bad := roster.BadRequest("cursor", "is not a cursor of this listing: start again from the first page")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, 0, bad
	}
	a, b, ok := strings.Cut(string(raw), ".")
	seq, err1 := strconv.Atoi(a)
	after, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || seq < 0 || after < 0 {
		return 0, 0, bad
	}
	return seq, after, nil
}

// chunkOutcomes returns the outcomes of a chunk's users that a listing of
// result ("" for every result) can show, by user id.
func (s *Store) chunkOutcomes(ctx context.Context, orgID string, c *jobChunkItem, result roster.Result) (map[string]roster.Outcome, error) {
	out := map[string]roster.Outcome{}
	if !c.Ready {
		return out, nil // never released: nobody was changed
	}
	wantDone, wantOthers := result == "" || result == roster.ResultDone, result != roster.ResultDone
	if c.Done {
		for _, uid := range c.DoneIDs {
			out[uid] = roster.Outcome{UserID: uid, Result: roster.ResultDone}
		}
		if !wantOthers || len(c.DoneIDs) == len(c.UserIDs) {
			return out, nil
		}
		var others []string
		for _, uid := range c.UserIDs {
			if _, done := out[uid]; !done {
				others = append(others, uid)
			}
		}
		recorded, err := s.GetJobOutcomes(ctx, orgID, c.JobID, others)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, recorded)
		return out, nil
	}
	recorded, err := s.GetJobOutcomes(ctx, orgID, c.JobID, c.UserIDs)
	if err != nil {
		return nil, err
	}
	maps.Copy(out, recorded)
	if wantDone {
		users, err := s.users(ctx, kit.OrgPK(orgID), c.UserIDs)
		if err != nil {
			return nil, err
		}
		for uid, u := range users {
			if u.ChangedByJob(c.JobID) {
				out[uid] = roster.Outcome{UserID: uid, Result: roster.ResultDone}
			}
		}
	}
	return out, nil
}

// JobStepFromStream decodes a stream record of a job or a job chunk into the
// step it asks for; ok is false for other records and for changes that ask
// for none (a running job's tallies moving, a chunk done).
func JobStepFromStream(r events.DynamoDBEventRecord) (step roster.JobStep, ok bool, err error) {
	sk, hasSK := r.Change.Keys[kit.AttrSK]
	if !hasSK || sk.DataType() != events.DataTypeString || len(r.Change.NewImage) == 0 {
		return step, false, nil
	}
	switch {
	case strings.HasPrefix(sk.String(), kit.JobPrefix):
		var now, before jobItem
		if err := kit.DecodeImage(r.Change.NewImage, &now); err != nil {
			return step, false, err
		}
		step = roster.JobStep{OrgID: now.OrgID, JobID: now.ID}
		if len(r.Change.OldImage) == 0 {
			step.Kind = roster.JobStepSnapshot
			return step, true, nil
		}
		if err := kit.DecodeImage(r.Change.OldImage, &before); err != nil {
			return step, false, err
		}
		running := now.Status == string(roster.JobRunning)
		switch {
		case running && before.Status == string(roster.JobSnapshotting):
			step.Kind = roster.JobStepRelease
		case running && now.ChunksDone >= now.Chunks:
			step.Kind = roster.JobStepFinish
		case now.Action == string(roster.ActionImport) && roster.JobStatus(now.Status).Finished() &&
			(before.Status != now.Status || before.Done != now.Done || before.Skipped != now.Skipped || before.Failed != now.Failed):
			// An import job ended, or a chunk under way when it was
			// cancelled added its tallies since: write the result file.
			step.Kind = roster.JobStepResults
		default:
			return step, false, nil
		}
		return step, true, nil
	case strings.HasPrefix(sk.String(), kit.JobChunkPrefix):
		var c jobChunkItem
		if err := kit.DecodeImage(r.Change.NewImage, &c); err != nil {
			return step, false, err
		}
		if !c.Ready || c.Done {
			return step, false, nil
		}
		pk := r.Change.Keys[kit.AttrPK]
		return roster.JobStep{Kind: roster.JobStepChunk, OrgID: strings.TrimPrefix(pk.String(), kit.OrgPK("")), JobID: c.JobID, Seq: c.Seq}, true, nil
	}
	return step, false, nil
}
