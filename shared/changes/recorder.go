// Package changes performs the side effects of changes read from the
// table's stream. For each user change it decides what must follow — the
// audit entry and the counter deltas (roster.UserChange), the seats an
// archive gives back and what a deletion removes (shared/training), and
// the scrubbing of a deleted user's personal data from the audit trail —
// and hands that to a narrow port of the store, which persists it. Every
// side effect happens once however often a record is delivered: the store's
// writes are keyed by the change.
package changes

import (
	"context"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/training"
)

// Entry is what recording one user change writes: its audit entry and the
// counters it moves. A silent change moves nothing a person sees and
// writes neither.
type Entry struct {
	Audit  roster.AuditEntry
	Deltas map[string]int
	Silent bool
}

// Store persists what the Recorder decides.
type Store interface {
	// RecordEntries writes the first entries of es that fit in one
	// transaction (at least one) and returns how many it took: each
	// entry's audit entry, unless one with its id exists already (the
	// change was recorded before: its counters do not move again), and the
	// sum of their counter deltas.
	RecordEntries(ctx context.Context, es []Entry) (int, error)
	// ScrubAudit removes the field changes, which hold personal data, from
	// every audit entry about the user removed at removedAt.
	ScrubAudit(ctx context.Context, orgID, userID string, removedAt time.Time) error
	// ListEnrollments returns the user's current enrollments, read strongly consistently.
	ListEnrollments(ctx context.Context, orgID, userID string) ([]training.Enrollment, error)
	// ListStoredEnrollments returns the user's enrollments and archived
	// course activity, read strongly consistently.
	ListStoredEnrollments(ctx context.Context, orgID, userID string) ([]training.StoredEnrollment, error)
	// ReleaseSeat applies one release of the archived user u's enrollment.
	ReleaseSeat(ctx context.Context, u *roster.User, r training.Release) error
	// RemoveEnrollment applies one removal of the deleted user u's record.
	RemoveEnrollment(ctx context.Context, u *roster.User, r training.Removal) error
	// RecordSeatFigures sets each ledger entry's figures after its movement.
	RecordSeatFigures(ctx context.Context, fs []training.SeatFigures) (int, error)
}

// Recorder performs the side effects of changes, deciding them and
// persisting them through its Store.
type Recorder struct {
	store Store
}

// NewRecorder returns a recorder persisting through s.
func NewRecorder(s Store) *Recorder { return &Recorder{store: s} }

var (
	_ roster.ChangeRecorder   = (*Recorder)(nil)
	_ training.LedgerRecorder = (*Recorder)(nil)
)

// RecordUserChanges records the changes in order, as many per transaction
// as the store fits: each one's entry (Entries). Once a change's entry is
// recorded, its other side effects follow: a change that archives a user
// gives back their seats not started (training.ReleaseOnArchive); a
// removal, which comes after every other record of its user, scrubs the
// audit entries about them and removes their training, seats not started
// back to their pools (training.RemovalOnDelete). Each is keyed by the
// change, so a record delivered again changes nothing more. It returns how
// many changes, from the first, are recorded with their side effects.
func (r *Recorder) RecordUserChanges(ctx context.Context, cs []roster.UserChange) (int, error) {
	es := Entries(cs)
	done := 0
	for done < len(cs) {
		n, err := r.store.RecordEntries(ctx, es[done:])
		if err != nil {
			return done, err
		}
		if n < 1 {
			return done, roster.Internal(nil, "record user changes: the store took none of %d", len(cs)-done)
		}
		for i := done; i < done+n; i++ {
			if err := r.follow(ctx, cs[i]); err != nil {
				return i, err
			}
		}
		done += n
	}
	return done, nil
}

// follow performs what follows a recorded change besides its entry.
func (r *Recorder) follow(ctx context.Context, c roster.UserChange) error {
	if training.ReleasesOnArchive(c) {
		u := c.New
		es, err := r.store.ListEnrollments(ctx, u.OrgID, u.ID)
		if err != nil {
			return err
		}
		for _, rel := range training.ReleaseOnArchive(u, es) {
			if err := r.store.ReleaseSeat(ctx, u, rel); err != nil {
				return err
			}
		}
	}
	if c.New == nil {
		u := c.Old
		if err := r.store.ScrubAudit(ctx, u.OrgID, u.ID, u.UpdatedAt); err != nil {
			return err
		}
		rs, err := r.store.ListStoredEnrollments(ctx, u.OrgID, u.ID)
		if err != nil {
			return err
		}
		for _, rm := range training.RemovalOnDelete(u, rs) {
			if err := r.store.RemoveEnrollment(ctx, u, rm); err != nil {
				return err
			}
		}
	}
	return nil
}

// Entries returns what each change writes, index for index: its audit
// entry and counter deltas, silent when it moves nothing a person sees
// (roster.UserChange.Unseen). An entry about a user the same batch
// removes keeps no personal data: its field changes are left out.
func Entries(cs []roster.UserChange) []Entry {
	type user struct{ org, id string }
	removed := map[user]bool{}
	for _, c := range cs {
		if c.New == nil {
			removed[user{c.Old.OrgID, c.Old.ID}] = true
		}
	}
	out := make([]Entry, len(cs))
	for i, c := range cs {
		e := c.Audit()
		if removed[user{e.OrgID, e.TargetID}] {
			e.Changes = nil
		}
		out[i] = Entry{Audit: e, Deltas: c.CounterDeltas(), Silent: c.Unseen()}
	}
	return out
}

// RecordSeatFigures copies the figures after each seat movement onto its
// ledger entry, as the store keeps them: nothing to decide.
func (r *Recorder) RecordSeatFigures(ctx context.Context, fs []training.SeatFigures) (int, error) {
	return r.store.RecordSeatFigures(ctx, fs)
}
