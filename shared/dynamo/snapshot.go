package dynamo

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/imports"
)

var _ imports.ImportStore = (*Store)(nil)

// SnapshotUserIDs reads the filter's index from cursor on. The cursor holds
// the index chosen on the first call, so that the snapshot reads one index
// to the end whatever the counters say meanwhile, and the last sort key read.
func (s *Store) SnapshotUserIDs(ctx context.Context, orgID string, f roster.UserFilter, cursor string, limit int) ([]string, string, error) {
	driver, after, ok := strings.Cut(cursor, "|")
	if cursor == "" {
		var err error
		if driver, err = s.driverFor(ctx, orgID, f); err != nil {
			return nil, "", err
		}
	} else if !ok || driver == "" || after == "" {
		return nil, "", roster.Internal(nil, "snapshot cursor %q is not one", cursor)
	}
	m := s.newMerger(orgID, f, driver, after, limit+1)
	var ids []string
	last := ""
	for len(ids) < limit {
		e, err := m.next(ctx)
		if err != nil {
			return nil, "", err
		}
		if e == nil {
			return ids, "", nil
		}
		ids = append(ids, e.user.ID)
		last = e.sk
	}
	e, err := m.next(ctx)
	if err != nil {
		return nil, "", err
	}
	if e == nil {
		return ids, "", nil
	}
	return ids, driver + "|" + last, nil
}

// ReadRoster reads the organization's groups, locations and courses, and
// its users with one Query of its USER# range.
func (s *Store) ReadRoster(ctx context.Context, orgID string) (*imports.RosterSnapshot, error) {
	snap := &imports.RosterSnapshot{}
	var err error
	if snap.Groups, err = s.ListGroups(ctx, orgID); err != nil {
		return nil, err
	}
	if snap.Locations, err = s.ListLocations(ctx, orgID); err != nil {
		return nil, err
	}
	if snap.Courses, err = s.ListCourses(ctx, orgID); err != nil {
		return nil, err
	}
	p := dynamodb.NewQueryPaginator(s.t.DB, &dynamodb.QueryInput{
		TableName:              &s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": kit.Str(kit.OrgPK(orgID)), ":prefix": kit.Str(kit.UserPrefix),
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, roster.Internal(err, "read roster")
		}
		var items []userItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, roster.Internal(err, "decode roster")
		}
		for i := range items {
			snap.Users = append(snap.Users, items[i].user())
		}
	}
	return snap, nil
}

// UpdateUserForJob writes the user with the job noted in its RecentJobs: the
// user's own conditional put records the outcome "done", so the change and
// its outcome are one item written once.
func (s *Store) UpdateUserForJob(ctx context.Context, orgID, jobID, userID string, read *roster.User, change func(*roster.User) error) (*roster.User, error) {
	return s.updateUser(ctx, orgID, userID, 0, func(u *roster.User) error {
		if u.ChangedByJob(jobID) {
			return roster.ErrOutcomeRecorded
		}
		if err := change(u); err != nil {
			return err
		}
		u.NoteJob(jobID)
		return nil
	}, nil, read)
}
