package dynamo

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// CreateUser writes the user, the reservations of its email and user ID, and
// its group memberships in one transaction, so a duplicate leaves nothing behind.
func (s *Store) CreateUser(ctx context.Context, u *roster.User) error {
	w := userWrite{store: s, new: u}
	if err := s.ensureOwnerCount(ctx, u.OrgID, ownersDelta(nil, u)); err != nil {
		return err
	}
	items, err := w.items()
	if err != nil {
		return err
	}
	failed, err := s.t.Transact(ctx, items)
	if err == kit.ErrConditionFailed {
		return w.conflict(failed)
	}
	return kit.Wrap(err, "create user")
}

// GetUser returns the user or a not-found error. The read is strongly
// consistent: actions read a user just written and decide on what they read.
func (s *Store) GetUser(ctx context.Context, orgID, id string) (*roster.User, error) {
	u, err := s.getUser(ctx, orgID, id, true)
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Store) getUser(ctx context.Context, orgID, id string, consistent bool) (*roster.User, error) {
	if id == "" {
		return nil, roster.NotFound("no such user")
	}
	it, err := kit.GetExisting[userItem](ctx, s.t, "user", kit.OrgPK(orgID), kit.UserSK(id), consistent)
	if err != nil {
		return nil, err
	}
	return it.user(), nil
}

// GetUsers reads users by id with BatchGetItem, 100 per request.
func (s *Store) GetUsers(ctx context.Context, orgID string, ids []string) (map[string]*roster.User, error) {
	return s.batchGetUsers(ctx, kit.OrgPK(orgID), ids)
}

// FindUserByLogin looks login up as an email when it holds "@" (user IDs
// never do), else as a user ID.
func (s *Store) FindUserByLogin(ctx context.Context, orgID, login string) (*roster.User, error) {
	sk := kit.UserIDSK(login)
	if strings.Contains(login, "@") {
		sk = kit.EmailSK(login)
	}
	var it uniqueItem
	found, err := s.t.GetItem(ctx, "login reservation", kit.OrgPK(orgID), sk, false, &it)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, roster.NotFound("no such user")
	}
	return s.getUser(ctx, orgID, it.Ref, true) // consistent: a session opened now carries the user's current SessionsEndedAt
}

// UpdateUser reads the user, applies change, and writes the result on
// condition that the stored version is still the one read.
func (s *Store) UpdateUser(ctx context.Context, orgID, id string, expectedVersion int64, change func(*roster.User) error) (*roster.User, error) {
	return s.updateUser(ctx, orgID, id, expectedVersion, change, nil, nil)
}

// alsoWrite builds writes that go in the same transaction as a user's
// write, given the user as it will be written. failed names the error of
// the write at index i (of those returned) when its condition fails, or is
// nil when that is not the write's to name.
type alsoWrite func(u *roster.User) (items []types.TransactWriteItem, failed func(i int) error, err error)

