package bench

import (
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/testharness/fixtures"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
)

// exportSize is how many users the export benchmark writes;
// ROSTER_BENCH_EXPORT_USERS changes it.
func exportSize() int { return envSize("ROSTER_BENCH_EXPORT_USERS", 100_000) }

// BenchmarkExportUsers writes exportSize() users (every fifth with a
// course, half of those completed) to an .xlsx in moto's S3
// through the service's RunExport, as the export worker does, against
// DynamoDB Local. It reports the time, the peak Go heap in use and the peak
// memory the process got from the OS while exporting (sampled every 5 ms,
// after the seeding's garbage is collected), the DynamoDB requests per row
// and the file's size.
func BenchmarkExportUsers(b *testing.B) {
	n := exportSize()
	ctx := context.Background()
	tbl := testenv.DynamoDB(b)
	fb := testenv.Files(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain := dynamo.New(tbl.Client, tbl.Name)
	org := fixtures.NewOrg(b, plain, "exports")
	orgID := org.Organization.ID

	start := time.Now()
	now := start.UTC()
	due := now.AddDate(0, 2, 0)
	for from := 0; from < n; from += 10_000 {
		users := make([]*roster.User, 0, 10_000)
		for i := from; i < min(n, from+10_000); i++ {
			u := benchUser(i, now, org.LocationIDs, org.GroupIDs)
			u.ID, u.OrgID = fmt.Sprintf("x%07d", i), orgID
			if i%5 == 0 {
				u.Courses = []roster.Assignment{{CourseID: org.CourseIDs[0], DueAt: &due}}
				if i%10 == 0 {
					u.Courses[0].StartedAt, u.Courses[0].CompletedAt = &now, &now
				}
			}
			users = append(users, u)
		}
		if err := plain.ImportUsers(ctx, users); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d users in %s", n, time.Since(start).Round(time.Second))

	counting := &countingClient{db: tbl.Client}
	svc := &exports.Service{Store: dynamo.New(counting, tbl.Name), Files: fb.Bucket, Now: time.Now, NewID: roster.NewRandomID, Log: log}
	e, err := svc.StartExport(ctx, &roster.Principal{OrgID: orgID, UserID: org.Owner.ID, Role: roster.RoleOwner},
		exports.Request{Kind: exports.ExportUsers, Format: exports.ExportXLSX, Filter: &roster.UserFilter{Archived: roster.ArchivedInclude}})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	counting.reset()
	b.ResetTimer()
	watch := watchHeap()
	began := time.Now()
	if err := svc.RunExport(ctx, orgID, e.ID); err != nil {
		b.Fatal(err)
	}
	took := time.Since(began)
	peakInuse, peakSys := watch.end()
	b.StopTimer()

	done, err := svc.Store.GetExport(ctx, orgID, e.ID)
	if err != nil {
		b.Fatal(err)
	}
	rows := n + 1 // and the owner
	if done.Status != exports.ExportDone || done.Rows != rows {
		b.Fatalf("export = %s with %d rows, want done with %d", done.Status, done.Rows, rows)
	}
	key, _ := done.FileKey()
	info, err := fb.Bucket.Stat(ctx, orgID, key)
	if err != nil {
		b.Fatal(err)
	}
	requests, rcu := counting.totals()
	b.ReportMetric(took.Seconds(), "s")
	b.ReportMetric(float64(peakInuse)/(1<<20), "MiB-heap-peak")
	b.ReportMetric(float64(peakSys)/(1<<20), "MiB-sys-peak")
	b.ReportMetric(float64(requests)/float64(rows), "requests/row")
	b.Logf("%d rows to .xlsx in %s (%.0f rows/s): peak heap in use %.1f MiB (%.1f MiB before), peak from the OS %.1f MiB; %d DynamoDB requests (%.3f a row, %.0f RCU); file %.1f MiB",
		rows, took.Round(time.Millisecond), float64(rows)/took.Seconds(), float64(peakInuse)/(1<<20), float64(before.HeapInuse)/(1<<20),
		float64(peakSys)/(1<<20), requests, float64(requests)/float64(rows), rcu, float64(info.Size)/(1<<20))
}
