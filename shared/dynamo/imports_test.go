package dynamo_test

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/imports"
)

// TestStore_ImportResults checks that an import's results are recorded only
// while it names the job, that each write moves its version, and that a
// validation saved from an older read is refused.
func TestStore_ImportResults(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	imp := &imports.Import{ID: "20260101t090000000-imp1", OrgID: "org1", FileName: "team.csv", Size: 10, Status: imports.ImportUploading,
		CreatedBy: "owner", CreatedAt: now, Version: 1}
	if err := f.store.CreateImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	imp.Status, imp.FileETag, imp.ValidatedAt = imports.ImportValidated, `"etag-1"`, &now
	if err := f.store.SaveImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	job := &roster.Job{ID: "20260101t090000001-job1", OrgID: "org1", Action: roster.ActionImport, ImportID: imp.ID, ExpectedCount: 1,
		ActorID: "owner", ActorRole: roster.RoleOwner, Status: roster.JobSnapshotting, CreatedAt: now}
	if err := f.store.StartImportJob(ctx, imp, job); err != nil {
		t.Fatal(err)
	}
	read, err := f.store.GetImport(ctx, "org1", imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if read.Version != 3 || read.JobID != job.ID || read.FileETag != `"etag-1"` || read.Results != nil {
		t.Fatalf("applied import = %+v, want version 3, the job, the ETag and no results", read)
	}

	results := imports.Results{JobStatus: roster.JobFailed, NotApplied: 1, At: now}
	if err := f.store.SetImportResults(ctx, "org1", imp.ID, "20260101t090000002-other", results); !roster.IsCode(err, roster.CodeConflict) {
		t.Fatalf("results of another job: err = %v, want a conflict", err)
	}
	if err := f.store.SetImportResults(ctx, "org1", imp.ID, job.ID, results); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.GetImport(ctx, "org1", imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 4 || got.Results == nil || *got.Results != results || !got.Validatable() {
		t.Fatalf("import = %+v (results %+v), want version 4 with the results, validatable", got, got.Results)
	}

	// A validation from the read before the results is refused; from the
	// latest read, it drops the job and its results.
	read.JobID = ""
	if err := f.store.SaveImport(ctx, read); !roster.IsCode(err, roster.CodeConflict) {
		t.Fatalf("save from a stale read: err = %v, want a conflict", err)
	}
	got.JobID, got.Results = "", nil
	if err := f.store.SaveImport(ctx, got); err != nil {
		t.Fatal(err)
	}
	after, err := f.store.GetImport(ctx, "org1", imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.JobID != "" || after.Results != nil || after.Version != 5 {
		t.Fatalf("validated again = %+v, want no job, no results, version 5", after)
	}
	if err := f.store.SetImportResults(ctx, "org1", imp.ID, job.ID, results); !roster.IsCode(err, roster.CodeConflict) {
		t.Fatalf("the old job's results after a new validation: err = %v, want a conflict", err)
	}
}

// TestService_UploadsAndExportsLastAsLongAsTheirFiles reads an upload and
// an export just inside and just past FilesKept, the bucket's lifetime for
// their files: past it they are Gone, and their items carry a TTL a day
// later, for DynamoDB to remove them.
func TestService_UploadsAndExportsLastAsLongAsTheirFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	exps := &exports.Service{Store: f.store, Now: func() time.Time { return f.now }}
	created := f.now
	imp := &imports.Import{ID: "20260101t090000000-imp1", OrgID: "o1", FileName: "team.csv", Size: 10, Status: imports.ImportUploading,
		CreatedBy: "owner1", CreatedAt: created, Version: 1}
	if err := f.store.CreateImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	exp := &exports.Export{ID: "20260101t090000000-exp1", OrgID: "o1", Kind: exports.ExportUsers, Format: exports.ExportCSV,
		Filter: &roster.UserFilter{}, ActorID: "owner1", Status: exports.ExportQueued, CreatedAt: created}
	if err := f.store.CreateExport(ctx, exp); err != nil {
		t.Fatal(err)
	}
	owner := &roster.Principal{OrgID: "o1", UserID: "owner1", Role: roster.RoleOwner}

	f.now = created.Add(roster.FilesKept - time.Minute)
	if _, err := importsOf(svc).GetImport(ctx, owner, imp.ID); err != nil {
		t.Errorf("upload inside its lifetime: %v", err)
	}
	if _, err := exps.GetExport(ctx, owner, exp.ID); err != nil {
		t.Errorf("export inside its lifetime: %v", err)
	}
	f.now = created.Add(roster.FilesKept + time.Minute)
	if _, err := importsOf(svc).GetImport(ctx, owner, imp.ID); !roster.IsCode(err, roster.CodeGone) || !strings.Contains(err.Error(), "kept 3 days") {
		t.Errorf("upload past its lifetime: err = %v, want gone", err)
	}
	if _, err := exps.GetExport(ctx, owner, exp.ID); !roster.IsCode(err, roster.CodeGone) {
		t.Errorf("export past its lifetime: err = %v, want gone", err)
	}
	for _, sk := range []string{"IMPORT#" + imp.ID, "EXPORT#" + exp.ID} {
		out, err := f.tbl.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &f.tbl.Name, Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "ORG#o1"}, "SK": &types.AttributeValueMemberS{Value: sk}}})
		if err != nil {
			t.Fatal(err)
		}
		ttl, _ := out.Item["ttl"].(*types.AttributeValueMemberN)
		if want := strconv.FormatInt(created.Add(roster.FilesKept+24*time.Hour).Unix(), 10); ttl == nil || ttl.Value != want {
			t.Errorf("%s ttl = %v, want %s", sk, out.Item["ttl"], want)
		}
	}
}
