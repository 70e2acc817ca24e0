package dynamo

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/groups"
)

// CreateOrganization stores the organization, reserves its slug, and adds
// its owner with their reservations and password, all in one transaction.
var _ groups.Store = (*Store)(nil)

func (s *Store) CreateOrganization(ctx context.Context, o *roster.Organization, owner *roster.User, passwordHash string) error {
	org, err := s.t.PutNew(&orgItem{PK: kit.OrgPK(o.ID), SK: kit.OrgSK(), Type: "organization", ID: o.ID, Slug: o.Slug, Name: o.Name, CreatedAt: o.CreatedAt})
	if err != nil {
		return err
	}
	slug, err := s.t.PutNew(&uniqueItem{PK: kit.SlugPK(o.Slug), SK: kit.SlugSK(), Type: "slug", Ref: o.ID})
	if err != nil {
		return err
	}
	cred, err := s.t.Put(&credentialItem{PK: kit.OrgPK(o.ID), SK: kit.CredentialSK(owner.ID), Type: "credential", Hash: passwordHash})
	if err != nil {
		return err
	}
	w := userWrite{store: s, new: owner}
	user, err := w.items()
	if err != nil {
		return err
	}
	failed, err := s.t.Transact(ctx, append([]types.TransactWriteItem{org, slug, cred}, user...))
	if err == kit.ErrConditionFailed {
		if slices.Contains(failed, 1) {
			return roster.Conflict("slug", "is already taken")
		}
		return roster.Conflict("id", "an organization with this id exists")
	}
	return kit.Wrap(err, "create organization")
}

// GetOrganization returns the organization or a not-found error.
func (s *Store) GetOrganization(ctx context.Context, id string) (*roster.Organization, error) {
	// Consistent: a registration link renewed a moment ago must not open.
	it, err := kit.GetExisting[orgItem](ctx, s.t, "organization", kit.OrgPK(id), kit.OrgSK(), true)
	if err != nil {
		return nil, err
	}
	return &roster.Organization{ID: it.ID, Slug: it.Slug, Name: it.Name, CreatedAt: it.CreatedAt, RegistrationToken: it.RegistrationToken}, nil
}

// SetRegistrationToken sets or, given "", removes the registration token.
func (s *Store) SetRegistrationToken(ctx context.Context, orgID, token string) error {
	in := &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.OrgSK()),
		ConditionExpression: aws.String("attribute_exists(PK)"),
		UpdateExpression:    aws.String("REMOVE registrationToken"),
	}
	if token != "" {
		in.UpdateExpression = aws.String("SET registrationToken = :t")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":t": &types.AttributeValueMemberS{Value: token}}
	}
	_, err := s.t.DB.UpdateItem(ctx, in)
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return roster.NotFound("no such organization")
	}
	return kit.Wrap(err, "set registration token")
}

// FindOrganizationBySlug returns the organization with that slug or a not-found error.
func (s *Store) FindOrganizationBySlug(ctx context.Context, slug string) (*roster.Organization, error) {
	var u uniqueItem
	found, err := s.t.GetItem(ctx, "slug", kit.SlugPK(slug), kit.SlugSK(), false, &u)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, roster.NotFound("no such organization")
	}
	return s.GetOrganization(ctx, u.Ref)
}

// GetRosterCounts returns the active and archived counts in one request.
func (s *Store) GetRosterCounts(ctx context.Context, orgID string) (roster.RosterCounts, error) {
	n, err := s.readCounters(ctx, orgID, roster.CounterKey("all", roster.BucketActive), roster.CounterKey("all", roster.BucketArchived))
	if err != nil {
		return roster.RosterCounts{}, err
	}
	return roster.RosterCounts{Active: n[0], Archived: n[1]}, nil
}

// readCounters returns the values of the named counters (zero when absent) with one BatchGetItem.
func (s *Store) readCounters(ctx context.Context, orgID string, keys ...string) ([]int, error) {
	req := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		req[i] = kit.Key(kit.OrgPK(orgID), kit.CounterSK(k))
	}
	found, err := s.t.BatchGet(ctx, "counters", req)
	if err != nil {
		return nil, err
	}
	values := map[string]int{}
	for _, m := range found {
		var c counterItem
		if err := attributevalue.UnmarshalMap(m, &c); err != nil {
			return nil, roster.Internal(err, "decode counter")
		}
		values[kit.CounterKeyOf(c.SK)] = c.N
	}
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = values[k]
	}
	return out, nil
}

