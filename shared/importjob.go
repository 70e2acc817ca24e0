package roster

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// An import runs as a background job like any large action (jobs.go):
// its snapshot plans the file again against the roster, checks that it
// still does what the administrator applied, and writes the rows to do
// into chunks, each new user with its id already given; each chunk then
// applies its rows, each row's outcome keyed by its user, so a chunk run
// again changes nobody twice.

// snapshotImport writes an import job's chunks from where an earlier run
// stopped, then ends the snapshot: running, or failed when the file no
// longer does what was applied (or is not the file validated). A failed
// job's chunks are written all the same and never released, so that its
// result file lists every row the file now holds as not applied.
func (s *Service) snapshotImport(ctx context.Context, j *Job) error {
	imp, err := s.Store.GetImport(ctx, j.OrgID, j.ImportID)
	if err != nil {
		return err
	}
	end := func(status JobStatus, message string) error {
		err := s.Store.EndJobSnapshot(ctx, j.OrgID, j.ID, status, message, s.Now().UTC())
		if IsCode(err, CodeConflict) {
			return nil // ended by another worker, or cancelled
		}
		return err
	}
	plan, _, err := s.planImport(ctx, j.principal(), imp, j.ImportOptions, true)
	var refused *Error
	if errors.As(err, &refused) && refused.Field == "file" && (refused.Code == CodeInvalid || refused.Code == CodeConflict) {
		if refused.Code == CodeConflict {
			return end(JobFailed, refused.Message+"; nothing was changed")
		}
		return end(JobFailed, refused.Message+": nothing was changed")
	}
	if err != nil {
		return err
	}
	ops := importOps(plan, j.ImportOptions)
	// Its starter may have lost the right since they applied it
	// (jobstarter.go): then it fails, whatever else the plan says.
	_, refusal, err := s.jobStarter(ctx, j, ops)
	if err != nil {
		return err
	}
	failure := ""
	// The preview the administrator applied is the import's validation (it
	// cannot be validated again while the job runs): every count must hold,
	// not only their sum, or a row previewed as a new user could update
	// someone added since.
	previewed := imp.JobID == j.ID && plan.Counts == imp.Counts
	if refusal != "" {
		failure = refusal + ": nothing was changed"
	} else if !previewed || len(ops) != j.ExpectedCount || (plan.Counts.Errors > 0 && !j.ImportOptions.SkipBadRows) {
		failure = "the roster changed since the preview: the file now " + describeCounts(plan.Counts) + "; nothing was changed: validate it again to review it"
	} else if planSendsEmail(plan) {
		if err := s.checkMail("import and notify"); err != nil {
			s.Log.ErrorContext(ctx, "import job refused", "job", j.ID, "err", err)
			failure = "email is not set up here, and the file sends invitations: nothing was changed"
		}
	}
	// The decision to fail is recorded before any chunk is written: a run
	// interrupted and delivered again keeps it, whatever the roster says
	// then, so a job never releases chunks of a plan it refused.
	switch {
	case j.Message != "":
		failure = j.Message
	case failure != "":
		err := s.Store.DecideJobFails(ctx, j.OrgID, j.ID, failure)
		if IsCode(err, CodeConflict) {
			return nil // ended by another worker, or cancelled
		}
		if err != nil {
			return err
		}
	}
	size := s.jobChunkSize()
	for j.Status == JobSnapshotting && j.Chunks*size < len(ops) {
		rows := ops[j.Chunks*size : min(len(ops), (j.Chunks+1)*size)]
		for i := range rows {
			if rows[i].New {
				rows[i].UserRef = s.NewID()
			}
		}
		if err := s.Store.AddImportChunk(ctx, j, rows); err != nil {
			if !IsCode(err, CodeConflict) {
				return err
			}
			if j, err = s.Store.GetJob(ctx, j.OrgID, j.ID); err != nil {
				return err
			}
			continue
		}
		j.Chunks++
		j.Total += len(rows)
	}
	if j.Status != JobSnapshotting {
		return nil
	}
	if failure != "" {
		return end(JobFailed, failure)
	}
	return end(JobRunning, "")
}

// importOps lists what an import job does: the good rows, by line, then a
// row per user sync reaches.
func importOps(plan *ImportPlan, o ImportOptions) []ImportRow {
	ops := append([]ImportRow(nil), plan.Rows...)
	for _, id := range plan.SyncUserIDs {
		ops = append(ops, ImportRow{UserRef: id, Sync: importSyncAction(o.Sync)})
	}
	return ops
}

