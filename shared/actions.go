package roster

import (
	"context"
	"strings"
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

// MaxSelection is the most users one inline action takes: the most ids a
// request may list, and the largest filter selection deleted. A filter
// selection larger than the Service's job threshold runs as a background job.
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

// ActionResult reports a bulk action, user by user, in the order selected;
// or, when the selection was too large to run inline, the Job running it.
type ActionResult struct {
	Action  Action
	Done    int
	Skipped int
	Failed  int
	Results []Outcome
	Job     *Job
}

// RunAction resolves the selection and applies the action to every user in
// it, each in its own conditional write, several at once. Each user is done,
// or skipped with the reason (the state machine's, or that the caller may
// not change them), or failed when the write did not go through. A filter
// selection larger than the job threshold is not applied here: it starts a
// background job, returned in the result.
func (s *Service) RunAction(ctx context.Context, p *Principal, a Action, params ActionParams, sel Selection) (*ActionResult, error) {
	if err := s.checkAction(ctx, p, a, &params); err != nil {
		return nil, err
	}
	if sendsEmail(a, params) {
		// Refused whole while the daily quota is used up; once it runs out
		// part-way, each user past it is skipped with the reason.
		if err := s.Invitations.CheckEmailQuota(ctx, p.OrgID); err != nil {
			return nil, err
		}
	}
	ids, large, err := s.resolveSelection(ctx, p, sel, true)
	if err != nil {
		return nil, err
	}
	if a == ActionAssignCourses && params.WhenShort == AssignNone {
		expected := 0
		if sel.ExpectedCount != nil {
			expected = *sel.ExpectedCount
		}
		if err := s.Training.CheckSeats(ctx, p, params, ids, expected); err != nil {
			return nil, err
		}
	}
	if large != nil {
		job, err := s.startJob(ctx, p, a, params, *large, *sel.ExpectedCount)
		if err != nil {
			return nil, err
		}
		return &ActionResult{Action: a, Job: job}, nil
	}
	org, err := s.mailingOrganization(ctx, p.OrgID, a, params)
	if err != nil {
		return nil, err
	}
	res := &ActionResult{Action: a, Results: make([]Outcome, len(ids))}
	InParallel(len(ids), func(i int) { res.Results[i] = s.applyToUser(ctx, p, org, ids[i], a, params, s.WriteUser) })
	res.count()
	return res, nil
}

// sendsEmail reports whether the action emails the users it applies to.
func sendsEmail(a Action, params ActionParams) bool {
	return a == ActionNotify || (a == ActionApprove && params.Notify)
}

// mailingOrganization returns the organization an action's emails name, or
// nil for an action that sends none.
func (s *Service) mailingOrganization(ctx context.Context, orgID string, a Action, params ActionParams) (*Organization, error) {
	if !sendsEmail(a, params) {
		return nil, nil
	}
	return s.Store.GetOrganization(ctx, orgID)
}

// UserWriter is how applyToUser writes one user: UpdateUser inline, or the
// job's write that records the user's outcome in the same transaction.
type UserWriter func(ctx context.Context, orgID, id string, change func(*User) error) (*User, error)

// WriteUser is the inline UserWriter.
func (s *Service) WriteUser(ctx context.Context, orgID, id string, change func(*User) error) (*User, error) {
	return s.Store.UpdateUser(ctx, orgID, id, 0, change)
}

// count totals the outcomes.
func (r *ActionResult) count() {
	for _, o := range r.Results {
		switch o.Result {
		case ResultDone:
			r.Done++
		case ResultSkipped:
			r.Skipped++
		default:
			r.Failed++
		}
	}
}

// applyToUser runs the action on one user, writing it with write; inline
// actions and jobs both come through here. Approve with Notify, and Notify,
// send the invitation email after the write.
func (s *Service) applyToUser(ctx context.Context, p *Principal, org *Organization, id string, a Action, params ActionParams, write UserWriter) Outcome {
	if a == ActionNotify {
		o, _ := s.NotifyUser(ctx, p, org, id)
		return o
	}
	_, err := write(ctx, p.OrgID, id, s.revoking(func(u *User) error {
		if u.ID == p.UserID {
			if reason := selfRefusal(a); reason != "" {
				return &Skip{Reason: reason}
			}
		}
		if reason := CanManage(p, u); reason != "" {
			return &Skip{Reason: reason}
		}
		if err := a.Apply(u, params, s.Now().UTC()); err != nil {
			return err
		}
		s.stamp(u, p)
		return nil
	}))
	if err == nil && a == ActionUnarchive {
		if reason := s.Training.UnrestoredReason(ctx, p.OrgID, id); reason != "" {
			return Outcome{UserID: id, Result: ResultDone, Reason: reason}
		}
	}
	if err == nil && a == ActionApprove && params.Notify {
		// The approval stands whatever happens to the email; say what did.
		if o, _ := s.NotifyUser(ctx, p, org, id); o.Result != ResultDone {
			return Outcome{UserID: id, Result: ResultDone, Reason: "approved, but not notified: " + o.Reason}
		}
	}
	return s.OutcomeOf(ctx, p, a, id, err)
}

// checkAction validates the action's parameters before any user is touched:
// the groups and location must exist, the role must be known, and only
// owners change roles.
func (s *Service) checkAction(ctx context.Context, p *Principal, a Action, params *ActionParams) error {
	switch a {
	case ActionAddToGroups, ActionRemoveFromGroups:
		params.GroupIDs = NormalizeIDs(params.GroupIDs)
		if len(params.GroupIDs) == 0 {
			return Invalid("groupIds", "must name at least one group")
		}
		if len(params.GroupIDs) > MaxGroupsPerUser {
			return Invalid("groupIds", "must name at most %d groups", MaxGroupsPerUser)
		}
		if a == ActionAddToGroups {
			return s.checkReferences(ctx, p.OrgID, "", params.GroupIDs)
		}
	case ActionSetLocation:
		params.LocationID = strings.TrimSpace(params.LocationID)
		return s.checkReferences(ctx, p.OrgID, params.LocationID, nil)
	case ActionSetRole:
		if !params.Role.Valid() {
			return Invalid("role", "must be learner, admin or owner")
		}
		if !p.Role.Grants(a.Needs()) {
			return Forbidden("only an owner can change roles")
		}
	case ActionNotify:
		return s.CheckMail("notify")
	case ActionApprove:
		if params.Notify {
			return s.CheckMail("approve and notify")
		}
	case ActionAssignCourses, ActionUnassignCourses, ActionSetDueDate, ActionArchiveActivity:
		return s.Training.CheckCourses(ctx, p, a, params)
	}
	return nil
}

// selfRefusal says why nobody may take the action on themselves, or "" when
// they may: nobody locks themselves out or raises their own role.
func selfRefusal(a Action) string {
	switch a {
	case ActionNotify, ActionAddToGroups, ActionRemoveFromGroups, ActionSetLocation,
		ActionAssignCourses, ActionUnassignCourses, ActionSetDueDate, ActionArchiveActivity:
		return ""
	case ActionSetExpiration:
		return "you cannot change your own expiration date"
	case ActionSetRole:
		return "you cannot change your own role"
	}
	return "you cannot " + string(a) + " yourself"
}

// CanManage says why p may not change target, or "" when p may: admins
// manage learners, and owners manage everyone.
func CanManage(p *Principal, target *User) string {
	if target.Role == RoleLearner || p.Role == RoleOwner {
		return ""
	}
	return "only an owner can change an administrator or an owner"
}

// resolveSelection returns the ids an action applies to, each once, in the
// order given, or an error naming the field that is wrong. A filter is
// checked against the count the listing shows, so an administrator who saw
// "Archive 12 users" never archives 13. When jobs are allowed, a filter
// matching more users than the job threshold (or too many to count) is not
// resolved: it is returned, normalized, as large, for a job to snapshot.
func (s *Service) resolveSelection(ctx context.Context, p *Principal, sel Selection, jobs bool) (ids []string, large *UserFilter, err error) {
	switch {
	case sel.Filter != nil && sel.UserIDs != nil:
		return nil, nil, Invalid("userIds", "give either userIds or filter, not both")
	case sel.Filter == nil && sel.UserIDs == nil:
		return nil, nil, Invalid("userIds", "is required: give userIds or a filter")
	case sel.Filter == nil:
		if sel.ExpectedCount != nil {
			return nil, nil, Invalid("expectedCount", "goes with a filter: a list of ids is its own count")
		}
		ids := Dedupe(sel.UserIDs)
		if len(ids) == 0 {
			return nil, nil, Invalid("userIds", "must name at least one user")
		}
		if len(ids) > MaxSelection {
			return nil, nil, Invalid("userIds", "must name at most %d users", MaxSelection)
		}
		return ids, nil, nil
	}
	if sel.ExpectedCount == nil {
		return nil, nil, Invalid("expectedCount", "is required with a filter: send the count you showed")
	}
	f, err := sel.Filter.Normalize("filter.")
	if err != nil {
		return nil, nil, err
	}
	count, err := s.Store.CountUsers(ctx, p.OrgID, f)
	if err != nil {
		return nil, nil, err
	}
	if count.Exact && count.Total != *sel.ExpectedCount {
		return nil, nil, Conflict("expectedCount", "the filter now matches %s, not %d: review the selection and try again", Plural(count.Total, "user"), *sel.ExpectedCount)
	}
	if count.Total == 0 {
		return nil, nil, Invalid("filter", "matches no users")
	}
	if jobs && (count.Total > s.jobThreshold() || !count.Exact) {
		return nil, &f, nil
	}
	if count.Total > MaxSelection || !count.Exact {
		return nil, nil, Invalid("filter", "matches more than %d users: narrow the filter", MaxSelection)
	}
	// The count came from the counters, which the stream keeps a moment
	// behind the indexes: act only if the indexes hold exactly as many.
	ids, err = s.Store.SelectUserIDs(ctx, p.OrgID, f, *sel.ExpectedCount+1)
	if err != nil {
		return nil, nil, err
	}
	if len(ids) != *sel.ExpectedCount {
		return nil, nil, Conflict("expectedCount", "the filter now matches %s, not %d: review the selection and try again", Plural(len(ids), "user"), *sel.ExpectedCount)
	}
	return ids, nil, nil
}

// InParallel calls do(0) … do(n-1), a few at a time (as many as an action
// updates users at once), and returns when all have returned.
func InParallel(n int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(actionWorkers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				do(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Dedupe returns ids without empty ones and repeats, in their first order.
func Dedupe(ids []string) []string {
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