// updateUser is UpdateUser with more writes in the same transaction, when
// also is not nil. When read is not nil, the first attempt starts from it
// instead of reading the user; a stale one fails the version condition, and
// the next attempt reads.
func (s *Store) updateUser(ctx context.Context, orgID, id string, expectedVersion int64, change func(*roster.User) error, also alsoWrite, read *roster.User) (*roster.User, error) {
	short := map[string]bool{} // courses an unarchived user gets no seat back in
	for attempt := range kit.UpdateAttempts {
		if attempt > 0 {
			if err := kit.Backoff(ctx, attempt); err != nil {
				return nil, err
			}
		}
		old := read
		read = nil
		if old == nil || old.OrgID != orgID || old.ID != id {
			var err error
			if old, err = s.getUser(ctx, orgID, id, true); err != nil {
				return nil, err
			}
		}
		if expectedVersion != 0 && old.Version != expectedVersion {
			return nil, staleVersion()
		}
		u := *old
		u.GroupIDs = slices.Clone(old.GroupIDs)
		u.Courses = slices.Clone(old.Courses)
		u.RecentJobs = slices.Clone(old.RecentJobs)
		if err := change(&u); err != nil {
			return nil, err
		}
		u.ID, u.OrgID, u.CreatedAt = old.ID, old.OrgID, old.CreatedAt
		u.Version = old.Version + 1
		if err := s.ensureOwnerCount(ctx, orgID, ownersDelta(old, &u)); err != nil {
			return nil, err
		}
		w := userWrite{store: s, old: old, new: &u}
		items, err := w.items()
		if err != nil {
			return nil, err
		}
		enroll, err := s.enrollmentItems(ctx, old, &u, len(items), short)
		if err != nil {
			return nil, err
		}
		items = append(items, enroll.items...)
		base := len(items)
		var alsoFailed func(int) error
		if also != nil {
			more, f, err := also(&u)
			if err != nil {
				return nil, err
			}
			items, alsoFailed = append(items, more...), f
		}
		failed, err := s.t.Transact(ctx, items)
		if err == kit.ErrConditionFailed && !slices.Contains(failed, 0) {
			named, retry := enroll.failure(ctx, failed)
			var restore *errRestoreShort
			if errors.As(named, &restore) {
				short[restore.courseID] = true
				continue
			}
			if named != nil {
				return nil, named
			}
			if retry {
				continue
			}
		}
		if err == kit.ErrConditionFailed && alsoFailed != nil {
			for _, i := range failed {
				if i >= base {
					if named := alsoFailed(i - base); named != nil {
						return nil, named
					}
				}
			}
		}
		switch {
		case err == nil:
			return &u, nil
		case err == kit.ErrConditionFailed && !slices.Contains(failed, 0):
			return nil, w.conflict(failed)
		case err != kit.ErrConditionFailed && err != kit.ErrTransactionConflict:
			return nil, kit.Wrap(err, "update user")
		}
		// Somebody wrote the user in between, or is writing it: read it again
		// and retry. A caller who sent a version gets a conflict at the read
		// if the version moved.
	}
	return nil, roster.Conflict("version", "this user is being changed by others right now; try again")
}

func staleVersion() error {
	return roster.Conflict("version", "this user was changed by someone else: reload and try again")
}

// userWrite is the transaction that writes a user: the user item guarded by
// its version, and every reservation and membership item that must move with it.
type userWrite struct {
	store *Store
	old   *roster.User // nil when creating
	new   *roster.User
	// uniques records which transaction item reserves which field, and refs
	// which item checks that a group or location exists, to name the field
	// when its condition fails; owners is the index of the owner count's
	// update (-1 when the write leaves it alone).
	uniques map[int]string
	refs    map[int]string
	owners  int
}

// ownersDelta is how a write from old to new (nil: none) moves the count of
// owners holding ownership.
func ownersDelta(old, new *roster.User) int {
	holds := func(u *roster.User) int {
		if u != nil && u.HoldsOwnership() {
			return 1
		}
		return 0
	}
	return holds(new) - holds(old)
}

// ownersUpdate is the transaction item moving the organization's owner count
// by delta. Taking one away is conditional on another one staying, so two
// owners demoting each other at once cannot both succeed: the transactions
// meet on this item.
func (s *Store) ownersUpdate(orgID string, delta int) types.TransactWriteItem {
	up := &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.OwnersSK()),
		UpdateExpression:          aws.String("ADD n :d"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberN{Value: strconv.Itoa(delta)}},
	}
	if delta < 0 {
		up.ConditionExpression = aws.String("n > :keep")
		up.ExpressionAttributeValues[":keep"] = &types.AttributeValueMemberN{Value: strconv.Itoa(-delta)}
	}
	return types.TransactWriteItem{Update: up}
}

