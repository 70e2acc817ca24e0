package dynamo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
)

// RecordUserChange writes the audit entry and moves the counters in one
// transaction. The audit entry's key is derived from the change, and its put
// is conditional on absence: a change delivered twice fails that condition
// the second time, and the whole transaction, counters included, does nothing.
func (s *Store) RecordUserChange(ctx context.Context, c roster.UserChange) (bool, error) {
	e := c.Audit()
	audit, err := s.putNew(&auditItem{
		PK: orgPK(e.OrgID), SK: auditSK(e.ID), Type: "audit",
		At: e.At, ActorID: e.ActorID, Action: e.Action, TargetID: e.TargetID, RequestID: e.RequestID, Changes: e.Changes,
	})
	if err != nil {
		return false, err
	}
	items := []types.TransactWriteItem{audit}
	deltas := c.CounterDeltas()
	for _, k := range slices.Sorted(maps.Keys(deltas)) {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                 &s.table,
			Key:                       key(orgPK(e.OrgID), counterSK(k)),
			UpdateExpression:          aws.String("ADD n :d"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberN{Value: strconv.Itoa(deltas[k])}},
		}})
	}
	failed, err := s.transact(ctx, items)
	switch {
	case err == errConditionFailed && slices.Contains(failed, 0):
		return false, nil
	case err == errTransactionConflict:
		return false, roster.Internal(err, "record change of user: transaction conflict")
	case err != nil:
		return false, wrap(err, "record change of user")
	}
	return true, nil
}

// UserChangeFromStream decodes a stream record of the table. ok is false for
// records of items that are not users (memberships, counters, sessions...).
func UserChangeFromStream(r events.DynamoDBEventRecord) (c roster.UserChange, ok bool, err error) {
	sk, hasSK := r.Change.Keys[attrSK]
	if !hasSK || sk.DataType() != events.DataTypeString || !strings.HasPrefix(sk.String(), "USER#") {
		return c, false, nil
	}
	if c.Old, err = userFromImage(r.Change.OldImage); err != nil {
		return c, false, fmt.Errorf("old image: %w", err)
	}
	if c.New, err = userFromImage(r.Change.NewImage); err != nil {
		return c, false, fmt.Errorf("new image: %w", err)
	}
	if c.Old == nil && c.New == nil {
		return c, false, fmt.Errorf("user record %s has no image: the stream must be NEW_AND_OLD_IMAGES", r.EventID)
	}
	return c, true, nil
}

func userFromImage(img map[string]events.DynamoDBAttributeValue) (*roster.User, error) {
	if len(img) == 0 {
		return nil, nil
	}
	m, err := fromEventImage(img)
	if err != nil {
		return nil, err
	}
	var it userItem
	if err := attributevalue.UnmarshalMap(m, &it); err != nil {
		return nil, fmt.Errorf("decode user: %w", err)
	}
	return it.user(), nil
}

// fromEventImage converts the Lambda events package's attribute values to
// the SDK's, so one decoder serves both.
func fromEventImage(img map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(img))
	for k, v := range img {
		av, err := fromEventValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

func fromEventValue(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeList:
		list := v.List()
		out := make([]types.AttributeValue, len(list))
		for i, e := range list {
			av, err := fromEventValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = av
		}
		return &types.AttributeValueMemberL{Value: out}, nil
	case events.DataTypeMap:
		m, err := fromEventImage(v.Map())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	return nil, fmt.Errorf("unknown attribute type %d", v.DataType())
}
