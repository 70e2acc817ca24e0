package jobdb

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
	"github.com/rosterhq/roster/shared/imports"
)

// importItem is an upload and its latest preview. The preview (columns,
// counts, the first errors) is kept as one JSON attribute: it is read and
// written whole, never queried.
type importItem struct {
	PK          string             `dynamodbav:"PK"`
	SK          string             `dynamodbav:"SK"`
	Type        string             `dynamodbav:"type"`
	ID          string             `dynamodbav:"id"`
	OrgID       string             `dynamodbav:"orgId"`
	FileName    string             `dynamodbav:"fileName"`
	Size        int64              `dynamodbav:"size"`
	Status      string             `dynamodbav:"status"`
	Preview     string             `dynamodbav:"preview,omitempty"`
	FileError   string             `dynamodbav:"fileError,omitempty"`
	FileETag    string             `dynamodbav:"fileETag,omitempty"`
	JobID       string             `dynamodbav:"jobId,omitempty"`
	Results     *importResultsItem `dynamodbav:"results,omitempty"`
	CreatedBy   string             `dynamodbav:"createdBy"`
	CreatedAt   time.Time          `dynamodbav:"createdAt"`
	ValidatedAt *time.Time         `dynamodbav:"validatedAt,omitempty"`
	Version     int64              `dynamodbav:"version"`
	TTL         int64              `dynamodbav:"ttl"` // a day after its files are gone
}

// importResultsItem is the summary of an import's result file, set once
// the file is stored.
type importResultsItem struct {
	JobStatus  string    `dynamodbav:"jobStatus"`
	Done       int       `dynamodbav:"done"`
	Skipped    int       `dynamodbav:"skipped"`
	Failed     int       `dynamodbav:"failed"`
	NotApplied int       `dynamodbav:"notApplied"`
	At         time.Time `dynamodbav:"at"`
}

func newImportResultsItem(r *imports.Results) *importResultsItem {
	if r == nil {
		return nil
	}
	return &importResultsItem{JobStatus: string(r.JobStatus), Done: r.Done, Skipped: r.Skipped, Failed: r.Failed, NotApplied: r.NotApplied, At: r.At}
}

func (it *importResultsItem) results() *imports.Results {
	if it == nil {
		return nil
	}
	return &imports.Results{JobStatus: roster.JobStatus(it.JobStatus), Done: it.Done, Skipped: it.Skipped, Failed: it.Failed, NotApplied: it.NotApplied, At: it.At}
}

// importPreview is the JSON of importItem.Preview.
type importPreview struct {
	Options roster.ImportOptions  `json:"options"`
	Columns []imports.Column      `json:"columns"`
	Counts  imports.Counts        `json:"counts"`
	Errors  []imports.ImportError `json:"errors"`
}

func newImportItem(imp *imports.Import) (*importItem, error) {
	it := &importItem{
		PK: kit.OrgPK(imp.OrgID), SK: kit.ImportSK(imp.ID), Type: "import", ID: imp.ID, OrgID: imp.OrgID,
		FileName: imp.FileName, Size: imp.Size, Status: string(imp.Status), FileError: imp.FileError, FileETag: imp.FileETag,
		JobID: imp.JobID, Results: newImportResultsItem(imp.Results), CreatedBy: imp.CreatedBy, CreatedAt: imp.CreatedAt, ValidatedAt: imp.ValidatedAt, Version: imp.Version,
		TTL: imp.CreatedAt.Add(roster.FilesKept + 24*time.Hour).Unix(),
	}
	if imp.Status == imports.ImportValidated || imp.Status == imports.ImportApplying || imp.Status == imports.ImportApplied {
		b, err := json.Marshal(importPreview{Options: imp.Options, Columns: imp.Columns, Counts: imp.Counts, Errors: imp.Errors})
		if err != nil {
			return nil, roster.Internal(err, "encode import preview")
		}
		it.Preview = string(b)
	}
	return it, nil
}

func (it *importItem) importValue() (*imports.Import, error) {
	imp := &imports.Import{
		ID: it.ID, OrgID: it.OrgID, FileName: it.FileName, Size: it.Size, Status: imports.Status(it.Status),
		FileError: it.FileError, FileETag: it.FileETag, JobID: it.JobID, Results: it.Results.results(), CreatedBy: it.CreatedBy, CreatedAt: it.CreatedAt, ValidatedAt: it.ValidatedAt, Version: it.Version,
	}
	if it.Preview != "" {
		var p importPreview
		if err := json.Unmarshal([]byte(it.Preview), &p); err != nil {
			return nil, roster.Internal(err, "decode import preview")
		}
		imp.Options, imp.Columns, imp.Counts, imp.Errors = p.Options, p.Columns, p.Counts, p.Errors
	}
	return imp, nil
}

// CreateImport stores a new import.
func (s *Store) CreateImport(ctx context.Context, imp *imports.Import) error {
	it, err := newImportItem(imp)
	if err != nil {
		return err
	}
	return s.t.CreateItem(ctx, it, "import")
}

// GetImport reads an import strongly consistently.
func (s *Store) GetImport(ctx context.Context, orgID, id string) (*imports.Import, error) {
	it, err := kit.GetExisting[importItem](ctx, s.t, "import", kit.OrgPK(orgID), kit.ImportSK(id), true)
	if err != nil {
		return nil, err
	}
	return it.importValue()
}

