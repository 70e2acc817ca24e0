package jobdb

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/training"
)

// recordFilter is a training-records export's filter.
type recordFilter struct {
	CourseID      string     `dynamodbav:"courseId,omitempty"`
	GroupID       string     `dynamodbav:"groupId,omitempty"`
	LocationID    string     `dynamodbav:"locationId,omitempty"`
	Status        string     `dynamodbav:"status,omitempty"`
	DueFrom       *time.Time `dynamodbav:"dueFrom,omitempty"`
	DueTo         *time.Time `dynamodbav:"dueTo,omitempty"`
	CompletedFrom *time.Time `dynamodbav:"completedFrom,omitempty"`
	CompletedTo   *time.Time `dynamodbav:"completedTo,omitempty"`
}

// exportItem is an export: what to write, and how far the worker is.
type exportItem struct {
	PK         string        `dynamodbav:"PK"`
	SK         string        `dynamodbav:"SK"`
	Type       string        `dynamodbav:"type"`
	ID         string        `dynamodbav:"id"`
	OrgID      string        `dynamodbav:"orgId"`
	Kind       string        `dynamodbav:"kind"`
	Format     string        `dynamodbav:"format"`
	Filter     *jobFilter    `dynamodbav:"filter,omitempty"`
	Records    *recordFilter `dynamodbav:"records,omitempty"`
	UserIDs    []string      `dynamodbav:"userIds,omitempty"`
	ActorID    string        `dynamodbav:"actorId"`
	RequestID  string        `dynamodbav:"requestId,omitempty"`
	Status     string        `dynamodbav:"status"`
	Rows       int           `dynamodbav:"rows"`
	Message    string        `dynamodbav:"message,omitempty"`
	CreatedAt  time.Time     `dynamodbav:"createdAt"`
	FinishedAt *time.Time    `dynamodbav:"finishedAt,omitempty"`
	TTL        int64         `dynamodbav:"ttl"`
}

func newExportItem(e *exports.Export) *exportItem {
	it := &exportItem{
		PK: kit.OrgPK(e.OrgID), SK: kit.ExportSK(e.ID), Type: "export", ID: e.ID, OrgID: e.OrgID,
		Kind: string(e.Kind), Format: string(e.Format), UserIDs: e.UserIDs, ActorID: e.ActorID, RequestID: e.RequestID,
		Status: string(e.Status), Rows: e.Rows, Message: e.Message, CreatedAt: e.CreatedAt, FinishedAt: e.FinishedAt,
		TTL: e.CreatedAt.Add(roster.FilesKept + 24*time.Hour).Unix(),
	}
	if f := e.Filter; f != nil {
		it.Filter = &jobFilter{Status: string(f.Status), LocationID: f.LocationID, GroupID: f.GroupID, CourseID: f.CourseID, Role: string(f.Role), Query: f.Query, Archived: string(f.Archived)}
	}
	if f := e.Records; f != nil {
		it.Records = &recordFilter{
			CourseID: f.CourseID, GroupID: f.GroupID, LocationID: f.LocationID, Status: string(f.Status),
			DueFrom: f.DueFrom, DueTo: f.DueTo, CompletedFrom: f.CompletedFrom, CompletedTo: f.CompletedTo,
		}
	}
	return it
}

func (it *exportItem) export() *exports.Export {
	e := &exports.Export{
		ID: it.ID, OrgID: it.OrgID, Kind: exports.Kind(it.Kind), Format: exports.Format(it.Format),
		UserIDs: it.UserIDs, ActorID: it.ActorID, RequestID: it.RequestID, Status: exports.Status(it.Status),
		Rows: it.Rows, Message: it.Message, CreatedAt: it.CreatedAt, FinishedAt: it.FinishedAt,
	}
	if f := it.Filter; f != nil {
		e.Filter = &roster.UserFilter{Status: roster.Status(f.Status), LocationID: f.LocationID, GroupID: f.GroupID, CourseID: f.CourseID, Role: roster.Role(f.Role), Query: f.Query, Archived: roster.ArchivedMode(f.Archived)}
	}
	if e.Kind == exports.ExportTrainingRecords {
		e.Records = &training.RecordFilter{}
		if f := it.Records; f != nil {
			*e.Records = training.RecordFilter{
				CourseID: f.CourseID, GroupID: f.GroupID, LocationID: f.LocationID, Status: training.RecordStatus(f.Status),
				DueFrom: f.DueFrom, DueTo: f.DueTo, CompletedFrom: f.CompletedFrom, CompletedTo: f.CompletedTo,
			}
		}
	}
	return e
}

