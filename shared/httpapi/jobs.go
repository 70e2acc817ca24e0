package httpapi

import (
	"net/http"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// jobJSON is a background job as the API shows it: enough to draw its
// progress bar and summary.
type jobJSON struct {
	ID            string     `json:"id"`
	Action        string     `json:"action"`
	Status        string     `json:"status"`
	ExpectedCount int        `json:"expectedCount"`
	Total         int        `json:"total"` // users in the snapshot so far
	Done          int        `json:"done"`
	Skipped       int        `json:"skipped"`
	Failed        int        `json:"failed"`
	Message       *string    `json:"message"` // why it failed
	CreatedAt     time.Time  `json:"createdAt"`
	FinishedAt    *time.Time `json:"finishedAt"`
}

func toJobJSON(j *roster.Job) jobJSON {
	return jobJSON{
		ID: j.ID, Action: string(j.Action), Status: string(j.Status), ExpectedCount: j.ExpectedCount, Total: j.Total,
		Done: j.Done, Skipped: j.Skipped, Failed: j.Failed, Message: nullable(j.Message), CreatedAt: j.CreatedAt, FinishedAt: j.FinishedAt,
	}
}

// jobStartedJSON answers an action that runs as a job (202 Accepted).
type jobStartedJSON struct {
	Job jobJSON `json:"job"`
}

type jobOutcomeJSON struct {
	ID        string `json:"id"`
	FirstName string `json:"firstName"` // empty when the user is gone
	LastName  string `json:"lastName"`
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason,omitempty"`
}

type jobOutcomePageJSON struct {
	Items      []jobOutcomeJSON `json:"items"`
	NextCursor *string          `json:"nextCursor"`
}

// listJobs serves the organization's recent jobs, newest first.
func (a *API) listJobs(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	jobs, err := a.Service.ListJobs(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := listJSON[jobJSON]{Items: make([]jobJSON, len(jobs))}
	for i := range jobs {
		out.Items[i] = toJobJSON(&jobs[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getJob serves a job's progress.
func (a *API) getJob(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	j, err := a.Service.GetJob(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toJobJSON(j))
	return nil
}

// listJobOutcomes serves a page of what a job did to each user.
func (a *API) listJobOutcomes(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), "result", "limit", "cursor")
	if err != nil {
		return err
	}
	page, err := readPage(q, roster.MaxPageSize)
	if err != nil {
		return err
	}
	res, err := a.Service.ListJobOutcomes(r.Context(), principal(r), r.PathValue("id"), roster.Result(q["result"]), page)
	if err != nil {
		return err
	}
	out := jobOutcomePageJSON{Items: make([]jobOutcomeJSON, len(res.Items)), NextCursor: nullable(res.NextCursor)}
	for i, o := range res.Items {
		out.Items[i] = jobOutcomeJSON{ID: o.UserID, FirstName: o.FirstName, LastName: o.LastName, Outcome: string(o.Result), Reason: o.Reason}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// cancelJob stops a job: no user is started after it.
func (a *API) cancelJob(w http.ResponseWriter, r *http.Request) error {
	if err := decodeNoFields(w, r); err != nil {
		return err
	}
	j, err := a.Service.CancelJob(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toJobJSON(j))
	return nil
}
