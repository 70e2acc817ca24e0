package httpapi

import (
	"context"
	"net/http"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

// courseJSON is a course with its pool's figures; seats and free are null
// for an unlimited pool.
type courseJSON struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	RetakeMonths *int       `json:"retakeMonths"` // null: no retake
	Seats        *int       `json:"seats"`
	Reserved     int        `json:"reserved"`
	Used         int        `json:"used"`
	Free         *int       `json:"free"`
	RetiredAt    *time.Time `json:"retiredAt"`
	CreatedAt    time.Time  `json:"createdAt"`
	Version      int64      `json:"version"`
}

func toCourseJSON(c *roster.Course) courseJSON {
	out := courseJSON{
		ID: c.ID, Name: c.Name, Seats: c.Seats, Reserved: c.Reserved, Used: c.Used, Free: c.Free(),
		RetiredAt: c.RetiredAt, CreatedAt: c.CreatedAt, Version: c.Version,
	}
	if c.RetakeMonths > 0 {
		n := c.RetakeMonths
		out.RetakeMonths = &n
	}
	return out
}

type createCourseRequest struct {
	Name         string `json:"name"`
	RetakeMonths *int   `json:"retakeMonths"`
	Seats        *int   `json:"seats"`
}

type ledgerEntryJSON struct {
	ID         string      `json:"id"`
	At         time.Time   `json:"at"`
	Kind       string      `json:"kind"`
	Count      int         `json:"count"`
	SeatsAfter *int        `json:"seatsAfter"`
	Cause      string      `json:"cause"`
	Actor      *personJSON `json:"actor"` // null for movements made by the system
	User       *personJSON `json:"user"`  // the learner, when a movement is theirs
	RequestID  string      `json:"requestId"`
	After      *poolJSON   `json:"after"` // the pool right after the movement; null until the stream records it
}

// poolJSON is a pool's figures at one moment; free is null for an unlimited pool.
type poolJSON struct {
	Reserved int  `json:"reserved"`
	Used     int  `json:"used"`
	Free     *int `json:"free"`
}

type ledgerPageJSON struct {
	Items      []ledgerEntryJSON `json:"items"`
	NextCursor *string           `json:"nextCursor"`
}

func toLedgerPageJSON(v *training.LedgerView) ledgerPageJSON {
	person := func(id string) *personJSON {
		if id == "" {
			return nil
		}
		p := &personJSON{ID: id}
		if u := v.People[id]; u != nil {
			name := u.FirstName + " " + u.LastName
			p.Name = &name
		}
		return p
	}
	out := ledgerPageJSON{Items: make([]ledgerEntryJSON, len(v.Items)), NextCursor: nullable(v.NextCursor)}
	for i, e := range v.Items {
		out.Items[i] = ledgerEntryJSON{
			ID: e.ID, At: e.At, Kind: string(e.Kind), Count: e.Count, SeatsAfter: e.SeatsAfter, Cause: e.Cause,
			Actor: person(e.ActorID), User: person(e.UserID), RequestID: e.RequestID,
		}
		if a := e.After; a != nil {
			out.Items[i].After = &poolJSON{Reserved: a.Reserved, Used: a.Used, Free: a.Free}
		}
	}
	return out
}

