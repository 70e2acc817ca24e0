package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
)

// The states of an enrollment's seat.
const (
	seatReserved = "reserved" // held from the pool until the course is started
	seatUsed     = "used"     // spent: the course was started
	seatReleased = "released" // given back while the enrollment is kept (the user was archived)
)

// assignmentAttr is one of the user item's courses.
type assignmentAttr struct {
	CourseID    string     `dynamodbav:"courseId"`
	DueAt       *time.Time `dynamodbav:"dueAt,omitempty"`
	StartedAt   *time.Time `dynamodbav:"startedAt,omitempty"`
	CompletedAt *time.Time `dynamodbav:"completedAt,omitempty"`
}

func assignmentAttrs(as []roster.Assignment) []assignmentAttr {
	if len(as) == 0 {
		return nil
	}
	out := make([]assignmentAttr, len(as))
	for i, a := range as {
		out[i] = assignmentAttr{CourseID: a.CourseID, DueAt: a.DueAt, StartedAt: a.StartedAt, CompletedAt: a.CompletedAt}
	}
	return out
}

func assignments(attrs []assignmentAttr) []roster.Assignment {
	if len(attrs) == 0 {
		return nil
	}
	out := make([]roster.Assignment, len(attrs))
	for i, a := range attrs {
		out[i] = roster.Assignment{CourseID: a.CourseID, DueAt: a.DueAt, StartedAt: a.StartedAt, CompletedAt: a.CompletedAt}
	}
	return out
}

// enrollmentItem is the current assignment of a user to a course. coursePK
// and nameSK (the user's) place it in the ByCourse index, in roster order.
type enrollmentItem struct {
	PK          string     `dynamodbav:"PK"`
	SK          string     `dynamodbav:"SK"`
	Type        string     `dynamodbav:"type"`
	UserRef     string     `dynamodbav:"userRef"`
	CourseID    string     `dynamodbav:"courseId"`
	State       string     `dynamodbav:"state"`
	Seat        string     `dynamodbav:"seat"`
	DueAt       *time.Time `dynamodbav:"dueAt,omitempty"`
	AssignedAt  time.Time  `dynamodbav:"assignedAt"`
	StartedAt   *time.Time `dynamodbav:"startedAt,omitempty"`
	CompletedAt *time.Time `dynamodbav:"completedAt,omitempty"`
	RetakeDueAt *time.Time `dynamodbav:"retakeDueAt,omitempty"`
	AssignedBy  string     `dynamodbav:"assignedBy,omitempty"`
	RequestID   string     `dynamodbav:"requestId,omitempty"`
	Inactive    bool       `dynamodbav:"inactive,omitempty"`   // while the user is archived
	ArchivedAt  *time.Time `dynamodbav:"archivedAt,omitempty"` // archived course activity: when it was moved aside
	ArchivedBy  string     `dynamodbav:"archivedBy,omitempty"`
	CoursePK    string     `dynamodbav:"coursePK,omitempty"`
	NameSK      string     `dynamodbav:"nameSK,omitempty"`
	DuePK       string     `dynamodbav:"duePK,omitempty"` // ByDue, while a reminder is owed (dueKeys)
	DueSK       string     `dynamodbav:"dueSK,omitempty"`
}

// dueKeys returns the ByDue keys of an enrollment of the user in the
// course: by the date it is owed by (roster.OwedBy), and none without that
// date or while inactive (the user archived). Archived course activity has
// none either.
func dueKeys(orgID, userID, courseID, state string, dueAt, retakeDueAt *time.Time, inactive bool) (pk, sk string) {
	at := roster.OwedBy(state, dueAt, retakeDueAt)
	if at == nil || inactive {
		return "", ""
	}
	return duePK(dueShard(orgID)), dueSK(*at, orgID, userID, courseID)
}

// dueUpdate is how a write moves an enrollment's ByDue keys: set to pk and
// sk, or removed when they are "". checkState, when not "", makes the
// write conditional on the enrollment's state as read (the keys were
// computed from it).
type dueUpdate struct {
	pk, sk     string
	checkState string
}

