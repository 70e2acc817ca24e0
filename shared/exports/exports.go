// Package exports writes the roster, or the training records, to a
// spreadsheet in the background and hands it over through a short-lived
// download link.
package exports

import (
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"

	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/rosterhq/roster/shared/sheet"
)

// Exports write the roster (or the users an administrator picked) to a
// spreadsheet in the background and hand it over through a short-lived
// download link. Creating the export item is the request's whole work; the
// item's INSERT on the table's stream runs it (functions/export-worker). A
// run writes the file in one streaming upload that appears only when
// complete, so a worker that dies part-way leaves nothing behind, and the
// stream's retry of the record starts the export again from the first row.

// Kind is what an export lists.
type Kind string

// The kinds of exports.
const (
	ExportUsers           Kind = "users"
	ExportTrainingRecords Kind = "training-records"
)

// Format is the file format of an export.
type Format string

// The formats of exports.
const (
	ExportXLSX Format = "xlsx"
	ExportCSV  Format = "csv"
)

// ContentType is the media type of the format's files.
func (f Format) ContentType() string {
	if f == ExportCSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// Status is where an export is in its life.
type Status string

// The statuses of an export.
const (
	ExportQueued  Status = "queued"  // created; the worker has not started it
	ExportRunning Status = "running" // rows are being written
	ExportDone    Status = "done"    // the file is stored
	ExportFailed  Status = "failed"  // no file; Message says why
)

// ExportProgressRows is how many rows a running export writes between two
// updates of its row count.
const ExportProgressRows = 1000

// Export is a spreadsheet of users or of training records being written or
// ready to download.
type Export struct {
	ID         string
	OrgID      string
	Kind       Kind
	Format     Format
	Filter     *roster.UserFilter     // users: those the filter matches,
	UserIDs    []string               // or these, in this order
	Records    *training.RecordFilter // training records: those the filter matches
	ActorID    string
	RequestID  string
	Status     Status
	Rows       int // rows written so far, the header left out
	Message    string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// FileKey is where the export's file is stored.
func (e *Export) FileKey() (string, error) {
	return roster.FileKey(e.OrgID, "exports", e.ID+"."+string(e.Format))
}

// FileName is the name the export downloads as: roster-users-2026-11-22.xlsx,
// roster-training-records-2026-11-22.csv.
func (e *Export) FileName() string {
	return fmt.Sprintf("roster-%s-%s.%s", e.Kind, e.CreatedAt.UTC().Format("2006-01-02"), e.Format)
}

// ExportStore keeps exports.
// Store is what exports keep and read: the export items, and the roster,
// its names and the training records they write out.
type Store interface {
	// CreateExport stores a new export.
	CreateExport(ctx context.Context, e *Export) error
	// GetExport returns the export, read strongly consistently, or a
	// not-found error.
	GetExport(ctx context.Context, orgID, id string) (*Export, error)
	// StartExport turns a queued or running export running with no rows
	// and returns it; a finished one is a conflict.
	StartExport(ctx context.Context, orgID, id string) (*Export, error)
	// SetExportRows records the rows a running export has written.
	SetExportRows(ctx context.Context, orgID, id string, rows int) error
	// FinishExport turns a running export done or failed, with its rows
	// and why it failed.
	FinishExport(ctx context.Context, orgID, id string, status Status, rows int, message string, at time.Time) error

	GetUser(ctx context.Context, orgID, id string) (*roster.User, error)
	GetUsers(ctx context.Context, orgID string, ids []string) (map[string]*roster.User, error)
	ListUsers(ctx context.Context, orgID string, f roster.UserFilter, page roster.PageRequest) (*roster.UserPage, error)
	ListGroups(ctx context.Context, orgID string) ([]roster.Group, error)
	ListLocations(ctx context.Context, orgID string) ([]roster.Location, error)
	ListCourses(ctx context.Context, orgID string) ([]roster.Course, error)
	ListTrainingRecords(ctx context.Context, orgID string, f training.RecordFilter, page roster.PageRequest) (*training.RecordPage, error)
}

// RecordFilters checks a training records filter against the
// organization's courses, groups and locations; the training service is one.
type RecordFilters interface {
	CheckRecordFilter(ctx context.Context, orgID string, f training.RecordFilter, field string) error
}

// Service runs exports: it queues them for the worker, writes their files
// and hands them over through short-lived links.
type Service struct {
	Store   Store
	Records RecordFilters
	Files   roster.Files // nil where no function keeps files
	Now     roster.NowFunc
	NewID   func() string
	Log     *slog.Logger
}

// Request is what an administrator asks to export: the users a
// filter matches, or the users listed; or the training records a records
// filter matches.
type Request struct {
	Kind    Kind
	Format  Format
	Filter  *roster.UserFilter
	UserIDs []string
	Records *training.RecordFilter
}

// View is an export as the caller sees it: with a fresh download link
// once it is done.
type View struct {
	Export
	Download *roster.FileLink
}

// StartExport records an export of the caller's organization for the
// worker to run, and returns it queued.
func (s *Service) StartExport(ctx context.Context, p *roster.Principal, req Request) (*Export, error) {
	if s.Files == nil {
		return nil, roster.Internal(nil, "exports: no files bucket configured")
	}
	if req.Kind != ExportUsers && req.Kind != ExportTrainingRecords {
		return nil, roster.Invalid("kind", "must be users or training-records")
	}
	if req.Format != ExportXLSX && req.Format != ExportCSV {
		return nil, roster.Invalid("format", "must be xlsx or csv")
	}
	e := &Export{
		ID: s.NewID(), OrgID: p.OrgID, Kind: req.Kind, Format: req.Format,
		ActorID: p.UserID, RequestID: p.RequestID, Status: ExportQueued, CreatedAt: s.Now().UTC(),
	}
	switch {
	case req.Kind == ExportTrainingRecords:
		if req.Filter != nil || req.UserIDs != nil {
			return nil, roster.Invalid("records", "a training-records export takes a records filter, not filter or userIds")
		}
		f := training.RecordFilter{}
		if req.Records != nil {
			f = *req.Records
		}
		if err := s.Records.CheckRecordFilter(ctx, p.OrgID, f, "records."); err != nil {
			return nil, err
		}
		e.Records = &f
	case req.Records != nil:
		return nil, roster.Invalid("records", "only a training-records export takes a records filter")
	case req.Filter != nil && req.UserIDs != nil:
		return nil, roster.Invalid("userIds", "give either userIds or filter, not both")
	case req.Filter != nil:
		f, err := req.Filter.Normalize("filter.")
		if err != nil {
			return nil, err
		}
		e.Filter = &f
	case req.UserIDs != nil:
		ids := listedIDs(req.UserIDs)
		if len(ids) == 0 {
			return nil, roster.Invalid("userIds", "must list at least one user")
		}
		if len(ids) > roster.MaxSelection {
			return nil, roster.Invalid("userIds", "may list at most %d users; export a filter instead", roster.MaxSelection)
		}
		e.UserIDs = ids
	default:
		return nil, roster.Invalid("filter", "give a filter (an empty one exports everyone on the roster) or userIds")
	}
	if err := s.Store.CreateExport(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// GetExport returns an export of the caller's organization, with a new
// download link (DownloadLinkLifetime) each time once it is done.
func (s *Service) GetExport(ctx context.Context, p *roster.Principal, id string) (*View, error) {
	e, err := s.Store.GetExport(ctx, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	if s.Now().After(e.CreatedAt.Add(roster.FilesKept)) {
		return nil, roster.FilesGone("export")
	}
	v := &View{Export: *e}
	if e.Status == ExportDone {
		key, err := e.FileKey()
		if err != nil {
			return nil, roster.Internal(err, "export file key")
		}
		link, err := s.Files.PresignGet(ctx, p.OrgID, key, e.FileName())
		if err != nil {
			return nil, err
		}
		v.Download = &link
	}
	return v, nil
}

// RunExport writes the export's file. It is what the stream runs when an
// export is created, and may run again for the same export (a redelivered
// record, a worker that died): a running export starts over, a finished
// one is left alone. An export that cannot be written ends failed with a
// message, and RunExport returns nil: running it again would fail again.
// Only a failure to record the outcome is returned, so that the stream
// retries.
func (s *Service) RunExport(ctx context.Context, orgID, id string) error {
	e, err := s.Store.StartExport(ctx, orgID, id)
	if roster.IsCode(err, roster.CodeConflict) {
		return nil // finished already
	}
	if err != nil {
		return err
	}
	key, err := e.FileKey()
	if err != nil {
		return s.Store.FinishExport(ctx, orgID, id, ExportFailed, 0, "the export could not be named", s.Now().UTC())
	}
	// The export hands out what its starter may read: it is checked before
	// the first row, and again before the file is kept (jobstarter.go).
	refusal, err := s.exportRefusal(ctx, e)
	if err != nil {
		return err
	}
	if refusal != "" {
		return s.Store.FinishExport(ctx, orgID, id, ExportFailed, 0, refusal+": no file was made", s.Now().UTC())
	}
	rows := 0
	_, err = s.Files.Create(ctx, orgID, key, e.Format.ContentType(), func(w io.Writer) error {
		write, sheetName := s.writeUsers, "Users"
		if e.Kind == ExportTrainingRecords {
			write, sheetName = s.writeTrainingRecords, "Training records"
		}
		var sw sheet.Writer
		if e.Format == ExportCSV {
			sw = sheet.NewCSV(w)
		} else {
			sw = sheet.NewXLSX(w, sheetName)
		}
		if err := write(ctx, e, sw, &rows); err != nil {
			return err
		}
		if refusal, err = s.exportRefusal(ctx, e); err != nil || refusal != "" {
			return errors.Join(err, errStarterRefused) // the upload is aborted: no file
		}
		return sw.Close()
	})
	if refusal != "" {
		return s.Store.FinishExport(ctx, orgID, id, ExportFailed, rows, refusal+": no file was made", s.Now().UTC())
	}
	if err != nil {
		s.Log.ErrorContext(ctx, "export failed", "org", orgID, "export", id, "rows", rows, "err", err)
		return s.Store.FinishExport(ctx, orgID, id, ExportFailed, rows, "the export could not be written; try again", s.Now().UTC())
	}
	return s.Store.FinishExport(ctx, orgID, id, ExportDone, rows, "", s.Now().UTC())
}

// errStarterRefused aborts the upload of an export whose starter lost the right.
var errStarterRefused = errors.New("roster: the export's starter lost the right")

// exportRefusal reads the export's starter again and says why they may no
// longer have the export, or "" when they may: the rule of its route (an
// administrator with access).
func (s *Service) exportRefusal(ctx context.Context, e *Export) (string, error) {
	right := "export the roster"
	if e.Kind == ExportTrainingRecords {
		right = "export training records"
	}
	_, refusal, err := roster.ActAsStarter(ctx, s.Store, s.Now(), e.OrgID, e.ActorID, e.RequestID, roster.RoleAdmin, right)
	return refusal, err
}

// UserExportColumns are the columns of a users export, in order.
var UserExportColumns = []string{
	"Name", "Email", "User ID", "Role", "Status", "Approved", "Notified", "Location",
	"Groups", "Courses", "Expires", "Last access", "Created",
}

// exportNames holds the organization's names of things a user row refers
// to by id, read once per export.
type exportNames struct {
	groups, locations, courses map[string]string
}

func (s *Service) readExportNames(ctx context.Context, orgID string) (*exportNames, error) {
	n := &exportNames{groups: map[string]string{}, locations: map[string]string{}, courses: map[string]string{}}
	groups, err := s.Store.ListGroups(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		n.groups[g.ID] = g.Name
	}
	locations, err := s.Store.ListLocations(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, l := range locations {
		n.locations[l.ID] = l.Name
	}
	courses, err := s.Store.ListCourses(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, c := range courses {
		n.courses[c.ID] = c.Name
	}
	return n, nil
}

// writeUsers writes the header and one row per exported user, counting
// rows and recording the count every ExportProgressRows.
func (s *Service) writeUsers(ctx context.Context, e *Export, w sheet.Writer, rows *int) error {
	names, err := s.readExportNames(ctx, e.OrgID)
	if err != nil {
		return err
	}
	if err := writeHeader(w, UserExportColumns); err != nil {
		return err
	}
	now := s.Now()
	write := func(users []roster.User) error {
		for i := range users {
			if err := s.writeExportRow(ctx, e, w, rows, userRow(&users[i], names, now)); err != nil {
				return err
			}
		}
		return nil
	}
	if e.Filter != nil {
		page := roster.PageRequest{Limit: roster.MaxPageSize}
		for {
			res, err := s.Store.ListUsers(ctx, e.OrgID, *e.Filter, page)
			if err != nil {
				return err
			}
			if err := write(res.Items); err != nil {
				return err
			}
			if res.NextCursor == "" {
				return nil
			}
			page.Cursor = res.NextCursor
		}
	}
	for ids := range slices.Chunk(e.UserIDs, 100) {
		found, err := s.Store.GetUsers(ctx, e.OrgID, ids)
		if err != nil {
			return err
		}
		users := make([]roster.User, 0, len(ids))
		for _, id := range ids {
			if u := found[id]; u != nil {
				users = append(users, *u)
			}
		}
		if err := write(users); err != nil {
			return err
		}
	}
	return nil
}

// writeHeader writes a row of the column names.
func writeHeader(w sheet.Writer, columns []string) error {
	header := make([]sheet.Cell, len(columns))
	for i, c := range columns {
		header[i] = sheet.Text(c)
	}
	return w.WriteRow(header)
}

// writeExportRow writes one row, counting it and recording the count every
// ExportProgressRows.
func (s *Service) writeExportRow(ctx context.Context, e *Export, w sheet.Writer, rows *int, row []sheet.Cell) error {
	if err := w.WriteRow(row); err != nil {
		return err
	}
	*rows++
	if *rows%ExportProgressRows == 0 {
		return s.Store.SetExportRows(ctx, e.OrgID, e.ID, *rows)
	}
	return nil
}

// TrainingRecordExportColumns are the columns of a training-records export,
// in order.
var TrainingRecordExportColumns = []string{
	"Name", "Email", "User ID", "User status", "Course", "Assigned", "Due", "Started",
	"Completed", "Retake due", "Status", "Activity archived", "Location", "Groups",
}

// writeTrainingRecords writes the header and one row per training record
// the export's records filter matches, following the pages to the end.
func (s *Service) writeTrainingRecords(ctx context.Context, e *Export, w sheet.Writer, rows *int) error {
	names, err := s.readExportNames(ctx, e.OrgID)
	if err != nil {
		return err
	}
	if err := writeHeader(w, TrainingRecordExportColumns); err != nil {
		return err
	}
	now := s.Now()
	page := roster.PageRequest{Limit: training.MaxRecordPage}
	for {
		res, err := s.Store.ListTrainingRecords(ctx, e.OrgID, *e.Records, page)
		if err != nil {
			return err
		}
		for i := range res.Items {
			if err := s.writeExportRow(ctx, e, w, rows, trainingRecordRow(&res.Items[i], names, now)); err != nil {
				return err
			}
		}
		if res.NextCursor == "" {
			return nil
		}
		page.Cursor = res.NextCursor
	}
}

// trainingRecordRow is one record's row of TrainingRecordExportColumns.
func trainingRecordRow(r *training.TrainingRecord, n *exportNames, now time.Time) []sheet.Cell {
	u := &r.User
	status := "not started"
	switch {
	case r.Overdue(now):
		status = "overdue"
	case r.State == "completed":
		status = "completed"
	case r.State == "in_progress":
		status = "in progress"
	}
	location := ""
	if u.LocationID != "" {
		location = nameOr(n.locations, u.LocationID)
	}
	return []sheet.Cell{
		sheet.Text(strings.TrimSpace(u.FirstName + " " + u.LastName)),
		sheet.Text(u.Email),
		sheet.Text(u.UserID),
		sheet.Text(string(u.Status(now))), // "archived" for an archived user
		sheet.Text(nameOr(n.courses, r.CourseID)),
		sheet.Time(&r.AssignedAt),
		sheet.Date(r.DueAt),
		sheet.Time(r.StartedAt),
		sheet.Time(r.CompletedAt),
		sheet.Date(r.RetakeDueAt),
		sheet.Text(status),
		sheet.Time(r.ActivityArchivedAt),
		sheet.Text(location),
		sheet.Text(groupNames(u.GroupIDs, n)),
	}
}

// groupNames is the user's groups' names, sorted and joined with "; ".
func groupNames(ids []string, n *exportNames) string {
	groups := make([]string, 0, len(ids))
	for _, id := range ids {
		groups = append(groups, nameOr(n.groups, id))
	}
	slices.Sort(groups)
	return strings.Join(groups, "; ")
}

// userRow is one user's row of UserExportColumns.
func userRow(u *roster.User, n *exportNames, now time.Time) []sheet.Cell {
	courses := ""
	if len(u.Courses) > 0 {
		parts := make([]string, 0, len(u.Courses))
		for _, a := range u.Courses {
			parts = append(parts, courseCell(nameOr(n.courses, a.CourseID), a))
		}
		slices.Sort(parts)
		courses = strings.Join(parts, "; ")
	}
	location := ""
	if u.LocationID != "" {
		location = nameOr(n.locations, u.LocationID)
	}
	return []sheet.Cell{
		sheet.Text(strings.TrimSpace(u.FirstName + " " + u.LastName)),
		sheet.Text(u.Email),
		sheet.Text(u.UserID),
		sheet.Text(string(u.Role)),
		sheet.Text(string(u.Status(now))),
		sheet.Time(u.ApprovedAt),
		sheet.Time(u.NotifiedAt),
		sheet.Text(location),
		sheet.Text(groupNames(u.GroupIDs, n)),
		sheet.Text(courses),
		sheet.Date(u.ExpiresAt),
		sheet.Time(u.LastAccessAt),
		sheet.Time(&u.CreatedAt),
	}
}

// courseCell says a course, its due date and how far the user is:
// "Food safety (due 2026-12-01, completed 2026-11-02)", and ", retake in
// progress" after a completion when the course was started again.
func courseCell(name string, a roster.Assignment) string {
	var notes []string
	if a.DueAt != nil {
		notes = append(notes, "due "+a.DueAt.UTC().Format("2006-01-02"))
	}
	switch {
	case a.CompletedAt != nil && a.StartedAt != nil && a.StartedAt.After(*a.CompletedAt):
		notes = append(notes, "completed "+a.CompletedAt.UTC().Format("2006-01-02"), "retake in progress")
	case a.CompletedAt != nil:
		notes = append(notes, "completed "+a.CompletedAt.UTC().Format("2006-01-02"))
	case a.StartedAt != nil:
		notes = append(notes, "in progress")
	default:
		notes = append(notes, "not started")
	}
	return name + " (" + strings.Join(notes, ", ") + ")"
}

// listedIDs returns ids without blanks and repeats, in the order listed.
func listedIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func nameOr(names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	return id
}
