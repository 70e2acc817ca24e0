package bench

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/sheetread/sheetreadtest"
)

// maxCraftedHeap is the most heap reading a crafted upload may take above
// the heap before it.
const maxCraftedHeap = 64 << 20

// BenchmarkCraftedUploads reads each of sheetreadtest's crafted uploads
// (a 12 MiB line of commas, a 40 MiB cell, 20 million rows of one column,
// .xlsx bombs whose one cell, formula or shared string unzips to 200 MiB,
// shared strings past the table's bound, 5,000 columns, a zip directory of
// 200,000 entries...) as validation reads an upload (app.OpenSheet, the
// default limits), with the heap sampled every 5 ms. It fails when a file
// is not refused with its message, or when its peak heap in use is more
// than 64 MiB above the heap before. allocated-MiB is every byte allocated
// while reading: more than the peak, since the garbage collector runs.
func BenchmarkCraftedUploads(b *testing.B) {
	for _, f := range sheetreadtest.Crafted(200 << 20) {
		b.Run(f.Name, func(b *testing.B) {
			data := f.Build()
			var peak, allocated float64
			var took time.Duration
			var err error
			for range b.N {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				watch := watchHeap()
				start := time.Now()
				err = readUpload(f.Name, data)
				took = time.Since(start)
				inuse, _ := watch.end()
				runtime.ReadMemStats(&after)
				peak = float64(inuse-min(inuse, before.HeapInuse)) / (1 << 20)
				allocated = float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
			}
			var e *roster.Error
			if !errors.As(err, &e) || e.Field != "file" || !strings.Contains(e.Message, f.Want) {
				b.Errorf("err = %v, want a file error holding %q", err, f.Want)
			}
			b.ReportMetric(peak, "peak-heap-MiB")
			b.ReportMetric(allocated, "allocated-MiB")
			b.ReportMetric(float64(len(data))/(1<<20), "file-MiB")
			b.Logf("%s (%.2f MiB): read in %s, peak heap +%.1f MiB, %.1f MiB allocated: %v", f.Name, float64(len(data))/(1<<20), took.Round(time.Millisecond), peak, allocated, err)
			if peak > maxCraftedHeap>>20 {
				b.Errorf("peak heap +%.1f MiB, want at most +%d MiB", peak, maxCraftedHeap>>20)
			}
		})
	}
}

// readUpload reads every row of an upload, as validation does, and returns
// the error that stopped it (nil when the file was read to its end).
func readUpload(name string, data []byte) error {
	rows, err := app.OpenSheet(bytes.NewReader(data), name)
	if err != nil {
		return err
	}
	for {
		if _, err := rows.Next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}