// enrollmentWrite is the part of a user's transaction that moves the
// user's enrollments and their seats with the user's courses: what each
// item is, to name a failed condition.
type enrollmentWrite struct {
	store    *Store
	orgID    string
	base     int                 // index of the first item in the transaction
	courses  map[int]*courseItem // a seat update, with the course as read
	holds    map[int]bool        // a seat update that reserves
	restores map[int]string      // a seat update reserving again on unarchiving: the course id
	puts     map[int]string      // an enrollment's Put: the course's name
	items    []types.TransactWriteItem
}

// enrollmentItems builds the writes that follow the user's courses from old
// to u: a course added puts its enrollment and reserves a seat; a course
// removed deletes the enrollment (as read) and gives back its seat if it was
// still reserved; a due date changed, or the user's name key or bucket
// moved, updates the enrollment. Each seat movement writes its ledger entry.
func (s *Store) enrollmentItems(ctx context.Context, old, u *roster.User, base int, short map[string]bool) (*enrollmentWrite, error) {
	w := &enrollmentWrite{store: s, orgID: u.OrgID, base: base, courses: map[int]*courseItem{}, holds: map[int]bool{}, puts: map[int]string{}, restores: map[int]string{}}
	var before []roster.Assignment
	if old != nil {
		before = old.Courses
	}
	name := indexSK(bucketOf(u), nameToken(u), u.ID)
	renamed := old != nil && (nameToken(old) != nameToken(u) || bucketOf(old) != bucketOf(u))
	who := roster.LearnerMark // named when the ledger is read
	move := func(kind roster.SeatKind, courseID, cause string) error {
		c, err := s.getCourseItem(ctx, u.OrgID, courseID, true)
		if err != nil {
			return err
		}
		up := seatUpdates[kind]
		expr, cond := up.limitedExpr, up.limitedCond
		if c.Seats == nil {
			expr, cond = up.unlimitedExpr, up.unlimitedCond
		}
		w.courses[base+len(w.items)] = c
		w.holds[base+len(w.items)] = kind == roster.SeatsReserved
		m := roster.SeatMove{
			ID: fmt.Sprintf("%s.v%d", u.ID, u.Version), Count: 1, Cause: fmt.Sprintf(cause, c.Name, who),
			ActorID: u.ChangedBy, RequestID: u.RequestID, UserID: u.ID, At: u.UpdatedAt,
		}
		led := newLedgerItem(u.OrgID, courseID, kind, m, nil)
		w.items = append(w.items, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: key(orgPK(u.OrgID), courseSK(courseID)),
			UpdateExpression: aws.String(expr), ConditionExpression: aws.String(cond),
			ExpressionAttributeNames:  attrNames(expr, cond),
			ExpressionAttributeValues: seatValues(1, led.SK),
		}})
		entry, err := s.putNew(led)
		if err != nil {
			return err
		}
		w.items = append(w.items, entry)
		return nil
	}
	for _, a := range u.Courses {
		if old != nil && old.Assignment(a.CourseID) != nil {
			continue
		}
		it := &enrollmentItem{
			PK: orgPK(u.OrgID), SK: enrollSK(u.ID, a.CourseID), Type: "enrollment", UserRef: u.ID, CourseID: a.CourseID,
			State: "not_started", Seat: seatReserved, DueAt: a.DueAt, AssignedAt: u.UpdatedAt, AssignedBy: u.ChangedBy, RequestID: u.RequestID,
			CoursePK: facetPK(u.OrgID, "course:"+a.CourseID), NameSK: name,
		}
		it.DuePK, it.DueSK = dueKeys(u.OrgID, u.ID, a.CourseID, it.State, a.DueAt, nil, u.Archived())
		put, err := s.putNew(it)
		if err != nil {
			return nil, err
		}
		w.items = append(w.items, put)
		if err := move(roster.SeatsReserved, a.CourseID, "%[1]s assigned to %[2]s"); err != nil {
			return nil, err
		}
		w.puts[base+len(w.items)-3] = w.courses[base+len(w.items)-2].Name
	}
	unarchiving := old != nil && old.Archived() && !u.Archived()
	for _, a := range before {
		now := u.Assignment(a.CourseID)
		if now != nil && unarchiving {
			if err := w.restore(ctx, u, now, name, short[a.CourseID], move); err != nil {
				return nil, err
			}
			continue
		}
		if now != nil {
			redated := !sameTimePtr(a.DueAt, now.DueAt)
			if !renamed && !redated {
				continue
			}
			var due *dueUpdate
			switch {
			case u.Archived():
				due = &dueUpdate{} // no reminders while archived
			case redated:
				// The keys follow the due date unless the course is
				// completed: read its state, and write on condition that
				// it has not moved.
				var e enrollmentItem
				found, err := s.getItem(ctx, "enrollment", orgPK(u.OrgID), enrollSK(u.ID, a.CourseID), true, &e)
				if err != nil {
					return nil, err
				}
				if !found {
					continue
				}
				pk, sk := dueKeys(u.OrgID, u.ID, a.CourseID, e.State, now.DueAt, e.RetakeDueAt, false)
				due = &dueUpdate{pk: pk, sk: sk, checkState: e.State}
			}
			w.items = append(w.items, s.updateEnrollment(u, now, name, false, false, due))
			continue
		}
		var e enrollmentItem
		found, err := s.getItem(ctx, "enrollment", orgPK(u.OrgID), enrollSK(u.ID, a.CourseID), true, &e)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		w.items = append(w.items, types.TransactWriteItem{Delete: &types.Delete{
			TableName: &s.table, Key: key(e.PK, e.SK),
			ConditionExpression:       aws.String("seat = :seat"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":seat": &types.AttributeValueMemberS{Value: e.Seat}},
		}})
		if slices.Contains(u.KeepActivity, a.CourseID) {
			kept := e
			kept.SK, kept.Type = enrolledSK(u.ID, a.CourseID, u.UpdatedAt), "archived-enrollment"
			kept.NameSK = indexSK(bucketArchivedActivity, nameToken(u), u.ID) // the course's records list it after the current ones
			kept.DuePK, kept.DueSK = "", ""                                   // archived activity is never reminded
			kept.ArchivedAt, kept.ArchivedBy = &u.UpdatedAt, u.ChangedBy
			if e.Seat == seatReserved {
				kept.Seat = seatReleased // given back below
			}
			put, err := s.putNew(&kept)
			if err != nil {
				return nil, err
			}
			w.items = append(w.items, put)
		}
		if e.Seat == seatReserved {
			if err := move(roster.SeatsReleased, a.CourseID, "%[2]s removed from %[1]s before starting it"); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

// restore is the write of an enrollment when its user is unarchived: it
// becomes active again and, if the archive released its seat, reserves one
// again, unless short says the pool had none on an earlier attempt (the
// enrollment then stays released until assigned again).
func (w *enrollmentWrite) restore(ctx context.Context, u *roster.User, a *roster.Assignment, name string, short bool, move func(roster.SeatKind, string, string) error) error {
	s := w.store
	var e enrollmentItem
	found, err := s.getItem(ctx, "enrollment", orgPK(u.OrgID), enrollSK(u.ID, a.CourseID), true, &e)
	if err != nil || !found {
		return err
	}
	reserving := e.Seat == seatReleased && !short
	pk, sk := dueKeys(u.OrgID, u.ID, a.CourseID, e.State, a.DueAt, e.RetakeDueAt, false)
	w.items = append(w.items, s.updateEnrollment(u, a, name, true, reserving, &dueUpdate{pk: pk, sk: sk, checkState: e.State}))
	if !reserving {
		return nil
	}
	w.restores[w.base+len(w.items)] = a.CourseID
	return move(roster.SeatsReserved, a.CourseID, "%[1]s: a seat reserved again for %[2]s, unarchived")
}

// errRestoreShort says the pool had no free seat for an enrollment of a
// user being unarchived: the write is tried again without reserving it.
type errRestoreShort struct{ courseID string }

func (e *errRestoreShort) Error() string { return "no free seat to restore course " + e.courseID }

// updateEnrollment sets an enrollment's due date and the user's name key;
// reactivating also removes the inactive mark, reserving sets the seat
// reserved on condition that it was released, and due (when not nil) moves
// the ByDue keys.
func (s *Store) updateEnrollment(u *roster.User, a *roster.Assignment, name string, reactivating, reserving bool, due *dueUpdate) types.TransactWriteItem {
	set, remove := []string{"nameSK = :n"}, []string{}
	vals := map[string]types.AttributeValue{":n": &types.AttributeValueMemberS{Value: name}}
	var names map[string]string
	var conds []string
	if a.DueAt != nil {
		set = append(set, "dueAt = :d")
		vals[":d"] = &types.AttributeValueMemberS{Value: a.DueAt.UTC().Format(time.RFC3339Nano)}
	} else {
		remove = append(remove, "dueAt")
	}
	if reactivating {
		remove = append(remove, "inactive")
	}
	if reserving {
		set = append(set, "seat = :reserved")
		conds = append(conds, "seat = :released")
		vals[":reserved"] = &types.AttributeValueMemberS{Value: seatReserved}
		vals[":released"] = &types.AttributeValueMemberS{Value: seatReleased}
	}
	if due != nil {
		if due.sk != "" {
			set = append(set, "duePK = :duePK", "dueSK = :dueSK")
			vals[":duePK"] = &types.AttributeValueMemberS{Value: due.pk}
			vals[":dueSK"] = &types.AttributeValueMemberS{Value: due.sk}
		} else {
			remove = append(remove, "duePK", "dueSK")
		}
		if due.checkState != "" {
			conds = append(conds, "#state = :readState")
			names = map[string]string{"#state": "state"}
			vals[":readState"] = &types.AttributeValueMemberS{Value: due.checkState}
		}
	}
	if len(conds) == 0 {
		conds = append(conds, "attribute_exists(PK)")
	}
	expr := "SET " + strings.Join(set, ", ")
	if len(remove) > 0 {
		expr += " REMOVE " + strings.Join(remove, ", ")
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: &s.table, Key: key(orgPK(u.OrgID), enrollSK(u.ID, a.CourseID)),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String(strings.Join(conds, " AND ")),
		ExpressionAttributeNames: names, ExpressionAttributeValues: vals,
	}}
}

// failure names why the transaction's condition at index i failed when it
// is one of the enrollment writes: a retired course, a pool without a free
// seat, or a course already assigned. It returns retry when the cause is a
// change in between (the pool changed kind, the enrollment moved): the
// caller reads again and retries.
func (w *enrollmentWrite) failure(ctx context.Context, failed []int) (err error, retry bool) {
	for _, i := range failed {
		if name, ok := w.puts[i]; ok {
			return &roster.Skip{Reason: "already assigned to " + name}, false
		}
		read, ok := w.courses[i]
		if !ok {
			if i >= w.base && i < w.base+len(w.items) {
				return nil, true
			}
			continue
		}
		c, err := w.store.getCourseItem(ctx, w.orgID, read.ID, true)
		if err != nil {
			return err, false
		}
		switch {
		case c.RetiredAt != nil && w.holds[i]:
			return roster.Invalid("courseIds", "the course %q is retired: restore it to assign it", c.Name), false
		case w.restores[i] != "" && c.Seats != nil && c.Free != nil && *c.Free < 1:
			return &errRestoreShort{courseID: w.restores[i]}, false
		case w.holds[i] && c.Seats != nil && read.Seats != nil && c.Free != nil && *c.Free < 1:
			return &roster.SeatShortage{Course: c.Name, Needed: 1, Free: *c.Free}, false
		}
		return nil, true
	}
	return nil, false
}

func sameTimePtr(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// ListEnrollments returns the user's enrollments: Query begins_with(SK,
// "ENROLL#<user>#"), strongly consistent.
func (s *Store) ListEnrollments(ctx context.Context, orgID, userID string) ([]roster.Enrollment, error) {
	items, err := queryPrefix[enrollmentItem](ctx, s, orgID, enrollSK(userID, ""), true, "enrollments")
	if err != nil {
		return nil, err
	}
	out := make([]roster.Enrollment, len(items))
	for i, e := range items {
		out[i] = e.enrollment()
	}
	return out, nil
}

// releaseArchived gives back the seats of an archived user's enrollments
// not started, and marks every enrollment of theirs inactive; the stream
// consumer calls it for each change that archives a user. Each release is
// one transaction: the enrollment from reserved to released, a check that
// the user is still archived, the course's release and a ledger entry whose
// id is the change's, so that a record delivered twice, or a user unarchived
// since, releases nothing.
func (s *Store) releaseArchived(ctx context.Context, u *roster.User) error {
	es, err := s.ListEnrollments(ctx, u.OrgID, u.ID)
	if err != nil {
		return err
	}
	for _, e := range es {
		if e.Seat != seatReserved {
			if _, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName: &s.table, Key: key(orgPK(u.OrgID), enrollSK(u.ID, e.CourseID)),
				UpdateExpression:          aws.String("SET inactive = :t REMOVE duePK, dueSK"),
				ConditionExpression:       aws.String("attribute_exists(PK)"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}},
			}); err != nil && !isConditionFailed(err) {
				return roster.Internal(err, "mark enrollment inactive")
			}
			continue
		}
		if err := s.releaseOne(ctx, u, e.CourseID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) releaseOne(ctx context.Context, u *roster.User, courseID string) error {
	return s.giveBackSeat(ctx, u.OrgID, courseID, seatGiveBack{
		ledgerID: fmt.Sprintf("%s.v%d.archived", u.ID, u.Version),
		cause: func(course string) string {
			return fmt.Sprintf("%s archived before starting %s", roster.LearnerMark, course)
		},
		actorID: u.ChangedBy, requestID: u.RequestID, userID: u.ID, at: u.UpdatedAt,
		enrollment: types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: key(orgPK(u.OrgID), enrollSK(u.ID, courseID)),
			UpdateExpression:    aws.String("SET seat = :released, inactive = :t REMOVE duePK, dueSK"),
			ConditionExpression: aws.String("seat = :reserved"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":released": &types.AttributeValueMemberS{Value: seatReleased}, ":reserved": &types.AttributeValueMemberS{Value: seatReserved},
				":t": &types.AttributeValueMemberBOOL{Value: true},
			},
		}},
		userCheck: "attribute_exists(archivedAt)",
	})
}