// ensureOwnerCount makes sure the organization's owner count exists before
// a write moves it (delta not 0). Organizations made before the count was
// kept get it from the ByRole index, once; a count written in between wins.
func (s *Store) ensureOwnerCount(ctx context.Context, orgID string, delta int) error {
	if delta == 0 {
		return nil
	}
	var c counterItem
	found, err := s.t.GetItem(ctx, "owner count", kit.OrgPK(orgID), kit.OwnersSK(), true, &c)
	if err != nil || found {
		return err
	}
	n := 0
	p := dynamodb.NewQueryPaginator(s.t.DB, &dynamodb.QueryInput{
		TableName: &s.t.Name, IndexName: aws.String(kit.IndexByRole),
		KeyConditionExpression: aws.String("rolePK = :pk AND begins_with(nameSK, :b)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: kit.FacetPK(orgID, "role:"+string(roster.RoleOwner))},
			":b":  &types.AttributeValueMemberS{Value: kit.BucketActive + "#"},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return roster.Internal(err, "count owners")
		}
		for _, m := range page.Items {
			var it userItem
			if err := attributevalue.UnmarshalMap(m, &it); err != nil {
				return roster.Internal(err, "decode owner")
			}
			if it.user().HoldsOwnership() {
				n++
			}
		}
	}
	m, err := kit.Marshal(&counterItem{PK: kit.OrgPK(orgID), SK: kit.OwnersSK(), N: n})
	if err != nil {
		return err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.t.Name, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return nil
	}
	return kit.Wrap(err, "put owner count")
}

func (w *userWrite) items() ([]types.TransactWriteItem, error) {
	s, u, old := w.store, w.new, w.old
	m, err := kit.Marshal(newUserItem(u))
	if err != nil {
		return nil, err
	}
	put := &types.Put{TableName: &s.t.Name, Item: m}
	if old == nil {
		put.ConditionExpression = aws.String("attribute_not_exists(PK)")
	} else {
		put.ConditionExpression = aws.String("version = :v")
		put.ExpressionAttributeValues = map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(old.Version, 10)}}
	}
	items := []types.TransactWriteItem{{Put: put}}
	w.owners = -1
	if d := ownersDelta(old, u); d != 0 {
		w.owners = len(items)
		items = append(items, s.ownersUpdate(u.OrgID, d))
	}
	w.uniques = map[int]string{}
	reserve := func(field, oldValue, newValue string, sk func(string) string, norm func(string) string) error {
		if old != nil && norm(oldValue) == norm(newValue) {
			return nil
		}
		if old != nil && oldValue != "" {
			items = append(items, s.t.DeleteOwned(kit.OrgPK(u.OrgID), sk(oldValue), u.ID))
		}
		if newValue != "" {
			it, err := s.t.PutNew(&uniqueItem{PK: kit.OrgPK(u.OrgID), SK: sk(newValue), Type: field, Ref: u.ID})
			if err != nil {
				return err
			}
			w.uniques[len(items)] = field
			items = append(items, it)
		}
		return nil
	}
	var oldEmail, oldUserID string
	if old != nil {
		oldEmail, oldUserID = old.Email, old.UserID
	}
	if err := reserve("email", oldEmail, u.Email, kit.EmailSK, roster.NormalizeEmail); err != nil {
		return nil, err
	}
	if err := reserve("userId", oldUserID, u.UserID, kit.UserIDSK, roster.NormalizeUserID); err != nil {
		return nil, err
	}
	// A group or location the write adds must exist and not be being
	// deleted, checked in the same transaction: no user points at a deleted one.
	w.refs = map[int]string{}
	checkRef := func(field, sk string) {
		w.refs[len(items)] = field
		items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(u.OrgID), sk),
			ConditionExpression: aws.String("attribute_exists(PK) AND attribute_not_exists(deleting)"),
		}})
	}
	if u.LocationID != "" && (old == nil || old.LocationID != u.LocationID) {
		checkRef("locationId", kit.LocationSK(u.LocationID))
	}
	for _, g := range u.GroupIDs {
		if old == nil || !slices.Contains(old.GroupIDs, g) {
			checkRef("groupIds", kit.GroupSK(g))
		}
	}
	// Memberships carry the user's name key and bucket: rewrite them all when
	// those move, otherwise only the ones that come and go.
	var oldGroups []string
	rewrite := old == nil
	if old != nil {
		oldGroups = old.GroupIDs
		rewrite = kit.NameToken(old) != kit.NameToken(u) || kit.BucketOf(old) != kit.BucketOf(u)
	}
	for _, g := range oldGroups {
		if !slices.Contains(u.GroupIDs, g) {
			items = append(items, s.t.DeleteItem(kit.OrgPK(u.OrgID), kit.MemberSK(u.ID, g)))
		}
	}
	for i, mi := range newMemberItems(u) {
		if g := u.GroupIDs[i]; rewrite || !slices.Contains(oldGroups, g) {
			it, err := s.t.Put(mi)
			if err != nil {
				return nil, err
			}
			items = append(items, it)
		}
	}
	return items, nil
}

// conflict names the field whose reservation or reference check failed.
func (w *userWrite) conflict(failed []int) error {
	for _, i := range failed {
		if i == w.owners {
			return roster.ErrLastOwner
		}
		switch w.refs[i] {
		case "locationId":
			return roster.Invalid("locationId", "no such location")
		case "groupIds":
			return roster.Invalid("groupIds", "no such group")
		}
		switch w.uniques[i] {
		case "email":
			return roster.Conflict("email", "is already used by another user in this organization")
		case "userId":
			return roster.Conflict("userId", "is already used by another user in this organization")
		}
	}
	if w.old == nil {
		return roster.Conflict("id", "a user with this id exists")
	}
	return staleVersion()
}