func (a *API) listCourses(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), "retired")
	if err != nil {
		return err
	}
	mode := training.RetiredMode(q["retired"])
	if v, ok := q["retired"]; ok && v == "" {
		return roster.Invalid("retired", "must be include or only")
	}
	courses, err := a.Training.ListCourses(r.Context(), principal(r), mode)
	if err != nil {
		return err
	}
	out := listJSON[courseJSON]{Items: make([]courseJSON, len(courses))}
	for i := range courses {
		out.Items[i] = toCourseJSON(&courses[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createCourse(w http.ResponseWriter, r *http.Request) error {
	var req createCourseRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := training.CourseInput{Name: req.Name, Seats: req.Seats}
	if req.RetakeMonths != nil {
		in.RetakeMonths = *req.RetakeMonths
	}
	c, err := a.Training.CreateCourse(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/courses/"+c.ID)
	writeJSON(w, http.StatusCreated, toCourseJSON(c))
	return nil
}

func (a *API) getCourse(w http.ResponseWriter, r *http.Request) error {
	c, err := a.Training.GetCourse(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCourseJSON(c))
	return nil
}

func (a *API) updateCourse(w http.ResponseWriter, r *http.Request) error {
	p, err := decodePatch(w, r, "version", "name", "retakeMonths", "seats", "retired")
	if err != nil {
		return err
	}
	version, err := optional[int64](p, "version")
	if err != nil {
		return err
	}
	patch := training.CoursePatch{Version: version.Value}
	if patch.Name, err = optional[string](p, "name"); err != nil {
		return err
	}
	if patch.RetakeMonths, err = optional[int](p, "retakeMonths"); err != nil {
		return err
	}
	if patch.Seats, err = optional[*int](p, "seats"); err != nil {
		return err
	}
	if patch.Retired, err = optional[bool](p, "retired"); err != nil {
		return err
	}
	if raw, ok := p["retired"]; ok && string(raw) == "null" {
		return roster.Invalid("retired", "must be true or false")
	}
	c, err := a.Training.UpdateCourse(r.Context(), principal(r), r.PathValue("id"), patch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCourseJSON(c))
	return nil
}

func (a *API) listCourseLedger(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), "limit", "cursor")
	if err != nil {
		return err
	}
	page, err := readPage(q, training.MaxLedgerPage)
	if err != nil {
		return err
	}
	v, err := a.Training.ListSeatLedger(r.Context(), principal(r), r.PathValue("id"), page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLedgerPageJSON(v))
	return nil
}

type trainingJSON struct {
	CourseID     string     `json:"courseId"`
	CourseName   string     `json:"courseName"`
	State        string     `json:"state"` // not_started, in_progress, completed
	Seat         string     `json:"seat"`  // reserved, used, released
	DueAt        *time.Time `json:"dueAt"`
	AssignedAt   time.Time  `json:"assignedAt"`
	StartedAt    *time.Time `json:"startedAt"`
	CompletedAt  *time.Time `json:"completedAt"`
	RetakeDueAt  *time.Time `json:"retakeDueAt"`
	RetakeMonths *int       `json:"retakeMonths"` // null: no retake
	Overdue      bool       `json:"overdue"`
}

func toTrainingJSON(t *training.TrainingItem) trainingJSON {
	out := trainingJSON{
		CourseID: t.CourseID, CourseName: t.CourseName, State: t.State, Seat: t.Seat, DueAt: t.DueAt, AssignedAt: t.AssignedAt,
		StartedAt: t.StartedAt, CompletedAt: t.CompletedAt, RetakeDueAt: t.RetakeDueAt, Overdue: t.Overdue,
	}
	if t.RetakeMonths > 0 {
		n := t.RetakeMonths
		out.RetakeMonths = &n
	}
	return out
}

func (a *API) myTraining(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryParams(r.URL.Query()); err != nil {
		return err
	}
	items, err := a.Training.MyTraining(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := listJSON[trainingJSON]{Items: make([]trainingJSON, len(items))}
	for i := range items {
		out.Items[i] = toTrainingJSON(&items[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) startTraining(w http.ResponseWriter, r *http.Request) error {
	return a.stepTraining(w, r, a.Training.StartTraining)
}

func (a *API) completeTraining(w http.ResponseWriter, r *http.Request) error {
	return a.stepTraining(w, r, a.Training.CompleteTraining)
}

func (a *API) stepTraining(w http.ResponseWriter, r *http.Request, step func(context.Context, *roster.Principal, string) (*training.TrainingItem, error)) error {
	if err := decodeNoFields(w, r); err != nil {
		return err
	}
	t, err := step(r.Context(), principal(r), r.PathValue("courseId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTrainingJSON(t))
	return nil
}
