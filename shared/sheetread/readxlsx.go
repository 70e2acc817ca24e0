package sheetread

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// An .xlsx workbook is a zip of XML parts: xl/workbook.xml names the
// sheets, its relationships say which part holds each, xl/sharedStrings.xml
// holds the text cells refer to, and xl/styles.xml says which number
// formats are dates. Only the first sheet is read.

// corrupt is the refusal of a workbook that cannot be read.
func corrupt() error {
	return fileError("the file is not a readable Excel workbook (.xlsx): open it in Excel, save it again, and upload it again")
}

// xlsxReader streams the rows of a worksheet.
type xlsxReader struct {
	dec     *xml.Decoder
	closer  io.Closer
	strings []string
	dates   map[int]bool // style indexes whose number format is a date
	lim     Limits
	row     int // the spreadsheet line of the last row read
	rows    int
	started bool
}

func openXLSX(data []byte, lim Limits) (roster.RowReader, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, corrupt()
	}
	parts := map[string]*zip.File{}
	for _, f := range z.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	if parts["xl/workbook.xml"] == nil {
		return nil, fileError("the file is a zip archive, not an Excel workbook: upload the .xlsx or .csv file itself")
	}
	sheetPath, err := firstSheet(parts)
	if err != nil {
		return nil, err
	}
	// Text and styles are read whole, within a bound: a workbook that
	// inflates past it is refused rather than filling memory.
	bound := 4 * lim.MaxBytes
	var shared []string
	if f := parts["xl/sharedStrings.xml"]; f != nil {
		if shared, err = readSharedStrings(f, bound, lim); err != nil {
			return nil, err
		}
	}
	dates := map[int]bool{}
	if f := parts["xl/styles.xml"]; f != nil {
		if dates, err = readDateStyles(f, bound); err != nil {
			return nil, err
		}
	}
	f := parts[sheetPath]
	if f == nil {
		return nil, corrupt()
	}
	rc, err := f.Open()
	if err != nil {
		return nil, corrupt()
	}
	return &xlsxReader{dec: xml.NewDecoder(rc), closer: rc, strings: shared, dates: dates, lim: lim}, nil
}

// firstSheet returns the path of the workbook's first sheet.
func firstSheet(parts map[string]*zip.File) (string, error) {
	var wb struct {
		Sheets []struct {
			RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(parts["xl/workbook.xml"], 1<<20, &wb); err != nil {
		return "", err
	}
	if err := decodePart(parts["xl/_rels/workbook.xml.rels"], 1<<20, &rels); err != nil {
		return "", err
	}
	if len(wb.Sheets) == 0 {
		return "", fileError("the file is an Excel workbook with no sheet")
	}
	for _, r := range rels.Rels {
		if r.ID == wb.Sheets[0].RID {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join("xl", r.Target), nil
		}
	}
	return "", corrupt()
}

func decodePart(f *zip.File, bound int64, v any) error {
	if f == nil {
		return corrupt()
	}
	rc, err := f.Open()
	if err != nil {
		return corrupt()
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, bound)).Decode(v); err != nil {
		return corrupt()
	}
	return nil
}

// readSharedStrings reads the workbook's text table; rich text runs are joined.
func readSharedStrings(f *zip.File, bound int64, lim Limits) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, corrupt()
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, bound))
	var out []string
	var cur strings.Builder
	inSI, inT, inPhonetic := false, false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, corrupt()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "t":
				inT = inSI
			case "rPh":
				inPhonetic = true // pronunciation guides are not the cell's text
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				out = append(out, cur.String())
				if len(out) > lim.MaxRows*lim.MaxColumns {
					return nil, fileError("the file holds more text than %d rows of %d columns", lim.MaxRows, lim.MaxColumns)
				}
			case "t":
				inT = false
			case "rPh":
				inPhonetic = false
			}
		case xml.CharData:
			if inT && !inPhonetic && cur.Len() <= lim.MaxCell {
				cur.Write(t)
			}
		}
	}
}

// readDateStyles returns the cell styles whose number format shows a date.
func readDateStyles(f *zip.File, bound int64) (map[int]bool, error) {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := decodePart(f, bound, &st); err != nil {
		return nil, err
	}
	dateFmt := map[int]bool{}
	for id := 14; id <= 22; id++ {
		dateFmt[id] = true
	}
	for _, id := range []int{27, 30, 36, 45, 46, 47, 50, 57} {
		dateFmt[id] = true
	}
	for _, n := range st.NumFmts {
		dateFmt[n.ID] = isDateFormat(n.Code)
	}
	out := map[int]bool{}
	for i, x := range st.Xfs {
		if dateFmt[x.NumFmtID] {
			out[i] = true
		}
	}
	return out, nil
}

