package dynamo

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

// courseAttempts bounds the retries of a write that lost to a concurrent one
// on the same course: an administrator's edit while assignments move seats,
// or seat movements at once (DynamoDB cancels a transaction that meets another).
const courseAttempts = 12

// CreateCourse stores the course, reserves its name and, for a limited
// pool, writes the ledger's first entry, in one transaction.
func (s *Store) CreateCourse(ctx context.Context, c *roster.Course, m training.SeatMove) error {
	rec, err := s.t.PutNew(newCourseItem(c))
	if err != nil {
		return err
	}
	name, err := s.t.PutNew(&uniqueItem{PK: kit.OrgPK(c.OrgID), SK: kit.CourseNameSK(c.Name), Type: "course-name", Ref: c.ID})
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{rec, name}
	if e, ok := (training.CourseChange{New: c, ActorID: m.ActorID, RequestID: m.RequestID, At: m.At}).Audit(); ok {
		entry, err := s.t.PutNew(newAuditItem(e))
		if err != nil {
			return err
		}
		items = append(items, entry)
	}
	if c.Seats != nil {
		led := newLedgerItem(c.OrgID, c.ID, training.SeatsBought, m, c.Seats)
		led.After = &figures{Free: c.Free()} // a new pool: nothing reserved or used
		entry, err := s.t.PutNew(led)
		if err != nil {
			return err
		}
		items = append(items, entry)
	}
	failed, err := s.t.Transact(ctx, items)
	if err == kit.ErrConditionFailed && slices.Contains(failed, 1) {
		return training.CourseNameTaken()
	}
	return kit.Wrap(err, "create course")
}

func (s *Store) getCourseItem(ctx context.Context, orgID, id string, consistent bool) (*courseItem, error) {
	return kit.GetExisting[courseItem](ctx, s.t, "course", kit.OrgPK(orgID), kit.CourseSK(id), consistent)
}

// GetCourse returns the course with its pool's current figures (a strongly
// consistent read, so that a page shown after a change shows it).
func (s *Store) GetCourse(ctx context.Context, orgID, id string) (*roster.Course, error) {
	it, err := s.getCourseItem(ctx, orgID, id, true)
	if err != nil {
		return nil, err
	}
	return it.course(), nil
}

// GetCourses reads courses by id with BatchGetItem; missing ones are left out.
func (s *Store) GetCourses(ctx context.Context, orgID string, ids []string) (map[string]*roster.Course, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			keys = append(keys, kit.Key(kit.OrgPK(orgID), kit.CourseSK(id)))
		}
	}
	raw, err := s.t.BatchGet(ctx, "courses", keys)
	if err != nil {
		return nil, err
	}
	var items []courseItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return nil, roster.Internal(err, "decode courses")
	}
	out := make(map[string]*roster.Course, len(items))
	for i := range items {
		c := items[i].course()
		out[c.ID] = c
	}
	return out, nil
}

