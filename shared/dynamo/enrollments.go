package dynamo

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

// The states of an enrollment's seat, as the rules name them.
const (
	seatReserved = training.SeatReserved
	seatReleased = training.SeatReleased
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
	DuePK       string     `dynamodbav:"duePK,omitempty"` // ByDue, while a reminder is owed (reminderKeys)
	DueSK       string     `dynamodbav:"dueSK,omitempty"`
}

// reminderKeys returns the ByDue keys of an enrollment of the user in the
// course owed by the date by: none when nothing is owed (training decides).
func reminderKeys(orgID, userID, courseID string, by *time.Time) (pk, sk string) {
	if by == nil {
		return "", ""
	}
	return kit.DuePK(kit.DueShard(orgID)), kit.DueSK(*by, orgID, userID, courseID)
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
	store   *Store
	orgID   string
	base    int                       // index of the first item in the transaction
	courses map[int]*courseItem       // a seat update, with the course as read
	steps   map[int]training.SeatStep // a seat update: the step it writes
	puts    map[int]string            // an enrollment's Put: the course's name
	items   []types.TransactWriteItem
}

// enrollmentItems turns the enrollment plan of the write from old to u
// (training.PlanEnrollments) into the transaction's items: it reads the
// enrollments the plan needs, then writes each change with its seat
// update and ledger entry.
func (s *Store) enrollmentItems(ctx context.Context, old, u *roster.User, base int, short map[string]bool) (*enrollmentWrite, error) {
	w := &enrollmentWrite{store: s, orgID: u.OrgID, base: base, courses: map[int]*courseItem{}, steps: map[int]training.SeatStep{}, puts: map[int]string{}}
	read := map[string]*training.Enrollment{}
	stored := map[string]*enrollmentItem{}
	for _, courseID := range training.ToRead(old, u) {
		var e enrollmentItem
		found, err := s.t.GetItem(ctx, "enrollment", kit.OrgPK(u.OrgID), kit.EnrollSK(u.ID, courseID), true, &e)
		if err != nil {
			return nil, err
		}
		if found {
			en := e.enrollment()
			read[courseID], stored[courseID] = &en, &e
		}
	}
	name := kit.IndexSK(kit.BucketOf(u), kit.NameToken(u), u.ID)
	reindexed := old != nil && (kit.NameToken(old) != kit.NameToken(u) || kit.BucketOf(old) != kit.BucketOf(u))
	plan := training.PlanEnrollments(training.UserWrite{Old: old, New: u, Reindexed: reindexed, Read: read, NoSeat: short})
	for _, ch := range plan {
		put := -1
		switch ch.Op {
		case training.OpEnroll:
			it := &enrollmentItem{
				PK: kit.OrgPK(u.OrgID), SK: kit.EnrollSK(u.ID, ch.CourseID), Type: "enrollment", UserRef: u.ID, CourseID: ch.CourseID,
				State: ch.State, Seat: ch.SeatState, DueAt: ch.DueAt, AssignedAt: u.UpdatedAt, AssignedBy: u.ChangedBy, RequestID: u.RequestID,
				CoursePK: kit.FacetPK(u.OrgID, "course:"+ch.CourseID), NameSK: name,
			}
			it.DuePK, it.DueSK = reminderKeys(u.OrgID, u.ID, ch.CourseID, ch.Reminder.By)
			item, err := s.t.PutNew(it)
			if err != nil {
				return nil, err
			}
			put = base + len(w.items)
			w.items = append(w.items, item)
		case training.OpUpdate, training.OpRestore:
			var due *dueUpdate
			if ch.Reminder != nil {
				due = &dueUpdate{checkState: ch.CheckState}
				due.pk, due.sk = reminderKeys(u.OrgID, u.ID, ch.CourseID, ch.Reminder.By)
			}
			w.items = append(w.items, s.updateEnrollment(u, ch.CourseID, ch.DueAt, name, ch.Op == training.OpRestore, ch.Reserve, due))
		case training.OpRemove:
			e := stored[ch.CourseID]
			w.items = append(w.items, types.TransactWriteItem{Delete: &types.Delete{
				TableName: &s.t.Name, Key: kit.Key(e.PK, e.SK),
				ConditionExpression:       aws.String("seat = :seat"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":seat": &types.AttributeValueMemberS{Value: ch.ReadSeat}},
			}})
			if ch.Keep {
				kept := *e
				kept.SK, kept.Type = kit.EnrolledSK(u.ID, ch.CourseID, u.UpdatedAt), "archived-enrollment"
				kept.NameSK = kit.IndexSK(kit.BucketArchivedActivity, kit.NameToken(u), u.ID) // the course's records list it after the current ones
				kept.DuePK, kept.DueSK = "", ""                                               // archived activity is never reminded
				kept.ArchivedAt, kept.ArchivedBy = &u.UpdatedAt, u.ChangedBy
				kept.Seat = ch.KeptSeat
				item, err := s.t.PutNew(&kept)
				if err != nil {
					return nil, err
				}
				w.items = append(w.items, item)
			}
		}
		if ch.Seat == nil {
			continue
		}
		c, err := s.getCourseItem(ctx, u.OrgID, ch.CourseID, true)
		if err != nil {
			return nil, err
		}
		if put >= 0 {
			w.puts[put] = c.Name
		}
		w.courses[base+len(w.items)] = c
		w.steps[base+len(w.items)] = *ch.Seat
		update, entry, err := s.seatItems(u.OrgID, c, ch.Seat.Kind, ch.Seat.Move(c.Name))
		if err != nil {
			return nil, err
		}
		w.items = append(w.items, update, entry)
	}
	return w, nil
}

