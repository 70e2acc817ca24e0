package httpapi

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"net/http"
	"slices"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// startExportJSON is the body of POST /api/exports: for users a filter
// (the list's query keys) or userIds; for training records a records
// filter (GET /api/training-records' query keys).
type startExportJSON struct {
	Kind    string            `json:"kind"`
	Format  string            `json:"format"`
	Filter  *filterJSON       `json:"filter"`
	UserIDs []string          `json:"userIds"`
	Records map[string]string `json:"records"`
}

// recordFilterKeys are the keys of a records filter.
var recordFilterKeys = []string{"course", "group", "location", "status", "dueFrom", "dueTo", "completedFrom", "completedTo"}

// downloadJSON is a presigned link to an export's file.
type downloadJSON struct {
	URL      string    `json:"url"`
	FileName string    `json:"fileName"`
	Expires  time.Time `json:"expires"`
}

// exportJSON is an export as the API shows it.
type exportJSON struct {
	ID         string        `json:"id"`
	Kind       string        `json:"kind"`
	Format     string        `json:"format"`
	Status     string        `json:"status"`
	Rows       int           `json:"rows"` // rows written so far, the header left out
	Message    *string       `json:"message"`
	CreatedAt  time.Time     `json:"createdAt"`
	FinishedAt *time.Time    `json:"finishedAt"`
	Download   *downloadJSON `json:"download"` // once done: a fresh link on every read
}

func toExportJSON(e *exports.Export, link *roster.FileLink) exportJSON {
	out := exportJSON{
		ID: e.ID, Kind: string(e.Kind), Format: string(e.Format), Status: string(e.Status), Rows: e.Rows,
		Message: nullable(e.Message), CreatedAt: e.CreatedAt, FinishedAt: e.FinishedAt,
	}
	if link != nil {
		out.Download = &downloadJSON{URL: link.URL, FileName: e.FileName(), Expires: link.Expires}
	}
	return out
}

// startExport queues an export and answers 202 with it.
func (a *API) startExport(w http.ResponseWriter, r *http.Request) error {
	var in startExportJSON
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	req := exports.Request{Kind: exports.Kind(in.Kind), Format: exports.Format(in.Format), UserIDs: in.UserIDs}
	if in.Filter != nil {
		f := in.Filter.toFilter()
		req.Filter = &f
	}
	if in.Records != nil {
		for k := range in.Records {
			if !slices.Contains(recordFilterKeys, k) {
				return roster.Invalid("records."+k, "is not a records filter key")
			}
		}
		f, err := recordFilterOf(in.Records, "records.")
		if err != nil {
			return err
		}
		req.Records = &f
	}
	e, err := a.Exports.StartExport(r.Context(), principal(r), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, toExportJSON(e, nil))
	return nil
}

// getExport serves an export's progress, and its download link once done.
func (a *API) getExport(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	v, err := a.Exports.GetExport(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, toExportJSON(&v.Export, v.Download))
	return nil
}
