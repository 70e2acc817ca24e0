package roster

import "context"

// MaxAuditPage bounds a page of the audit log.
const MaxAuditPage = 100

// AuditView is a page of the audit log with the people it names: actors and
// targets that still exist, by id. A deleted user appears by id alone.
type AuditView struct {
	*AuditPage
	People  map[string]*User
	Courses map[string]*Course // the courses entries about a course name
}

// ListAudit returns a page of the caller's organization's audit log, newest
// first, with the people and courses the entries name.
func (s *Service) ListAudit(ctx context.Context, p *Principal, f AuditFilter, page PageRequest) (*AuditView, error) {
	if page.Limit == 0 {
		page.Limit = DefaultPageSize
	}
	if page.Limit < 1 || page.Limit > MaxAuditPage {
		return nil, Invalid("limit", "must be between 1 and %d", MaxAuditPage)
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return nil, Invalid("to", "must not be before from")
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
	people, err := s.Store.GetUsers(ctx, p.OrgID, dedupe(ids))
	if err != nil {
		return nil, err
	}
	courses, err := s.Store.GetCourses(ctx, p.OrgID, dedupe(courseIDs))
	if err != nil {
		return nil, err
	}
	return &AuditView{AuditPage: res, People: people, Courses: courses}, nil
}
