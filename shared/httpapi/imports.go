package httpapi

import (
	"net/http"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/imports"
)

// startImportRequest names the file the browser is about to upload.
type startImportRequest struct {
	FileName string `json:"fileName"`
	Size     int64  `json:"size"`
}

// fileLinkJSON is a presigned request the browser makes as it is.
type fileLinkJSON struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Expires time.Time         `json:"expires"`
}

func toFileLinkJSON(l roster.FileLink) fileLinkJSON {
	h := l.Headers
	if h == nil {
		h = map[string]string{}
	}
	return fileLinkJSON{Method: l.Method, URL: l.URL, Headers: h, Expires: l.Expires}
}

type importColumnJSON struct {
	Column string `json:"column"`
	Header string `json:"header"`
	Field  string `json:"field"`
}

type importErrorJSON struct {
	Line    int    `json:"line"`
	Column  string `json:"column"` // empty when the row as a whole is at fault
	Field   string `json:"field"`
	Message string `json:"message"`
}

type importCountsJSON struct {
	Rows       int `json:"rows"`
	Create     int `json:"create"`
	Update     int `json:"update"`
	Unchanged  int `json:"unchanged"`
	Deactivate int `json:"deactivate"`
	Archive    int `json:"archive"`
	Errors     int `json:"errors"`
}

type importOptionsJSON struct {
	Mode        string `json:"mode"`
	Sync        string `json:"sync"`
	SkipBadRows bool   `json:"skipBadRows"`
}

// importResultsJSON sums up an applied upload's result file, once stored.
type importResultsJSON struct {
	JobStatus  string    `json:"jobStatus"`
	Done       int       `json:"done"`
	Skipped    int       `json:"skipped"`
	Failed     int       `json:"failed"`
	NotApplied int       `json:"notApplied"`
	At         time.Time `json:"at"`
}

// importJSON is an upload with its latest preview.
type importJSON struct {
	ID          string             `json:"id"`
	FileName    string             `json:"fileName"`
	Size        int64              `json:"size"`
	Status      string             `json:"status"`
	Options     *importOptionsJSON `json:"options"` // of the latest validation
	Columns     []importColumnJSON `json:"columns"`
	Counts      importCountsJSON   `json:"counts"`
	Errors      []importErrorJSON  `json:"errors"` // the first 100
	FileError   *string            `json:"fileError"`
	JobID       *string            `json:"jobId"`
	Results     *importResultsJSON `json:"results"`     // once the job has ended and its result file is stored
	Validatable bool               `json:"validatable"` // POST validate is allowed now
	CreatedAt   time.Time          `json:"createdAt"`
	ValidatedAt *time.Time         `json:"validatedAt"`
}

func toImportJSON(imp *imports.Import) importJSON {
	out := importJSON{
		ID: imp.ID, FileName: imp.FileName, Size: imp.Size, Status: string(imp.Status),
		Columns: make([]importColumnJSON, len(imp.Columns)), Errors: make([]importErrorJSON, len(imp.Errors)),
		Counts:    importCountsJSON(imp.Counts),
		FileError: nullable(imp.FileError), JobID: nullable(imp.JobID), Validatable: imp.Validatable(),
		CreatedAt: imp.CreatedAt, ValidatedAt: imp.ValidatedAt,
	}
	if r := imp.Results; r != nil {
		out.Results = &importResultsJSON{JobStatus: string(r.JobStatus), Done: r.Done, Skipped: r.Skipped, Failed: r.Failed, NotApplied: r.NotApplied, At: r.At}
	}
	if imp.ValidatedAt != nil {
		out.Options = &importOptionsJSON{Mode: string(imp.Options.Mode), Sync: string(imp.Options.Sync), SkipBadRows: imp.Options.SkipBadRows}
	}
	for i, c := range imp.Columns {
		out.Columns[i] = importColumnJSON{Column: c.Column, Header: c.Header, Field: string(c.Field)}
	}
	for i, e := range imp.Errors {
		out.Errors[i] = importErrorJSON{Line: e.Line, Column: e.Column, Field: string(e.Field), Message: e.Message}
	}
	return out
}

// importStartedJSON answers a new upload: the import and where to put the file.
type importStartedJSON struct {
	Import  importJSON   `json:"import"`
	Upload  fileLinkJSON `json:"upload"`
	MaxSize int64        `json:"maxSize"`
}

// validateImportRequest is the mode and sync a preview is made for.
type validateImportRequest struct {
	Mode string `json:"mode"`
	Sync string `json:"sync"`
}

// applyImportRequest is the administrator's choice and the counts they saw.
type applyImportRequest struct {
	Mode           string           `json:"mode"`
	Sync           string           `json:"sync"`
	SkipBadRows    bool             `json:"skipBadRows"`
	ExpectedCounts importCountsJSON `json:"expectedCounts"`
}

// importAppliedJSON answers an apply (202 Accepted): the import and its job.
type importAppliedJSON struct {
	Import importJSON `json:"import"`
	Job    jobJSON    `json:"job"`
}

// startImport records an upload and returns the presigned link to put it through.
func (a *API) startImport(w http.ResponseWriter, r *http.Request) error {
	var req startImportRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	up, err := a.Imports.StartImport(r.Context(), principal(r), req.FileName, req.Size)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/imports/"+up.Import.ID)
	writeJSON(w, http.StatusCreated, importStartedJSON{Import: toImportJSON(up.Import), Upload: toFileLinkJSON(up.Upload), MaxSize: imports.MaxUploadBytes})
	return nil
}

// getImport serves an upload and its preview.
func (a *API) getImport(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	imp, err := a.Imports.GetImport(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toImportJSON(imp))
	return nil
}

// validateImport checks the uploaded file in full and serves the preview.
func (a *API) validateImport(w http.ResponseWriter, r *http.Request) error {
	var req validateImportRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	imp, err := a.Imports.ValidateImport(r.Context(), principal(r), r.PathValue("id"), roster.ImportOptions{Mode: roster.ImportMode(req.Mode), Sync: roster.SyncMode(req.Sync)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toImportJSON(imp))
	return nil
}

// importErrors serves a link to the error report file.
func (a *API) importErrors(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	link, err := a.Imports.ImportErrorsLink(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toFileLinkJSON(link))
	return nil
}

// applyImport starts the job that applies the upload.
func (a *API) applyImport(w http.ResponseWriter, r *http.Request) error {
	var req applyImportRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	o := roster.ImportOptions{Mode: roster.ImportMode(req.Mode), Sync: roster.SyncMode(req.Sync), SkipBadRows: req.SkipBadRows}
	imp, j, err := a.Imports.ApplyImport(r.Context(), principal(r), r.PathValue("id"), o, imports.Counts(req.ExpectedCounts))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, importAppliedJSON{Import: toImportJSON(imp), Job: toJobJSON(j)})
	return nil
}

// importResults serves a link to the per-row result file.
func (a *API) importResults(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	link, err := a.Imports.ImportResultsLink(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toFileLinkJSON(link))
	return nil
}