// seatItems are the transaction items of one seat movement of the course
// as read: its update, as the pool's kind needs, and its ledger entry.
func (s *Store) seatItems(orgID string, c *courseItem, kind training.SeatKind, m training.SeatMove) (update, entry types.TransactWriteItem, err error) {
	up := seatUpdates[kind]
	expr, cond := up.limitedExpr, up.limitedCond
	if c.Seats == nil {
		expr, cond = up.unlimitedExpr, up.unlimitedCond
	}
	led := newLedgerItem(orgID, c.ID, kind, m, nil)
	update = types.TransactWriteItem{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.CourseSK(c.ID)),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames:  attrNames(expr, cond),
		ExpressionAttributeValues: seatValues(m.Count, led.SK),
	}}
	entry, err = s.t.PutNew(led)
	return update, entry, err
}

// errRestoreShort says the pool had no free seat for an enrollment of a
// user being unarchived: the write is tried again without reserving it.
type errRestoreShort struct{ courseID string }

func (e *errRestoreShort) Error() string { return "no free seat to restore course " + e.courseID }

// updateEnrollment sets an enrollment's due date and the user's name key;
// reactivating also removes the inactive mark, reserving sets the seat
// reserved on condition that it was released, and due (when not nil) moves
// the ByDue keys.
func (s *Store) updateEnrollment(u *roster.User, courseID string, dueAt *time.Time, name string, reactivating, reserving bool, due *dueUpdate) types.TransactWriteItem {
	set, remove := []string{"nameSK = :n"}, []string{}
	vals := map[string]types.AttributeValue{":n": &types.AttributeValueMemberS{Value: name}}
	var names map[string]string
	var conds []string
	if dueAt != nil {
		set = append(set, "dueAt = :d")
		vals[":d"] = &types.AttributeValueMemberS{Value: dueAt.UTC().Format(time.RFC3339Nano)}
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
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(u.OrgID), kit.EnrollSK(u.ID, courseID)),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String(strings.Join(conds, " AND ")),
		ExpressionAttributeNames: names, ExpressionAttributeValues: vals,
	}}
}