// ListCourses returns the organization's courses by name, retired ones included.
func (s *Store) ListCourses(ctx context.Context, orgID string) ([]roster.Course, error) {
	var out []roster.Course
	p := dynamodb.NewQueryPaginator(s.t.DB, &dynamodb.QueryInput{
		TableName:              &s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: kit.OrgPK(orgID)}, ":prefix": &types.AttributeValueMemberS{Value: kit.CoursePrefix},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, roster.Internal(err, "list courses")
		}
		var items []courseItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, roster.Internal(err, "decode courses")
		}
		for i := range items {
			out = append(out, *items[i].course())
		}
	}
	slices.SortFunc(out, func(a, b roster.Course) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

// UpdateCourse reads the course, applies change, and writes the edited
// fields back with one UpdateItem conditional on the version (never a Put:
// reserved and used may move meanwhile), moving the name reservation and
// writing the ledger entry of a change of seats in the same transaction.
// When seats moved in between (the version did not), it reads again and
// runs change again.
func (s *Store) UpdateCourse(ctx context.Context, orgID, id string, version int64, change func(*roster.Course) error, m training.SeatMove) (*roster.Course, error) {
	var refused *courseItem // the course as read before a write whose condition failed
	for attempt := 0; attempt < courseAttempts; attempt++ {
		if attempt > 0 {
			if err := kit.Backoff(ctx, attempt); err != nil {
				return nil, err
			}
		}
		it, err := s.getCourseItem(ctx, orgID, id, true)
		if err != nil {
			return nil, err
		}
		if it.Version != version {
			return nil, training.CourseChanged()
		}
		if refused != nil {
			if err := training.PoolEditRefused(refused.course(), it.course()); err != nil {
				return nil, err
			}
		}
		refused = nil
		before := it.course()
		after := it.course()
		if err := change(after); err != nil {
			return nil, err
		}
		items, err := s.courseEdit(it, before, after, m)
		if err != nil {
			return nil, err
		}
		failed, err := s.t.Transact(ctx, items)
		switch {
		case err == nil:
			return s.GetCourse(ctx, orgID, id)
		case err == kit.ErrConditionFailed && slices.Contains(failed, 1) && kit.CourseNameSK(before.Name) != kit.CourseNameSK(after.Name):
			return nil, training.CourseNameTaken()
		case err == kit.ErrConditionFailed:
			refused = it // read again: the version, then whether the figures moved
		case err == kit.ErrTransactionConflict:
			continue // lost to a concurrent write: read again and retry
		default:
			return nil, err
		}
	}
	return nil, training.PoolKeptChanging()
}

// courseEdit is the transaction of an administrator's edit: the course's
// update, the name reservation moved when the name changed, the ledger
// entry when the seats bought changed, and the audit entry.
func (s *Store) courseEdit(it *courseItem, before, after *roster.Course, m training.SeatMove) ([]types.TransactWriteItem, error) {
	set := []string{"#name = :name", "version = version + :one"}
	var remove []string
	cond := []string{"version = :v"}
	vals := map[string]types.AttributeValue{
		":name": &types.AttributeValueMemberS{Value: after.Name}, ":one": kit.Num(1), ":v": kit.Num(it.Version),
	}
	if after.RetakeMonths > 0 {
		set = append(set, "retakeMonths = :retake")
		vals[":retake"] = kit.Num(int64(after.RetakeMonths))
	} else {
		remove = append(remove, "retakeMonths")
	}
	if after.RetiredAt != nil {
		retired, err := attributevalue.Marshal(after.RetiredAt)
		if err != nil {
			return nil, roster.Internal(err, "encode course")
		}
		set = append(set, "retiredAt = :retired")
		vals[":retired"] = retired
	} else {
		remove = append(remove, "retiredAt")
	}
	kind, count, cause := training.PoolEdit(before.Seats, after.Seats)
	switch b, a := before.Seats, after.Seats; kind {
	case training.SeatsBought:
		// Seats and free move together; the pool never goes below what is
		// reserved and used: free may not end below zero.
		set = append(set, "#seats = #seats + :d", "#free = #free + :d")
		cond = append(cond, "#seats = :old", "#free >= :negd")
		d := int64(*a - *b)
		vals[":d"], vals[":negd"], vals[":old"] = kit.Num(d), kit.Num(-d), kit.Num(int64(*b))
	case training.SeatsUnlimited:
		remove = append(remove, "#seats", "#free")
		cond = append(cond, "#seats = :old")
		vals[":old"] = kit.Num(int64(*b))
	case training.SeatsLimited:
		// free is computed from the figures read, so they must still hold.
		set = append(set, "#seats = :seats", "#free = :free")
		cond = append(cond, "attribute_not_exists(#seats)", "#reserved = :r", "#used = :u")
		vals[":seats"], vals[":free"] = kit.Num(int64(*a)), kit.Num(int64(*a-it.Reserved-it.Used))
		vals[":r"], vals[":u"] = kit.Num(int64(it.Reserved)), kit.Num(int64(it.Used))
	}
	if kind != "" {
		set = append(set, "lastMove = :move")
		vals[":move"] = &types.AttributeValueMemberS{Value: kit.LedgerSK(it.ID, m.At, m.ID)}
	}
	expr := "SET " + strings.Join(set, ", ")
	if len(remove) > 0 {
		expr += " REMOVE " + strings.Join(remove, ", ")
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(it.PK, it.SK),
		UpdateExpression:          aws.String(expr),
		ConditionExpression:       aws.String(strings.Join(cond, " AND ")),
		ExpressionAttributeNames:  attrNames(expr, strings.Join(cond, " AND ")),
		ExpressionAttributeValues: vals,
	}}}
	if kit.CourseNameSK(before.Name) != kit.CourseNameSK(after.Name) {
		reserve, err := s.t.PutNew(&uniqueItem{PK: it.PK, SK: kit.CourseNameSK(after.Name), Type: "course-name", Ref: it.ID})
		if err != nil {
			return nil, err
		}
		items = append(items, reserve, s.t.DeleteOwned(it.PK, kit.CourseNameSK(before.Name), it.ID))
	}
	if kind != "" {
		m.Cause, m.Count = cause, count
		entry, err := s.t.PutNew(newLedgerItem(it.OrgID, it.ID, kind, m, after.Seats))
		if err != nil {
			return nil, err
		}
		items = append(items, entry)
	}
	written := *after
	written.Version = it.Version + 1
	if e, ok := (training.CourseChange{Old: before, New: &written, ActorID: m.ActorID, RequestID: m.RequestID, At: m.At}).Audit(); ok {
		entry, err := s.t.PutNew(newAuditItem(e))
		if err != nil {
			return nil, err
		}
		items = append(items, entry)
	}
	return items, nil
}

