package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	CourseID string     `dynamodbav:"courseId"`
	DueAt    *time.Time `dynamodbav:"dueAt,omitempty"`
}

func assignmentAttrs(as []roster.Assignment) []assignmentAttr {
	if len(as) == 0 {
		return nil
	}
	out := make([]assignmentAttr, len(as))
	for i, a := range as {
		out[i] = assignmentAttr{CourseID: a.CourseID, DueAt: a.DueAt}
	}
	return out
}

func assignments(attrs []assignmentAttr) []roster.Assignment {
	if len(attrs) == 0 {
		return nil
	}
	out := make([]roster.Assignment, len(attrs))
	for i, a := range attrs {
		out[i] = roster.Assignment{CourseID: a.CourseID, DueAt: a.DueAt}
	}
	return out
}

// enrollmentItem is the current assignment of a user to a course. coursePK
// and nameSK (the user's) place it in the ByCourse index, in roster order.
type enrollmentItem struct {
	PK         string     `dynamodbav:"PK"`
	SK         string     `dynamodbav:"SK"`
	Type       string     `dynamodbav:"type"`
	UserRef    string     `dynamodbav:"userRef"`
	CourseID   string     `dynamodbav:"courseId"`
	State      string     `dynamodbav:"state"`
	Seat       string     `dynamodbav:"seat"`
	DueAt      *time.Time `dynamodbav:"dueAt,omitempty"`
	AssignedAt time.Time  `dynamodbav:"assignedAt"`
	AssignedBy string     `dynamodbav:"assignedBy,omitempty"`
	RequestID  string     `dynamodbav:"requestId,omitempty"`
	CoursePK   string     `dynamodbav:"coursePK"`
	NameSK     string     `dynamodbav:"nameSK"`
}

// enrollmentWrite is the part of a user's transaction that moves the
// user's enrollments and their seats with the user's courses: what each
// item is, to name a failed condition.
type enrollmentWrite struct {
	store   *Store
	orgID   string
	base    int                 // index of the first item in the transaction
	courses map[int]*courseItem // a seat update, with the course as read
	holds   map[int]bool        // a seat update that reserves
	puts    map[int]string      // an enrollment's Put: the course's name
	items   []types.TransactWriteItem
}

// enrollmentItems builds the writes that follow the user's courses from old
// to u: a course added puts its enrollment and reserves a seat; a course
// removed deletes the enrollment (as read) and gives back its seat if it was
// still reserved; a due date changed, or the user's name key or bucket
// moved, updates the enrollment. Each seat movement writes its ledger entry.
func (s *Store) enrollmentItems(ctx context.Context, old, u *roster.User, base int) (*enrollmentWrite, error) {
	w := &enrollmentWrite{store: s, orgID: u.OrgID, base: base, courses: map[int]*courseItem{}, holds: map[int]bool{}, puts: map[int]string{}}
	var before []roster.Assignment
	if old != nil {
		before = old.Courses
	}
	name := indexSK(bucketOf(u), nameToken(u), u.ID)
	renamed := old != nil && (nameToken(old) != nameToken(u) || bucketOf(old) != bucketOf(u))
	who := u.FirstName + " " + u.LastName
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
		w.items = append(w.items, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: key(orgPK(u.OrgID), courseSK(courseID)),
			UpdateExpression: aws.String(expr), ConditionExpression: aws.String(cond),
			ExpressionAttributeNames:  attrNames(expr, cond),
			ExpressionAttributeValues: map[string]types.AttributeValue{":k": num(1)},
		}})
		m := roster.SeatMove{
			ID: fmt.Sprintf("%s.v%d", u.ID, u.Version), Count: 1, Cause: fmt.Sprintf(cause, c.Name, who),
			ActorID: u.ChangedBy, RequestID: u.RequestID, UserID: u.ID, At: u.UpdatedAt,
		}
		entry, err := s.putNew(newLedgerItem(u.OrgID, courseID, kind, m, nil))
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
		put, err := s.putNew(&enrollmentItem{
			PK: orgPK(u.OrgID), SK: enrollSK(u.ID, a.CourseID), Type: "enrollment", UserRef: u.ID, CourseID: a.CourseID,
			State: "not_started", Seat: seatReserved, DueAt: a.DueAt, AssignedAt: u.UpdatedAt, AssignedBy: u.ChangedBy, RequestID: u.RequestID,
			CoursePK: facetPK(u.OrgID, "course:"+a.CourseID), NameSK: name,
		})
		if err != nil {
			return nil, err
		}
		w.items = append(w.items, put)
		if err := move(roster.SeatsReserved, a.CourseID, "%[1]s assigned to %[2]s"); err != nil {
			return nil, err
		}
		w.puts[base+len(w.items)-3] = w.courses[base+len(w.items)-2].Name
	}
	for _, a := range before {
		now := u.Assignment(a.CourseID)
		if now != nil {
			if renamed || !sameTimePtr(a.DueAt, now.DueAt) {
				w.items = append(w.items, s.updateEnrollment(u, now, name))
			}
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
		if e.Seat == seatReserved {
			if err := move(roster.SeatsReleased, a.CourseID, "%[2]s removed from %[1]s before starting it"); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

// updateEnrollment sets an enrollment's due date and the user's name key.
func (s *Store) updateEnrollment(u *roster.User, a *roster.Assignment, name string) types.TransactWriteItem {
	expr := "SET nameSK = :n"
	vals := map[string]types.AttributeValue{":n": &types.AttributeValueMemberS{Value: name}}
	if a.DueAt != nil {
		expr += ", dueAt = :d"
		vals[":d"] = &types.AttributeValueMemberS{Value: a.DueAt.UTC().Format(time.RFC3339Nano)}
	} else {
		expr += " REMOVE dueAt"
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: &s.table, Key: key(orgPK(u.OrgID), enrollSK(u.ID, a.CourseID)),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: vals,
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
