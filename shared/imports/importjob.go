package imports

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	roster "github.com/rosterhq/roster/shared"
)

// An import runs as a background job like any large action (shared/jobs.go):
// its snapshot plans the file again against the roster, checks that it
// still does what the administrator applied, and writes the rows to do
// into chunks, each new user with its id already given; each chunk then
// applies its rows, each row's outcome keyed by its user, so a chunk run
// again changes nobody twice.

// SnapshotImport writes an import job's chunks from where an earlier run
// stopped, then ends the snapshot: running, or failed when the file no
// longer does what was applied (or is not the file validated). A failed
// job's chunks are written all the same and never released, so that its
// result file lists every row the file now holds as not applied.
func (s *Service) SnapshotImport(ctx context.Context, j *roster.Job) error {
	imp, err := s.Store.GetImport(ctx, j.OrgID, j.ImportID)
	if err != nil {
		return err
	}
	end := func(status roster.JobStatus, message string) error {
		err := s.Store.EndJobSnapshot(ctx, j.OrgID, j.ID, status, message, s.Now().UTC())
		if roster.IsCode(err, roster.CodeConflict) {
			return nil // ended by another worker, or cancelled
		}
		return err
	}
	plan, _, err := s.planImport(ctx, j.Principal(), imp, j.ImportOptions, true)
	var refused *roster.Error
	if errors.As(err, &refused) && refused.Field == "file" && (refused.Code == roster.CodeInvalid || refused.Code == roster.CodeConflict) {
		if refused.Code == roster.CodeConflict {
			return end(roster.JobFailed, refused.Message+"; nothing was changed")
		}
		return end(roster.JobFailed, refused.Message+": nothing was changed")
	}
	if err != nil {
		return err
	}
	ops := importOps(plan, j.ImportOptions)
	// Its starter may have lost the right since they applied it
	// (shared/jobstarter.go): then it fails, whatever else the plan says.
	_, refusal, err := s.JobStarter(ctx, j, ops)
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
		if err := s.CheckMail("import and notify"); err != nil {
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
		if roster.IsCode(err, roster.CodeConflict) {
			return nil // ended by another worker, or cancelled
		}
		if err != nil {
			return err
		}
	}
	size := s.ChunkSize()
	for j.Status == roster.JobSnapshotting && j.Chunks*size < len(ops) {
		rows := ops[j.Chunks*size : min(len(ops), (j.Chunks+1)*size)]
		for i := range rows {
			if rows[i].New {
				rows[i].UserRef = s.NewID()
			}
		}
		if err := s.Store.AddImportChunk(ctx, j, rows); err != nil {
			if !roster.IsCode(err, roster.CodeConflict) {
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
	if j.Status != roster.JobSnapshotting {
		return nil
	}
	if failure != "" {
		return end(roster.JobFailed, failure)
	}
	return end(roster.JobRunning, "")
}

// importOps lists what an import job does: the good rows, by line, then a
// row per user sync reaches.
func importOps(plan *Plan, o roster.ImportOptions) []roster.ImportRow {
	ops := append([]roster.ImportRow(nil), plan.Rows...)
	for _, id := range plan.SyncUserIDs {
		ops = append(ops, roster.ImportRow{UserRef: id, Sync: importSyncAction(o.Sync)})
	}
	return ops
}

// RunImportChunk applies the rows of one chunk of an import job that are
// not done yet, then adds the chunk's tallies to the job and its done users
// to the chunk. A row is done once its user notes the job (RecentJobs,
// written with the row's last change) or once it has an outcome item
// (skipped, failed, or a Notify row's, claimed before the email).
func (s *Service) RunImportChunk(ctx context.Context, j *roster.Job, c *roster.JobChunk) error {
	// The job acts as its starter is now (shared/jobstarter.go). One who may no
	// longer apply these rows stops it: the result file lists the rows it
	// had not reached as not applied, with the reason.
	p, refusal, err := s.JobStarter(ctx, j, c.Rows)
	if err != nil {
		return err
	}
	if refusal != "" {
		return s.StopJob(ctx, j, refusal)
	}
	ids := make([]string, len(c.Rows))
	notify := false
	for i, r := range c.Rows {
		ids[i] = r.UserRef
		notify = notify || r.Notify
	}
	var (
		outcomes map[string]roster.Outcome
		read     map[string]*roster.User
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
	var org *roster.Organization
	if notify {
		if org, err = s.Store.GetOrganization(ctx, j.OrgID); err != nil {
			return err
		}
	}
	var todo []roster.ImportRow
	for _, r := range c.Rows {
		o, ok := outcomes[r.UserRef]
		switch {
		case ok && o.Result == roster.ResultClaimed:
			outcomes[r.UserRef], err = s.Store.RecordJobOutcome(ctx, j.OrgID, j.ID, roster.Outcome{UserID: r.UserRef, Result: roster.ResultFailed, Reason: "interrupted: check the user and try again"})
			if err != nil {
				return err
			}
		case ok:
		case read[r.UserRef] != nil && read[r.UserRef].ChangedByJob(j.ID):
			outcomes[r.UserRef] = roster.Outcome{UserID: r.UserRef, Result: roster.ResultDone}
		default:
			todo = append(todo, r)
		}
	}
	results := make([]roster.Outcome, len(todo))
	var stopped atomic.Bool
	roster.InParallel(len(todo), func(i int) {
		if i > 0 && i%roster.JobCancelCheckEvery == 0 && !stopped.Load() {
			if now, err := s.Store.GetJob(ctx, j.OrgID, j.ID); err == nil && now.Status != roster.JobRunning {
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
		case o.Result == roster.ResultDone:
			doneIDs = append(doneIDs, r.UserRef)
		case o.Result == roster.ResultSkipped:
			skipped++
		default:
			failed++
		}
	}
	if err := ctx.Err(); err != nil {
		return roster.Internal(err, "job %s chunk %d interrupted", j.ID, c.Seq)
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
func (s *Service) applyImportRow(ctx context.Context, j *roster.Job, p *roster.Principal, org *roster.Organization, r roster.ImportRow, read *roster.User) roster.Outcome {
	if r.Sync != "" {
		sync := *j
		sync.Action, sync.Params = r.Sync, roster.ActionParams{}
		return s.ApplyJobUser(ctx, &sync, p, nil, r.UserRef, read)
	}
	if r.Notify {
		claimed, prior, err := s.Store.ClaimJobUser(ctx, j.OrgID, j.ID, r.UserRef)
		if err != nil {
			return s.OutcomeOf(ctx, p, roster.ActionImport, r.UserRef, err)
		}
		if !claimed {
			return prior
		}
		o, _ := s.writeImportRow(ctx, j, p, r, false, s.WriteUser)
		if o.Result == roster.ResultDone {
			if n, _ := s.NotifyUser(ctx, p, org, r.UserRef); n.Result != roster.ResultDone {
				o.Reason = "saved, but not notified: " + n.Reason
			}
		}
		return s.RecordJobOutcome(ctx, j, p, o)
	}
	var noted bool
	write := func(ctx context.Context, orgID, id string, change func(*roster.User) error) (*roster.User, error) {
		if r.New {
			read = nil // created a moment ago: the chunk's read predates it
		}
		u, err := s.Store.UpdateUserForJob(ctx, orgID, j.ID, id, read, change)
		if err == roster.ErrOutcomeRecorded {
			noted = true // changed by an earlier run of this row
			return u, nil
		}
		noted = err == nil
		return u, err
	}
	o, created := s.writeImportRow(ctx, j, p, r, true, write)
	if o.Result == roster.ResultDone && (noted || created) {
		return o // recorded with the user's last write
	}
	return s.RecordJobOutcome(ctx, j, p, o)
}

// writeImportRow writes the row's changes: a new user is created, then,
// when the row assigns courses, updated with write (the enrollments and
// seats go with a user's update); a user on the roster is updated with
// write. The checks of the plan are made again on the user as it is now.
// With note, a new user without courses is created noting the job, and
// noted reports that the user holds it.
func (s *Service) writeImportRow(ctx context.Context, j *roster.Job, p *roster.Principal, r roster.ImportRow, note bool, write roster.UserWriter) (o roster.Outcome, noted bool) {
	now := s.Now().UTC()
	change := roster.Revoking(s.Now, func(u *roster.User) error {
		if reason := roster.CanManage(p, u); reason != "" {
			return &roster.Skip{Reason: reason}
		}
		if u.Archived() {
			return &roster.Skip{Reason: roster.ReasonArchived}
		}
		before := roster.CloneUser(u)
		if err := ApplyRow(&r, u, now); err != nil {
			return err
		}
		if u.ID == p.UserID && (u.Role != before.Role || (u.State == roster.StateDeactivated && before.State != roster.StateDeactivated) || !roster.SameTime(u.ExpiresAt, before.ExpiresAt)) {
			return &roster.Skip{Reason: "you cannot change your own role, access or expiration date"}
		}
		if !userChanged(before, u) {
			return &roster.Skip{Reason: "already as the file says"}
		}
		roster.Stamp(u, p, s.Now())
		return nil
	})
	if r.New {
		u := &roster.User{ID: r.UserRef, OrgID: j.OrgID, Role: roster.RoleLearner, State: roster.StatePending, CreatedAt: now, UpdatedAt: now, Version: 1,
			ChangedBy: p.UserID, RequestID: p.RequestID}
		courses := r
		courses.Courses = nil
		if err := ApplyRow(&courses, u, now); err != nil {
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
			return roster.Outcome{UserID: r.UserRef, Result: roster.ResultDone}, noted
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
func (s *Service) importOutcome(ctx context.Context, p *roster.Principal, id string, err error) roster.Outcome {
	var e *roster.Error
	var short *roster.SeatShortage
	if !errors.As(err, &short) && errors.As(err, &e) && (e.Code == roster.CodeConflict || e.Code == roster.CodeInvalid) {
		reason := e.Message
		if e.Field != "" {
			reason = e.Field + ": " + reason
		}
		return roster.Outcome{UserID: id, Result: roster.ResultFailed, Reason: reason}
	}
	return s.OutcomeOf(ctx, p, roster.ActionImport, id, err)
}

// IsSkip reports whether err is a *Skip.
func IsSkip(err error) bool {
	_, ok := err.(*roster.Skip)
	return ok
}
