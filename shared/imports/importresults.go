package imports

import (
	"context"
	"encoding/csv"
	"io"
	"maps"
	"path"
	"strconv"
	"strings"

	roster "github.com/rosterhq/roster/shared"
)

// An import's result file says what its job did with each row of the file
// (and with each user sync reached). The job worker writes it to the files
// bucket when the job ends, however it ends (done, cancelled, failed), and
// only then records its summary on the import, which makes it ready; the
// administrator downloads it through a short-lived link. It is written as
// the job's chunks are read, one chunk's outcomes and users at a time, so
// memory stays that of one chunk whatever the size of the file.

// ResultColumns are the columns of an import's result file.
var ResultColumns = []string{"Line", "First name", "Last name", "Email", "User ID", "Result", "Reason"}

// resultNotApplied is the result, in the file, of a row the job never reached.
const resultNotApplied = "not applied"

// WriteImportResults writes the result file of an import job that has
// ended, then records the file's summary on the import. It is the job
// worker's step for an ended import job; run again (a redelivered record,
// or a chunk that was under way when the job was cancelled ending after
// it) it writes the file again from what is recorded then. A job that has
// not ended, is not an import's, or whose import was validated again since,
// is left alone.
func (s *Service) WriteImportResults(ctx context.Context, orgID, jobID string) error {
	j, err := s.Store.GetJob(ctx, orgID, jobID)
	if err != nil {
		return err
	}
	if j.Action != roster.ActionImport || !j.Status.Finished() {
		return nil
	}
	imp, err := s.Store.GetImport(ctx, orgID, j.ImportID)
	if err != nil {
		return err
	}
	if imp.JobID != j.ID {
		return nil // validated again since: nobody asks for this job's results
	}
	if s.Files == nil {
		return roster.Internal(nil, "no file store configured")
	}
	key, err := resultsKey(orgID, imp.ID, j.ID)
	if err != nil {
		return roster.Internal(err, "import file key")
	}
	var sum Results
	if _, err := s.Files.Create(ctx, orgID, key, "text/csv", func(w io.Writer) error {
		sum = Results{JobStatus: j.Status}
		return s.writeImportResults(ctx, j, w, &sum)
	}); err != nil {
		s.Log.ErrorContext(ctx, "import results not written", "org", orgID, "job", j.ID, "err", err)
		return err
	}
	sum.At = s.Now().UTC()
	err = s.Store.SetImportResults(ctx, orgID, imp.ID, j.ID, sum)
	if roster.IsCode(err, roster.CodeConflict) {
		return nil // validated again meanwhile
	}
	return err
}

