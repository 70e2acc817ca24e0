package roster

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// jobThreshold is the largest filter selection run inline.
func (s *Service) jobThreshold() int {
	if s.JobThreshold > 0 {
		return s.JobThreshold
	}
	return DefaultJobThreshold
}

// ChunkSize is how many users a chunk holds.
func (s *Service) ChunkSize() int {
	if s.JobChunkSize > 0 {
		return s.JobChunkSize
	}
	return DefaultJobChunkSize
}

// startJob stores a job for a large filter selection; the stream picks it
// up and snapshots the selection. Deletion never runs as a job.
func (s *Service) startJob(ctx context.Context, p *Principal, a Action, params ActionParams, f UserFilter, expected int) (*Job, error) {
	now := s.Now().UTC()
	j := &Job{
		ID: NewJobID(now, s.NewID()), OrgID: p.OrgID, Action: a, Params: params, Filter: f, ExpectedCount: expected,
		ActorID: p.UserID, ActorRole: p.Role, RequestID: p.RequestID,
		Status: JobSnapshotting, CreatedAt: now,
	}
	if err := s.Store.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	return j, nil
}

// NewJobID starts with the job's creation time, to the millisecond, so that an
// organization's jobs sort by it: "20260101t090109123-" and a random id.
func NewJobID(created time.Time, random string) string {
	return created.Format("20060102t150405") + fmt.Sprintf("%03d-", created.Nanosecond()/int(time.Millisecond)) + random
}

// RecentJobs is how many jobs ListJobs returns.
const RecentJobs = 20

// ListJobs returns the caller's organization's most recent jobs, newest first.
func (s *Service) ListJobs(ctx context.Context, p *Principal) ([]Job, error) {
	return s.Store.ListJobs(ctx, p.OrgID, RecentJobs)
}

// GetJob returns a job of the caller's organization.
func (s *Service) GetJob(ctx context.Context, p *Principal, id string) (*Job, error) {
	if !ValidJobID(id) {
		return nil, NotFound("no such job")
	}
	return s.Store.GetJob(ctx, p.OrgID, id)
}

// CancelJob stops a job of the caller's organization: no user is started
// after it; what was done stays done. A finished job is a conflict.
func (s *Service) CancelJob(ctx context.Context, p *Principal, id string) (*Job, error) {
	if !ValidJobID(id) {
		return nil, NotFound("no such job")
	}
	return s.Store.CancelJob(ctx, p.OrgID, id, s.Now().UTC())
}

// ListJobOutcomes returns a page of what a job did to each user, of one
// result when result is not empty.
func (s *Service) ListJobOutcomes(ctx context.Context, p *Principal, id string, result Result, page PageRequest) (*JobOutcomePage, error) {
	if !ValidJobID(id) {
		return nil, NotFound("no such job")
	}
	switch result {
	case "", ResultDone, ResultSkipped, ResultFailed:
	default:
		return nil, Invalid("result", "must be done, skipped or failed")
	}
	if page.Limit == 0 {
		page.Limit = DefaultPageSize
	}
	if page.Limit < 1 || page.Limit > MaxPageSize {
		return nil, Invalid("limit", "must be between 1 and %d", MaxPageSize)
	}
	if _, err := s.Store.GetJob(ctx, p.OrgID, id); err != nil {
		return nil, err
	}
	return s.Store.ListJobOutcomes(ctx, p.OrgID, id, result, page)
}

// ValidJobID reports whether id can be a job's id: ids are random base32
// text, and anything else (a "#" above all) never reaches a key.
func ValidJobID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_'
	}) < 0
}

// SnapshotJob reads a snapshotting job's selection into chunks, from where
// an earlier run stopped, then checks the count: a job whose filter matches
// another number of users than expected fails, having changed nobody;
// so does a job whose starter may no longer do what it does (jobstarter.go);
// otherwise it turns running, which releases the chunks. A job no longer
// snapshotting is left alone.
func (s *Service) SnapshotJob(ctx context.Context, orgID, id string) error {
	j, err := s.Store.GetJob(ctx, orgID, id)
	if err != nil {
		return err
	}
	if j.Action == ActionImport {
		if j.Status != JobSnapshotting {
			return nil
		}
		return s.Imports.SnapshotImport(ctx, j)
	}
	for j.Status == JobSnapshotting {
		if j.Chunks > 0 && j.Cursor == "" {
			break // the last chunk is written
		}
		ids, next, err := s.Store.SnapshotUserIDs(ctx, orgID, j.Filter, j.Cursor, s.ChunkSize())
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		if err := s.Store.AddJobChunk(ctx, j, ids, next); err != nil {
			if !IsCode(err, CodeConflict) {
				return err
			}
			// Another worker moved the snapshot on, or it was cancelled: read again.
			if j, err = s.Store.GetJob(ctx, orgID, id); err != nil {
				return err
			}
			continue
		}
		j.Chunks++
		j.Total += len(ids)
		j.Cursor = next
	}
	if j.Status != JobSnapshotting {
		return nil
	}
	// Its starter is checked once the snapshot is written, before any
	// chunk is released: one who lost the right meanwhile changes nobody.
	_, refusal, err := s.JobStarter(ctx, j, nil)
	if err != nil {
		return err
	}
	status, message := JobRunning, ""
	switch {
	case refusal != "":
		status, message = JobFailed, refusal+": nothing was changed"
	case j.Total != j.ExpectedCount:
		status = JobFailed
		message = "the filter now matches " + Plural(j.Total, "user") + ", not " + strconv.Itoa(j.ExpectedCount) + ": nothing was changed"
	}
	err = s.Store.EndJobSnapshot(ctx, orgID, id, status, message, s.Now().UTC())
	if IsCode(err, CodeConflict) {
		return nil // ended by another worker, or cancelled
	}
	return err
}