// failure names why the transaction's condition at index i failed when it
// is one of the enrollment writes, as the rules say (training.SeatRefused,
// training.AlreadyAssigned). It returns retry when the cause is a change in
// between (the pool changed kind, the enrollment moved): the caller reads
// again and retries.
func (w *enrollmentWrite) failure(ctx context.Context, failed []int) (err error, retry bool) {
	for _, i := range failed {
		if name, ok := w.puts[i]; ok {
			return training.AlreadyAssigned(name), false
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
		step := w.steps[i]
		r := training.SeatRefused(step, read.course(), c.course())
		switch {
		case r.NoSeat:
			return &errRestoreShort{courseID: step.CourseID}, false
		case r.Err != nil:
			return r.Err, false
		}
		return nil, true
	}
	return nil, false
}

// ListEnrollments returns the user's enrollments: Query begins_with(SK,
// "ENROLL#<user>#"), strongly consistent.
func (s *Store) ListEnrollments(ctx context.Context, orgID, userID string) ([]training.Enrollment, error) {
	items, err := kit.QueryPrefix[enrollmentItem](ctx, s.t, orgID, kit.EnrollSK(userID, ""), true, "enrollments")
	if err != nil {
		return nil, err
	}
	out := make([]training.Enrollment, len(items))
	for i, e := range items {
		out[i] = e.enrollment()
	}
	return out, nil
}

// ListStoredEnrollments returns every enrollment record of the user: the
// current enrollments, then archived course activity, strongly consistent.
func (s *Store) ListStoredEnrollments(ctx context.Context, orgID, userID string) ([]training.StoredEnrollment, error) {
	var out []training.StoredEnrollment
	for _, prefix := range []string{kit.EnrollSK(userID, ""), kit.EnrolledPrefix + userID + "#"} {
		items, err := kit.QueryPrefix[enrollmentItem](ctx, s.t, orgID, prefix, true, "a user's enrollments")
		if err != nil {
			return nil, err
		}
		for _, e := range items {
			out = append(out, training.StoredEnrollment{Enrollment: e.enrollment(), ArchivedActivity: !strings.HasPrefix(e.SK, kit.EnrollPrefix), Key: e.SK})
		}
	}
	return out, nil
}

// ReleaseSeat applies one release of an archived user's enrollment
// (training.ReleaseOnArchive; u is the archiving change's new image): with
// a seat to give back, one transaction of the enrollment from reserved to
// released and inactive, a check that the user is still archived, the
// course's release and the ledger entry; without, the enrollment marked
// inactive, owing no reminder. A condition that fails means the release
// came before (the record again), or a start, an unassignment or an
// unarchive did: nothing more to do.
func (s *Store) ReleaseSeat(ctx context.Context, u *roster.User, r training.Release) error {
	if r.GiveBack == nil {
		if _, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(u.OrgID), kit.EnrollSK(u.ID, r.CourseID)),
			UpdateExpression:          aws.String("SET inactive = :t REMOVE duePK, dueSK"),
			ConditionExpression:       aws.String("attribute_exists(PK)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}},
		}); err != nil && !kit.IsConditionFailed(err) {
			return roster.Internal(err, "mark enrollment inactive")
		}
		return nil
	}
	return s.giveBackSeat(ctx, u.OrgID, *r.GiveBack, types.TransactWriteItem{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(u.OrgID), kit.EnrollSK(u.ID, r.CourseID)),
		UpdateExpression:    aws.String("SET seat = :released, inactive = :t REMOVE duePK, dueSK"),
		ConditionExpression: aws.String("seat = :reserved"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":released": &types.AttributeValueMemberS{Value: seatReleased}, ":reserved": &types.AttributeValueMemberS{Value: seatReserved},
			":t": &types.AttributeValueMemberBOOL{Value: true},
		},
	}}, "attribute_exists(archivedAt)")
}

// RemoveEnrollment applies one removal of a deleted user's record
// (training.RemovalOnDelete; u is their last image): a seat to give back
// goes back in one transaction with the record's deletion (on condition
// that it is still reserved), a check that the user is gone, and the
// ledger entry; then the record is deleted whatever it holds.
func (s *Store) RemoveEnrollment(ctx context.Context, u *roster.User, r training.Removal) error {
	orgID := u.OrgID
	if r.GiveBack != nil {
		err := s.giveBackSeat(ctx, orgID, *r.GiveBack, types.TransactWriteItem{Delete: &types.Delete{
			TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), r.Key),
			ConditionExpression:       aws.String("seat = :reserved"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":reserved": &types.AttributeValueMemberS{Value: seatReserved}},
		}}, "attribute_not_exists(PK)")
		if err != nil {
			return err
		}
	}
	// Started, completed or released: nothing to give back; the seat given
	// back above, or one that moved meanwhile, goes too.
	if _, err := s.t.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), r.Key)}); err != nil {
		return roster.Internal(err, "delete a deleted user's enrollment")
	}
	return nil
}

