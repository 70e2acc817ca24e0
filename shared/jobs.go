package roster

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Background jobs run a bulk action on a filter selection too large to run
// inline. The table's stream drives them one step at a time (see
// docs/data-model.md, "Background jobs"): the job's creation starts the
// snapshot of the selection into chunks; the snapshot, once complete and
// checked against the expected count, turns the job running, which releases
// the chunks; each released chunk is applied user by user, each user's
// change and its outcome in one transaction; the last chunk's tallies end
// the job.

// DefaultJobThreshold is how many users a filter selection may hold and
// still run inline; a larger one runs as a job.
const DefaultJobThreshold = 250

// DefaultJobChunkSize is how many users one chunk of a job holds: one
// BatchGetItem reads their outcomes, and one run of the worker applies them
// in a few seconds.
const DefaultJobChunkSize = 100

// JobStatus is where a job is in its life.
type JobStatus string

// The statuses of a job.
const (
	JobSnapshotting JobStatus = "snapshotting" // reading the selection into chunks; nobody changed yet
	JobRunning      JobStatus = "running"      // applying the action chunk by chunk
	JobDone         JobStatus = "done"         // every chunk applied
	JobCancelled    JobStatus = "cancelled"    // stopped by an administrator; what was done stays done
	JobFailed       JobStatus = "failed"       // stopped; Message says why: by its snapshot, having changed nobody, or, running, by its starter's loss of the right (jobstarter.go)
)

// Finished reports whether the job will change nobody else.
func (s JobStatus) Finished() bool {
	return s == JobDone || s == JobCancelled || s == JobFailed
}

// Job is a bulk action running in the background.
type Job struct {
	ID            string
	OrgID         string
	Action        Action
	Params        ActionParams
	Filter        UserFilter
	ExpectedCount int
	ActorID       string // who started it; the job acts only while they may, with the role they hold then (jobstarter.go)
	ActorRole     Role   // their role when they started it
	RequestID     string
	Status        JobStatus
	Total         int // users in the snapshot so far
	Chunks        int // chunks written by the snapshot
	ChunksDone    int
	Done          int
	Skipped       int
	Failed        int
	Message       string // why it failed
	ImportID      string // the import an ActionImport job applies
	ImportOptions ImportOptions
	Cursor        string // where the snapshot resumes
	CreatedAt     time.Time
	FinishedAt    *time.Time
}

// Principal is who the job acts as.
func (j *Job) Principal() *Principal {
	return &Principal{OrgID: j.OrgID, UserID: j.ActorID, Role: j.ActorRole, RequestID: j.RequestID}
}

// JobChunk is a slice of a job's snapshot: the users one step applies the
// action to.
type JobChunk struct {
	OrgID   string
	JobID   string
	Seq     int
	UserIDs []string
	Rows    []ImportRow // an import job's rows, each keyed by its UserRef
	Ready   bool        // released: the snapshot was complete and checked
	Done    bool        // its tallies are on the job
	DoneIDs []string    // once Done: its users done, in the order of UserIDs
}

// JobOutcome is what a job did to one user, with the user's name for the
// results list (empty when the user is gone).
type JobOutcome struct {
	Outcome
	FirstName string
	LastName  string
}

// JobOutcomePage is one page of a job's outcomes.
type JobOutcomePage struct {
	Items      []JobOutcome
	NextCursor string
}

// ResultClaimed marks an outcome taken by a worker that is about to send an
// email: a second worker never sends it again, and a claim found by a
// resumed job means the first was interrupted.
const ResultClaimed Result = "claimed"

// ErrOutcomeRecorded is returned by JobStore.UpdateUserForJob when the job
// changed the user before (its id is in the user's RecentJobs): the user is
// left as it is, and counts as done.
var ErrOutcomeRecorded = errors.New("roster: the job changed this user already")

// MaxRecentJobs is how many job ids a user's RecentJobs keeps. A chunk that
// failed is run again within moments (the stream retries it), so a job id
// has to outlive only the few jobs that could change the same user meanwhile.
const MaxRecentJobs = 8

// ChangedByJob reports whether the job's id is among the user's RecentJobs.
func (u *User) ChangedByJob(jobID string) bool { return slices.Contains(u.RecentJobs, jobID) }

// NoteJob adds the job's id to the user's RecentJobs, dropping the oldest
// beyond MaxRecentJobs.
func (u *User) NoteJob(jobID string) {
	u.RecentJobs = append(u.RecentJobs, jobID)
	if over := len(u.RecentJobs) - MaxRecentJobs; over > 0 {
		u.RecentJobs = slices.Delete(u.RecentJobs, 0, over)
	}
}

