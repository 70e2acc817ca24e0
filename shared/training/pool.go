package training

import roster "github.com/rosterhq/roster/shared"

// PoolEdit is the ledger's record of an administrator's change of the
// seats bought from before to after (nil: unlimited): the kind of
// movement, its count (the seats added or taken off; a new limit's seats;
// 0 to unlimited) and its cause in words. kind is "" when the seats did
// not change, and nothing is recorded.
func PoolEdit(before, after *int) (kind SeatKind, count int, cause string) {
	switch {
	case before != nil && after != nil && *after != *before:
		kind, count = SeatsBought, *after-*before
	case before != nil && after == nil:
		kind = SeatsUnlimited
	case before == nil && after != nil:
		kind, count = SeatsLimited, *after
	default:
		return "", 0, ""
	}
	return kind, count, SeatChangeCause(before, after)
}

// PoolEditRefused says what an edit of the course's pool whose condition
// failed means, from the course as read before the write (refused) and as
// read again (now): when no seat moved in between, the edit itself would
// take the pool below the seats reserved and used, and is refused with the
// numbers; otherwise (nil) it is run again on the new figures.
func PoolEditRefused(refused, now *roster.Course) error {
	if refused.Reserved == now.Reserved && refused.Used == now.Used {
		return PoolTooSmall(now.Reserved + now.Used)
	}
	return nil
}