// removeDeleted removes what a deleted user (their last image, stamped by
// the deletion) had in training: the seats of
// courses not started go back to their pools, each in one transaction with
// the enrollment's deletion and a ledger entry whose id is derived from the
// user (so a record delivered twice gives back nothing more, and the entry
// names nobody), and their other enrollments and archived course activity
// are deleted. The stream consumer calls it for each user's removal.
func (s *Store) removeDeleted(ctx context.Context, u *roster.User) error {
	for _, prefix := range []string{enrollSK(u.ID, ""), enrolledPrefix + u.ID + "#"} {
		items, err := queryPrefix[enrollmentItem](ctx, s, u.OrgID, prefix, true, "a deleted user's enrollments")
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := s.removeDeletedEnrollment(ctx, u, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) removeDeletedEnrollment(ctx context.Context, u *roster.User, e enrollmentItem) error {
	orgID := u.OrgID
	remove := types.TransactWriteItem{Delete: &types.Delete{
		TableName: &s.table, Key: key(orgPK(orgID), e.SK),
		ConditionExpression:       aws.String("seat = :reserved"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":reserved": &types.AttributeValueMemberS{Value: seatReserved}},
	}}
	if e.Seat == seatReserved && strings.HasPrefix(e.SK, enrollPrefix) {
		err := s.giveBackSeat(ctx, orgID, e.CourseID, seatGiveBack{
			ledgerID: u.ID + ".deleted",
			cause:    func(course string) string { return "A deleted user's seat, " + course + " not started" },
			actorID:  u.ChangedBy, requestID: u.RequestID, userID: u.ID, at: u.UpdatedAt,
			enrollment: remove,
			userCheck:  "attribute_not_exists(PK)",
		})
		if err != nil {
			return err
		}
	}
	// Started, completed or released: nothing to give back; the seat given
	// back above, or one that moved meanwhile, goes too.
	if _, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(orgPK(orgID), e.SK)}); err != nil {
		return roster.Internal(err, "delete a deleted user's enrollment")
	}
	return nil
}