// courseAttrs are the course attributes expressions name through #name:
// name, free and others are DynamoDB reserved words.
var courseAttrs = []string{"name", "seats", "free", "reserved", "used"}

// attrNames returns the #name placeholders the expressions use.
func attrNames(exprs ...string) map[string]string {
	all := strings.Join(exprs, " ")
	out := map[string]string{}
	for _, a := range courseAttrs {
		if strings.Contains(all, "#"+a) {
			out["#"+a] = a
		}
	}
	return out
}

// seatUpdate is how a seat movement changes a course item, for a limited
// pool and for an unlimited one: one conditional update each, no read.
type seatUpdate struct {
	limitedExpr, limitedCond     string
	unlimitedExpr, unlimitedCond string
}

// Every seat update also sets lastMove, the sort key of the movement's
// ledger entry (see seatValues): the stream consumer then copies the
// figures of the course's new image onto that entry.
var seatUpdates = map[training.SeatKind]seatUpdate{
	training.SeatsReserved: {
		limitedExpr: "SET #reserved = #reserved + :k, #free = #free - :k, lastMove = :move", limitedCond: "attribute_exists(#seats) AND #free >= :k AND attribute_not_exists(retiredAt)",
		unlimitedExpr: "SET #reserved = #reserved + :k, lastMove = :move", unlimitedCond: "attribute_exists(PK) AND attribute_not_exists(#seats) AND attribute_not_exists(retiredAt)",
	},
	training.SeatsReleased: {
		limitedExpr: "SET #reserved = #reserved - :k, #free = #free + :k, lastMove = :move", limitedCond: "attribute_exists(#seats) AND #reserved >= :k",
		unlimitedExpr: "SET #reserved = #reserved - :k, lastMove = :move", unlimitedCond: "attribute_exists(PK) AND attribute_not_exists(#seats) AND #reserved >= :k",
	},
	training.SeatsUsed: { // free does not move: the seat was taken from it when reserved
		limitedExpr: "SET #reserved = #reserved - :k, #used = #used + :k, lastMove = :move", limitedCond: "attribute_exists(PK) AND #reserved >= :k",
		unlimitedExpr: "SET #reserved = #reserved - :k, #used = #used + :k, lastMove = :move", unlimitedCond: "attribute_exists(PK) AND #reserved >= :k",
	},
}

// seatValues are the values of a seat update: k seats, and the sort key of
// the movement's ledger entry.
func seatValues(k int, entrySK string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{":k": kit.Num(k), ":move": &types.AttributeValueMemberS{Value: entrySK}}
}

// ReserveSeats holds seats: SET reserved = reserved + k, free = free - k on
// condition free >= k (or, for an unlimited pool, no seats attribute).
func (s *Store) ReserveSeats(ctx context.Context, orgID, courseID string, m training.SeatMove) error {
	return s.moveSeats(ctx, orgID, courseID, training.SeatsReserved, m)
}

// ReleaseSeats gives reserved seats back: SET reserved = reserved - k,
// free = free + k on condition reserved >= k.
func (s *Store) ReleaseSeats(ctx context.Context, orgID, courseID string, m training.SeatMove) error {
	return s.moveSeats(ctx, orgID, courseID, training.SeatsReleased, m)
}

// UseSeats spends reserved seats: SET reserved = reserved - k, used = used + k
// on condition reserved >= k.
func (s *Store) UseSeats(ctx context.Context, orgID, courseID string, m training.SeatMove) error {
	return s.moveSeats(ctx, orgID, courseID, training.SeatsUsed, m)
}

