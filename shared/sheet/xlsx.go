package sheet

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// MaxCellText is the most characters an .xlsx cell holds; longer text is cut.
const MaxCellText = 32767

// The workbook's fixed parts: one sheet of inline strings, and two number
// formats for dates (style 1) and dates with times (style 2).
const (
	contentTypesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`
	rootRelsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbookRelsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
	stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>`
	sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`
	sheetEnd = `</sheetData></worksheet>`
)

// xlsxWriter writes a workbook of one sheet, its first row in bold and
// frozen as the header.
type xlsxWriter struct {
	zip     *zip.Writer
	sheet   *bufio.Writer
	name    string
	row     int
	started bool
	err     error
}

// NewXLSX returns a Writer of an .xlsx workbook to w whose one sheet is
// named sheetName.
func NewXLSX(w io.Writer, sheetName string) Writer {
	return &xlsxWriter{zip: zip.NewWriter(w), name: sheetName}
}

func (x *xlsxWriter) start() error {
	x.started = true
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", rootRelsXML},
		{"xl/_rels/workbook.xml.rels", workbookRelsXML},
		{"xl/styles.xml", stylesXML},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + escape(x.name) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	} {
		f, err := x.zip.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, part.body); err != nil {
			return err
		}
	}
	f, err := x.zip.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	x.sheet = bufio.NewWriterSize(f, 64<<10)
	_, err = x.sheet.WriteString(sheetStart)
	return err
}

func (x *xlsxWriter) WriteRow(cells []Cell) error {
	if x.err != nil {
		return x.err
	}
	if !x.started {
		if x.err = x.start(); x.err != nil {
			return x.err
		}
	}
	x.row++
	r := strconv.Itoa(x.row)
	w := x.sheet
	w.WriteString(`<row r="` + r + `">`)
	for i, c := range cells {
		ref := column(i) + r
		switch {
		case c.Time != nil:
			style := "2"
			if c.Date {
				style = "1"
			}
			w.WriteString(`<c r="` + ref + `" s="` + style + `"><v>` + strconv.FormatFloat(serial(*c.Time), 'f', -1, 64) + `</v></c>`)
		case c.Text == "":
		default:
			style := ""
			if x.row == 1 {
				style = ` s="3"`
			}
			w.WriteString(`<c r="` + ref + `"` + style + ` t="inlineStr"><is><t xml:space="preserve">`)
			w.WriteString(escape(truncate(Neutralise(c.Text), MaxCellText)))
			w.WriteString(`</t></is></c>`)
		}
	}
	_, x.err = w.WriteString(`</row>`)
	return x.err
}

func (x *xlsxWriter) Close() error {
	if x.err != nil {
		return x.err
	}
	if !x.started {
		if x.err = x.start(); x.err != nil {
			return x.err
		}
	}
	if _, err := x.sheet.WriteString(sheetEnd); err != nil {
		return err
	}
	if err := x.sheet.Flush(); err != nil {
		return err
	}
	return x.zip.Close()
}

// excelEpoch is day 0 of Excel's date serial numbers (1900 system, with its
// leap-year quirk already folded in for dates after February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial returns t as an Excel date serial number: days and the fraction
// of a day, to the second.
func serial(t time.Time) float64 {
	secs := t.UTC().Truncate(time.Second).Sub(excelEpoch) / time.Second
	return float64(secs) / 86400
}

// column returns the letters of the zero-based column i: A, B, ..., Z, AA.
func column(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

func escape(s string) string {
	var b []byte
	w := byteWriter{&b}
	_ = xml.EscapeText(w, []byte(s))
	return string(b)
}

type byteWriter struct{ b *[]byte }

func (w byteWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