// SetPasswordHash stores the user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, orgID, userID, hash string) error {
	m, err := kit.Marshal(&credentialItem{PK: kit.OrgPK(orgID), SK: kit.CredentialSK(userID), Type: "credential", Hash: hash})
	if err != nil {
		return err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.t.Name, Item: m})
	return kit.Wrap(err, "set password")
}

// GetPasswordHash returns the user's password hash or a not-found error.
func (s *Store) GetPasswordHash(ctx context.Context, orgID, userID string) (string, error) {
	var it credentialItem
	found, err := s.t.GetItem(ctx, "password", kit.OrgPK(orgID), kit.CredentialSK(userID), true, &it)
	if err != nil {
		return "", err
	}
	if !found {
		return "", roster.NotFound("no password set")
	}
	return it.Hash, nil
}

// CreateSession stores the session with a TTL at its expiry.
func (s *Store) CreateSession(ctx context.Context, sess *accounts.Session) error {
	m, err := kit.Marshal(newSessionItem(sess))
	if err != nil {
		return err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.t.Name, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	return kit.Wrap(err, "create session")
}

// GetSession returns the live session with that token hash and its user,
// both read in one BatchGetItem (strongly consistent). The session must
// belong to orgID and userID. TTL removal lags, so expiry is checked here too.
func (s *Store) GetSession(ctx context.Context, tokenHash, orgID, userID string) (*accounts.Session, *roster.User, error) {
	out, err := s.t.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		s.t.Name: {Keys: []map[string]types.AttributeValue{kit.Key(kit.SessionPK(tokenHash), kit.SessionSK()), kit.Key(kit.OrgPK(orgID), kit.UserSK(userID))}, ConsistentRead: aws.Bool(true)},
	}})
	if err != nil {
		return nil, nil, roster.Internal(err, "get session")
	}
	if len(out.UnprocessedKeys) > 0 {
		return nil, nil, roster.Internal(kit.ErrUnprocessed, "get session")
	}
	var sess *sessionItem
	var user *userItem
	for _, m := range out.Responses[s.t.Name] {
		switch {
		case kit.IsUserSK(m[kit.AttrSK].(*types.AttributeValueMemberS).Value):
			user = &userItem{}
			err = attributevalue.UnmarshalMap(m, user)
		default:
			sess = &sessionItem{}
			err = attributevalue.UnmarshalMap(m, sess)
		}
		if err != nil {
			return nil, nil, roster.Internal(err, "decode session")
		}
	}
	if sess == nil || user == nil || sess.OrgID != orgID || sess.UserRef != userID || !s.t.Now().Before(sess.ExpiresAt) {
		return nil, nil, roster.NotFound("no such session")
	}
	return &accounts.Session{
		TokenHash: tokenHash, OrgID: sess.OrgID, UserID: sess.UserRef, CreatedAt: sess.CreatedAt, ExpiresAt: sess.ExpiresAt,
		SessionsEndedAt: sess.SessionsEndedAt,
	}, user.user(), nil
}

// DeleteSession removes the session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.t.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.t.Name, Key: kit.Key(kit.SessionPK(tokenHash), kit.SessionSK())})
	return kit.Wrap(err, "delete session")
}

// createNamed stores a group or location with its name reserved, together.
func (s *Store) createNamed(ctx context.Context, it *namedItem, nameSK string) error {
	rec, err := s.t.PutNew(it)
	if err != nil {
		return err
	}
	name, err := s.t.PutNew(&uniqueItem{PK: it.PK, SK: nameSK, Type: it.Type + "-name", Ref: it.ID})
	if err != nil {
		return err
	}
	failed, err := s.t.Transact(ctx, []types.TransactWriteItem{rec, name})
	if err == kit.ErrConditionFailed && slices.Contains(failed, 1) {
		return roster.Conflict("name", "a %s with this name exists", it.Type)
	}
	return kit.Wrap(err, "create %s", it.Type)
}

