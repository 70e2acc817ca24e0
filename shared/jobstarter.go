package roster

import (
	"context"
	"strings"
	"time"
)

// A background job (a bulk action on a large selection, an import, an
// export) goes on after the request that started it has ended. It acts
// only while the person who started it may: at its snapshot, before every
// chunk, and before an export's file is kept, it reads its starter again
// (one strongly consistent GetItem) and checks them by the rule of the
// route that started it: access (User.HasAccess, as every request's
// session check) and the role the route needs (Action.Needs, Role.Grants).
// A starter deleted, without access, or without that role stops the job
// with the reason; what it did stays done, and the users or rows it had not
// reached are reported as not reached. A starter who keeps the right acts
// with the role they hold now, so canManage and the other checks of each
// user see it.

// Needs returns the role a person needs to take the action: the Access of
// its route in shared/httpapi (Owner for set-role, Admin for every other
// action, an import and an export; a test there holds the two together).
// checkAction applies it inline, and a job to its starter before every chunk.
func (a Action) Needs() Role {
	if a == ActionSetRole {
		return RoleOwner
	}
	return RoleAdmin
}

// Grants reports whether r has the rights of needed: an owner has an
// admin's, and an admin a learner's.
func (r Role) Grants(needed Role) bool {
	return r.Valid() && r.rank() >= needed.rank()
}

// jobStoppedPrefix starts the message of a job its starter's loss of rights
// stopped while running.
const jobStoppedPrefix = "stopped: "

// starterRefusal is why a job stops when its starter may no longer do what
// it does ("change roles to owner").
func starterRefusal(right string) string {
	return "the person who started it no longer has the right to " + right
}

// notReachedReason is the outcome of a user a stopped job never reached.
func notReachedReason(refusal string) string { return "not reached: " + refusal }

// actionRight names what an action does, for the reason a job stops with.
func actionRight(a Action, params ActionParams) string {
	switch a {
	case ActionApprove:
		if params.Notify {
			return "approve and notify users"
		}
		return "approve users"
	case ActionNotify:
		return "notify users"
	case ActionSetExpiration:
		return "set expiration dates"
	case ActionAddToGroups:
		return "add users to groups"
	case ActionRemoveFromGroups:
		return "remove users from groups"
	case ActionSetLocation:
		return "set locations"
	case ActionSetRole:
		return "change roles to " + string(params.Role)
	case ActionAssignCourses:
		return "assign courses"
	case ActionUnassignCourses:
		return "unassign courses"
	case ActionSetDueDate:
		return "set due dates"
	case ActionArchiveActivity:
		return "archive course activity"
	case ActionImport:
		return "import users"
	}
	return string(a) + " users"
}

// importRowsNeed returns the role that applying rows needs: an owner when
// a row gives the admin or owner role (as the plan's check says), an admin
// otherwise. A row that changes an administrator is canManage's, per user.
func importRowsNeed(rows []ImportRow) Role {
	for _, r := range rows {
		if r.Role != nil && *r.Role != RoleLearner {
			return RoleOwner
		}
	}
	return RoleAdmin
}

// UserReader reads one user of an organization; every store is one.
type UserReader interface {
	GetUser(ctx context.Context, orgID, id string) (*User, error)
}

// ActAsStarter reads the starter of background work (a job, an export)
// again and returns them as the work acts: with the role they hold now, at
// now. refusal is not "" when they may no longer do it (deleted, without
// access, or without the role needed): it is the reason the work stops with.
func ActAsStarter(ctx context.Context, users UserReader, now time.Time, orgID, starterID, requestID string, needed Role, right string) (p *Principal, refusal string, err error) {
	u, err := users.GetUser(ctx, orgID, starterID)
	if IsCode(err, CodeNotFound) {
		return nil, starterRefusal(right), nil
	}
	if err != nil {
		return nil, "", err
	}
	if !u.HasAccess(now) || !u.Role.Grants(needed) {
		return nil, starterRefusal(right), nil
	}
	return &Principal{OrgID: orgID, UserID: u.ID, Role: u.Role, RequestID: requestID}, "", nil
}

// JobStarter is actAsStarter for a bulk-action job, or for an import job
// applying rows.
func (s *Service) JobStarter(ctx context.Context, j *Job, rows []ImportRow) (*Principal, string, error) {
	needed, right := j.Action.Needs(), actionRight(j.Action, j.Params)
	if j.Action == ActionImport && importRowsNeed(rows) == RoleOwner {
		needed, right = RoleOwner, "import users as administrators or owners"
	}
	return ActAsStarter(ctx, s.Store, s.Now(), j.OrgID, j.ActorID, j.RequestID, needed, right)
}

// StopJob ends a running job failed, because its starter may no longer do
// what it does. A job no longer running (done, cancelled, stopped by
// another chunk) is left as it is.
func (s *Service) StopJob(ctx context.Context, j *Job, refusal string) error {
	s.Log.InfoContext(ctx, "job stopped: its starter lost the right", "org", j.OrgID, "job", j.ID, "request", j.RequestID)
	err := s.Store.StopJob(ctx, j.OrgID, j.ID, jobStoppedPrefix+refusal, s.Now().UTC())
	if IsCode(err, CodeConflict) {
		return nil
	}
	return err
}

// StoppedRefusal returns the reason a job its starter's loss of rights
// stopped carries, and whether it is such a job.
func StoppedRefusal(j *Job) (string, bool) {
	if j.Status != JobFailed {
		return "", false
	}
	return strings.CutPrefix(j.Message, jobStoppedPrefix)
}
