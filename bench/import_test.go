package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/streams"
	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/stream"
)

// importRows is how many rows the import benchmark uploads;
// ROSTER_BENCH_IMPORT_ROWS changes it.
func importRows() int { return envSize("ROSTER_BENCH_IMPORT_ROWS", 50_000) }

// BenchmarkImport uploads a CSV of importRows() rows to an organization
// holding half as many users: the first half of the rows update those
// users (a new last name), the second half add new ones (a location and a
// group each). It measures the validation (the file read from moto's S3,
// the roster read, every row checked: time and peak heap), the apply (the
// request, then the job driven by the stream until it is done: time and
// DynamoDB requests per row, of the request and the job worker) and the
// result file the worker then writes to S3 (time and size).
func BenchmarkImport(b *testing.B) {
	n := importRows()
	ctx := context.Background()
	tbl := testenv.DynamoDB(b)
	bucket := testenv.Files(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain := dynamo.New(tbl.Client, tbl.Name)
	org := fixtures.NewOrg(b, plain, "imports")
	orgID := org.Organization.ID

	start := time.Now()
	now := start.UTC()
	existing := make([]*roster.User, n/2)
	for i := range existing {
		existing[i] = &roster.User{
			ID: fmt.Sprintf("i%07d", i), OrgID: orgID, FirstName: "First", LastName: fmt.Sprintf("Old%07d", i),
			UserID: fmt.Sprintf("emp-%07d", i), Role: roster.RoleLearner, State: roster.StateActive,
			CreatedAt: now, UpdatedAt: now, Version: 1,
		}
	}
	if err := plain.ImportUsers(ctx, existing); err != nil {
		b.Fatal(err)
	}
	consumer := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(plain), Log: log}
	consumerPoller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: consumer.Handle, Log: log, BatchSize: 1000}
	if err := consumerPoller.Drain(ctx); err != nil {
		b.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("First name,Last name,Email,User ID,Location,Groups\n")
	for i := range n {
		if i < len(existing) {
			fmt.Fprintf(&csv, "First,New%07d,,emp-%07d,,\n", i, i)
		} else {
			fmt.Fprintf(&csv, "New,Learner%07d,new%07d@imports.example,,York,Night shift\n", i, i)
		}
	}
	b.Logf("seeded %d users and a file of %d rows (%.1f MB) in %s", len(existing), n, float64(csv.Len())/1e6, time.Since(start).Round(time.Second))

	apiClient := &countingClient{db: tbl.Client}
	apiStore := dynamo.New(apiClient, tbl.Name)
	svc := withTraining(roster.NewService(apiStore, log), apiStore)
	svc.Files, importsOf(svc).OpenSheet = bucket.Bucket, app.OpenSheet
	workerClient := &countingClient{db: tbl.Client}
	workerStore := dynamo.New(workerClient, tbl.Name)
	workerSvc := withTraining(roster.NewService(workerStore, log), workerStore)
	workerSvc.Files, importsOf(workerSvc).OpenSheet = bucket.Bucket, app.OpenSheet
	owner := &roster.Principal{OrgID: orgID, UserID: org.Owner.ID, Role: roster.RoleOwner, RequestID: "bench-import"}

	up, err := importsOf(svc).StartImport(ctx, owner, "bench.csv", int64(csv.Len()))
	if err != nil {
		b.Fatal(err)
	}
	key, err := roster.FileKey(orgID, "imports", up.Import.ID, "upload")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := bucket.Bucket.Create(ctx, orgID, key, "text/csv", func(w io.Writer) error {
		_, err := io.WriteString(w, csv.String())
		return err
	}); err != nil {
		b.Fatal(err)
	}
	csv = strings.Builder{}

	// Validation, with the heap sampled every 5 ms.
	o := roster.ImportOptions{Mode: roster.ImportAddUpdate}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	watch := watchHeap()
	apiClient.reset()
	b.ResetTimer()
	validateStart := time.Now()
	pre, err := importsOf(svc).ValidateImport(ctx, owner, up.Import.ID, o)
	validateTime := time.Since(validateStart)
	peak, _ := watch.end()
	if err != nil {
		b.Fatal(err)
	}
	validateRequests, _ := apiClient.totals()
	if pre.Counts.Create != n-len(existing) || pre.Counts.Update != len(existing) || pre.Counts.Errors != 0 {
		b.Fatalf("preview counts = %+v", pre.Counts)
	}
	peakHeap := float64(peak-min(peak, base.HeapInuse)) / (1 << 20)

	// The apply: the request, then the worker and the consumer, each on its
	// own poller, until the job is done.
	worker := &stream.JobWorker{Decode: dynamo.JobStepFromStream, Jobs: workerSvc, Log: log}
	workerPoller := &streams.Poller{Client: tbl.Streams, StreamARN: tbl.StreamARN, Handler: worker.Handle, Log: log, BatchSize: 1000}
	if err := workerPoller.Drain(ctx); err != nil { // past the seed's records
		b.Fatal(err)
	}
	apiClient.reset()
	workerClient.reset()
	applyStart := time.Now()
	_, j, err := importsOf(svc).ApplyImport(ctx, owner, up.Import.ID, o, pre.Counts)
	if err != nil {
		b.Fatal(err)
	}
	requestTime := time.Since(applyStart)
	for {
		if err := workerPoller.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		got, err := plain.GetJob(ctx, orgID, j.ID)
		if err != nil {
			b.Fatal(err)
		}
		if got.Status.Finished() {
			if got.Status != roster.JobDone || got.Done != n {
				b.Fatalf("job = %+v, want done with %d rows", got, n)
			}
			break
		}
		if err := consumerPoller.Drain(ctx); err != nil {
			b.Fatal(err)
		}
	}
	applyTime := time.Since(applyStart)
	requestRequests, _ := apiClient.totals()
	workerRequests, _ := workerClient.totals()

	// The result file: one line per row, written once the job has ended.
	for {
		if err := workerPoller.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		imp, err := plain.GetImport(ctx, orgID, up.Import.ID)
		if err != nil {
			b.Fatal(err)
		}
		if imp.Results != nil {
			if imp.Results.Done != n {
				b.Fatalf("results = %+v, want %d rows done", imp.Results, n)
			}
			break
		}
	}
	// Written again (as a redelivered record would), timed on its own, with
	// the heap sampled.
	runtime.GC()
	watch = watchHeap()
	resultsStart := time.Now()
	if err := importsOf(workerSvc).WriteImportResults(ctx, orgID, j.ID); err != nil {
		b.Fatal(err)
	}
	resultsTime := time.Since(resultsStart)
	resultsHeap, _ := watch.end()
	b.StopTimer()
	key, err = roster.FileKey(orgID, "imports", up.Import.ID, j.ID, "results.csv")
	if err != nil {
		b.Fatal(err)
	}
	results, err := bucket.Bucket.Stat(ctx, orgID, key)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("result file of %d rows: written in %s, peak heap in use %.1f MiB, %.1f MiB", n, resultsTime.Round(time.Millisecond), float64(resultsHeap)/(1<<20), float64(results.Size)/(1<<20))
	b.ReportMetric(resultsTime.Seconds(), "results-s")
	b.ReportMetric(float64(resultsHeap)/(1<<20), "results-heap-MiB")

	b.Logf("validate %d rows: %s, peak heap +%.0f MiB, %d DynamoDB requests; apply: request %s, job done after %s, %.2f DynamoDB requests per row (request %.2f, worker %.2f)",
		n, validateTime.Round(time.Millisecond), peakHeap, validateRequests, requestTime.Round(time.Millisecond), applyTime.Round(time.Second),
		float64(requestRequests+workerRequests)/float64(n), float64(requestRequests)/float64(n), float64(workerRequests)/float64(n))
	b.ReportMetric(validateTime.Seconds(), "validate-s")
	b.ReportMetric(peakHeap, "validate-peak-MiB")
	b.ReportMetric(requestTime.Seconds(), "apply-request-s")
	b.ReportMetric(applyTime.Seconds(), "apply-s")
	b.ReportMetric(float64(requestRequests+workerRequests)/float64(n), "req/row")
}