// writeImportResults writes the header, then each chunk's rows in the
// order of the file, then sync's users, counting the results in sum. Rows
// the job never wrote into chunks (a failed job that could not read the
// file, a job cancelled before its snapshot ended) get one line that says so.
func (s *Service) writeImportResults(ctx context.Context, j *roster.Job, w io.Writer, sum *Results) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ResultColumns); err != nil {
		return err
	}
	notApplied := notAppliedReason(j)
	rows := 0
	err := s.Store.EachJobChunk(ctx, j.OrgID, j.ID, func(c *roster.JobChunk) error {
		outcomes, users, err := s.importChunkResults(ctx, j, c)
		if err != nil {
			return err
		}
		for _, r := range c.Rows {
			rows++
			result, reason := resultNotApplied, notApplied
			if o, ok := outcomes[r.UserRef]; ok {
				result, reason = string(o.Result), o.Reason
			}
			switch roster.Result(result) {
			case roster.ResultDone:
				sum.Done++
			case roster.ResultSkipped:
				sum.Skipped++
			case roster.ResultClaimed: // its email was under way when the job stopped
				result, reason = string(roster.ResultFailed), "interrupted: check the user and try again"
				sum.Failed++
			case roster.ResultFailed:
				sum.Failed++
			default:
				sum.NotApplied++
			}
			line := strconv.Itoa(r.Line)
			if r.Line == 0 {
				line = "not in the file"
			}
			first, last, email, login := resultNames(users[r.UserRef], &r)
			if err := cw.Write([]string{line, csvSafe(first), csvSafe(last), csvSafe(email), csvSafe(login), result, csvSafe(reason)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	unread := ""
	switch {
	case j.Status == roster.JobFailed && rows == 0:
		unread = "the whole file"
	case j.Status == roster.JobCancelled && rows < j.ExpectedCount:
		unread = "the rest of the file"
	}
	if unread != "" {
		sum.NotApplied += max(j.ExpectedCount-rows, 0)
		if err := cw.Write([]string{unread, "", "", "", "", resultNotApplied, csvSafe(notApplied)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// notAppliedReason says why an ended job did not reach a row.
func notAppliedReason(j *roster.Job) string {
	switch {
	case j.Status == roster.JobFailed && j.Message != "":
		return j.Message
	case j.Status == roster.JobCancelled:
		return "the import was cancelled before this row"
	}
	return "the job stopped before this row"
}

// importChunkResults returns the outcomes of a chunk's rows, by user id,
// and the users the rows name (a new user the job never created is not
// there). A chunk never released applied nothing; a done chunk lists its
// done users, and its others have outcome items; in a chunk not done (a
// cancelled job's), a user noting the job is done.
func (s *Service) importChunkResults(ctx context.Context, j *roster.Job, c *roster.JobChunk) (map[string]roster.Outcome, map[string]*roster.User, error) {
	ids := make([]string, len(c.Rows))
	for i, r := range c.Rows {
		ids[i] = r.UserRef
	}
	users, err := s.Store.GetUsers(ctx, j.OrgID, ids)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]roster.Outcome{}
	if !c.Ready {
		return out, users, nil
	}
	others := ids
	if c.Done {
		for _, id := range c.DoneIDs {
			out[id] = roster.Outcome{UserID: id, Result: roster.ResultDone}
		}
		others = nil
		for _, id := range ids {
			if _, done := out[id]; !done {
				others = append(others, id)
			}
		}
	}
	if len(others) > 0 {
		recorded, err := s.Store.GetJobOutcomes(ctx, j.OrgID, j.ID, others)
		if err != nil {
			return nil, nil, err
		}
		maps.Copy(out, recorded)
	}
	if !c.Done {
		for id, u := range users {
			if u.ChangedByJob(j.ID) {
				out[id] = roster.Outcome{UserID: id, Result: roster.ResultDone}
			}
		}
	}
	return out, users, nil
}

// resultNames names a row's user as they are now, or, for a new user the
// job never created, as the row does.
func resultNames(u *roster.User, r *roster.ImportRow) (first, last, email, login string) {
	if u != nil {
		return u.FirstName, u.LastName, u.Email, u.UserID
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return deref(r.FirstName), deref(r.LastName), deref(r.Email), deref(r.LoginID)
}

// ImportResultsLink returns a link to download the result file of an
// applied import: not found when it was never applied (or was validated
// again since), a conflict until its job has ended and the file is stored.
func (s *Service) ImportResultsLink(ctx context.Context, p *roster.Principal, id string) (roster.FileLink, error) {
	imp, err := s.GetImport(ctx, p, id)
	if err != nil {
		return roster.FileLink{}, err
	}
	if imp.JobID == "" {
		return roster.FileLink{}, roster.NotFound("this upload was not applied")
	}
	if imp.Results == nil {
		return roster.FileLink{}, roster.Conflict("", "the import is still running: its result file is ready once it ends")
	}
	key, err := resultsKey(p.OrgID, id, imp.JobID)
	if err != nil {
		return roster.FileLink{}, roster.Internal(err, "import file key")
	}
	base := strings.TrimSuffix(imp.FileName, path.Ext(imp.FileName))
	return s.Files.PresignGet(ctx, p.OrgID, key, base+" results.csv")
}