// moveSeats writes a seat movement and its ledger entry in one transaction,
// with no read first. It tries the limited pool's update; when the condition
// fails, the course as it was (returned by DynamoDB with the cancellation)
// says why: no such course, retired, a shortage, or an unlimited pool, which
// is then tried with the unlimited update. A transaction that met another on
// the same course is tried again after a pause.
func (s *Store) moveSeats(ctx context.Context, orgID, courseID string, kind training.SeatKind, m training.SeatMove) error {
	if m.Count < 1 {
		return roster.Invalid("seats", "a movement moves at least one seat")
	}
	if m.ID == "" || m.At.IsZero() {
		return roster.Internal(nil, "seat movement without its ledger id and time")
	}
	up := seatUpdates[kind]
	limited := true
	for attempt := 0; attempt < courseAttempts; attempt++ {
		expr, cond := up.limitedExpr, up.limitedCond
		if !limited {
			expr, cond = up.unlimitedExpr, up.unlimitedCond
		}
		led := newLedgerItem(orgID, courseID, kind, m, nil)
		entry, err := s.t.PutNew(led)
		if err != nil {
			return err
		}
		_, err = s.t.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{
				TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.CourseSK(courseID)),
				UpdateExpression: aws.String(expr), ConditionExpression: aws.String(cond),
				ExpressionAttributeNames:            attrNames(expr, cond),
				ExpressionAttributeValues:           seatValues(m.Count, led.SK),
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
			}},
			entry,
		}})
		if err == nil {
			return nil
		}
		var cancelled *types.TransactionCanceledException
		if !errors.As(err, &cancelled) || len(cancelled.CancellationReasons) == 0 {
			return roster.Internal(err, "move seats (%s)", kind)
		}
		switch reason := cancelled.CancellationReasons[0]; aws.ToString(reason.Code) {
		case "ConditionalCheckFailed":
			old, err := s.courseAsItWas(ctx, orgID, courseID, reason.Item)
			if err != nil {
				return err
			}
			refused, otherKind := training.MoveRefused(kind, m.Count, old.course(), limited)
			if otherKind {
				limited = old.Seats != nil // the pool is of the other kind: try its update
				continue
			}
			return refused
		case "TransactionConflict", "None", "":
			if err := kit.Backoff(ctx, attempt+1); err != nil {
				return err
			}
		default:
			return roster.Internal(err, "move seats (%s)", kind)
		}
	}
	return training.PoolBusy()
}

// courseAsItWas decodes the course DynamoDB returned with a failed
// condition, or reads it when DynamoDB returned none.
func (s *Store) courseAsItWas(ctx context.Context, orgID, courseID string, item map[string]types.AttributeValue) (*courseItem, error) {
	if len(item) == 0 {
		return s.getCourseItem(ctx, orgID, courseID, true)
	}
	var it courseItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return nil, roster.Internal(err, "decode course")
	}
	return &it, nil
}

// ListSeatLedger reads a course's ledger newest first: Query PK = org,
// SK in the course's SEATS# range, backwards. The cursor is the last sort
// key returned, checked to be of this course.
func (s *Store) ListSeatLedger(ctx context.Context, orgID, courseID string, page roster.PageRequest) (*training.LedgerPage, error) {
	prefix := kit.LedgerPrefix(courseID)
	in := &dynamodb.QueryInput{
		TableName:              &s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: kit.OrgPK(orgID)},
			":lo": &types.AttributeValueMemberS{Value: prefix},
			":hi": &types.AttributeValueMemberS{Value: prefix + kit.MaxRune},
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(page.Limit)),
	}
	if page.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(page.Cursor)
		if err != nil || !strings.HasPrefix(string(b), prefix) {
			return nil, roster.BadRequest("cursor", "is not a cursor of this ledger: start again from the first page")
		}
		in.ExclusiveStartKey = kit.Key(kit.OrgPK(orgID), string(b))
	}
	out, err := s.t.DB.Query(ctx, in)
	if err != nil {
		return nil, roster.Internal(err, "list seat ledger")
	}
	var items []ledgerItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return nil, roster.Internal(err, "decode seat ledger")
	}
	res := &training.LedgerPage{Items: make([]training.LedgerEntry, len(items))}
	for i := range items {
		res.Items[i] = items[i].entry()
	}
	if sk, ok := kit.StringAttr(out.LastEvaluatedKey, kit.AttrSK); ok {
		res.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(sk))
	}
	return res, nil
}
