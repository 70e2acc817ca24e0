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
// Larger selections wait for background jobs (see the lifecycle issue).
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
	Action  Action
	Done    int
	Skipped int
	Failed  int
	Results []Outcome
}

// ArchiveUsers takes the selected users off the active roster. The side effects
// (roster counts, audit) follow from the table's stream.
func (s *Service) ArchiveUsers(ctx context.Context, p *Principal, sel Selection) (*ActionResult, error) {
	return s.RunAction(ctx, p, ActionArchive, ActionParams{}, sel)
}

// UnarchiveUsers puts the selected users back on the active roster, as they were.
func (s *Service) UnarchiveUsers(ctx context.Context, p *Principal, sel Selection) (*ActionResult, error) {
	return s.RunAction(ctx, p, ActionUnarchive, ActionParams{}, sel)
}

// RunAction resolves the selection and applies the action to every user in
// it, each in its own conditional write, several at once. Each user is done,
// or skipped with the reason (the state machine's, or that the caller may
// not change them), or failed when the write did not go through.
func (s *Service) RunAction(ctx context.Context, p *Principal, a Action, params ActionParams, sel Selection) (*ActionResult, error) {
	ids, err := s.resolveSelection(ctx, p, sel)
	if err != nil {
		return nil, err
	}
	res := &ActionResult{Action: a, Results: make([]Outcome, len(ids))}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(actionWorkers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res.Results[i] = s.applyToUser(ctx, p, ids[i], a, params)
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

func (s *Service) applyToUser(ctx context.Context, p *Principal, id string, a Action, params ActionParams) Outcome {
	_, err := s.Store.UpdateUser(ctx, p.OrgID, id, 0, func(u *User) error {
		if u.ID == p.UserID {
			if reason := selfRefusal(a); reason != "" {
				return &Skip{Reason: reason}
			}
		}
		if err := canManage(p, u); err != nil {
			return &Skip{Reason: err.(*Error).Message}
		}
		if err := a.Apply(u, params, s.Now().UTC()); err != nil {
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
		s.Log.ErrorContext(ctx, "action on user failed", "action", string(a), "user", id, "request", p.RequestID, "err", err)
		return Outcome{UserID: id, Result: ResultFailed, Reason: "could not be saved; try again"}
	}
}

// selfRefusal says why nobody may take the action on themselves, or "" when
// they may: nobody locks themselves out or raises their own role.
func selfRefusal(a Action) string {
	switch a {
	case ActionNotify, ActionAddToGroups, ActionRemoveFromGroups, ActionSetLocation:
		return ""
	case ActionSetExpiration:
		return "you cannot change your own expiration date"
	case ActionSetRole:
		return "you cannot change your own role"
	}
	return "you cannot " + string(a) + " yourself"
}

// canManage refuses a change to target by p: admins manage learners, and
// owners manage everyone.
func canManage(p *Principal, target *User) error {
	if target.Role == RoleLearner || p.Role == RoleOwner {
		return nil
	}
	return Forbidden("only an owner can change an administrator or an owner")
}

// resolveSelection returns the ids an action applies to, each once, in the
// order given, or an error naming the field that is wrong. A filter is
// checked against the count the listing shows, so an administrator who saw
// "Archive 12 users" never archives 13.
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
	count, err := s.Store.CountUsers(ctx, p.OrgID, f)
	if err != nil {
		return nil, err
	}
	if count.Total > MaxSelection || !count.Exact {
		return nil, Invalid("filter", "matches more than %d users: narrow the filter", MaxSelection)
	}
	if count.Total != *sel.ExpectedCount {
		return nil, Conflict("expectedCount", "the filter now matches %d users, not %d: review the selection and try again", count.Total, *sel.ExpectedCount)
	}
	if count.Total == 0 {
		return nil, Invalid("filter", "matches no users")
	}
	// The ids come from the indexes; the count from the counters, which the
	// stream keeps a moment behind. Acting on what the indexes hold is right.
	return s.Store.SelectUserIDs(ctx, p.OrgID, f, MaxSelection)
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