// giveBackSeat releases one reserved seat as step says, in one transaction
// with the enrollment's write (conditional on the seat still being
// reserved), the user's check (userCheck, on the user item) and the ledger
// entry, whose id is the step's: doing it twice gives back nothing more.
func (s *Store) giveBackSeat(ctx context.Context, orgID string, step training.SeatStep, enrollment types.TransactWriteItem, userCheck string) error {
	for attempt := range courseAttempts {
		c, err := s.getCourseItem(ctx, orgID, step.CourseID, true)
		if err != nil {
			return err
		}
		update, entry, err := s.seatItems(orgID, c, step.Kind, step.Move(c.Name))
		if err != nil {
			return err
		}
		_, err = s.t.Transact(ctx, []types.TransactWriteItem{
			enrollment,
			{ConditionCheck: &types.ConditionCheck{
				TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.UserSK(step.UserID)),
				ConditionExpression: aws.String(userCheck),
			}},
			update,
			entry,
		})
		switch {
		case err == nil:
			return nil
		case err == kit.ErrConditionFailed:
			// Released before (the record again), started or unassigned
			// meanwhile, or the user is back: nothing to give back. A pool
			// that changed kind in between is read again.
			if again, err := s.getCourseItem(ctx, orgID, step.CourseID, true); err != nil || (again.Seats == nil) == (c.Seats == nil) {
				return err
			}
		case err == kit.ErrTransactionConflict:
			if err := kit.Backoff(ctx, attempt+1); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return training.PoolBusy()
}

// GetEnrollment returns the user's enrollment in the course (strongly
// consistent), or a not-found error.
func (s *Store) GetEnrollment(ctx context.Context, orgID, userID, courseID string) (*training.Enrollment, error) {
	var e enrollmentItem
	found, err := s.t.GetItem(ctx, "enrollment", kit.OrgPK(orgID), kit.EnrollSK(userID, courseID), true, &e)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, training.NotAssigned()
	}
	out := e.enrollment()
	return &out, nil
}

func (e *enrollmentItem) enrollment() training.Enrollment {
	return training.Enrollment{
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
// enrollment that moved in between is training.ErrTrainingMoved.
func (s *Store) StepEnrollment(ctx context.Context, orgID, userID string, step training.TrainingStep, change func(*roster.User) error) error {
	p := training.PlanStep(step)
	set := []string{"#state = :state"}
	vals := map[string]types.AttributeValue{}
	var remove string
	if p.SetCompletedAt {
		set = append(set, "completedAt = :at")
	}
	if p.RetakeDueAt != nil {
		set = append(set, "retakeDueAt = :retake")
		vals[":retake"] = &types.AttributeValueMemberS{Value: p.RetakeDueAt.UTC().Format(time.RFC3339Nano)}
	}
	if p.Reminder != nil {
		if pk, sk := reminderKeys(orgID, userID, step.CourseID, p.Reminder.By); sk != "" {
			set = append(set, "duePK = :duePK", "dueSK = :dueSK")
			vals[":duePK"] = &types.AttributeValueMemberS{Value: pk}
			vals[":dueSK"] = &types.AttributeValueMemberS{Value: sk}
		} else {
			remove = " REMOVE duePK, dueSK"
		}
	}
	if p.DropRetake {
		remove += ", retakeDueAt"
	}
	vals[":state"] = &types.AttributeValueMemberS{Value: p.To}
	vals[":at"] = &types.AttributeValueMemberS{Value: step.At.UTC().Format(time.RFC3339Nano)}
	cond := "#state = :from"
	vals[":from"] = &types.AttributeValueMemberS{Value: p.From}
	if p.SeatTo != "" {
		set = append(set, "seat = :seatTo")
		vals[":seatTo"] = &types.AttributeValueMemberS{Value: p.SeatTo}
	}
	if p.SetStartedAt {
		set = append(set, "startedAt = :at")
	}
	if p.FromSeat != "" {
		cond += " AND seat = :seatFrom"
		vals[":seatFrom"] = &types.AttributeValueMemberS{Value: p.FromSeat}
	}
	enrollment := types.TransactWriteItem{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.EnrollSK(userID, step.CourseID)),
		UpdateExpression:          aws.String("SET " + strings.Join(set, ", ") + remove),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  map[string]string{"#state": "state"},
		ExpressionAttributeValues: vals,
	}}
	failed := func(i int) error {
		if i == 0 {
			return training.ErrTrainingMoved
		}
		return nil
	}
	also := func(u *roster.User) ([]types.TransactWriteItem, func(int) error, error) {
		seat := training.StartSeat(u, step)
		if seat == nil {
			return []types.TransactWriteItem{enrollment}, failed, nil
		}
		c, err := s.getCourseItem(ctx, orgID, step.CourseID, true)
		if err != nil {
			return nil, nil, err
		}
		// Using a seat moves the same figures in either kind of pool.
		update, entry, err := s.seatItems(orgID, c, seat.Kind, seat.Move(c.Name))
		if err != nil {
			return nil, nil, err
		}
		return []types.TransactWriteItem{enrollment, update, entry}, failed, nil
	}
	progress := func(u *roster.User) error {
		if err := change(u); err != nil {
			return err
		}
		return training.RecordStep(u, step)
	}
	_, err := s.updateUser(ctx, orgID, userID, 0, progress, also, nil)
	return err
}
