package dynamo

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
)

// CreateLink stores a link token and points the user's latest link of its
// purpose at it, in one transaction: the link the user got before stops
// working. Both are removed by TTL once expired.
func (s *Store) CreateLink(ctx context.Context, l *roster.Link) error {
	link, err := s.putNew(&linkItem{
		PK: linkPK(l.TokenHash), SK: linkSK(), Type: "link", Purpose: string(l.Purpose),
		OrgID: l.OrgID, UserRef: l.UserID, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt, TTL: l.ExpiresAt.Unix(),
		LinksRetiredAt: l.LinksRetiredAt,
	})
	if err != nil {
		return err
	}
	latest, err := s.put(&latestLinkItem{PK: orgPK(l.OrgID), SK: latestLinkSK(l.UserID, l.Purpose), Type: "latest-link", TokenHash: l.TokenHash, TTL: l.ExpiresAt.Unix()})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, []types.TransactWriteItem{link, latest})
	if err == errConditionFailed {
		return roster.Conflict("token", "a link with this token exists")
	}
	return wrap(err, "create link")
}

// GetLink reads the link, then its user's latest link of the purpose.
func (s *Store) GetLink(ctx context.Context, tokenHash string) (*roster.Link, bool, error) {
	var it linkItem
	found, err := s.getItem(ctx, "link", linkPK(tokenHash), linkSK(), true, &it)
	if err != nil {
		return nil, false, err
	}
	if !found {
		return nil, false, roster.NotFound("no such link")
	}
	l := it.link()
	var latest latestLinkItem
	found, err = s.getItem(ctx, "latest link", orgPK(l.OrgID), latestLinkSK(l.UserID, l.Purpose), true, &latest)
	if err != nil {
		return nil, false, err
	}
	return l, found && latest.TokenHash == tokenHash, nil
}

// SetPassword writes the user, the password hash and what w asks for in
// one transaction, retried as UpdateUser is.
func (s *Store) SetPassword(ctx context.Context, orgID, userID, hash string, w roster.PasswordWrite, change func(*roster.User) error) (*roster.User, error) {
	return s.updateUser(ctx, orgID, userID, 0, change, func(u *roster.User) ([]types.TransactWriteItem, func(int) error, error) {
		cred, err := s.put(&credentialItem{PK: orgPK(orgID), SK: credentialSK(userID), Type: "credential", Hash: hash})
		if err != nil {
			return nil, nil, err
		}
		items := []types.TransactWriteItem{cred}
		named := map[int]error{}
		if l := w.SpendLink; l != nil {
			now := s.now().UTC()
			named[len(items)] = roster.Gone("this link can no longer be used")
			items = append(items, types.TransactWriteItem{Update: &types.Update{
				TableName: &s.table, Key: key(linkPK(l.TokenHash), linkSK()),
				ConditionExpression:      aws.String("attribute_exists(PK) AND attribute_not_exists(spentAt) AND #ttl > :now AND orgId = :org AND userRef = :user AND purpose = :purpose"),
				UpdateExpression:         aws.String("SET spentAt = :spent"),
				ExpressionAttributeNames: map[string]string{"#ttl": "ttl"},
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":now":     &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)},
					":spent":   &types.AttributeValueMemberS{Value: now.Format(time.RFC3339Nano)},
					":org":     &types.AttributeValueMemberS{Value: orgID},
					":user":    &types.AttributeValueMemberS{Value: userID},
					":purpose": &types.AttributeValueMemberS{Value: string(l.Purpose)},
				},
			}})
			named[len(items)] = roster.Gone("this link can no longer be used")
			items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
				TableName: &s.table, Key: key(orgPK(orgID), latestLinkSK(userID, l.Purpose)),
				ConditionExpression:       aws.String("tokenHash = :hash"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":hash": &types.AttributeValueMemberS{Value: l.TokenHash}},
			}})
		}
		if sess := w.OpenSession; sess != nil {
			sess.SessionsEndedAt = u.SessionsEndedAt
			put, err := s.putNew(newSessionItem(sess))
			if err != nil {
				return nil, nil, err
			}
			items = append(items, put)
		}
		if w.KeepSession != "" {
			named[len(items)] = roster.Unauthorized("your session has ended: sign in to continue")
			items = append(items, s.restampSession(w.KeepSession, u.SessionsEndedAt))
		}
		return items, func(i int) error { return named[i] }, nil
	}, nil)
}

