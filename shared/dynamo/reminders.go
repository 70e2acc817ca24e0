package dynamo

import (
	reminders "github.com/rosterhq/roster/shared/reminders"

	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

var _ reminders.Store = (*Store)(nil)

// reminderItem claims one day's reminder email for one user, before it is
// sent; TTL removes it after the day.
type reminderItem struct {
	PK      string    `dynamodbav:"PK"`
	SK      string    `dynamodbav:"SK"`
	Type    string    `dynamodbav:"type"`
	UserRef string    `dynamodbav:"userRef"`
	At      time.Time `dynamodbav:"at"`
	TTL     int64     `dynamodbav:"ttl"`
}

// EachDueOrganization reads the ByDue index shard by shard, each a Query of
// DueSK below the day after through, and calls fn with each organization
// of the shard. An organization's enrollments all live in one shard, so fn
// sees each organization once, with all of its keys, and no more than one
// shard is held in memory. The organization comes from the table's own
// key (PK) of each entry, never from the index key.
func (s *Store) EachDueOrganization(ctx context.Context, through time.Time, fn func(orgID string, keys []reminders.EnrollmentKey) error) error {
	end := roster.DateOf(through.AddDate(0, 0, 1))
	for shard := range kit.DueShards {
		byOrg := map[string][]reminders.EnrollmentKey{}
		p := dynamodb.NewQueryPaginator(s.t.DB, &dynamodb.QueryInput{
			TableName: &s.t.Name, IndexName: aws.String(kit.IndexByDue),
			KeyConditionExpression: aws.String("duePK = :pk AND dueSK < :end"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": &types.AttributeValueMemberS{Value: kit.DuePK(shard)}, ":end": &types.AttributeValueMemberS{Value: end},
			},
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return roster.Internal(err, "list enrollments due")
			}
			var items []struct {
				PK string `dynamodbav:"PK"`
				SK string `dynamodbav:"SK"`
			}
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
				return roster.Internal(err, "decode enrollments due")
			}
			for _, it := range items {
				orgID, ok := strings.CutPrefix(it.PK, kit.OrgPK(""))
				rest, isEnroll := strings.CutPrefix(it.SK, kit.EnrollPrefix)
				userID, courseID, twoParts := strings.Cut(rest, "#")
				if !ok || !isEnroll || !twoParts {
					continue
				}
				byOrg[orgID] = append(byOrg[orgID], reminders.EnrollmentKey{UserID: userID, CourseID: courseID})
			}
		}
		for _, orgID := range slices.Sorted(maps.Keys(byOrg)) {
			if err := fn(orgID, byOrg[orgID]); err != nil {
				return err
			}
		}
	}
	return nil
}

// GetEnrollments reads the enrollments with BatchGetItem, strongly consistent.
func (s *Store) GetEnrollments(ctx context.Context, orgID string, keys []reminders.EnrollmentKey) ([]training.Enrollment, error) {
	ks := make([]map[string]types.AttributeValue, 0, len(keys))
	seen := map[reminders.EnrollmentKey]bool{}
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			ks = append(ks, kit.Key(kit.OrgPK(orgID), kit.EnrollSK(k.UserID, k.CourseID)))
		}
	}
	found, err := s.t.BatchRead(ctx, "enrollments", ks, true)
	if err != nil {
		return nil, err
	}
	var items []enrollmentItem
	if err := attributevalue.UnmarshalListOfMaps(found, &items); err != nil {
		return nil, roster.Internal(err, "decode enrollments")
	}
	out := make([]training.Enrollment, len(items))
	for i := range items {
		out[i] = items[i].enrollment()
	}
	return out, nil
}

// ClaimReminder puts the claim on condition that it does not exist.
func (s *Store) ClaimReminder(ctx context.Context, orgID, day, kind, userID string, expires time.Time) (bool, error) {
	m, err := kit.Marshal(&reminderItem{PK: kit.OrgPK(orgID), SK: kit.ReminderSK(day, kind, userID), Type: "reminder", UserRef: userID, At: s.t.Now().UTC(), TTL: expires.Unix()})
	if err != nil {
		return false, err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.t.Name, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if kit.IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, roster.Internal(err, "claim a reminder")
	}
	return true, nil
}

// ReleaseReminder deletes the claim.
func (s *Store) ReleaseReminder(ctx context.Context, orgID, day, kind, userID string) error {
	_, err := s.t.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.ReminderSK(day, kind, userID))})
	if err != nil {
		return roster.Internal(err, "release a reminder claim")
	}
	return nil
}