// renameNamed renames a group or location, on condition that its version is
// still the one the caller read, moving its name reservation in the same
// transaction.
func (s *Store) renameNamed(ctx context.Context, orgID, sk, kind string, version int64, name string, nameSK func(string) string) (*namedItem, error) {
	it, err := s.getNamed(ctx, orgID, sk, kind)
	if err != nil {
		return nil, err
	}
	if it.Deleting {
		return nil, roster.Conflict("version", "this %s is being deleted", kind)
	}
	if it.Version != version {
		return nil, roster.Conflict("version", "this %s was changed by someone else: reload and try again", kind)
	}
	old := it.Name
	it.Name, it.Version = name, it.Version+1
	m, err := kit.Marshal(it)
	if err != nil {
		return nil, err
	}
	items := []types.TransactWriteItem{{Put: &types.Put{
		TableName: &s.t.Name, Item: m, ConditionExpression: aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(version, 10)}},
	}}}
	if nameSK(old) != nameSK(name) {
		reserve, err := s.t.PutNew(&uniqueItem{PK: it.PK, SK: nameSK(name), Type: kind + "-name", Ref: it.ID})
		if err != nil {
			return nil, err
		}
		items = append(items, reserve, s.t.DeleteOwned(it.PK, nameSK(old), it.ID))
	}
	failed, err := s.t.Transact(ctx, items)
	switch {
	case err == kit.ErrConditionFailed && slices.Contains(failed, 1):
		return nil, roster.Conflict("name", "a %s with this name exists", kind)
	case err == kit.ErrConditionFailed || err == kit.ErrTransactionConflict:
		return nil, roster.Conflict("version", "this %s was changed by someone else: reload and try again", kind)
	case err != nil:
		return nil, kit.Wrap(err, "rename %s", kind)
	}
	return it, nil
}

// markNamedDeleting marks a group or location as being deleted, on
// condition that its version is still the one the caller read.
func (s *Store) markNamedDeleting(ctx context.Context, orgID, sk, kind string, version int64) (*namedItem, error) {
	out, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), sk),
		ConditionExpression: aws.String("attribute_exists(PK) AND version = :v"),
		UpdateExpression:    aws.String("SET deleting = :t, version = version + :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(version, 10)},
			":t": &types.AttributeValueMemberBOOL{Value: true}, ":one": &types.AttributeValueMemberN{Value: "1"},
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return nil, roster.Conflict("version", "this %s was changed by someone else: reload and try again", kind)
	}
	if err != nil {
		return nil, roster.Internal(err, "mark %s deleting", kind)
	}
	var it namedItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return nil, roster.Internal(err, "decode %s", kind)
	}
	return &it, nil
}

// MarkGroupDeleting marks the group as being deleted.
func (s *Store) MarkGroupDeleting(ctx context.Context, orgID, id string, version int64) (*roster.Group, error) {
	it, err := s.markNamedDeleting(ctx, orgID, kit.GroupSK(id), "group", version)
	if err != nil {
		return nil, err
	}
	return it.group(), nil
}

// MarkLocationDeleting marks the location as being deleted.
func (s *Store) MarkLocationDeleting(ctx context.Context, orgID, id string, version int64) (*roster.Location, error) {
	it, err := s.markNamedDeleting(ctx, orgID, kit.LocationSK(id), "location", version)
	if err != nil {
		return nil, err
	}
	return it.location(), nil
}

// deleteNamed deletes a group or location and its name reservation, on
// condition that its version is still the one the caller read.
func (s *Store) deleteNamed(ctx context.Context, orgID, sk, kind string, version int64, nameSK func(string) string) error {
	it, err := s.getNamed(ctx, orgID, sk, kind)
	if err != nil {
		return err
	}
	_, err = s.t.Transact(ctx, []types.TransactWriteItem{
		{Delete: &types.Delete{
			TableName: &s.t.Name, Key: kit.Key(it.PK, it.SK), ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(version, 10)}},
		}},
		s.t.DeleteOwned(it.PK, nameSK(it.Name), it.ID),
	})
	if err == kit.ErrConditionFailed || err == kit.ErrTransactionConflict {
		return roster.Conflict("version", "this %s was changed by someone else: reload and try again", kind)
	}
	return kit.Wrap(err, "delete %s", kind)
}

func (s *Store) getNamed(ctx context.Context, orgID, sk, kind string) (*namedItem, error) {
	var it namedItem
	found, err := s.t.GetItem(ctx, kind, kit.OrgPK(orgID), sk, false, &it)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, roster.NotFound("no such %s", kind)
	}
	return &it, nil
}

// listNamed returns every item of the organization under an SK prefix, by name.
func (s *Store) listNamed(ctx context.Context, orgID, prefix string) ([]namedItem, error) {
	out, err := kit.QueryPrefix[namedItem](ctx, s.t, orgID, prefix, false, prefix)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b namedItem) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