// runImportChunk applies the rows of one chunk of an import job that are
// not done yet, then adds the chunk's tallies to the job and its done users
// to the chunk. A row is done once its user notes the job (RecentJobs,
// written with the row's last change) or once it has an outcome item
// (skipped, failed, or a Notify row's, claimed before the email).
func (s *Service) runImportChunk(ctx context.Context, j *Job, c *JobChunk) error {
	// The job acts as its starter is now (jobstarter.go). One who may no
	// longer apply these rows stops it: the result file lists the rows it
	// had not reached as not applied, with the reason.
	p, refusal, err := s.jobStarter(ctx, j, c.Rows)
	if err != nil {
		return err
	}
	if refusal != "" {
		return s.stopJob(ctx, j, refusal)
	}
	ids := make([]string, len(c.Rows))
	notify := false
	for i, r := range c.Rows {
		ids[i] = r.UserRef
		notify = notify || r.Notify
	}
	var (
		outcomes map[string]Outcome
		read     map[string]*User
		readErr  error
		wg       sync.WaitGroup
	)
	wg.Go(func() { read, readErr = s.Store.GetUsers(ctx, j.OrgID, ids) })
	outcomes, err = s.Store.GetJobOutcomes(ctx, j.OrgID, j.ID, ids)
	wg.Wait()
	if err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	var org *Organization
	if notify {
		if org, err = s.Store.GetOrganization(ctx, j.OrgID); err != nil {
			return err
		}
	}
	var todo []ImportRow
	for _, r := range c.Rows {
		o, ok := outcomes[r.UserRef]
		switch {
		case ok && o.Result == ResultClaimed:
			outcomes[r.UserRef], err = s.Store.RecordJobOutcome(ctx, j.OrgID, j.ID, Outcome{UserID: r.UserRef, Result: ResultFailed, Reason: "interrupted: check the user and try again"})
			if err != nil {
				return err
			}
		case ok:
		case read[r.UserRef] != nil && read[r.UserRef].ChangedByJob(j.ID):
			outcomes[r.UserRef] = Outcome{UserID: r.UserRef, Result: ResultDone}
		default:
			todo = append(todo, r)
		}
	}
	results := make([]Outcome, len(todo))
	var stopped atomic.Bool
	InParallel(len(todo), func(i int) {
		if i > 0 && i%jobCancelCheckEvery == 0 && !stopped.Load() {
			if now, err := s.Store.GetJob(ctx, j.OrgID, j.ID); err == nil && now.Status != JobRunning {
				stopped.Store(true)
			}
		}
		if !stopped.Load() {
			results[i] = s.applyImportRow(ctx, j, p, org, todo[i], read[todo[i].UserRef])
		}
	})
	for i, r := range todo {
		if results[i].Result != "" {
			outcomes[r.UserRef] = results[i]
		}
	}
	var doneIDs []string
	var skipped, failed int
	for _, r := range c.Rows {
		o, ok := outcomes[r.UserRef]
		switch {
		case !ok: // not started: the job was cancelled
		case o.Result == ResultDone:
			doneIDs = append(doneIDs, r.UserRef)
		case o.Result == ResultSkipped:
			skipped++
		default:
			failed++
		}
	}
	if err := ctx.Err(); err != nil {
		return Internal(err, "job %s chunk %d interrupted", j.ID, c.Seq)
	}
	return s.Store.FinishJobChunk(ctx, j.OrgID, j.ID, c.Seq, doneIDs, skipped, failed)
}

