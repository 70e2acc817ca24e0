package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

// Training records are read by one of three plans, picked by the filter:
//
//   - a course: the course's ByCourse partition, whole, in nameSK order:
//     current enrollments of users on the active roster (A#), of archived
//     users (X#), then the course's archived activity (Z#);
//   - a group or location (no course): the users the roster's listing
//     reads for it, both buckets, and each user's enrollment items;
//   - otherwise: the organization's enrollment items in the base table,
//     SK from "ENROLL#" to "ENROLLED#…" (current, then archived activity,
//     each by user id).
//
// Each request reads at most recordReadBudget enrollments (or
// recordUserBudget users), so a selective filter returns short pages,
// each with a cursor to the next; the cursor is where reading stopped.
const (
	planCourse = "course"
	planUsers  = "users"
	planOrg    = "org"

	recordReadBudget = 1000
	recordUserBudget = 200
)

// recordCursor is where a training records listing stopped: the last
// enrollment examined (SK, and its nameSK in a course's plan) or, in the
// users' plan, the index key of the last user whose records were all
// examined, with the driver of that listing.
type recordCursor struct {
	Plan   string `json:"p"`
	SK     string `json:"s,omitempty"`
	NameSK string `json:"n,omitempty"`
	After  string `json:"a,omitempty"`
	Driver string `json:"d,omitempty"`
	Filter string `json:"f"`
}

func recordFingerprint(orgID string, f training.RecordFilter) string {
	t := func(v *time.Time) string {
		if v == nil {
			return ""
		}
		return v.UTC().Format(time.RFC3339Nano)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s", orgID, f.CourseID, f.GroupID, f.LocationID, f.Status,
		t(f.DueFrom), t(f.DueTo), t(f.CompletedFrom), t(f.CompletedTo)))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

func encodeRecordCursor(orgID string, f training.RecordFilter, c recordCursor) string {
	c.Filter = recordFingerprint(orgID, f)
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeRecordCursor(orgID string, f training.RecordFilter, plan, s string) (recordCursor, error) {
	bad := roster.BadRequest("cursor", "is not a cursor of this listing: start again from the first page")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return recordCursor{}, bad
	}
	var c recordCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Plan != plan || c.Filter != recordFingerprint(orgID, f) {
		return recordCursor{}, bad
	}
	return c, nil
}

// ListTrainingRecords returns one page of the organization's training
// records matching f (see the plans above).
func (s *Store) ListTrainingRecords(ctx context.Context, orgID string, f training.RecordFilter, page roster.PageRequest) (*training.RecordPage, error) {
	plan := planOrg
	switch {
	case f.CourseID != "":
		plan = planCourse
	case f.GroupID != "" || f.LocationID != "":
		plan = planUsers
	}
	var c recordCursor
	if page.Cursor != "" {
		var err error
		if c, err = decodeRecordCursor(orgID, f, plan, page.Cursor); err != nil {
			return nil, err
		}
	}
	c.Plan = plan
	r := &recordReader{s: s, orgID: orgID, f: f, limit: page.Limit, now: s.t.Now(), page: &training.RecordPage{Items: []training.TrainingRecord{}}}
	var more bool
	var err error
	switch plan {
	case planCourse:
		more, err = r.readCourse(ctx, &c)
	case planUsers:
		more, err = r.readUsers(ctx, &c)
	default:
		more, err = r.readOrg(ctx, &c)
	}
	if err != nil {
		return nil, err
	}
	if more {
		r.page.NextCursor = encodeRecordCursor(orgID, f, c)
	}
	return r.page, nil
}

// recordReader fills one page of training records.
type recordReader struct {
	s     *Store
	orgID string
	f     training.RecordFilter
	limit int
	now   time.Time
	page  *training.RecordPage
}

func (r *recordReader) full() bool { return len(r.page.Items) >= r.limit }

// readOrg reads the organization's enrollment items from the cursor's SK.
func (r *recordReader) readOrg(ctx context.Context, c *recordCursor) (bool, error) {
	in := &dynamodb.QueryInput{
		TableName:              &r.s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: kit.OrgPK(r.orgID)},
			":lo": &types.AttributeValueMemberS{Value: kit.EnrollPrefix},
			":hi": &types.AttributeValueMemberS{Value: kit.EnrolledPrefix + kit.MaxRune},
		},
	}
	if c.SK != "" {
		in.ExclusiveStartKey = kit.Key(kit.OrgPK(r.orgID), c.SK)
	}
	for read := 0; read < recordReadBudget && !r.full(); {
		in.Limit = aws.Int32(int32(min(recordReadBudget-read, max(2*(r.limit-len(r.page.Items)), 50))))
		out, err := r.s.t.DB.Query(ctx, in)
		if err != nil {
			return false, roster.Internal(err, "query enrollments")
		}
		read += len(out.Items)
		var items []enrollmentItem
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
			return false, roster.Internal(err, "decode enrollments")
		}
		last, err := r.add(ctx, items)
		if err != nil {
			return false, err
		}
		if last < len(items) {
			c.SK = items[last].SK
			return true, nil
		}
		if len(out.LastEvaluatedKey) == 0 {
			return false, nil
		}
		c.SK, _ = kit.StringAttr(out.LastEvaluatedKey, kit.AttrSK)
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return true, nil
}

