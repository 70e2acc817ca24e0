package sheet_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rosterhq/roster/shared/sheet"
)

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-2": "'-2", "@cmd": "'@cmd",
		"\tx": "'\tx", "\rx": "'\rx", "Ada": "Ada", "": "", "a=b": "a=b", " =x": " =x",
	} {
		if got := sheet.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

var (
	created = time.Date(2026, 3, 4, 13, 14, 15, 0, time.UTC)
	due     = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rows    = [][]sheet.Cell{
		{sheet.Text("Name"), sheet.Text("Note"), sheet.Text("Created"), sheet.Text("Due"), sheet.Text("Empty")},
		{sheet.Text("Zoë <O'Brien> & co"), sheet.Text("=HYPERLINK(\"http://x\")"), sheet.Time(&created), sheet.Date(&due), sheet.Time(nil)},
		{sheet.Text("Line\nbreak"), sheet.Text("-5"), sheet.Text(""), sheet.Text("@SUM"), sheet.Text("plain")},
	}
)

func TestXLSX_ReadByExcelize(t *testing.T) {
	var buf bytes.Buffer
	w := sheet.NewXLSX(&buf, "Users")
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Users" {
		t.Fatalf("sheets = %q, want [Users]", got)
	}
	want := [][]string{
		{"Name", "Note", "Created", "Due", "Empty"},
		{"Zoë <O'Brien> & co", `'=HYPERLINK("http://x")`, "2026-03-04 13:14", "2026-12-01"},
		{"Line\nbreak", "'-5", "", "'@SUM", "plain"},
	}
	got, err := f.GetRows("Users")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("rows = %q, want %q", got, want)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i+1, got[i], want[i])
		}
	}
	// Dates are numbers with a date format, not text.
	for cell, when := range map[string]time.Time{"C2": created, "D2": due} {
		typ, err := f.GetCellType("Users", cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue("Users", cell, excelize.Options{RawCellValue: true})
		if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
			t.Errorf("%s is text (%q), want a date", cell, raw)
		}
		back, err := excelize.ExcelDateToTime(mustFloat(t, raw), false)
		if err != nil || !back.Equal(when) {
			t.Errorf("%s = %s (%v), want %s", cell, back, err, when)
		}
	}
	if f, _ := f.GetCellFormula("Users", "B2"); f != "" {
		t.Errorf("B2 has the formula %q, want none", f)
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return f
}

func TestCSV_BOMAndNeutralised(t *testing.T) {
	var buf bytes.Buffer
	w := sheet.NewCSV(&buf)
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte order mark: %q", data[:min(8, len(data))])
	}
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Error("lines do not end with CRLF")
	}
	got, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Name", "Note", "Created", "Due", "Empty"},
		{"Zoë <O'Brien> & co", `'=HYPERLINK("http://x")`, "2026-03-04 13:14:15Z", "2026-12-01", ""},
		{"Line\nbreak", "'-5", "", "'@SUM", "plain"},
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i+1, got[i], want[i])
		}
	}
}

// TestXLSX_BoundedMemory writes 200,000 rows to a discarding writer and
// checks that the live heap stays far below what the rows would take.
func TestXLSX_BoundedMemory(t *testing.T) {
	w := sheet.NewXLSX(io.Discard, "Big")
	row := []sheet.Cell{sheet.Text("Ada Lovelace"), sheet.Text("ada@example.com"), sheet.Time(&created), sheet.Text(strings.Repeat("x", 200))}
	runtime.GC()
	var before, m runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := before.HeapInuse
	for i := range 200_000 {
		if err := w.WriteRow(row); err != nil {
			t.Fatal(err)
		}
		if i%5000 == 0 {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if grew := peak - min(peak, before.HeapInuse); grew > 16<<20 {
		t.Errorf("the heap grew by %d MiB for 200,000 rows (about 50 MiB of XML), want under 16 MiB", grew>>20)
	}
}