// SaveImport puts the import on condition of its version, and moves it on.
// Every write of an import moves its version (StartImportJob and
// SetImportResults too), so the condition alone keeps a validation from
// undoing a job started, or results recorded, since its read.
func (s *Store) SaveImport(ctx context.Context, imp *imports.Import) error {
	next := *imp
	next.Version++
	it, err := newImportItem(&next)
	if err != nil {
		return err
	}
	m, err := kit.Marshal(it)
	if err != nil {
		return err
	}
	_, err = s.t.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.t.Name, Item: m,
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": kit.Num(imp.Version)},
	})
	if kit.IsConditionFailed(err) {
		return roster.Conflict("version", "the upload changed meanwhile: reload it")
	}
	if err != nil {
		return roster.Internal(err, "save import")
	}
	imp.Version = next.Version
	return nil
}

// StartImportJob puts the job and marks the import applying in one transaction.
func (s *Store) StartImportJob(ctx context.Context, imp *imports.Import, j *roster.Job) error {
	job, err := s.t.PutNew(newJobItem(j))
	if err != nil {
		return err
	}
	update := types.TransactWriteItem{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(imp.OrgID), kit.ImportSK(imp.ID)),
		UpdateExpression:          aws.String("SET jobId = :job, #status = :applying, version = version + :one"),
		ConditionExpression:       aws.String("version = :v AND attribute_not_exists(jobId)"),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":job": kit.Str(j.ID), ":applying": kit.Str(string(imports.ImportApplying)), ":one": kit.Num(1), ":v": kit.Num(imp.Version)},
	}}
	_, err = s.t.Transact(ctx, []types.TransactWriteItem{job, update})
	if err == kit.ErrConditionFailed || err == kit.ErrTransactionConflict {
		return roster.Conflict("", "this upload is applied already, or changed meanwhile: reload it")
	}
	return kit.Wrap(err, "start import job")
}

// SetImportResults records the summary of the result file on the import,
// which turns applied, moving its version, on condition that jobID is
// still its job.
func (s *Store) SetImportResults(ctx context.Context, orgID, id, jobID string, r imports.Results) error {
	results, err := attributevalue.Marshal(newImportResultsItem(&r))
	if err != nil {
		return roster.Internal(err, "encode import results")
	}
	_, err = s.t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(orgID), kit.ImportSK(id)),
		UpdateExpression:          aws.String("SET #results = :results, #status = :applied, version = version + :one"),
		ConditionExpression:       aws.String("jobId = :job"),
		ExpressionAttributeNames:  map[string]string{"#results": "results", "#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":results": results, ":applied": kit.Str(string(imports.ImportApplied)), ":one": kit.Num(1), ":job": kit.Str(jobID)},
	})
	if kit.IsConditionFailed(err) {
		return roster.Conflict("jobId", "the upload was validated again since this job")
	}
	return kit.Wrap(err, "set import results")
}

// AddImportChunk writes the next chunk, its rows as JSON, and moves the
// job's count of chunks together.
func (s *Store) AddImportChunk(ctx context.Context, j *roster.Job, rows []roster.ImportRow) error {
	b, err := json.Marshal(rows)
	if err != nil {
		return roster.Internal(err, "encode import rows")
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.UserRef
	}
	chunk, err := s.t.PutNew(&jobChunkItem{PK: kit.OrgPK(j.OrgID), SK: kit.JobChunkSK(j.ID, j.Chunks), Type: "jobChunk", JobID: j.ID, Seq: j.Chunks, UserIDs: ids, Rows: string(b)})
	if err != nil {
		return err
	}
	update, cond := "SET #chunks = :next, #total = #total + :n", "#status = :snap AND #chunks = :seq"
	job := types.TransactWriteItem{Update: &types.Update{
		TableName: &s.t.Name, Key: kit.Key(kit.OrgPK(j.OrgID), kit.JobSK(j.ID)),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names(update + cond),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":seq": kit.Num(j.Chunks), ":next": kit.Num(j.Chunks + 1), ":n": kit.Num(len(rows)), ":snap": kit.Str(string(roster.JobSnapshotting)),
		},
	}}
	_, err = s.t.Transact(ctx, []types.TransactWriteItem{chunk, job})
	if err == kit.ErrConditionFailed || err == kit.ErrTransactionConflict {
		return roster.Conflict("chunks", "the job's snapshot moved on")
	}
	return kit.Wrap(err, "add import chunk")
}

// EachJobChunk queries the job's chunks in order (strongly consistent), a
// page at a time, and hands each to fn as it is decoded.
func (s *Store) EachJobChunk(ctx context.Context, orgID, jobID string, fn func(*roster.JobChunk) error) error {
	p := dynamodb.NewQueryPaginator(s.t.DB, &dynamodb.QueryInput{
		TableName:              &s.t.Name,
		ConsistentRead:         aws.Bool(true),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": kit.Str(kit.OrgPK(orgID)), ":prefix": kit.Str(kit.JobChunksPrefix(jobID)),
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return roster.Internal(err, "list job chunks")
		}
		var items []jobChunkItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return roster.Internal(err, "decode job chunks")
		}
		for i := range items {
			c, err := items[i].chunk(orgID)
			if err != nil {
				return err
			}
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunk returns the chunk an item holds.
func (it *jobChunkItem) chunk(orgID string) (*roster.JobChunk, error) {
	c := &roster.JobChunk{OrgID: orgID, JobID: it.JobID, Seq: it.Seq, UserIDs: it.UserIDs, Ready: it.Ready, Done: it.Done, DoneIDs: it.DoneIDs}
	if it.Rows != "" {
		if err := json.Unmarshal([]byte(it.Rows), &c.Rows); err != nil {
			return nil, roster.Internal(err, "decode the rows of job chunk %s", strconv.Itoa(it.Seq))
		}
	}
	return c, nil
}