// applyImportRow carries out one row and returns the outcome that stands.
// A row that updates a user notes the job on the user in the same write; a
// new user is created under the id the chunk gave it, noting the job when
// that is the row's only write, so a second run finds it rather than
// adding it twice; a row that sends the invitation claims its outcome
// first, so no email goes twice. read is the user as read by the chunk
// (nil for a new one).
func (s *Service) applyImportRow(ctx context.Context, j *Job, p *Principal, org *Organization, r ImportRow, read *User) Outcome {
	if r.Sync != "" {
		sync := *j
		sync.Action, sync.Params = r.Sync, ActionParams{}
		return s.applyJobUser(ctx, &sync, p, nil, r.UserRef, read)
	}
	if r.Notify {
		claimed, prior, err := s.Store.ClaimJobUser(ctx, j.OrgID, j.ID, r.UserRef)
		if err != nil {
			return s.outcome(ctx, p, ActionImport, r.UserRef, err)
		}
		if !claimed {
			return prior
		}
		o, _ := s.writeImportRow(ctx, j, p, r, false, s.updateUser)
		if o.Result == ResultDone {
			if n, _ := s.notifyUser(ctx, p, org, r.UserRef); n.Result != ResultDone {
				o.Reason = "saved, but not notified: " + n.Reason
			}
		}
		return s.recordJobOutcome(ctx, j, p, o)
	}
	var noted bool
	write := func(ctx context.Context, orgID, id string, change func(*User) error) (*User, error) {
		if r.New {
			read = nil // created a moment ago: the chunk's read predates it
		}
		u, err := s.Store.UpdateUserForJob(ctx, orgID, j.ID, id, read, change)
		if err == ErrOutcomeRecorded {
			noted = true // changed by an earlier run of this row
			return u, nil
		}
		noted = err == nil
		return u, err
	}
	o, created := s.writeImportRow(ctx, j, p, r, true, write)
	if o.Result == ResultDone && (noted || created) {
		return o // recorded with the user's last write
	}
	return s.recordJobOutcome(ctx, j, p, o)
}

// writeImportRow writes the row's changes: a new user is created, then,
// when the row assigns courses, updated with write (the enrollments and
// seats go with a user's update); a user on the roster is updated with
// write. The checks of the plan are made again on the user as it is now.
// With note, a new user without courses is created noting the job, and
// noted reports that the user holds it.
func (s *Service) writeImportRow(ctx context.Context, j *Job, p *Principal, r ImportRow, note bool, write userWriter) (o Outcome, noted bool) {
	now := s.Now().UTC()
	change := s.revoking(func(u *User) error {
		if reason := CanManage(p, u); reason != "" {
			return &Skip{Reason: reason}
		}
		if u.Archived() {
			return &Skip{Reason: reasonArchived}
		}
		before := CloneUser(u)
		if err := r.Apply(u, now); err != nil {
			return err
		}
		if u.ID == p.UserID && (u.Role != before.Role || (u.State == StateDeactivated && before.State != StateDeactivated) || !SameTime(u.ExpiresAt, before.ExpiresAt)) {
			return &Skip{Reason: "you cannot change your own role, access or expiration date"}
		}
		if !userChanged(before, u) {
			return &Skip{Reason: "already as the file says"}
		}
		s.stamp(u, p)
		return nil
	})
	if r.New {
		u := &User{ID: r.UserRef, OrgID: j.OrgID, Role: RoleLearner, State: StatePending, CreatedAt: now, UpdatedAt: now, Version: 1,
			ChangedBy: p.UserID, RequestID: p.RequestID}
		courses := r
		courses.Courses = nil
		if err := courses.Apply(u, now); err != nil {
			return s.importOutcome(ctx, p, r.UserRef, err), false
		}
		only := len(r.Courses) == 0 // the creation is the row's one write
		if note && only {
			u.NoteJob(j.ID)
		}
		noted = note && only
		if err := s.Store.CreateUser(ctx, u); err != nil {
			// A run before this one may have created the user under its id.
			got, gerr := s.Store.GetUser(ctx, j.OrgID, r.UserRef)
			if gerr != nil {
				return s.importOutcome(ctx, p, r.UserRef, err), false
			}
			noted = got.ChangedByJob(j.ID)
		}
		if only {
			return Outcome{UserID: r.UserRef, Result: ResultDone}, noted
		}
	}
	_, err := write(ctx, j.OrgID, r.UserRef, change)
	if r.New && IsSkip(err) {
		err = nil // created, and the courses were there already
	}
	return s.importOutcome(ctx, p, r.UserRef, err), false
}

// importOutcome is outcome, but a refusal a person can act on (an email
// taken since the preview, a reference deleted) keeps its message.
func (s *Service) importOutcome(ctx context.Context, p *Principal, id string, err error) Outcome {
	var e *Error
	var short *SeatShortage
	if !errors.As(err, &short) && errors.As(err, &e) && (e.Code == CodeConflict || e.Code == CodeInvalid) {
		reason := e.Message
		if e.Field != "" {
			reason = e.Field + ": " + reason
		}
		return Outcome{UserID: id, Result: ResultFailed, Reason: reason}
	}
	return s.outcome(ctx, p, ActionImport, id, err)
}

// IsSkip reports whether err is a *Skip.
func IsSkip(err error) bool {
	_, ok := err.(*Skip)
	return ok
}
