// Package audit reads the audit trail the stream consumer writes: who
// changed what, to whom, when and in which request.
package audit

import (
	"context"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// Store reads the audit trail the stream consumer writes, and the people
// and courses its entries name.
type Store interface {
	// ListAudit returns a page of the organization's audit entries matching
	// f, newest first. A page may hold fewer entries than asked for and
	// still have a next cursor: filters are applied to the entries read. A
	// bad cursor is a bad request on "cursor".
	ListAudit(ctx context.Context, orgID string, f Filter, page roster.PageRequest) (*Page, error)
	// GetUsers returns the users of the organization with these ids, by id.
	GetUsers(ctx context.Context, orgID string, ids []string) (map[string]*roster.User, error)
	// GetCourses reads courses by id; missing ones are left out.
	GetCourses(ctx context.Context, orgID string, ids []string) (map[string]*roster.Course, error)
}

// Service reads the audit trail.
type Service struct {
	Store Store
}

// Filter selects audit entries; the zero value selects all of them.
type Filter struct {
	TargetID string     // one user's history
	ActorID  string     // what one person did
	Action   string     // e.g. user.archived
	From, To *time.Time // inclusive bounds of the entry's time
}

// Page is one page of audit entries.
type Page struct {
	Items      []roster.AuditEntry
	NextCursor string
}

// MaxPage bounds a page of the audit log.
const MaxPage = 100

// View is a page of the audit log with the people it names: actors and
// targets that still exist, by id. A deleted user appears by id alone.
type View struct {
	*Page
	People  map[string]*roster.User
	Courses map[string]*roster.Course // the courses entries about a course name
}

// ListAudit returns a page of the caller's organization's audit log, newest
// first, with the people and courses the entries name.
func (s *Service) ListAudit(ctx context.Context, p *roster.Principal, f Filter, page roster.PageRequest) (*View, error) {
	if page.Limit == 0 {
		page.Limit = roster.DefaultPageSize
	}
	if page.Limit < 1 || page.Limit > MaxPage {
		return nil, roster.Invalid("limit", "must be between 1 and %d", MaxPage)
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return nil, roster.Invalid("to", "must not be before from")
	}
	res, err := s.Store.ListAudit(ctx, p.OrgID, f, page)
	if err != nil {
		return nil, err
	}
	var ids, courseIDs []string
	for _, e := range res.Items {
		if e.TargetKind() == "course" {
			courseIDs = append(courseIDs, e.TargetID)
		} else {
			ids = append(ids, e.TargetID)
		}
		if e.ActorID != "" {
			ids = append(ids, e.ActorID)
		}
	}
	people, err := s.Store.GetUsers(ctx, p.OrgID, roster.Dedupe(ids))
	if err != nil {
		return nil, err
	}
	courses, err := s.Store.GetCourses(ctx, p.OrgID, roster.Dedupe(courseIDs))
	if err != nil {
		return nil, err
	}
	return &View{Page: res, People: people, Courses: courses}, nil
}
