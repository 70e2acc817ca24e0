package dynamo

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// CreateLink stores a link token and points the user's latest link of its
// purpose at it, in one transaction: the link the user got before stops
// working. Both are removed by TTL once expired.
var _ accounts.Store = (*Store)(nil)

func (s *Store) CreateLink(ctx context.Context, l *accounts.Link) error {
	link, err := s.t.PutNew(&linkItem{
		PK: kit.LinkPK(l.TokenHash), SK: kit.LinkSK(), Type: "link", Purpose: string(l.Purpose),
		OrgID: l.OrgID, UserRef: l.UserID, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt, TTL: l.ExpiresAt.Unix(),
		LinksRetiredAt: l.LinksRetiredAt,
	})
	if err != nil {
		return err
	}
	latest, err := s.t.Put(&latestLinkItem{PK: kit.OrgPK(l.OrgID), SK: kit.LatestLinkSK(l.UserID, l.Purpose), Type: "latest-link", TokenHash: l.TokenHash, TTL: l.ExpiresAt.Unix()})
	if err != nil {
		return err
	}
	_, err = s.t.Transact(ctx, []types.TransactWriteItem{link, latest})
	if err == kit.ErrConditionFailed {
		return roster.Conflict("token", "a link with this token exists")
	}
	return kit.Wrap(err, "create link")
}

// GetLink reads the link, then its user's latest link of the purpose.
func (s *Store) GetLink(ctx context.Context, tokenHash string) (*accounts.Link, bool, error) {
	var it linkItem
	found, err := s.t.GetItem(ctx, "link", kit.LinkPK(tokenHash), kit.LinkSK(), true, &it)
	if err != nil {
		return nil, false, err
	}
	if !found {
		return nil, false, roster.NotFound("no such link")
	}
	l := it.link()
	var latest latestLinkItem
	found, err = s.t.GetItem(ctx, "latest link", kit.OrgPK(l.OrgID), kit.LatestLinkSK(l.UserID, l.Purpose), true, &latest)
	if err != nil {
		return nil, false, err
	}
	return l, found && latest.TokenHash == tokenHash, nil
}

// SetPassword writes the user, the password hash and what w asks for in
// one transaction, retried as UpdateUser is.
func (s *Store) SetPassword(ctx context.Context, orgID, userID, hash string, w accounts.PasswordWrite, change func(*roster.User) error) (*roster.User, error) {
	return s.updateUser(ctx, orgID, userID, 0, change, func(u *roster.User) ([]types.TransactWriteItem, func(int) error, error) {
		cred, err := s.t.Put(&credentialItem{PK: kit.OrgPK(orgID), SK: kit.CredentialSK(userID), Type: "credential", Hash: hash})
		if err != nil {
			return nil, nil, err
		}
		items := []types.TransactWriteItem{cred}
		named := map[int]error{}
		if l := w.SpendLink; l != nil {
			now := s.t.Now().UTC()
			named[len(items)] = roster.Gone("this link can no longer be used")
			items = append(items, types.TransactWriteItem{Update: &types.Update{
				TableName: &s.t.Name, Key: kit.Key(kit.LinkPK(l.TokenHash), kit.LinkSK()),
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
				TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.LatestLinkSK(userID, l.Purpose)),
				ConditionExpression:       aws.String("tokenHash = :hash"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":hash": &types.AttributeValueMemberS{Value: l.TokenHash}},
			}})
		}
		if sess := w.OpenSession; sess != nil {
			sess.SessionsEndedAt = u.SessionsEndedAt
			put, err := s.t.PutNew(newSessionItem(sess))
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
		TableName: &s.t.Name, Key: kit.Key(kit.SessionPK(tokenHash), kit.SessionSK()),
		ConditionExpression: aws.String("attribute_exists(PK)"),
		UpdateExpression:    aws.String("REMOVE sessionsEndedAt"),
	}
	if endedAt != nil {
		up.UpdateExpression = aws.String("SET sessionsEndedAt = :t")
		up.ExpressionAttributeValues = map[string]types.AttributeValue{":t": &types.AttributeValueMemberS{Value: endedAt.UTC().Format(time.RFC3339Nano)}}
	}
	return types.TransactWriteItem{Update: up}
}

func newSessionItem(sess *accounts.Session) *sessionItem {
	return &sessionItem{
		PK: kit.SessionPK(sess.TokenHash), SK: kit.SessionSK(), Type: "session",
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
		return []types.TransactWriteItem{s.t.DeleteItem(kit.SessionPK(endHash), kit.SessionSK())}, func(int) error { return nil }, nil
	}, nil)
}