// ReleaseJob marks every chunk of a running job ready: each chunk's change
// on the stream then applies it.
func (s *Service) ReleaseJob(ctx context.Context, orgID, id string) error {
	j, err := s.Store.GetJob(ctx, orgID, id)
	if err != nil {
		return err
	}
	if j.Status != JobRunning {
		return nil
	}
	return s.Store.ReleaseJobChunks(ctx, orgID, id, j.Chunks)
}

// FinishJob marks a running job done once all its chunks are.
func (s *Service) FinishJob(ctx context.Context, orgID, id string) error {
	err := s.Store.FinishJob(ctx, orgID, id, s.Now().UTC())
	if IsCode(err, CodeConflict) {
		return nil // not every chunk is done, or the job ended otherwise
	}
	return err
}

// JobCancelCheckEvery is how many users a chunk starts between two reads of
// its job's status: a cancelled job starts about this many more.
const JobCancelCheckEvery = actionWorkers

// RunJobChunk applies a running job's action to the users of one ready
// chunk, then adds the chunk's tallies to the job and its done users to the
// chunk. Each user's change notes the job on the user, in the same write, so
// a chunk run again (its worker killed, its record delivered twice) changes
// nobody twice: users holding the job, or with an outcome item (skipped,
// failed), are counted, not changed. Email actions claim the outcome before
// sending, so no email goes twice; a claim found here is a run that was
// interrupted, reported as failed. A cancelled job stops between users.
// The job acts as its starter is now (jobstarter.go): when they may no
// longer do what it does, the job stops, and this chunk's users, and those
// of every chunk run after, are reported not reached.
func (s *Service) RunJobChunk(ctx context.Context, orgID, id string, seq int) error {
	j, err := s.Store.GetJob(ctx, orgID, id)
	if err != nil {
		return err
	}
	// A failed job's ready chunks are those its starter's loss of rights
	// left: a snapshot that fails releases none.
	refusal, stopped := StoppedRefusal(j)
	if j.Status != JobRunning && !stopped {
		return nil
	}
	c, err := s.Store.GetJobChunk(ctx, orgID, id, seq)
	if err != nil {
		return err
	}
	if c.Done || !c.Ready {
		return nil
	}
	if j.Action == ActionImport {
		if stopped {
			return nil // its result file lists the rows not reached as not applied
		}
		return s.Imports.RunImportChunk(ctx, j, c)
	}
	p := j.Principal() // who the job acts as; while stopped, only its request id is used
	if !stopped {
		var now *Principal
		if now, refusal, err = s.JobStarter(ctx, j, nil); err != nil {
			return err
		}
		if refusal != "" {
			if err := s.StopJob(ctx, j, refusal); err != nil {
				return err
			}
		} else {
			p = now
		}
	}
	// The chunk's outcomes and its users are read together, at once; each
	// write is conditional on the version read, and only a user changed
	// since is read again.
	var (
		outcomes map[string]Outcome
		read     map[string]*User
		readErr  error
		wg       sync.WaitGroup
	)
	wg.Go(func() { read, readErr = s.Store.GetUsers(ctx, orgID, c.UserIDs) })
	outcomes, err = s.Store.GetJobOutcomes(ctx, orgID, id, c.UserIDs)
	wg.Wait()
	if err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	var org *Organization
	if refusal == "" {
		if org, err = s.mailingOrganization(ctx, orgID, j.Action, j.Params); err != nil {
			return err
		}
	}
	var todo []string
	for _, uid := range c.UserIDs {
		o, ok := outcomes[uid]
		switch {
		case !ok && refusal != "" && read[uid] != nil && read[uid].ChangedByJob(id):
			outcomes[uid] = Outcome{UserID: uid, Result: ResultDone} // changed before the job stopped
		case !ok:
			todo = append(todo, uid)
		case o.Result == ResultClaimed:
			outcomes[uid], err = s.Store.RecordJobOutcome(ctx, orgID, id, Outcome{UserID: uid, Result: ResultFailed, Reason: "interrupted: check the user and try again"})
			if err != nil {
				return err
			}
		}
	}
	results := make([]Outcome, len(todo))
	var halted atomic.Bool
	InParallel(len(todo), func(i int) {
		switch {
		case refusal != "":
			results[i] = s.RecordJobOutcome(ctx, j, p, Outcome{UserID: todo[i], Result: ResultSkipped, Reason: notReachedReason(refusal)})
			return
		case i > 0 && i%JobCancelCheckEvery == 0 && !halted.Load():
			// A failed read of the status only means the chunk goes on.
			if now, err := s.Store.GetJob(ctx, orgID, id); err == nil && now.Status != JobRunning {
				halted.Store(true)
			}
		}
		if !halted.Load() {
			results[i] = s.ApplyJobUser(ctx, j, p, org, todo[i], read[todo[i]])
		}
	})
	if halted.Load() {
		// Cancelled, or stopped by another chunk: a stopped job reports the
		// users this chunk did not start as not reached.
		if now, err := s.Store.GetJob(ctx, orgID, id); err == nil {
			if refusal, stopped := StoppedRefusal(now); stopped {
				InParallel(len(todo), func(i int) {
					switch u := read[todo[i]]; {
					case results[i].Result != "":
					case u != nil && u.ChangedByJob(id): // by an earlier run of this chunk
						results[i] = Outcome{UserID: todo[i], Result: ResultDone}
					default:
						results[i] = s.RecordJobOutcome(ctx, j, p, Outcome{UserID: todo[i], Result: ResultSkipped, Reason: notReachedReason(refusal)})
					}
				})
			}
		}
	}
	for i, uid := range todo {
		if results[i].Result != "" { // a user not started after a cancellation has none
			outcomes[uid] = results[i]
		}
	}
	var doneIDs []string
	var skipped, failed int
	for _, uid := range c.UserIDs {
		o, ok := outcomes[uid]
		switch {
		case !ok: // not started: the job was cancelled
		case o.Result == ResultDone:
			doneIDs = append(doneIDs, uid)
		case o.Result == ResultSkipped:
			skipped++
		default:
			failed++
		}
	}
	if err := ctx.Err(); err != nil {
		// Stopped from outside (the worker is shutting down): the chunk runs
		// again, and the users with an outcome are not changed twice.
		return Internal(err, "job %s chunk %d interrupted", id, seq)
	}
	// A job cancelled part-way adds what this chunk did; it never runs the
	// chunk again.
	return s.Store.FinishJobChunk(ctx, orgID, id, seq, doneIDs, skipped, failed)
}

