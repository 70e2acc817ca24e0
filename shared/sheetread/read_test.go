package sheetread

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/sheetread/sheetreadtest"
)

// readAll opens data and reads every row, or returns the first error.
func readAll(tb testing.TB, name string, data []byte, lim Limits) ([]imports.SheetRow, error) {
	tb.Helper()
	r, err := Open(bytes.NewReader(data), name, lim)
	if err != nil {
		return nil, err
	}
	var rows []imports.SheetRow
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

// wantFileError fails unless err is an invalid error on "file" whose
// message holds want.
func wantFileError(tb testing.TB, err error, want string) {
	tb.Helper()
	var e *roster.Error
	if !errors.As(err, &e) || e.Code != roster.CodeInvalid || e.Field != "file" {
		tb.Fatalf("err = %v, want an invalid error on file", err)
	}
	if !strings.Contains(e.Message, want) {
		tb.Errorf("message = %q, want it to hold %q", e.Message, want)
	}
}

func TestOpen_CSV(t *testing.T) {
	utf8Text := "First name,Last name,Email\nZoë,Ærø,zoe@x.test\n"
	utf16 := func(order unicode.Endianness) []byte {
		b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(utf8Text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	win, err := charmap.Windows1252.NewEncoder().Bytes([]byte(utf8Text))
	if err != nil {
		t.Fatal(err)
	}
	want := []imports.SheetRow{
		{Line: 1, Cells: []string{"First name", "Last name", "Email"}},
		{Line: 2, Cells: []string{"Zoë", "Ærø", "zoe@x.test"}},
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"utf-8", []byte(utf8Text)},
		{"utf-8 with bom", append([]byte{0xEF, 0xBB, 0xBF}, utf8Text...)},
		{"utf-16 le", utf16(unicode.LittleEndian)},
		{"utf-16 be", utf16(unicode.BigEndian)},
		{"windows-1252", win},
		{"semicolons", []byte(strings.ReplaceAll(utf8Text, ",", ";"))},
		{"tabs and crlf", []byte(strings.ReplaceAll(strings.ReplaceAll(utf8Text, ",", "\t"), "\n", "\r\n"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, "roster.csv", tc.data, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows = %+v, want %+v", got, want)
			}
		})
	}
}

func TestOpen_CSVLineNumbers(t *testing.T) {
	// A quoted line break keeps its row one spreadsheet line; blank lines
	// are lines of their own but return no row.
	data := "a,b\n\"x\ny\",1\n\n\nc,\"d,\"\"e\"\"\"\n,,\nf,g\n"
	got, err := readAll(t, "x.csv", []byte(data), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []imports.SheetRow{
		{Line: 1, Cells: []string{"a", "b"}},
		{Line: 2, Cells: []string{"x\ny", "1"}},
		{Line: 5, Cells: []string{"c", `d,"e"`}},
		{Line: 7, Cells: []string{"f", "g"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %+v, want %+v", got, want)
	}
}

func TestOpen_BadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"empty", "x.csv", nil, "is empty"},
		{"only blank lines", "x.csv", []byte("\n\n"), "is empty"},
		{"binary junk", "x.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary data"},
		{"NUL after the first 64 KiB", "x.csv", append([]byte("a,b\n"+strings.Repeat("c,d\n", 20000)), 0), "line 20002 holds binary data"},
		{"control bytes but no NUL", "x.csv", []byte("a,b\n\x02\x7f\x1b,x\n"), "(it holds binary data)"},
		{"control byte after the first 64 KiB", "x.csv", append([]byte("a,b\n"+strings.Repeat("c,d\n", 20000)), "\x03,x\n"...), "line 20002 holds binary data"},
		{"mixed encodings", "x.csv", append([]byte("a,b\n"+strings.Repeat("c,d\n", 20000)), "caf\xe9,x\n"...), "line 20002 is not in the file's encoding"},
		{"mixed encodings in the first 64 KiB", "x.csv", []byte("a,b\nZoë,x\n\ncaf\xe9,y\n"), "line 4 is not in the file's encoding (UTF-8): the file mixes encodings"},
		{"utf-16 cut short", "x.csv", utf16LE(t, "a,b\nc,d\n")[:13], "line 2 is not valid UTF-16"},
		{"utf-16 lone surrogate", "x.csv", append(utf16LE(t, "a,b\n"), 0x00, 0xD8, 'x', 0), "line 2 is not valid UTF-16"},
		{"zip that is no workbook", "x.csv", zipOf(t, "notes.txt", "a,b\n"), "is a zip archive, not an Excel workbook"},
		{"too many rows", "x.csv", []byte("a\n1\n2\n3\n4\n"), "more than 3 rows"},
		{"too many columns", "x.csv", []byte("a\n" + strings.Repeat("x,", 5000) + "x\n"), "line 2 has 5001 columns"},
		{"cell too long", "x.csv", []byte("a,b\n1," + strings.Repeat("y", 21) + "\n"), "line 2, column B holds more than 20"},
		{"too large", "x.csv", bytes.Repeat([]byte("a,b\n"), 300_000), "larger than 1 MB"},
		{"unclosed quote", "x.csv", []byte("a,b\n1,\"open\n"), "never closed"},
		{"bare quote", "x.csv", []byte("a,b\nx\"y,1\n"), "line 2: a quote appears"},
		{"corrupt xlsx", "x.xlsx", []byte("PK\x03\x04 not really a zip"), "not a readable Excel workbook"},
		{"text named xlsx", "x.xlsx", []byte("a,b\n"), "is not an Excel workbook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := Limits{MaxBytes: 1 << 20, MaxRows: 1_000_000, MaxColumns: 5, MaxCell: 20}
			if tc.name == "too many rows" {
				lim.MaxRows = 3
			}
			_, err := readAll(t, tc.file, tc.data, lim)
			wantFileError(t, err, tc.want)
		})
	}
}

// utf16LE returns text in UTF-16, little-endian, with a byte order mark.
func utf16LE(tb testing.TB, text string) []byte {
	tb.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// zipOf returns a zip archive of one file.
func zipOf(tb testing.TB, name, body string) []byte {
	tb.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	io.WriteString(w, body)
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestOpen_TextControlCharacters(t *testing.T) {
	// Vertical tabs (line breaks in cells of some exports) and form feeds
	// are text, not binary data.
	got, err := readAll(t, "x.csv", []byte("a,b\nx\vy,\f\n"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []imports.SheetRow{{Line: 1, Cells: []string{"a", "b"}}, {Line: 2, Cells: []string{"x\vy", "\f"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %+v, want %+v", got, want)
	}
}

func TestOpen_MillionRows(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("First name,Last name,Email\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&b, "A,B,u%d@x.test\n", i)
	}
	lim := DefaultLimits
	lim.MaxBytes = 1 << 30
	_, err := readAll(t, "big.csv", b.Bytes(), lim)
	wantFileError(t, err, "more than 100000 rows")
}

// workbook builds an .xlsx with one sheet from its sheetData XML, shared
// strings and custom number formats.
func workbook(tb testing.TB, sheetData string, shared []string, styles string) []byte {
	tb.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(w, body)
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	var ss strings.Builder
	for _, s := range shared {
		ss.WriteString("<si><t>" + s + "</t></si>")
	}
	add("xl/sharedStrings.xml", `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+ss.String()+`</sst>`)
	if styles != "" {
		add("xl/styles.xml", `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+styles+`</styleSheet>`)
	}
	add("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+sheetData+`</sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestOpen_XLSX(t *testing.T) {
	styles := `<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>` +
		`<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>`
	data := workbook(t, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>Notify</t></is></c></row>`+
		`<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>46387</v></c><c r="C3" s="2"><v>46023.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" s="3"><v>1.5</v></c><c r="F3"><v>12345678901</v></c></row>`+
		`<row r="4"><c r="A4"/></row>`+
		`<row r="5"><c r="A5" t="str"><f>A3&amp;"x"</f><v>Zoëx</v></c></row>`,
		[]string{"First name", "Due", "Zoë"}, styles)
	got, err := readAll(t, "x.xlsx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []imports.SheetRow{
		{Line: 1, Cells: []string{"First name", "Due", "", "Notify"}},
		{Line: 3, Cells: []string{"Zoë", "2026-12-31", "2026-01-01", "TRUE", "1.5", "12345678901"}},
		{Line: 5, Cells: []string{`=A3&"x"`}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %+v, want %+v", got, want)
	}
}

func TestOpen_XLSXBadInput(t *testing.T) {
	small := Limits{MaxBytes: 1 << 20, MaxRows: 2, MaxColumns: 5, MaxCell: 20}
	for _, tc := range []struct {
		name, sheet, want string
	}{
		{"no rows", ``, "is empty"},
		{"too many rows", `<row r="1"><c t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c><v>1</v></c></row><row r="3"><c><v>1</v></c></row><row r="4"><c><v>1</v></c></row>`, "more than 2 rows"},
		{"too many columns", `<row r="1"><c r="XFD1"><v>1</v></c></row>`, "column XFD"},
		{"cell too long", `<row r="1"><c r="B1" t="inlineStr"><is><t>` + strings.Repeat("z", 21) + `</t></is></c></row>`, "line 1, column B holds more"},
		{"bad shared string", `<row r="1"><c t="s"><v>9</v></c></row>`, "not a readable"},
		{"rows out of order", `<row r="2"><c><v>1</v></c></row><row r="1"><c><v>1</v></c></row>`, "not a readable"},
		{"cut short", `<row r="1"><c><v>1</v>`, "not a readable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, "x.xlsx", workbook(t, tc.sheet, []string{"a"}, ""), small)
			wantFileError(t, err, tc.want)
		})
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", i, got, want)
		}
		if got, ok := columnIndex(want + "7"); !ok || got != i {
			t.Errorf("columnIndex(%q) = %d, %v, want %d", want+"7", got, ok, i)
		}
	}
}

func TestOpen_Crafted(t *testing.T) {
	// Files made to fill memory are refused, or their bad cell reported,
	// within the default limits; ./bench measures the memory it takes.
	for _, f := range sheetreadtest.Crafted(8 << 20) {
		t.Run(f.Name, func(t *testing.T) {
			rows, err := readAll(t, f.Name, f.Build(), DefaultLimits)
			wantFileError(t, err, f.Want)
			checkBounded(t, rows, DefaultLimits)
		})
	}
}

// checkBounded fails unless rows are within lim and numbered in order.
func checkBounded(tb testing.TB, rows []imports.SheetRow, lim Limits) {
	tb.Helper()
	if len(rows) > lim.MaxRows+1 {
		tb.Fatalf("%d rows, want at most %d", len(rows), lim.MaxRows+1)
	}
	last := 0
	for _, r := range rows {
		if r.Line <= last {
			tb.Fatalf("row of line %d after line %d", r.Line, last)
		}
		last = r.Line
		if len(r.Cells) > lim.MaxColumns {
			tb.Fatalf("line %d has %d cells, want at most %d", r.Line, len(r.Cells), lim.MaxColumns)
		}
		for i, c := range r.Cells {
			if len(c) > lim.MaxCell {
				tb.Fatalf("line %d, cell %d holds %d bytes, want at most %d", r.Line, i, len(c), lim.MaxCell)
			}
		}
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestOpen_CSVRefusesLongCellAsItStreams(t *testing.T) {
	// encoding/csv reads a whole line before the cell's limit is checked:
	// the cell is refused before much more than the limit is read.
	for _, tc := range []struct{ name, head, fill string }{
		{"unquoted", "a,b\n1,", "y"},
		{"quoted, with quotes and line breaks", "a,b\n1,\"", "y\"\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &countingReader{r: io.MultiReader(strings.NewReader(tc.head), strings.NewReader(strings.Repeat(tc.fill, 16<<20/len(tc.fill))))}
			lim := Limits{MaxBytes: 1 << 30, MaxRows: 10, MaxColumns: 5, MaxCell: 20}
			r, err := Open(src, "x.csv", lim)
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = r.Next()
			}
			wantFileError(t, err, "line 2, column B holds more than 20 characters")
			if src.n > 1<<20 {
				t.Errorf("read %d bytes before refusing the cell, want at most 1 MiB", src.n)
			}
		})
	}
}