// isDateFormat reports whether a custom number format shows a date: it
// has a day, month or year outside quotes and brackets.
func isDateFormat(code string) bool {
	quoted, bracket := false, false
	for _, c := range strings.ToLower(code) {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case !quoted && !bracket && (c == 'd' || c == 'm' || c == 'y'):
			return true
		}
	}
	return false
}

// Next returns the next row that holds anything.
func (x *xlsxReader) Next() (roster.SheetRow, error) {
	for {
		row, err := x.readRow()
		if err == io.EOF {
			x.closer.Close()
			if x.row == 0 {
				return roster.SheetRow{}, fileError("the file is empty: its first sheet has no header line")
			}
			return roster.SheetRow{}, io.EOF
		}
		if err != nil {
			x.closer.Close()
			return roster.SheetRow{}, err
		}
		first := !x.started
		x.started = true
		x.row = row.Line
		if !first && blank(row.Cells) {
			continue
		}
		if !first {
			x.rows++
			if x.rows > x.lim.MaxRows {
				x.closer.Close()
				return roster.SheetRow{}, fileError("the file has more than %d rows: split it into several files", x.lim.MaxRows)
			}
		}
		return row, nil
	}
}

// readRow reads one <row> element.
func (x *xlsxReader) readRow() (roster.SheetRow, error) {
	var row roster.SheetRow
	inRow := false
	var cell struct {
		col      int
		typ      string
		style    int
		formula  string
		value    strings.Builder
		inValue  bool
		inInline bool
		inF      bool
	}
	nextCol := 0
	for {
		tok, err := x.dec.Token()
		if err == io.EOF {
			if inRow {
				return row, corrupt()
			}
			return row, io.EOF
		}
		if err != nil {
			return row, corrupt()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
				row.Line = x.row + 1
				if r := attr(t, "r"); r != "" {
					n, err := strconv.Atoi(r)
					if err != nil || n <= x.row {
						return row, corrupt()
					}
					row.Line = n
				}
				nextCol = 0
			case "c":
				cell.col, cell.typ, cell.formula = nextCol, attr(t, "t"), ""
				cell.value.Reset()
				cell.style, _ = strconv.Atoi(attr(t, "s"))
				if ref := attr(t, "r"); ref != "" {
					col, ok := columnIndex(ref)
					if !ok {
						return row, corrupt()
					}
					cell.col = col
				}
				if cell.col >= x.lim.MaxColumns {
					return row, fileError("line %d has a cell in column %s; at most %d columns are read: remove the extra columns", row.Line, ColumnName(cell.col), x.lim.MaxColumns)
				}
				nextCol = cell.col + 1
			case "v":
				cell.inValue = true
			case "is":
				cell.inInline = true
			case "f":
				cell.inF = true
				cell.formula = "="
			}
		case xml.CharData:
			switch {
			case cell.inF:
				cell.formula += string(t)
			case cell.inValue || cell.inInline:
				if cell.value.Len()+len(t) > x.lim.MaxCell {
					return row, fileError("line %d, column %s holds more than %d characters", row.Line, ColumnName(cell.col), x.lim.MaxCell)
				}
				cell.value.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				cell.inValue = false
			case "is":
				cell.inInline = false
			case "f":
				cell.inF = false
			case "c":
				v, err := x.cellText(cell.typ, cell.style, cell.value.String())
				if err != nil {
					return row, err
				}
				if cell.formula != "" {
					// A formula's cached value may be stale or empty: the
					// importer refuses it by its leading "=".
					v = cell.formula
				}
				for len(row.Cells) < cell.col {
					row.Cells = append(row.Cells, "")
				}
				row.Cells = append(row.Cells, v)
			case "row":
				return row, nil
			}
		}
	}
}

// cellText turns a cell's stored value into the text a spreadsheet shows
// for it: shared strings looked up, booleans TRUE or FALSE, numbers in
// their shortest form, dates (numbers in a date format) as 2026-12-31.
func (x *xlsxReader) cellText(typ string, style int, v string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(x.strings) {
			return "", corrupt()
		}
		return x.strings[i], nil
	case "b":
		if v == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "inlineStr", "str", "e":
		return v, nil
	case "d":
		if len(v) >= 10 {
			return v[:10], nil
		}
		return v, nil
	}
	if v == "" {
		return "", nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "", corrupt()
	}
	if x.dates[style] && f >= 1 && f < 2958466 { // 9999-12-31
		// Excel's day 1 is 1900-01-01, counting the 1900-02-29 that never was.
		day := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(f)))
		return day.Format(time.DateOnly), nil
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// columnIndex returns the column of a cell reference such as "AB12" (27).
func columnIndex(ref string) (int, bool) {
	col := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		col = col*26 + int(ref[i]-'A'+1)
		if col > 1<<20 {
			return 0, false
		}
	}
	if i == 0 {
		return 0, false
	}
	return col - 1, true
}