// seatGiveBack is one seat going back to its pool because its learner left
// before starting: the enrollment's write (conditional on the seat still
// being reserved), the condition the user item must meet, and the ledger
// entry's deterministic id, so that doing it twice gives back nothing more.
type seatGiveBack struct {
	ledgerID                   string
	cause                      func(courseName string) string
	actorID, requestID, userID string
	at                         time.Time
	enrollment                 types.TransactWriteItem
	userCheck                  string
}

// giveBackSeat releases one reserved seat as g says, in one transaction with
// the enrollment's write, the user's check and the ledger entry.
func (s *Store) giveBackSeat(ctx context.Context, orgID, courseID string, g seatGiveBack) error {
	for attempt := range courseAttempts {
		c, err := s.getCourseItem(ctx, orgID, courseID, true)
		if err != nil {
			return err
		}
		up := seatUpdates[roster.SeatsReleased]
		expr, cond := up.limitedExpr, up.limitedCond
		if c.Seats == nil {
			expr, cond = up.unlimitedExpr, up.unlimitedCond
		}
		m := roster.SeatMove{
			ID: g.ledgerID, Count: 1, Cause: g.cause(c.Name),
			ActorID: g.actorID, RequestID: g.requestID, UserID: g.userID, At: g.at,
		}
		led := newLedgerItem(orgID, courseID, roster.SeatsReleased, m, nil)
		entry, err := s.putNew(led)
		if err != nil {
			return err
		}
		_, err = s.transact(ctx, []types.TransactWriteItem{
			g.enrollment,
			{ConditionCheck: &types.ConditionCheck{
				TableName: &s.table, Key: key(orgPK(orgID), userSK(g.userID)),
				ConditionExpression: aws.String(g.userCheck),
			}},
			{Update: &types.Update{
				TableName: &s.table, Key: key(orgPK(orgID), courseSK(courseID)),
				UpdateExpression: aws.String(expr), ConditionExpression: aws.String(cond),
				ExpressionAttributeNames:  attrNames(expr, cond),
				ExpressionAttributeValues: seatValues(1, led.SK),
			}},
			entry,
		})
		switch {
		case err == nil:
			return nil
		case err == errConditionFailed:
			// Released before (the record again), started or unassigned
			// meanwhile, or the user is back: nothing to give back. A pool
			// that changed kind in between is read again.
			if again, err := s.getCourseItem(ctx, orgID, courseID, true); err != nil || (again.Seats == nil) == (c.Seats == nil) {
				return err
			}
		case err == errTransactionConflict:
			if err := backoff(ctx, attempt+1); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return roster.Conflict("seats", "the pool is busy: try again")
}

// GetEnrollment returns the user's enrollment in the course (strongly
// consistent), or a not-found error.
func (s *Store) GetEnrollment(ctx context.Context, orgID, userID, courseID string) (*roster.Enrollment, error) {
	var e enrollmentItem
	found, err := s.getItem(ctx, "enrollment", orgPK(orgID), enrollSK(userID, courseID), true, &e)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, roster.NotFound("this course is not assigned to you")
	}
	out := e.enrollment()
	return &out, nil
}

func (e *enrollmentItem) enrollment() roster.Enrollment {
	return roster.Enrollment{
		UserID: e.UserRef, CourseID: e.CourseID, State: e.State, Seat: e.Seat, DueAt: e.DueAt, AssignedAt: e.AssignedAt, Active: !e.Inactive,
		StartedAt: e.StartedAt, CompletedAt: e.CompletedAt, RetakeDueAt: e.RetakeDueAt,
	}
}

// StepEnrollment moves the user's enrollment forward as step says, in the
// user's own write (change records the access and the step, which the
// audit trail shows). Starting moves the enrollment from not started with a
// reserved seat to in progress (or completed) with a used seat, with the
// course's reserved - 1, used + 1 and its ledger entry; completing one
// already started moves it from in progress. All in one transaction. An
// enrollment that moved in between is roster.ErrTrainingMoved.
func (s *Store) StepEnrollment(ctx context.Context, orgID, userID string, step roster.TrainingStep, change func(*roster.User) error) error {
	set := []string{"#state = :state"}
	vals := map[string]types.AttributeValue{}
	state := "in_progress"
	var remove string
	if step.Complete {
		state = "completed"
		set = append(set, "completedAt = :at")
		if step.RetakeDueAt != nil {
			set = append(set, "retakeDueAt = :retake")
			vals[":retake"] = &types.AttributeValueMemberS{Value: step.RetakeDueAt.UTC().Format(time.RFC3339Nano)}
		}
		// Reminders now wait for the retake date, or stop.
		if pk, sk := dueKeys(orgID, userID, step.CourseID, state, nil, step.RetakeDueAt, false); sk != "" {
			set = append(set, "duePK = :duePK", "dueSK = :dueSK")
			vals[":duePK"] = &types.AttributeValueMemberS{Value: pk}
			vals[":dueSK"] = &types.AttributeValueMemberS{Value: sk}
		} else {
			remove = " REMOVE duePK, dueSK, retakeDueAt" // a retake completed after the course lost its interval
		}
	}
	vals[":state"] = &types.AttributeValueMemberS{Value: state}
	vals[":at"] = &types.AttributeValueMemberS{Value: step.At.UTC().Format(time.RFC3339Nano)}
	cond := "#state = :from"
	vals[":from"] = &types.AttributeValueMemberS{Value: "in_progress"}
	if step.Retake {
		set = append(set, "startedAt = :at") // the seat stays used; the completion and retake date stay until this attempt completes
		vals[":from"] = &types.AttributeValueMemberS{Value: "completed"}
	}
	if step.Start {
		set = append(set, "seat = :used", "startedAt = :at")
		cond = "#state = :from AND seat = :reserved"
		vals[":from"] = &types.AttributeValueMemberS{Value: "not_started"}
		vals[":used"] = &types.AttributeValueMemberS{Value: seatUsed}
		vals[":reserved"] = &types.AttributeValueMemberS{Value: seatReserved}
	}
	enrollment := types.TransactWriteItem{Update: &types.Update{
		TableName: &s.table, Key: key(orgPK(orgID), enrollSK(userID, step.CourseID)),
		UpdateExpression:          aws.String("SET " + strings.Join(set, ", ") + remove),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  map[string]string{"#state": "state"},
		ExpressionAttributeValues: vals,
	}}
	failed := func(i int) error {
		if i == 0 {
			return roster.ErrTrainingMoved
		}
		return nil
	}
	also := func(u *roster.User) ([]types.TransactWriteItem, func(int) error, error) {
		if !step.Start {
			return []types.TransactWriteItem{enrollment}, failed, nil
		}
		c, err := s.getCourseItem(ctx, orgID, step.CourseID, true)
		if err != nil {
			return nil, nil, err
		}
		up := seatUpdates[roster.SeatsUsed]
		m := roster.SeatMove{
			ID: fmt.Sprintf("%s.v%d", u.ID, u.Version), Count: 1, Cause: "Started by " + roster.LearnerMark,
			ActorID: u.ID, RequestID: u.RequestID, UserID: u.ID, At: step.At,
		}
		led := newLedgerItem(orgID, step.CourseID, roster.SeatsUsed, m, nil)
		entry, err := s.putNew(led)
		if err != nil {
			return nil, nil, err
		}
		return []types.TransactWriteItem{
			enrollment,
			{Update: &types.Update{
				TableName: &s.table, Key: key(orgPK(orgID), courseSK(c.ID)),
				UpdateExpression: aws.String(up.limitedExpr), ConditionExpression: aws.String(up.limitedCond),
				ExpressionAttributeNames:  attrNames(up.limitedExpr, up.limitedCond),
				ExpressionAttributeValues: seatValues(1, led.SK),
			}},
			entry,
		}, failed, nil
	}
	progress := func(u *roster.User) error {
		if err := change(u); err != nil {
			return err
		}
		a := u.Assignment(step.CourseID)
		if a == nil {
			return roster.ErrTrainingMoved // unassigned meanwhile
		}
		at := step.At.UTC()
		if step.Start || step.Retake {
			a.StartedAt = &at
		}
		if step.Complete {
			a.CompletedAt = &at
		}
		return nil
	}
	_, err := s.updateUser(ctx, orgID, userID, 0, progress, also, nil)
	return err
}
