package sheetread

import (
	"errors"
	"io"
	"strings"
	"testing"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/sheetread/sheetreadtest"
)

// fuzzLimits are small, so that fuzzed input reaches them.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxRows: 50, MaxColumns: 8, MaxCell: 64}

// checkRead reads data as an upload named name and fails unless it ends in
// rows within the limits, or in a file error a person can read.
func checkRead(t *testing.T, name string, data []byte) {
	rows, err := readAll(t, name, data, fuzzLimits)
	checkBounded(t, rows, fuzzLimits)
	if err == nil {
		return
	}
	var e *roster.Error
	if !errors.As(err, &e) || e.Code != roster.CodeInvalid || e.Field != "file" {
		t.Fatalf("err = %v, want an invalid error on file", err)
	}
	clear := false
	for _, start := range []string{"the file ", "the workbook", "line "} {
		clear = clear || strings.HasPrefix(e.Message, start)
	}
	if !clear || strings.Contains(e.Message, "%!") || len(e.Message) > 300 {
		t.Fatalf("message %q is not a sentence about the file", e.Message)
	}
}

// FuzzReadCSV reads fuzzed uploads (text in any encoding, or a zip) from
// the cases of README's bad-input table.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range [][]byte{
		nil,
		[]byte("\n\n"),
		[]byte("First name,Last name,Email\n"),
		[]byte("First name,Last name,Email\nZoë,Ærø,zoe@x.test\n"),
		[]byte("\xEF\xBB\xBFa;b\r\n1;2\r\n"),
		[]byte("a\tb\nx\vy\t\f\n"),
		[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		[]byte("a,b\n\x02\x7f\x1b,x\n"),
		[]byte("a,b\nZoë,x\n\ncaf\xe9,y\n"),
		[]byte("caf\xe9,b\n1,2\n"),
		utf16LE(f, "a,b\nc,d\n"),
		utf16LE(f, "a,b\nc,d\n")[:13],
		append(utf16LE(f, "a,b\n"), 0x00, 0xD8, 'x', 0),
		[]byte("a\n1\n2\n3\n"),
		[]byte("a\n" + strings.Repeat("x,", 20) + "x\n"),
		[]byte("a,b\n1," + strings.Repeat("y", 70) + "\n"),
		[]byte("a,b\n\"x\ny\",1\n\n\nc,\"d,\"\"e\"\"\"\n,,\nf,g\n"),
		[]byte("a,b\n1,\"open\n"),
		[]byte("a,b\nx\"y,1\n"),
		[]byte("a,b\n\"x\"y,1\n"),
		[]byte("Email,Name\n=1+1,+x\n@y,-z\n"),
		[]byte("PK\x03\x04 not really a zip"),
		zipOf(f, "notes.txt", "a,b\n"),
		workbook(f, `<row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>`, []string{"a"}, ""),
		workbook(f, `<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>`, nil, ""),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "x.csv", data)
	})
}

// FuzzReadXLSX reads workbooks whose sheet, shared strings and styles are
// fuzzed, from the .xlsx cases of README's bad-input table.
func FuzzReadXLSX(f *testing.F) {
	styles := `<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs>`
	for _, seed := range [][3]string{
		{``, ``, ``},
		{`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`, `<si><t>First name</t></si><si><r><t>Due</t></r><rPh><t>x</t></rPh></si>`, ``},
		{`<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row><row r="3"><c r="A3" s="1"><v>46387</v></c><c r="B3" s="2"><v>46023.5</v></c><c r="C3" t="b"><v>1</v></c></row>`, ``, styles},
		{`<row r="1"><c r="A1" t="str"><f>A3&amp;"x"</f><v>Zoëx</v></c></row>`, ``, ``},
		{`<row r="1"><c r="XFD1"><v>1</v></c></row>`, ``, ``},
		{`<row r="2"><c><v>1</v></c></row><row r="1"><c><v>1</v></c></row>`, ``, ``},
		{`<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>`, ``, ``},
		{`<row r="1"><c t="s"><v>9</v></c></row>`, `<si><t>a</t></si>`, ``},
		{`<row r="1"><c><v>1</v>`, ``, ``},
		{`<row r="1"><c t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c><!-- note --><?pi x?></row>`, ``, ``},
		{`<!DOCTYPE x><row r="1"/>`, ``, ``},
		{`<row r="1"><c t="inlineStr"><is><t>` + strings.Repeat("z", 70) + `</t></is></c></row>`, ``, ``},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, sheet, shared, styles string) {
		given := map[string]io.WriterTo{
			"xl/worksheets/sheet1.xml": strings.NewReader(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + sheet + `</sheetData></worksheet>`),
		}
		if shared != "" {
			given["xl/sharedStrings.xml"] = strings.NewReader(`<sst>` + shared + `</sst>`)
		}
		if styles != "" {
			given["xl/styles.xml"] = strings.NewReader(`<styleSheet>` + styles + `</styleSheet>`)
		}
		checkRead(t, "x.xlsx", sheetreadtest.Workbook(given))
	})
}
