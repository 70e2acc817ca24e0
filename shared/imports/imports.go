package imports

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// Limits of an upload, as README's Import section states them.
const (
	MaxUploadBytes   = 50 << 20
	MaxImportRows    = 100_000
	MaxPreviewErrors = 100 // errors an import keeps for its preview; the report file has more
	// MaxReportErrors is the most errors a validation keeps for the error
	// report: a file of 100,000 rows can hold 1.2 million errors, which
	// would take hundreds of MiB and minutes to keep and write. The rest
	// are counted, and the report says how many it leaves out.
	MaxReportErrors   = 10_000
	maxImportFileName = 200
)

// Status is where an upload is.
type Status string

// The statuses of an upload.
const (
	ImportUploading Status = "uploading" // the link is out; the file may not be there yet
	ImportValidated Status = "validated" // Counts, Columns and Errors preview it
	ImportInvalid   Status = "invalid"   // the file cannot be read: FileError says why
	ImportApplying  Status = "applying"  // JobID applies it; the job says how far
	ImportApplied   Status = "applied"   // JobID's job has ended and its result file is stored (Results)
)

// Import is one spreadsheet uploaded to add and update users.
type Import struct {
	ID          string
	OrgID       string
	FileName    string
	Size        int64
	Status      Status
	Options     roster.ImportOptions // of the latest validation
	Columns     []Column
	Counts      Counts
	Errors      []ImportError // the first MaxPreviewErrors, by line
	FileError   string
	FileETag    string // the ETag of the file the latest validation read
	JobID       string
	Results     *Results // once JobID's job has ended and its result file is stored
	CreatedBy   string
	CreatedAt   time.Time
	ValidatedAt *time.Time
	Version     int64 // moved by every write; each write is conditional on it
}

// Results sums up the result file of an import's job, written when
// the job ended.
type Results struct {
	JobStatus  roster.JobStatus // done, cancelled or failed
	Done       int
	Skipped    int
	Failed     int
	NotApplied int // rows the job never reached
	At         time.Time
}

// Changed reports whether the job changed users, or may have: a row done,
// or one that failed part-way (a new user created, its courses refused).
func (r *Results) Changed() bool { return r.Done+r.Failed > 0 }

// Validatable reports whether the import may be validated (again): before
// it is applied, and after a job that failed or was cancelled having
// changed nobody, once its result file is stored. An import whose job
// changed users (one cancelled, or stopped by its starter's loss of the
// right, part-way) stays as it is.
func (imp *Import) Validatable() bool {
	if imp.JobID == "" {
		return true
	}
	r := imp.Results
	return r != nil && (r.JobStatus == roster.JobFailed || r.JobStatus == roster.JobCancelled) && !r.Changed()
}

// Upload is a new import and the link its file goes up through.
type Upload struct {
	Import *Import
	Upload roster.FileLink
}

// ImportStore keeps imports.
type ImportStore interface {
	// CreateImport stores a new import (Version 1).
	CreateImport(ctx context.Context, imp *Import) error
	// GetImport returns the import or a not-found error.
	GetImport(ctx context.Context, orgID, id string) (*Import, error)
	// SaveImport writes imp if its stored version is imp.Version, and moves
	// the version on; a stale one is a conflict on "version".
	SaveImport(ctx context.Context, imp *Import) error
	// StartImportJob stores the job and sets the import applying with it,
	// in one transaction, on condition that the import is at imp.Version
	// and has no job: a second apply is a conflict.
	StartImportJob(ctx context.Context, imp *Import, j *roster.Job) error
	// SetImportResults records the summary of the import's result file, and
	// moves the version on, on condition that jobID is still the import's
	// job: otherwise it is a conflict.
	SetImportResults(ctx context.Context, orgID, id, jobID string, r Results) error
	// ReadRoster returns the organization's users, groups, locations and courses.
	ReadRoster(ctx context.Context, orgID string) (*RosterSnapshot, error)
	// AddImportChunk writes the import job's chunk number j.Chunks with rows,
	// as AddJobChunk writes a chunk of ids.
	AddImportChunk(ctx context.Context, j *roster.Job, rows []roster.ImportRow) error
	// EachJobChunk calls fn with every chunk of the job, in order, reading
	// them a page at a time; an error from fn stops it and is returned.
	EachJobChunk(ctx context.Context, orgID, jobID string, fn func(*roster.JobChunk) error) error
}

