package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// auditReadsPerPage bounds the queries one page of a filtered audit log
// makes, so that a rare action never reads the whole log in one request.
const auditReadsPerPage = 5

// ListAudit reads the audit log newest first: the organization's entries,
// or one user's through the ByAuditTarget index, within the time bounds as
// a key range; the actor and action are filtered on the entries read.
var _ audit.Store = (*Store)(nil)

func (s *Store) ListAudit(ctx context.Context, orgID string, f audit.Filter, page roster.PageRequest) (*audit.Page, error) {
	start, err := decodeAuditCursor(orgID, f, page.Cursor)
	if err != nil {
		return nil, err
	}
	lo, hi := kit.AuditPrefix, kit.AuditPrefix+kit.MaxRune
	if f.From != nil {
		lo = kit.AuditPrefix + roster.AuditTime(*f.From)
	}
	if f.To != nil {
		hi = kit.AuditPrefix + roster.AuditTime(*f.To) + kit.MaxRune
	}
	in := &dynamodb.QueryInput{
		TableName:                &s.t.Name,
		KeyConditionExpression:   aws.String("#pk = :pk AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeNames: map[string]string{"#pk": kit.AttrPK},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: kit.OrgPK(orgID)},
			":lo": &types.AttributeValueMemberS{Value: lo},
			":hi": &types.AttributeValueMemberS{Value: hi},
		},
		ScanIndexForward: aws.Bool(false),
	}
	if f.TargetID != "" {
		in.IndexName = aws.String(kit.IndexByAudit)
		in.ExpressionAttributeNames["#pk"] = "auditTargetPK"
		in.ExpressionAttributeValues[":pk"] = &types.AttributeValueMemberS{Value: kit.FacetPK(orgID, "user:"+f.TargetID)}
	}
	var filters []string
	if f.ActorID != "" {
		filters = append(filters, "actorId = :actor")
		in.ExpressionAttributeValues[":actor"] = &types.AttributeValueMemberS{Value: f.ActorID}
	}
	if f.Action != "" {
		filters = append(filters, "#action = :action")
		in.ExpressionAttributeNames["#action"] = "action"
		in.ExpressionAttributeValues[":action"] = &types.AttributeValueMemberS{Value: f.Action}
	}
	if len(filters) > 0 {
		expr := filters[0]
		for _, more := range filters[1:] {
			expr += " AND " + more
		}
		in.FilterExpression = aws.String(expr)
	}
	res := &audit.Page{}
	in.ExclusiveStartKey = start
	for reads := 0; reads < auditReadsPerPage; reads++ {
		in.Limit = aws.Int32(int32(page.Limit - len(res.Items)))
		out, err := s.t.DB.Query(ctx, in)
		if err != nil {
			return nil, roster.Internal(err, "list audit entries")
		}
		var items []auditItem
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
			return nil, roster.Internal(err, "decode audit entries")
		}
		for i := range items {
			res.Items = append(res.Items, items[i].entry(orgID))
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
		if len(out.LastEvaluatedKey) == 0 || len(res.Items) >= page.Limit {
			break
		}
	}
	if len(in.ExclusiveStartKey) > 0 {
		res.NextCursor = encodeAuditCursor(orgID, f, in.ExclusiveStartKey)
	}
	return res, nil
}

// auditCursor is the key an audit page stopped at, with a fingerprint of
// the organization and filter it belongs to.
type auditCursor struct {
	PK, SK, Target string
	Filter         string
}

func auditFingerprint(orgID string, f audit.Filter) string {
	var from, to string
	if f.From != nil {
		from = roster.AuditTime(*f.From)
	}
	if f.To != nil {
		to = roster.AuditTime(*f.To)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "audit\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s", orgID, f.TargetID, f.ActorID, f.Action, from, to))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

func encodeAuditCursor(orgID string, f audit.Filter, key map[string]types.AttributeValue) string {
	c := auditCursor{Filter: auditFingerprint(orgID, f)}
	c.PK, _ = kit.StringAttr(key, kit.AttrPK)
	c.SK, _ = kit.StringAttr(key, kit.AttrSK)
	c.Target, _ = kit.StringAttr(key, "auditTargetPK")
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeAuditCursor(orgID string, f audit.Filter, s string) (map[string]types.AttributeValue, error) {
	if s == "" {
		return nil, nil
	}
	bad := roster.BadRequest("cursor", "is not a cursor of this log: start again from the first page")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c auditCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Filter != auditFingerprint(orgID, f) || c.PK != kit.OrgPK(orgID) || !strings.HasPrefix(c.SK, kit.AuditPrefix) {
		return nil, bad
	}
	if f.TargetID != "" && c.Target != kit.FacetPK(orgID, "user:"+f.TargetID) {
		return nil, bad
	}
	key := map[string]types.AttributeValue{kit.AttrPK: &types.AttributeValueMemberS{Value: c.PK}, kit.AttrSK: &types.AttributeValueMemberS{Value: c.SK}}
	if f.TargetID != "" {
		key["auditTargetPK"] = &types.AttributeValueMemberS{Value: c.Target}
	}
	return key, nil
}