// ApplyJobUser applies the job's action to one user through applyToUser
// and returns the outcome that stands in the job.
func (s *Service) ApplyJobUser(ctx context.Context, j *Job, p *Principal, org *Organization, uid string, read *User) Outcome {
	if sendsEmail(j.Action, j.Params) {
		claimed, prior, err := s.Store.ClaimJobUser(ctx, j.OrgID, j.ID, uid)
		if err != nil {
			return s.OutcomeOf(ctx, p, j.Action, uid, err)
		}
		if !claimed {
			return prior
		}
		o := s.applyToUser(ctx, p, org, uid, j.Action, j.Params, s.WriteUser)
		return s.RecordJobOutcome(ctx, j, p, o)
	}
	var prior bool
	write := func(ctx context.Context, orgID, id string, change func(*User) error) (*User, error) {
		u, err := s.Store.UpdateUserForJob(ctx, orgID, j.ID, id, read, change)
		prior = err == ErrOutcomeRecorded
		return u, err
	}
	o := s.applyToUser(ctx, p, org, uid, j.Action, j.Params, write)
	switch {
	case prior:
		return Outcome{UserID: uid, Result: ResultDone} // changed by an earlier run of this chunk
	case o.Result == ResultDone:
		return o // recorded with the user's change
	}
	return s.RecordJobOutcome(ctx, j, p, o)
}

// RecordJobOutcome records o, or returns the outcome recorded before it.
func (s *Service) RecordJobOutcome(ctx context.Context, j *Job, p *Principal, o Outcome) Outcome {
	stood, err := s.Store.RecordJobOutcome(ctx, j.OrgID, j.ID, o)
	if err != nil {
		s.Log.ErrorContext(ctx, "job outcome not recorded", "job", j.ID, "user", o.UserID, "request", p.RequestID, "err", err)
		return Outcome{UserID: o.UserID, Result: ResultFailed, Reason: "could not be saved; try again"}
	}
	return stood
}
