package roster

import (
	"context"
)

// ActionDelete removes users for good. It is no state of the state machine:
// the users and everything that is theirs are gone (see Service.DeleteUsers).
const ActionDelete Action = "delete"

// DeleteConfirmation is what an owner types to delete n users.
func DeleteConfirmation(n int) string { return "delete " + Plural(n, "user") }

// DeleteUsers removes the selected users for good: their records, email and
// user ID, memberships and password. Only an owner may, typing the
// confirmation for the exact count ("delete 3 users"). The audit trail keeps
// a tombstone of each, without personal data. The caller is not deleted,
// nor the organization's last owner (ErrLastOwner).
func (s *Service) DeleteUsers(ctx context.Context, p *Principal, sel Selection, confirmation string) (*ActionResult, error) {
	if p.Role != RoleOwner {
		return nil, Forbidden("only an owner can delete users")
	}
	ids, _, err := s.resolveSelection(ctx, p, sel, false)
	if err != nil {
		return nil, err
	}
	if want := DeleteConfirmation(len(ids)); NormalizeSearch(confirmation) != want {
		return nil, Invalid("confirmation", "type %q to confirm: deleted users cannot be brought back", want)
	}
	res := &ActionResult{Action: ActionDelete, Results: make([]Outcome, len(ids))}
	InParallel(len(ids), func(i int) {
		err := s.Store.DeleteUser(ctx, p.OrgID, ids[i], func(u *User) error {
			if u.ID == p.UserID {
				return &Skip{Reason: "you cannot delete yourself"}
			}
			s.stamp(u, p)
			return nil
		})
		res.Results[i] = s.OutcomeOf(ctx, p, ActionDelete, ids[i], err)
	})
	res.count()
	return res, nil
}
