package httpapi

import (
	"net/http"
	"time"

	"github.com/rosterhq/roster/shared/audit"
)

type personJSON struct {
	ID   string  `json:"id"`
	Name *string `json:"name"` // null when the person no longer exists
}

type fieldChangeJSON struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

type auditEntryJSON struct {
	ID        string            `json:"id"`
	At        time.Time         `json:"at"`
	Action    string            `json:"action"`
	Actor     *personJSON       `json:"actor"` // null for changes made by the system
	Target    personJSON        `json:"target"`
	RequestID string            `json:"requestId"`
	Changes   []fieldChangeJSON `json:"changes"`
}

type auditPageJSON struct {
	Items      []auditEntryJSON `json:"items"`
	NextCursor *string          `json:"nextCursor"`
}

func toAuditPageJSON(v *audit.View) auditPageJSON {
	person := func(id string) personJSON {
		p := personJSON{ID: id}
		if u := v.People[id]; u != nil {
			name := u.FirstName + " " + u.LastName
			p.Name = &name
		}
		return p
	}
	out := auditPageJSON{Items: make([]auditEntryJSON, len(v.Items)), NextCursor: nullable(v.NextCursor)}
	for i, e := range v.Items {
		j := auditEntryJSON{ID: e.ID, At: e.At, Action: e.Action, Target: person(e.TargetID), RequestID: e.RequestID, Changes: make([]fieldChangeJSON, len(e.Changes))}
		if e.TargetKind() == "course" {
			j.Target = personJSON{ID: e.TargetID}
			if c := v.Courses[e.TargetID]; c != nil {
				j.Target.Name = &c.Name
			}
		}
		if e.ActorID != "" {
			actor := person(e.ActorID)
			j.Actor = &actor
		}
		for k, c := range e.Changes {
			j.Changes[k] = fieldChangeJSON(c)
		}
		out.Items[i] = j
	}
	return out
}

// listAudit serves the organization's audit log.
func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), "user", "actor", "action", "from", "to", "limit", "cursor")
	if err != nil {
		return err
	}
	return a.writeAudit(w, r, q, q["user"])
}

// listUserAudit serves one user's history.
func (a *API) listUserAudit(w http.ResponseWriter, r *http.Request) error {
	q, err := queryParams(r.URL.Query(), "actor", "action", "from", "to", "limit", "cursor")
	if err != nil {
		return err
	}
	return a.writeAudit(w, r, q, r.PathValue("id"))
}

func (a *API) writeAudit(w http.ResponseWriter, r *http.Request, q map[string]string, target string) error {
	f := audit.Filter{TargetID: target, ActorID: q["actor"], Action: q["action"]}
	var err error
	for _, bound := range []struct {
		name string
		dst  **time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v, ok := q[bound.name]; ok {
			if *bound.dst, err = parseTime(bound.name, &v); err != nil {
				return err
			}
		}
	}
	page, err := readPage(q, audit.MaxPage)
	if err != nil {
		return err
	}
	v, err := a.Audit.ListAudit(r.Context(), principal(r), f, page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAuditPageJSON(v))
	return nil
}