// uploadKey is where an import's file goes up; errorsKey where its error
// report is written, resultsKey the result file of one of its jobs (a
// stale writer of an earlier job never overwrites a later job's file).
func uploadKey(orgID, id string) (string, error) {
	return roster.FileKey(orgID, "imports", id, "upload")
}
func errorsKey(orgID, id string) (string, error) {
	return roster.FileKey(orgID, "imports", id, "errors.csv")
}
func resultsKey(orgID, id, jobID string) (string, error) {
	return roster.FileKey(orgID, "imports", id, jobID, "results.csv")
}

// errFileChanged refuses to apply a file that is not the one validated
// (its presigned link was used again).
func errFileChanged() error {
	return roster.Conflict("file", "the file changed since it was validated: validate it again")
}

// validImportID reports whether id can be an import's id (as job ids).
func validImportID(id string) bool { return roster.ValidJobID(id) }

// StartImport records an upload of fileName (size bytes) and returns the
// link the browser puts the file through, straight to storage.
func (s *Service) StartImport(ctx context.Context, p *roster.Principal, fileName string, size int64) (*Upload, error) {
	if s.Files == nil {
		return nil, roster.Internal(nil, "no file store configured")
	}
	fileName = strings.TrimSpace(path.Base(strings.ReplaceAll(fileName, "\\", "/")))
	ext := strings.ToLower(path.Ext(fileName))
	switch {
	case fileName == "" || fileName == "." || fileName == "/":
		return nil, roster.Invalid("fileName", "is required")
	case len(fileName) > maxImportFileName:
		return nil, roster.Invalid("fileName", "must be at most %d characters", maxImportFileName)
	case ext != ".csv" && ext != ".xlsx" && ext != ".txt":
		return nil, roster.Invalid("fileName", "must end in .csv, .txt or .xlsx")
	case size == 0:
		return nil, roster.Invalid("size", "the file is empty: it has no header line")
	case size < 0:
		return nil, roster.Invalid("size", "must be the file's size in bytes")
	case size > MaxUploadBytes:
		return nil, roster.Invalid("size", "the file is larger than %d MB: split it into several files", MaxUploadBytes>>20)
	}
	contentType := "text/csv"
	if ext == ".xlsx" {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	now := s.Now().UTC()
	imp := &Import{ID: roster.NewJobID(now, s.NewID()), OrgID: p.OrgID, FileName: fileName, Size: size, Status: ImportUploading,
		CreatedBy: p.UserID, CreatedAt: now, Version: 1}
	key, err := uploadKey(p.OrgID, imp.ID)
	if err != nil {
		return nil, roster.Internal(err, "import file key")
	}
	link, err := s.Files.PresignPut(ctx, p.OrgID, key, contentType, size, MaxUploadBytes)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateImport(ctx, imp); err != nil {
		return nil, err
	}
	return &Upload{Import: imp, Upload: link}, nil
}

// GetImport returns an import of the caller's organization; one older
// than its files (FilesKept) is Gone: upload the file again.
func (s *Service) GetImport(ctx context.Context, p *roster.Principal, id string) (*Import, error) {
	if !validImportID(id) {
		return nil, roster.NotFound("no such import")
	}
	imp, err := s.Store.GetImport(ctx, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	if s.Now().After(imp.CreatedAt.Add(roster.FilesKept)) {
		return nil, roster.FilesGone("upload")
	}
	return imp, nil
}

// ValidateImport reads the uploaded file whole and checks every row
// against the roster as it is now, for options o, writing nothing but the
// preview on the import (with the ETag of the file read) and the error
// report file. A file that cannot be read marks the import invalid and is
// returned as an invalid error on "file". An import whose job failed
// (with or without its result file), or was cancelled having changed nobody,
// may be validated again (and then applied again); it leaves its job
// behind. Any other applied import is a conflict.
func (s *Service) ValidateImport(ctx context.Context, p *roster.Principal, id string, o roster.ImportOptions) (*Import, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	imp, err := s.GetImport(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !imp.Validatable() {
		failed, err := s.importJobFailed(ctx, imp)
		if err != nil {
			return nil, err
		}
		if !failed {
			return nil, notValidatable(imp)
		}
	}
	imp.JobID, imp.Results = "", nil
	plan, etag, err := s.planImport(ctx, p, imp, o, false)
	var fileErr *roster.Error
	if errors.As(err, &fileErr) && fileErr.Field == "file" {
		imp.Status, imp.FileError, imp.Columns, imp.Counts, imp.Errors = ImportInvalid, fileErr.Message, nil, Counts{}, nil
		if err := s.Store.SaveImport(ctx, imp); err != nil {
			return nil, err
		}
		return nil, fileErr
	}
	if err != nil {
		return nil, err
	}
	imp.FileETag = etag
	if len(plan.Errors) > 0 {
		key, err := errorsKey(p.OrgID, id)
		if err != nil {
			return nil, roster.Internal(err, "import file key")
		}
		if _, err := s.Files.Create(ctx, p.OrgID, key, "text/csv", func(w io.Writer) error { return WriteErrors(w, plan.Errors, plan.ErrorsLeftOut) }); err != nil {
			return nil, err
		}
	}
	s.preview(imp, plan, o)
	if err := s.Store.SaveImport(ctx, imp); err != nil {
		return nil, err
	}
	return imp, nil
}

// notValidatable says why an applied import cannot be validated again.
// importJobFailed reports whether the import's job failed while its result
// file is not stored: a failed job changed nobody, so the upload may be
// validated again without waiting for a file that is late, or that never
// comes while storage keeps failing.
func (s *Service) importJobFailed(ctx context.Context, imp *Import) (bool, error) {
	if imp.JobID == "" || imp.Results != nil {
		return false, nil
	}
	j, err := s.Store.GetJob(ctx, imp.OrgID, imp.JobID)
	if roster.IsCode(err, roster.CodeNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_, stopped := roster.StoppedRefusal(j) // may have changed users: wait for its result file
	return j.Status == roster.JobFailed && !stopped, nil
}

func notValidatable(imp *Import) error {
	r := imp.Results
	switch {
	case r == nil:
		return roster.Conflict("", "this upload is being applied: validate it again only if its job fails or is cancelled, once its result file is ready")
	case r.JobStatus == roster.JobDone:
		return roster.Conflict("", "this upload is applied already: upload the file again to import it again")
	}
	ended := "was cancelled"
	if r.JobStatus == roster.JobFailed {
		ended = "stopped"
	}
	return roster.Conflict("", "this upload's job %s after changing users (%s done, %s failed): it stays as it is; upload the file again to import the rest",
		ended, roster.Plural(r.Done, "row"), strconv.Itoa(r.Failed))
}

// preview puts the plan's figures on the import.
func (s *Service) preview(imp *Import, plan *Plan, o roster.ImportOptions) {
	now := s.Now().UTC()
	imp.Status, imp.FileError, imp.Options, imp.ValidatedAt = ImportValidated, "", o, &now
	imp.Columns, imp.Counts = plan.Columns, plan.Counts
	imp.Errors = plan.Errors[:min(len(plan.Errors), MaxPreviewErrors)]
}

// planImport reads the import's file and plans it against the roster now,
// returning the ETag of the file it read. With sameFile, a file whose ETag
// is not the one the import's validation recorded is refused
// (errFileChanged) before it is read.
func (s *Service) planImport(ctx context.Context, p *roster.Principal, imp *Import, o roster.ImportOptions, sameFile bool) (*Plan, string, error) {
	if s.Files == nil || s.OpenSheet == nil {
		return nil, "", roster.Internal(nil, "no file store configured")
	}
	key, err := uploadKey(p.OrgID, imp.ID)
	if err != nil {
		return nil, "", roster.Internal(err, "import file key")
	}
	f, info, err := s.Files.Open(ctx, p.OrgID, key)
	if roster.IsCode(err, roster.CodeNotFound) {
		return nil, "", roster.Invalid("file", "the file has not arrived: upload it again")
	}
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	if sameFile && (imp.FileETag == "" || info.ETag != imp.FileETag) {
		return nil, "", errFileChanged()
	}
	// The link takes exactly the size announced; a stored file of another
	// size did not come through it.
	switch {
	case info.Size > MaxUploadBytes:
		return nil, "", roster.Invalid("file", "the file is larger than %d MB: split it into several files", MaxUploadBytes>>20)
	case info.Size != imp.Size:
		return nil, "", roster.Invalid("file", "the file holds %d bytes, not the %d announced: upload it again", info.Size, imp.Size)
	}
	rows, err := s.OpenSheet(f, imp.FileName)
	if err != nil {
		return nil, "", err
	}
	snap, err := s.Store.ReadRoster(ctx, p.OrgID)
	if err != nil {
		return nil, "", err
	}
	plan, err := PlanImport(rows, snap, o, p, s.Now().UTC())
	return plan, info.ETag, err
}

// ImportErrorsLink returns a link to download the import's error report.
func (s *Service) ImportErrorsLink(ctx context.Context, p *roster.Principal, id string) (roster.FileLink, error) {
	imp, err := s.GetImport(ctx, p, id)
	if err != nil {
		return roster.FileLink{}, err
	}
	if imp.Status != ImportValidated || imp.Counts.Errors == 0 {
		return roster.FileLink{}, roster.NotFound("this upload has no error report")
	}
	key, err := errorsKey(p.OrgID, id)
	if err != nil {
		return roster.FileLink{}, roster.Internal(err, "import file key")
	}
	base := strings.TrimSuffix(imp.FileName, path.Ext(imp.FileName))
	return s.Files.PresignGet(ctx, p.OrgID, key, base+" errors.csv")
}

// ApplyImport starts the job that applies the upload when its latest
// validation is the one the administrator saw: the same options and counts
// (expected), else a conflict naming the counts of that validation; and
// when the file is still the one validated (its ETag), else a conflict on
// "file". It does not read the file: the job's snapshot plans it again
// against the roster as it is then and fails, changing nobody, with the
// new counts when they differ. Rows with errors are refused unless o skips
// them.
func (s *Service) ApplyImport(ctx context.Context, p *roster.Principal, id string, o roster.ImportOptions, expected Counts) (*Import, *roster.Job, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	imp, err := s.GetImport(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	if imp.JobID != "" && imp.Validatable() {
		return nil, nil, roster.Conflict("", "this upload's job ended without applying it: validate it again, review the preview, then apply")
	}
	if imp.JobID != "" {
		return nil, nil, roster.Conflict("", "this upload is applied already")
	}
	if imp.Status != ImportValidated {
		return nil, nil, roster.Invalid("file", "the file is not validated: validate it, review the preview, then apply")
	}
	if imp.Options.Mode != o.Mode || imp.Options.Sync != o.Sync {
		return nil, nil, roster.Conflict("expectedCounts", "the file was last validated with other choices: validate it again with these, review it and apply")
	}
	if imp.Counts != expected {
		return nil, nil, roster.Conflict("expectedCounts", "the file was validated again since your preview: it now %s; review it and apply again", describeCounts(imp.Counts))
	}
	if err := ApplyRefusal(imp.Counts, o); err != nil {
		return nil, nil, err
	}
	ops := importOpsCount(imp.Counts)
	if err := s.checkSameFile(ctx, imp); err != nil {
		return nil, nil, err
	}
	now := s.Now().UTC()
	j := &roster.Job{
		ID: roster.NewJobID(now, s.NewID()), OrgID: p.OrgID, Action: roster.ActionImport, ImportID: id, ImportOptions: o, ExpectedCount: ops,
		ActorID: p.UserID, ActorRole: p.Role, RequestID: p.RequestID, Status: roster.JobSnapshotting, CreatedAt: now,
	}
	if err := s.Store.StartImportJob(ctx, imp, j); err != nil {
		return nil, nil, err
	}
	imp.JobID, imp.Status = j.ID, ImportApplying
	imp.Version++
	return imp, j, nil
}

// checkSameFile refuses (errFileChanged) an upload whose stored file is not
// the one its latest validation read.
func (s *Service) checkSameFile(ctx context.Context, imp *Import) error {
	if s.Files == nil {
		return roster.Internal(nil, "no file store configured")
	}
	key, err := uploadKey(imp.OrgID, imp.ID)
	if err != nil {
		return roster.Internal(err, "import file key")
	}
	info, err := s.Files.Stat(ctx, imp.OrgID, key)
	if roster.IsCode(err, roster.CodeNotFound) {
		return errFileChanged()
	}
	if err != nil {
		return err
	}
	if imp.FileETag == "" || info.ETag != imp.FileETag {
		return errFileChanged()
	}
	return nil
}

// importOpsCount is how many rows an import job with these counts does:
// users added and updated, and users sync reaches.
func importOpsCount(c Counts) int { return c.Create + c.Update + c.Deactivate + c.Archive }

func planSendsEmail(plan *Plan) bool {
	for _, r := range plan.Rows {
		if r.Notify {
			return true
		}
	}
	return false
}

// describeCounts says what a plan does, in words.
func describeCounts(c Counts) string {
	parts := []string{
		"adds " + roster.Plural(c.Create, "user"),
		"updates " + strconv.Itoa(c.Update),
		"leaves " + strconv.Itoa(c.Unchanged) + " unchanged",
	}
	if c.Deactivate > 0 {
		parts = append(parts, "deactivates "+strconv.Itoa(c.Deactivate))
	}
	if c.Archive > 0 {
		parts = append(parts, "archives "+strconv.Itoa(c.Archive))
	}
	if c.Errors > 0 {
		parts = append(parts, "has "+roster.Plural(c.Errors, "row")+" with errors")
	}
	return strings.Join(parts, ", ")
}

// csvSafe keeps a cell a spreadsheet would run as a formula as text.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteErrors writes the error report: one line per error, with the
// line and column a spreadsheet shows, and a last line saying how many
// errors it leaves out, when leftOut is not 0.
func WriteErrors(w io.Writer, errs []ImportError, leftOut int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"Line", "Column", "Field", "Error"}); err != nil {
		return err
	}
	for _, e := range errs {
		field := ""
		if e.Field != "" {
			field = headerOf(e.Field)
		}
		if err := cw.Write([]string{strconv.Itoa(e.Line), e.Column, field, csvSafe(e.Message)}); err != nil {
			return err
		}
	}
	if leftOut > 0 {
		noun := " more errors"
		if leftOut == 1 {
			noun = " more error"
		}
		msg := "and " + roster.Thousands(leftOut) + noun + ", not listed: the report keeps the first " + roster.Thousands(MaxReportErrors) + "; fix these and validate again to see the rest"
		if err := cw.Write([]string{"", "", "", msg}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// importSyncAction is the action a sync row takes.
func importSyncAction(m roster.SyncMode) roster.Action {
	if m == roster.SyncArchive {
		return roster.ActionArchive
	}
	return roster.ActionDeactivate
}

func rowsWithErrors(n int) string {
	if n == 1 {
		return "1 row has errors"
	}
	return fmt.Sprintf("%d rows have errors", n)
}
