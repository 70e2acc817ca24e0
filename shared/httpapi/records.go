package httpapi

import (
	"net/http"
	"time"

	"github.com/rosterhq/roster/shared/training"
)

// recordUserJSON is the user of a training record, as they are now.
type recordUserJSON struct {
	ID        string  `json:"id"`
	FirstName string  `json:"firstName"`
	LastName  string  `json:"lastName"`
	Email     *string `json:"email"`
	UserID    *string `json:"userId"`
	Status    string  `json:"status"`
	Archived  bool    `json:"archived"`
}

// refJSON is a course, group or location a record names: its id and name.
type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// trainingRecordJSON is one enrollment as training records show it.
type trainingRecordJSON struct {
	User               recordUserJSON `json:"user"`
	Course             refJSON        `json:"course"`
	State              string         `json:"state"`
	Overdue            bool           `json:"overdue"`
	AssignedAt         time.Time      `json:"assignedAt"`
	DueAt              *time.Time     `json:"dueAt"`
	StartedAt          *time.Time     `json:"startedAt"`
	CompletedAt        *time.Time     `json:"completedAt"`
	RetakeDueAt        *time.Time     `json:"retakeDueAt"`
	ActivityArchived   bool           `json:"activityArchived"`
	ActivityArchivedAt *time.Time     `json:"activityArchivedAt"`
	Location           *refJSON       `json:"location"`
	Groups             []refJSON      `json:"groups"`
}

type recordPageJSON struct {
	Items      []trainingRecordJSON `json:"items"`
	NextCursor *string              `json:"nextCursor"`
}

func toRecordPageJSON(v *training.RecordsView, now time.Time) recordPageJSON {
	out := recordPageJSON{Items: make([]trainingRecordJSON, len(v.Items)), NextCursor: nullable(v.NextCursor)}
	for i := range v.Items {
		r := &v.Items[i]
		u := &r.User
		j := trainingRecordJSON{
			User: recordUserJSON{
				ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: nullable(u.Email), UserID: nullable(u.UserID),
				Status: string(u.Status(now)), Archived: u.Archived(),
			},
			Course:      refJSON{ID: r.CourseID, Name: r.CourseID},
			State:       r.State,
			Overdue:     r.Overdue(now),
			AssignedAt:  r.AssignedAt,
			DueAt:       r.DueAt,
			StartedAt:   r.StartedAt,
			CompletedAt: r.CompletedAt,
			RetakeDueAt: r.RetakeDueAt,

			ActivityArchived:   r.ActivityArchivedAt != nil,
			ActivityArchivedAt: r.ActivityArchivedAt,
			Groups:             make([]refJSON, 0, len(u.GroupIDs)),
		}
		if c := v.Courses[r.CourseID]; c != nil {
			j.Course.Name = c.Name
		}
		if u.LocationID != "" {
			j.Location = &refJSON{ID: u.LocationID, Name: v.Locations[u.LocationID]}
		}
		for _, g := range u.GroupIDs {
			j.Groups = append(j.Groups, refJSON{ID: g, Name: v.Groups[g]})
		}
		out.Items[i] = j
	}
	return out
}

// listTrainingRecords serves the organization's training records.
func (a *API) listTrainingRecords(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), "course", "group", "location", "status", "dueFrom", "dueTo", "completedFrom", "completedTo", "limit", "cursor")
	if err != nil {
		return err
	}
	f, err := recordFilterOf(q, "")
	if err != nil {
		return err
	}
	page, err := readPage(q, training.MaxRecordPage)
	if err != nil {
		return err
	}
	v, err := a.Training.TrainingRecords(r.Context(), principal(r), f, page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRecordPageJSON(v, a.Service.Now()))
	return nil
}

// recordFilterOf reads a training-records filter from its keys (course,
// group, location, status, dueFrom, dueTo, completedFrom, completedTo),
// naming a bad one with the prefix field. A date as an upper bound ends its
// day.
func recordFilterOf(q map[string]string, field string) (training.RecordFilter, error) {
	f := training.RecordFilter{CourseID: q["course"], GroupID: q["group"], LocationID: q["location"], Status: training.RecordStatus(q["status"])}
	for _, bound := range []struct {
		name  string
		dst   **time.Time
		upper bool
	}{{"dueFrom", &f.DueFrom, false}, {"dueTo", &f.DueTo, true}, {"completedFrom", &f.CompletedFrom, false}, {"completedTo", &f.CompletedTo, true}} {
		v, ok := q[bound.name]
		if !ok {
			continue
		}
		t, err := parseTime(field+bound.name, &v)
		if err != nil {
			return f, err
		}
		if t != nil && bound.upper && len(v) == len(time.DateOnly) {
			end := t.Add(24*time.Hour - time.Nanosecond) // a date ends its day
			t = &end
		}
		*bound.dst = t
	}
	return f, nil
}