// CreateGroup stores the group; a taken name is a conflict on "name".
func (s *Store) CreateGroup(ctx context.Context, g *roster.Group) error {
	return s.createNamed(ctx, &namedItem{PK: kit.OrgPK(g.OrgID), SK: kit.GroupSK(g.ID), Type: "group", ID: g.ID, OrgID: g.OrgID, Name: g.Name, CreatedAt: g.CreatedAt, Version: g.Version}, kit.GroupNameSK(g.Name))
}

// GetGroup returns the group or a not-found error.
func (s *Store) GetGroup(ctx context.Context, orgID, id string) (*roster.Group, error) {
	it, err := s.getNamed(ctx, orgID, kit.GroupSK(id), "group")
	if err != nil {
		return nil, err
	}
	return it.group(), nil
}

// RenameGroup renames the group, conditional on its version.
func (s *Store) RenameGroup(ctx context.Context, orgID, id string, version int64, name string) (*roster.Group, error) {
	it, err := s.renameNamed(ctx, orgID, kit.GroupSK(id), "group", version, name, kit.GroupNameSK)
	if err != nil {
		return nil, err
	}
	return it.group(), nil
}

// DeleteGroup deletes the group, conditional on its version. Its members'
// memberships are the caller's to remove first.
func (s *Store) DeleteGroup(ctx context.Context, orgID, id string, version int64) error {
	return s.deleteNamed(ctx, orgID, kit.GroupSK(id), "group", version, kit.GroupNameSK)
}

// ListGroups returns the organization's groups by name.
func (s *Store) ListGroups(ctx context.Context, orgID string) ([]roster.Group, error) {
	items, err := s.listNamed(ctx, orgID, kit.GroupPrefix)
	if err != nil {
		return nil, err
	}
	out := make([]roster.Group, len(items))
	for i := range items {
		out[i] = *items[i].group()
	}
	return out, nil
}

// CreateLocation stores the location; a taken name is a conflict on "name".
func (s *Store) CreateLocation(ctx context.Context, l *roster.Location) error {
	return s.createNamed(ctx, &namedItem{PK: kit.OrgPK(l.OrgID), SK: kit.LocationSK(l.ID), Type: "location", ID: l.ID, OrgID: l.OrgID, Name: l.Name, CreatedAt: l.CreatedAt, Version: l.Version}, kit.LocationNameSK(l.Name))
}

// GetLocation returns the location or a not-found error.
func (s *Store) GetLocation(ctx context.Context, orgID, id string) (*roster.Location, error) {
	it, err := s.getNamed(ctx, orgID, kit.LocationSK(id), "location")
	if err != nil {
		return nil, err
	}
	return it.location(), nil
}

// RenameLocation renames the location, conditional on its version.
func (s *Store) RenameLocation(ctx context.Context, orgID, id string, version int64, name string) (*roster.Location, error) {
	it, err := s.renameNamed(ctx, orgID, kit.LocationSK(id), "location", version, name, kit.LocationNameSK)
	if err != nil {
		return nil, err
	}
	return it.location(), nil
}

// DeleteLocation deletes the location, conditional on its version.
func (s *Store) DeleteLocation(ctx context.Context, orgID, id string, version int64) error {
	return s.deleteNamed(ctx, orgID, kit.LocationSK(id), "location", version, kit.LocationNameSK)
}

// ListLocations returns the organization's locations by name.
func (s *Store) ListLocations(ctx context.Context, orgID string) ([]roster.Location, error) {
	items, err := s.listNamed(ctx, orgID, kit.LocationPrefix)
	if err != nil {
		return nil, err
	}
	out := make([]roster.Location, len(items))
	for i := range items {
		out[i] = *items[i].location()
	}
	return out, nil
}

// OrganizationItems returns every item in the organization's partition,
// in key order, as stored: for tests that must prove a request left an
// organization untouched. It reads the whole partition; nothing in the
// product calls it.
func (s *Store) OrganizationItems(ctx context.Context, orgID string) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(s.t.DB, &dynamodb.QueryInput{
		TableName:                 &s.t.Name,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: kit.OrgPK(orgID)}},
		ConsistentRead:            aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, roster.Internal(err, "read organization items")
		}
		out = append(out, page.Items...)
	}
	return out, nil
}