// CreateExport stores a new export.
func (s *Store) CreateExport(ctx context.Context, e *exports.Export) error {
	return s.t.CreateItem(ctx, newExportItem(e), "export")
}

// GetExport reads an export strongly consistently.
func (s *Store) GetExport(ctx context.Context, orgID, id string) (*exports.Export, error) {
	it, err := kit.GetExisting[exportItem](ctx, s.t, "export", kit.OrgPK(orgID), kit.ExportSK(id), true)
	if err != nil {
		return nil, err
	}
	return it.export(), nil
}

// StartExport turns a queued or running export running from row 0.
func (s *Store) StartExport(ctx context.Context, orgID, id string) (*exports.Export, error) {
	out, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.ExportSK(id)),
		UpdateExpression:         aws.String("SET #status = :running, #rows = :zero"),
		ConditionExpression:      aws.String("attribute_exists(PK) AND #status IN (:queued, :running)"),
		ExpressionAttributeNames: names("#status #rows"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":running": kit.Str(string(exports.ExportRunning)), ":queued": kit.Str(string(exports.ExportQueued)), ":zero": kit.Num(0),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if kit.IsConditionFailed(err) {
		return nil, roster.Conflict("status", "the export is finished or gone")
	}
	if err != nil {
		return nil, kit.Wrap(err, "start export")
	}
	var it exportItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return nil, roster.Internal(err, "decode export")
	}
	return it.export(), nil
}

// SetExportRows records a running export's rows.
func (s *Store) SetExportRows(ctx context.Context, orgID, id string, rows int) error {
	return s.updateExport(ctx, orgID, id, "SET #rows = :rows", map[string]types.AttributeValue{":rows": kit.Num(rows)}, "record export rows")
}

// FinishExport turns a running export done or failed.
func (s *Store) FinishExport(ctx context.Context, orgID, id string, status exports.Status, rows int, message string, at time.Time) error {
	update := "SET #status = :status, #rows = :rows, #finishedAt = :at"
	values := map[string]types.AttributeValue{":status": kit.Str(string(status)), ":rows": kit.Num(rows), ":at": kit.Str(at.UTC().Format(time.RFC3339Nano))}
	if message != "" {
		update += ", #message = :message"
		values[":message"] = kit.Str(message)
	}
	return s.updateExport(ctx, orgID, id, update, values, "finish export")
}

// updateExport updates a running export; any other is a conflict.
func (s *Store) updateExport(ctx context.Context, orgID, id, update string, values map[string]types.AttributeValue, what string) error {
	values[":running"] = kit.Str(string(exports.ExportRunning))
	_, err := s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.ExportSK(id)),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String("attribute_exists(PK) AND #status = :running"),
		ExpressionAttributeNames:  names(update + "#status"),
		ExpressionAttributeValues: values,
	})
	if kit.IsConditionFailed(err) {
		return roster.Conflict("status", "the export is not running")
	}
	return kit.Wrap(err, "%s", what)
}

// ExportFromStream returns the export a stream record asks to run: the
// INSERT of an export item. Anything else is not an export's (ok false).
func ExportFromStream(r events.DynamoDBEventRecord) (orgID, id string, ok bool, err error) {
	sk, hasSK := r.Change.Keys[kit.AttrSK]
	if !hasSK || sk.DataType() != events.DataTypeString || !strings.HasPrefix(sk.String(), kit.ExportPrefix) ||
		len(r.Change.NewImage) == 0 || len(r.Change.OldImage) != 0 {
		return "", "", false, nil
	}
	var it exportItem
	if err := kit.DecodeImage(r.Change.NewImage, &it); err != nil {
		return "", "", false, err
	}
	return it.OrgID, it.ID, true, nil
}