// DeleteUser removes a user and everything that is theirs, after a write
// that stamps who deletes them.
func (s *Store) DeleteUser(ctx context.Context, orgID, id string, check func(*roster.User) error) error {
	u, err := s.UpdateUser(ctx, orgID, id, 0, check)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Delete: &types.Delete{
			TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.UserSK(id)), ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(u.Version, 10)}},
		}},
		s.t.DeleteItem(kit.OrgPK(orgID), kit.CredentialSK(id)),
		s.t.DeleteItem(kit.OrgPK(orgID), kit.LatestLinkSK(id, accounts.LinkInvitation)),
		s.t.DeleteItem(kit.OrgPK(orgID), kit.LatestLinkSK(id, accounts.LinkPasswordReset)),
	}
	owners := -1
	if d := ownersDelta(u, nil); d != 0 {
		if err := s.ensureOwnerCount(ctx, orgID, d); err != nil {
			return err
		}
		owners = len(items)
		items = append(items, s.ownersUpdate(orgID, d))
	}
	if u.Email != "" {
		items = append(items, s.t.DeleteOwned(kit.OrgPK(orgID), kit.EmailSK(u.Email), id))
	}
	if u.UserID != "" {
		items = append(items, s.t.DeleteOwned(kit.OrgPK(orgID), kit.UserIDSK(u.UserID), id))
	}
	for _, g := range u.GroupIDs {
		items = append(items, s.t.DeleteItem(kit.OrgPK(orgID), kit.MemberSK(id, g)))
	}
	failed, err := s.t.Transact(ctx, items)
	if err == kit.ErrConditionFailed && slices.Contains(failed, owners) {
		return roster.ErrLastOwner
	}
	if err == kit.ErrConditionFailed || err == kit.ErrTransactionConflict {
		return roster.Conflict("version", "this user changed while being deleted: try again")
	}
	return kit.Wrap(err, "delete user")
}

// scrubWindow is how far before a removal ScrubAudit also reads the base
// table, for entries the ByAuditTarget index may not show yet: index
// updates lag the table, usually by well under a second.
const scrubWindow = 10 * time.Minute

// ScrubAudit removes the field changes, which hold personal data, from every
// audit entry about a deleted user; the entries themselves stay, as
// tombstones. It finds the entries through the ByAuditTarget index, and the
// latest ones in the base table too, since the index lags. It is idempotent.
func (s *Store) ScrubAudit(ctx context.Context, orgID, userID string, removedAt time.Time) error {
	queries := []*dynamodb.QueryInput{{
		TableName:                 &s.t.Name,
		IndexName:                 aws.String(kit.IndexByAudit),
		KeyConditionExpression:    aws.String("auditTargetPK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: kit.FacetPK(orgID, "user:"+userID)}},
		FilterExpression:          aws.String("attribute_exists(changes)"),
		ProjectionExpression:      aws.String("PK, SK"),
	}, {
		TableName:              &s.t.Name,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: kit.OrgPK(orgID)},
			":lo":   &types.AttributeValueMemberS{Value: kit.AuditPrefix + roster.AuditTime(removedAt.Add(-scrubWindow))},
			":hi":   &types.AttributeValueMemberS{Value: kit.AuditPrefix + roster.AuditTime(removedAt.Add(time.Minute)) + kit.MaxRune},
			":user": &types.AttributeValueMemberS{Value: userID},
		},
		FilterExpression:     aws.String("targetId = :user AND attribute_exists(changes)"),
		ProjectionExpression: aws.String("PK, SK"),
		ConsistentRead:       aws.Bool(true),
	}}
	for _, q := range queries {
		p := dynamodb.NewQueryPaginator(s.t.DB, q)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return roster.Internal(err, "find audit entries to scrub")
			}
			for _, k := range page.Items {
				_, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
					TableName: &s.t.Name, Key: map[string]types.AttributeValue{kit.AttrPK: k[kit.AttrPK], kit.AttrSK: k[kit.AttrSK]},
					UpdateExpression: aws.String("REMOVE changes"),
				})
				if err != nil {
					return roster.Internal(err, "scrub audit entry")
				}
			}
		}
	}
	return nil
}