// TakeAttempt adds one to the window's counter of key in one conditional
// UpdateItem, provided it holds fewer than limit: DynamoDB applies
// concurrent updates of one item one at a time, so concurrent callers never
// take more than limit between them. The counter is removed by TTL after
// expires.
func (s *Store) TakeAttempt(ctx context.Context, key string, window time.Time, limit int, expires time.Time) (bool, error) {
	return s.takeCount(ctx, kit.ThrottlePK(key), kit.ThrottleSK(window), limit, expires, "count attempt")
}

// ReturnAttempt takes one off the window's counter of key; a counter that
// is gone (or at zero) is left as it is.
func (s *Store) ReturnAttempt(ctx context.Context, key string, window time.Time) error {
	return s.returnCount(ctx, kit.ThrottlePK(key), kit.ThrottleSK(window), "return attempt")
}

// emailQuotaTTL is how long a day's email count is kept after the day
// starts: past its end, so that no clock skew meets a missing count.
const emailQuotaTTL = 48 * time.Hour

// EmailsSent reads the organization's email count of day, strongly consistently.
func (s *Store) EmailsSent(ctx context.Context, orgID string, day time.Time) (int, error) {
	var it throttleItem
	if _, err := s.t.GetItem(ctx, "email quota", kit.OrgPK(orgID), kit.EmailQuotaSK(day), true, &it); err != nil {
		return 0, err
	}
	return it.N, nil
}

// TakeEmail adds one to the organization's email count of day in one
// conditional UpdateItem, provided it holds fewer than quota.
func (s *Store) TakeEmail(ctx context.Context, orgID string, day time.Time, quota int) (bool, error) {
	return s.takeCount(ctx, kit.OrgPK(orgID), kit.EmailQuotaSK(day), quota, day.Add(emailQuotaTTL), "count email")
}

// ReturnEmail takes one off the organization's email count of day.
func (s *Store) ReturnEmail(ctx context.Context, orgID string, day time.Time) error {
	return s.returnCount(ctx, kit.OrgPK(orgID), kit.EmailQuotaSK(day), "return email")
}

// takeCount adds one to the counter n of an item, creating it, unless it
// already holds limit; it reports whether it did.
func (s *Store) takeCount(ctx context.Context, pk, sk string, limit int, expires time.Time, what string) (bool, error) {
	_, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.t.Name,
		Key:                      kit.Key(pk, sk),
		UpdateExpression:         aws.String("ADD n :one SET #ttl = :ttl"),
		ConditionExpression:      aws.String("attribute_not_exists(n) OR n < :limit"),
		ExpressionAttributeNames: map[string]string{"#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one":   &types.AttributeValueMemberN{Value: "1"},
			":limit": &types.AttributeValueMemberN{Value: strconv.Itoa(limit)},
			":ttl":   &types.AttributeValueMemberN{Value: strconv.FormatInt(expires.Unix(), 10)},
		},
	})
	if kit.IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, roster.Internal(err, "%s", what)
	}
	return true, nil
}

// returnCount takes one off the counter n of an item that holds more than zero.
func (s *Store) returnCount(ctx context.Context, pk, sk, what string) error {
	_, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &s.t.Name,
		Key:                 kit.Key(pk, sk),
		UpdateExpression:    aws.String("ADD n :minus"),
		ConditionExpression: aws.String("n > :zero"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":minus": &types.AttributeValueMemberN{Value: "-1"},
			":zero":  &types.AttributeValueMemberN{Value: "0"},
		},
	})
	if err != nil && !kit.IsConditionFailed(err) {
		return roster.Internal(err, "%s", what)
	}
	return nil
}