// restampSession is a transaction item giving a live session the user's new
// SessionsEndedAt, so that it outlives the sessions that end.
func (s *Store) restampSession(tokenHash string, endedAt *time.Time) types.TransactWriteItem {
	up := &types.Update{
		TableName: &s.table, Key: key(sessionPK(tokenHash), sessionSK()),
		ConditionExpression: aws.String("attribute_exists(PK)"),
		UpdateExpression:    aws.String("REMOVE sessionsEndedAt"),
	}
	if endedAt != nil {
		up.UpdateExpression = aws.String("SET sessionsEndedAt = :t")
		up.ExpressionAttributeValues = map[string]types.AttributeValue{":t": &types.AttributeValueMemberS{Value: endedAt.UTC().Format(time.RFC3339Nano)}}
	}
	return types.TransactWriteItem{Update: up}
}

func newSessionItem(sess *roster.Session) *sessionItem {
	return &sessionItem{
		PK: sessionPK(sess.TokenHash), SK: sessionSK(), Type: "session",
		OrgID: sess.OrgID, UserRef: sess.UserID,
		CreatedAt: sess.CreatedAt, ExpiresAt: sess.ExpiresAt, TTL: sess.ExpiresAt.Unix(), SessionsEndedAt: sess.SessionsEndedAt,
	}
}

// EndSessions writes the user as change leaves it (change sets
// SessionsEndedAt) and deletes the session of endHash in the same transaction.
func (s *Store) EndSessions(ctx context.Context, orgID, userID, endHash string, change func(*roster.User) error) (*roster.User, error) {
	return s.updateUser(ctx, orgID, userID, 0, change, func(*roster.User) ([]types.TransactWriteItem, func(int) error, error) {
		if endHash == "" {
			return nil, nil, nil
		}
		return []types.TransactWriteItem{s.deleteItem(sessionPK(endHash), sessionSK())}, func(int) error { return nil }, nil
	}, nil)
}

// CountAttempts reads the window's counter of every key in one strongly
// consistent BatchGetItem.
func (s *Store) CountAttempts(ctx context.Context, keys []string, window time.Time) ([]int, error) {
	req := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		req[i] = key(throttlePK(k), throttleSK(window))
	}
	out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		s.table: {Keys: req, ConsistentRead: aws.Bool(true)},
	}})
	if err != nil {
		return nil, roster.Internal(err, "count attempts")
	}
	if len(out.UnprocessedKeys) > 0 {
		return nil, roster.Internal(errUnprocessed, "count attempts")
	}
	n := map[string]int{}
	for _, m := range out.Responses[s.table] {
		var it throttleItem
		if err := attributevalue.UnmarshalMap(m, &it); err != nil {
			return nil, roster.Internal(err, "decode attempts")
		}
		n[it.PK] = it.N
	}
	counts := make([]int, len(keys))
	for i, k := range keys {
		counts[i] = n[throttlePK(k)]
	}
	return counts, nil
}

// AddAttempt adds one to the window's counter of every key, one UpdateItem each.
func (s *Store) AddAttempt(ctx context.Context, keys []string, window, expires time.Time) error {
	for _, k := range keys {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                &s.table,
			Key:                      key(throttlePK(k), throttleSK(window)),
			UpdateExpression:         aws.String("ADD n :one SET #ttl = :ttl"),
			ExpressionAttributeNames: map[string]string{"#ttl": "ttl"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":one": &types.AttributeValueMemberN{Value: "1"},
				":ttl": &types.AttributeValueMemberN{Value: strconv.FormatInt(expires.Unix(), 10)},
			},
		})
		if err != nil {
			return roster.Internal(err, "count attempt")
		}
	}
	return nil
}
