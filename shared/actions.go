package roster

import (
	"context"
	"errors"
	"sync"
)

// Selection names the users a bulk action applies to: either ids, or every
// user matching a filter, with the count the administrator saw, so that an
// action never runs on a selection that changed under them.
type Selection struct {
	UserIDs       []string
	Filter        *UserFilter
	ExpectedCount *int
}

// MaxSelection is the most users one synchronous action takes.
// TODO(issue 3): larger selections run as background jobs.
const MaxSelection = 1000

// actionWorkers is how many users an action updates at once.
const actionWorkers = 16

// Outcome is what an action did to one user.
type Outcome struct {
	UserID string
	Result Result
	Reason string // why it was skipped or failed, for a person to read
}

// Result is the kind of an Outcome.
type Result string

// The results of an action on one user.
const (
	ResultDone    Result = "done"
	ResultSkipped Result = "skipped"
	ResultFailed  Result = "failed"
)

// ActionResult reports a bulk action, user by user, in the order selected.
type ActionResult struct {
	Action  string
	Done    int
	Skipped int
	Failed  int
	Results []Outcome
}

// userAction changes one user for an action, or returns a *Skip saying why not.
type userAction func(p *Principal, u *User) error

// ArchiveUsers takes the selected users off the active roster. The side effects
// (roster count, audit) follow from the table's stream.
func (s *Service) ArchiveUsers(ctx context.Context, p *Principal, sel Selection) (*ActionResult, error) {
	return s.runAction(ctx, p, "archive", sel, func(p *Principal, u *User) error {
		if u.ID == p.UserID {
			return &Skip{Reason: "you cannot archive yourself"}
		}
		if u.Archived() {
			return &Skip{Reason: "already archived"}
		}
		now := s.Now().UTC()
		u.ArchivedAt = &now
		return nil
	})
}

// UnarchiveUsers puts the selected users back on the active roster.
func (s *Service) UnarchiveUsers(ctx context.Context, p *Principal, sel Selection) (*ActionResult, error) {
	return s.runAction(ctx, p, "unarchive", sel, func(p *Principal, u *User) error {
		if !u.Archived() {
			return &Skip{Reason: "not archived"}
		}
		u.ArchivedAt = nil
		return nil
	})
}

// runAction resolves the selection and applies change to every user in it,
// each in its own conditional write, several at once.
func (s *Service) runAction(ctx context.Context, p *Principal, name string, sel Selection, change userAction) (*ActionResult, error) {
	ids, err := s.resolveSelection(ctx, p, sel)
	if err != nil {
		return nil, err
	}
	res := &ActionResult{Action: name, Results: make([]Outcome, len(ids))}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(actionWorkers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res.Results[i] = s.applyToUser(ctx, p, ids[i], change)
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, o := range res.Results {
		switch o.Result {
		case ResultDone:
			res.Done++
		case ResultSkipped:
			res.Skipped++
		default:
			res.Failed++
		}
	}
	return res, nil
}

func (s *Service) applyToUser(ctx context.Context, p *Principal, id string, change userAction) Outcome {
	_, err := s.Store.UpdateUser(ctx, p.OrgID, id, 0, func(u *User) error {
		if err := change(p, u); err != nil {
			return err
		}
		s.stamp(u, p)
		return nil
	})
	var skip *Skip
	switch {
	case err == nil:
		return Outcome{UserID: id, Result: ResultDone}
	case errors.As(err, &skip):
		return Outcome{UserID: id, Result: ResultSkipped, Reason: skip.Reason}
	case IsCode(err, CodeNotFound):
		return Outcome{UserID: id, Result: ResultSkipped, Reason: "no such user"}
	default:
		s.Log.ErrorContext(ctx, "action on user failed", "user", id, "request", p.RequestID, "err", err)
		return Outcome{UserID: id, Result: ResultFailed, Reason: "could not be saved; try again"}
	}
}

// resolveSelection returns the ids an action applies to, each once, in the
// order given, or an error naming the field that is wrong.
func (s *Service) resolveSelection(ctx context.Context, p *Principal, sel Selection) ([]string, error) {
	switch {
	case sel.Filter != nil && sel.UserIDs != nil:
		return nil, Invalid("userIds", "give either userIds or filter, not both")
	case sel.Filter == nil && sel.UserIDs == nil:
		return nil, Invalid("userIds", "is required: give userIds or a filter")
	case sel.Filter == nil:
		ids := dedupe(sel.UserIDs)
		if len(ids) == 0 {
			return nil, Invalid("userIds", "must name at least one user")
		}
		if len(ids) > MaxSelection {
			return nil, Invalid("userIds", "must name at most %d users", MaxSelection)
		}
		return ids, nil
	}
	if sel.ExpectedCount == nil {
		return nil, Invalid("expectedCount", "is required with a filter: send the count you showed")
	}
	f, err := sel.Filter.Normalize("filter.")
	if err != nil {
		return nil, err
	}
	ids, err := s.Store.SelectUserIDs(ctx, p.OrgID, f, MaxSelection+1)
	if err != nil {
		return nil, err
	}
	if len(ids) > MaxSelection {
		return nil, Invalid("filter", "matches more than %d users; narrow the filter", MaxSelection)
	}
	if len(ids) != *sel.ExpectedCount {
		return nil, Conflict("expectedCount", "the filter now matches %d users, not %d: review the selection and try again", len(ids), *sel.ExpectedCount)
	}
	if len(ids) == 0 {
		return nil, Invalid("filter", "matches no users")
	}
	return ids, nil
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