// readCourse reads the course's ByCourse partition from the cursor's key;
// the index holds keys only, so each batch's enrollments are fetched.
func (r *recordReader) readCourse(ctx context.Context, c *recordCursor) (bool, error) {
	pk := kit.FacetPK(r.orgID, "course:"+r.f.CourseID)
	in := &dynamodb.QueryInput{
		TableName:                 &r.s.t.Name,
		IndexName:                 aws.String(kit.IndexByCourse),
		KeyConditionExpression:    aws.String("coursePK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	}
	if c.SK != "" {
		in.ExclusiveStartKey = kit.Key(kit.OrgPK(r.orgID), c.SK)
		in.ExclusiveStartKey["coursePK"] = &types.AttributeValueMemberS{Value: pk}
		in.ExclusiveStartKey["nameSK"] = &types.AttributeValueMemberS{Value: c.NameSK}
	}
	for read := 0; read < recordReadBudget && !r.full(); {
		in.Limit = aws.Int32(int32(min(recordReadBudget-read, max(2*(r.limit-len(r.page.Items)), 50))))
		out, err := r.s.t.DB.Query(ctx, in)
		if err != nil {
			return false, roster.Internal(err, "query %s", kit.IndexByCourse)
		}
		read += len(out.Items)
		keys := make([]map[string]types.AttributeValue, len(out.Items))
		for i, it := range out.Items {
			keys[i] = map[string]types.AttributeValue{kit.AttrPK: it[kit.AttrPK], kit.AttrSK: it[kit.AttrSK]}
		}
		found, err := r.s.t.BatchGet(ctx, "enrollments", keys)
		if err != nil {
			return false, err
		}
		bySK := make(map[string]enrollmentItem, len(found))
		for _, m := range found {
			var e enrollmentItem
			if err := attributevalue.UnmarshalMap(m, &e); err != nil {
				return false, roster.Internal(err, "decode enrollment")
			}
			bySK[e.SK] = e
		}
		items := make([]enrollmentItem, 0, len(out.Items))
		for _, it := range out.Items {
			sk, _ := kit.StringAttr(it, kit.AttrSK)
			if e, ok := bySK[sk]; ok { // an enrollment removed since the index was read is left out
				items = append(items, e)
			}
		}
		last, err := r.add(ctx, items)
		if err != nil {
			return false, err
		}
		if last < len(items) {
			c.SK, c.NameSK = items[last].SK, items[last].NameSK
			return true, nil
		}
		if len(out.LastEvaluatedKey) == 0 {
			return false, nil
		}
		c.SK, _ = kit.StringAttr(out.LastEvaluatedKey, kit.AttrSK)
		c.NameSK, _ = kit.StringAttr(out.LastEvaluatedKey, "nameSK")
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return true, nil
}

// readUsers reads the users of the group or location in roster order, as
// the roster's listing does (archived users included), and each user's
// current enrollments and archived activity. A page ends after a whole
// user, so it can hold a few more records than asked for.
func (r *recordReader) readUsers(ctx context.Context, c *recordCursor) (bool, error) {
	uf := roster.UserFilter{GroupID: r.f.GroupID, LocationID: r.f.LocationID, Archived: roster.ArchivedInclude}
	if c.Driver == "" {
		var err error
		if c.Driver, err = r.s.driverFor(ctx, r.orgID, uf); err != nil {
			return false, err
		}
	}
	m := r.s.newMerger(r.orgID, uf, c.Driver, c.After, min(r.limit+1, 100))
	for users := 0; users < recordUserBudget; users++ {
		e, err := m.next(ctx)
		if err != nil {
			return false, err
		}
		if e == nil {
			return false, nil
		}
		var items []enrollmentItem
		for _, prefix := range []string{kit.EnrollSK(e.user.ID, ""), enrolledUserPrefix(e.user.ID)} {
			got, err := r.s.queryEnrollments(ctx, r.orgID, prefix)
			if err != nil {
				return false, err
			}
			items = append(items, got...)
		}
		r.keep(items, map[string]*roster.User{e.user.ID: e.user})
		c.After = e.sk
		if r.full() {
			return true, nil
		}
	}
	return true, nil
}

// queryEnrollments returns the enrollment items whose SK starts with prefix.
func (s *Store) queryEnrollments(ctx context.Context, orgID, prefix string) ([]enrollmentItem, error) {
	return kit.QueryPrefix[enrollmentItem](ctx, s.t, orgID, prefix, false, "enrollments")
}

// add fetches the users of items and keeps the records matching the
// filter until the page is full. It returns the index of the last item
// examined when the page filled before the end of items, else len(items).
func (r *recordReader) add(ctx context.Context, items []enrollmentItem) (int, error) {
	ids := make([]string, 0, len(items))
	for _, e := range items {
		ids = append(ids, e.UserRef)
	}
	users, err := r.s.batchGetUsers(ctx, kit.OrgPK(r.orgID), ids)
	if err != nil {
		return 0, err
	}
	for i := range items {
		r.keep(items[i:i+1], users)
		if r.full() && i < len(items)-1 {
			return i, nil
		}
	}
	return len(items), nil
}

// keep appends the records of items that match the filter; items whose
// user is gone are left out.
func (r *recordReader) keep(items []enrollmentItem, users map[string]*roster.User) {
	for _, e := range items {
		u := users[e.UserRef]
		if u == nil || (e.Type != "enrollment" && e.Type != "archived-enrollment") {
			continue
		}
		rec := training.TrainingRecord{
			Enrollment: training.Enrollment{
				UserID: e.UserRef, CourseID: e.CourseID, State: e.State, Seat: e.Seat, DueAt: e.DueAt, AssignedAt: e.AssignedAt, Active: !e.Inactive,
				StartedAt: e.StartedAt, CompletedAt: e.CompletedAt, RetakeDueAt: e.RetakeDueAt,
			},
			User:               *u,
			ActivityArchivedAt: e.ArchivedAt,
		}
		if r.f.Matches(&rec, r.now) {
			r.page.Items = append(r.page.Items, rec)
		}
	}
}

// enrolledUserPrefix starts the SKs of a user's archived course activity.
func enrolledUserPrefix(userID string) string { return kit.EnrolledPrefix + userID + "#" }