// JobStore keeps background jobs, their chunks and their per-user outcomes.
type JobStore interface {
	// CreateJob stores a new job.
	CreateJob(ctx context.Context, j *Job) error
	// GetJob returns the job, read strongly consistently, or a not-found error.
	GetJob(ctx context.Context, orgID, id string) (*Job, error)
	// SnapshotUserIDs returns up to limit ids of users matching f after
	// cursor ("" for the first), and the cursor after them ("" at the end).
	SnapshotUserIDs(ctx context.Context, orgID string, f UserFilter, cursor string, limit int) (ids []string, next string, err error)
	// AddJobChunk writes the job's chunk number j.Chunks and moves the job's
	// snapshot cursor to next, in one transaction, on condition that the job
	// is still snapshotting with j.Chunks chunks; otherwise it is a conflict.
	AddJobChunk(ctx context.Context, j *Job, ids []string, next string) error
	// DecideJobFails records, on a job still snapshotting and with no
	// message yet, why it will fail, before its snapshot writes on: a
	// snapshot run again keeps the decision. Otherwise it is a conflict.
	DecideJobFails(ctx context.Context, orgID, id, message string) error
	// EndJobSnapshot turns a snapshotting job running, or failed with
	// message; a job no longer snapshotting is a conflict.
	EndJobSnapshot(ctx context.Context, orgID, id string, status JobStatus, message string, at time.Time) error
	// ReleaseJobChunks marks chunks 0..n-1 ready; a chunk ready already is left alone.
	ReleaseJobChunks(ctx context.Context, orgID, id string, n int) error
	// GetJobChunk returns one chunk, or a not-found error.
	GetJobChunk(ctx context.Context, orgID, id string, seq int) (*JobChunk, error)
	// GetJobOutcomes returns the recorded outcomes of these users in the job, by user id.
	GetJobOutcomes(ctx context.Context, orgID, id string, userIDs []string) (map[string]Outcome, error)
	// UpdateUserForJob is UserStore.UpdateUser whose write also notes the
	// job in the user's RecentJobs, which records its outcome "done": it
	// returns ErrOutcomeRecorded, writing nothing, when the user read holds
	// the job already.
	// read, when not nil, is the user as read a moment ago: the first attempt
	// starts from it, and only a stale one costs a read.
	UpdateUserForJob(ctx context.Context, orgID, jobID, userID string, read *User, change func(*User) error) (*User, error)
	// ClaimJobUser records a claimed outcome for the user, unless an outcome
	// is recorded already: then it returns that one and claimed is false.
	ClaimJobUser(ctx context.Context, orgID, jobID, userID string) (claimed bool, prior Outcome, err error)
	// RecordJobOutcome records o unless an outcome other than a claim is
	// recorded already, and returns the outcome that stands.
	RecordJobOutcome(ctx context.Context, orgID, jobID string, o Outcome) (Outcome, error)
	// FinishJobChunk marks the chunk done with the ids of its users done, in
	// the chunk's order, and adds its tallies to the job, in one
	// transaction; a chunk done already is left alone, and so is its job.
	FinishJobChunk(ctx context.Context, orgID, id string, seq int, doneIDs []string, skipped, failed int) error
	// FinishJob marks a running job whose chunks are all done as done.
	FinishJob(ctx context.Context, orgID, id string, at time.Time) error
	// StopJob marks a running job failed with message; a job no longer
	// running is a conflict.
	StopJob(ctx context.Context, orgID, id, message string, at time.Time) error
	// CancelJob marks a job that has not finished as cancelled; a finished
	// one is a conflict.
	CancelJob(ctx context.Context, orgID, id string, at time.Time) (*Job, error)
	// ListJobs returns the organization's most recent jobs, newest first, at most limit.
	ListJobs(ctx context.Context, orgID string, limit int) ([]Job, error)
	// ListJobOutcomes returns a page of the job's outcomes, of one result
	// when result is not empty, in the order of the job's snapshot, with the
	// users' names. A bad cursor is a bad request on "cursor".
	ListJobOutcomes(ctx context.Context, orgID, id string, result Result, page PageRequest) (*JobOutcomePage, error)
}

// JobStepKind is a step of a job that a stream record asks for.
type JobStepKind int

// The steps of a job, each driven by a stream record.
const (
	JobStepSnapshot JobStepKind = iota + 1 // a job was created
	JobStepRelease                         // a job's snapshot was checked: release its chunks
	JobStepChunk                           // a chunk was released: apply it
	JobStepFinish                          // a running job's last chunk is done
	JobStepResults                         // an import job ended: write its result file
)

// JobStep is one step of one job.
type JobStep struct {
	Kind  JobStepKind
	OrgID string
	JobID string
	Seq   int // the chunk, for JobStepChunk
}

// RunJobStep performs a step. Each step is idempotent: a record delivered
// twice, or a step interrupted and run again, changes nothing twice.
func (s *Service) RunJobStep(ctx context.Context, step JobStep) error {
	switch step.Kind {
	case JobStepSnapshot:
		return s.SnapshotJob(ctx, step.OrgID, step.JobID)
	case JobStepRelease:
		return s.ReleaseJob(ctx, step.OrgID, step.JobID)
	case JobStepChunk:
		return s.RunJobChunk(ctx, step.OrgID, step.JobID, step.Seq)
	case JobStepFinish:
		return s.FinishJob(ctx, step.OrgID, step.JobID)
	case JobStepResults:
		return s.Imports.WriteImportResults(ctx, step.OrgID, step.JobID)
	}
	return Internal(nil, "unknown job step %d", step.Kind)
}
