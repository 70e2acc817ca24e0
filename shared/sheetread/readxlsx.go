package sheetread

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/rosterhq/roster/shared/imports"
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
	part    *part
	strings *stringTable
	dates   map[int]bool // style indexes whose number format is a date
	lim     Limits
	row     int // the spreadsheet line of the last row read
	rows    int
	started bool
}

func openXLSX(data *chunks, lim Limits) (imports.RowReader, error) {
	// archive/zip keeps every entry of the zip's directory: a directory
	// of a million tiny entries is refused before it fills memory.
	dir := &directoryBound{r: data, left: maxDirectory}
	z, err := zip.NewReader(dir, data.size)
	if err != nil {
		return nil, corrupt()
	}
	dir.left = -1
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
	var shared *stringTable
	if f := parts["xl/sharedStrings.xml"]; f != nil {
		if shared, err = readSharedStrings(f, lim); err != nil {
			return nil, err
		}
	}
	dates := map[int]bool{}
	if f := parts["xl/styles.xml"]; f != nil {
		if dates, err = readDateStyles(f, lim); err != nil {
			return nil, err
		}
	}
	f := parts[sheetPath]
	if f == nil {
		return nil, corrupt()
	}
	part, err := openPart(f, "sheet", partLimit(lim), lim)
	if err != nil {
		return nil, err
	}
	return &xlsxReader{part: part, strings: shared, dates: dates, lim: lim}, nil
}

// maxDirectory is the most bytes of a zip's directory read: about 20,000
// entries, where a workbook has a few dozen.
const maxDirectory = 1 << 20

// chunks is a file read into memory in pieces of chunkSize bytes: it holds
// the file and no more, where one slice grown as it is read would be
// copied again and again.
type chunks struct {
	pieces [][]byte
	size   int64
}

const chunkSize = 1 << 20

// readChunks reads r to its end.
func readChunks(r io.Reader) (*chunks, error) {
	c := &chunks{}
	for {
		piece := make([]byte, chunkSize)
		n, err := io.ReadFull(r, piece)
		if n > 0 {
			c.pieces = append(c.pieces, piece[:n])
			c.size += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return c, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (c *chunks) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	n := 0
	for n < len(p) && off < c.size {
		piece := c.pieces[off/chunkSize][off%chunkSize:]
		m := copy(p[n:], piece)
		n += m
		off += int64(m)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// directoryBound is the file for archive/zip, refusing to read more than
// left bytes while the directory is read (left < 0: no bound).
type directoryBound struct {
	r    io.ReaderAt
	left int
}

func (d *directoryBound) ReadAt(p []byte, off int64) (int, error) {
	if d.left >= 0 {
		if len(p) > d.left {
			return 0, errLargePart
		}
		d.left -= len(p)
	}
	return d.r.ReadAt(p, off)
}

var errNegativeOffset = errors.New("zip: negative offset")

// partLimit is the most bytes a sheet, the shared strings or the styles
// may unzip to.
func partLimit(lim Limits) int64 { return 8 * lim.MaxBytes }

// maxDepth is the deepest nesting of elements read: a cell's text is 7 deep.
const maxDepth = 64

// part streams the XML tokens of one part of a workbook, within the
// bounds of an xmlGuard and maxDepth.
type part struct {
	name  string // for messages: "sheet", "text"
	limit int64
	dec   *xml.Decoder
	rc    io.Closer
	depth int
}

func openPart(f *zip.File, name string, limit int64, lim Limits) (*part, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, corrupt()
	}
	g := &xmlGuard{r: rc, max: max(64<<10, 16*lim.MaxCell), left: limit}
	return &part{name: name, limit: limit, dec: xml.NewDecoder(g), rc: rc}, nil
}

// next returns the part's next token, io.EOF after the last, errLongToken
// for a token past the guard's bound (the caller knows where it is), or a
// file error.
func (p *part) next() (xml.Token, error) {
	tok, err := p.dec.Token()
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.Is(err, errLongToken):
		return nil, errLongToken
	case errors.Is(err, errLargePart):
		return nil, fileError("the workbook's %s is larger than %d MB once unzipped: split it into several files", p.name, p.limit>>20)
	case err != nil:
		return nil, corrupt()
	}
	switch tok.(type) {
	case xml.StartElement:
		if p.depth++; p.depth > maxDepth {
			return nil, corrupt()
		}
	case xml.EndElement:
		p.depth--
	}
	return tok, nil
}

func (p *part) close() { p.rc.Close() }

// longText is the refusal of a text too long for any cell, outside the
// sheet's cells.
func longText(lim Limits) error {
	return fileError("the workbook holds a text of more than %d characters: shorten it, or save the sheet as CSV UTF-8 and upload that", lim.MaxCell)
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

// stringTable holds the workbook's shared strings in pages, so that it
// grows without copying itself.
type stringTable struct {
	pages [][]string
	n     int
	size  int // bytes held, counting each string's header
}

const stringPage = 4096

func (t *stringTable) add(s string) {
	if t.n%stringPage == 0 {
		t.pages = append(t.pages, make([]string, 0, stringPage))
	}
	p := &t.pages[len(t.pages)-1]
	*p = append(*p, s)
	t.n++
	t.size += len(s) + 32
}

func (t *stringTable) get(i int) (string, bool) {
	if t == nil || i < 0 || i >= t.n {
		return "", false
	}
	return t.pages[i/stringPage][i%stringPage], true
}

// readSharedStrings reads the workbook's text table; rich text runs are
// joined. A string longer than a cell may be is kept cut to one byte more,
// so that a cell that shows it is refused; the table may hold at most
// MaxBytes/2 bytes.
func readSharedStrings(f *zip.File, lim Limits) (*stringTable, error) {
	p, err := openPart(f, "text (xl/sharedStrings.xml)", partLimit(lim), lim)
	if err != nil {
		return nil, err
	}
	defer p.close()
	out := &stringTable{}
	budget := int(lim.MaxBytes / 2)
	var cur []byte
	inSI, inT, inPhonetic := false, false, false
	for {
		tok, err := p.next()
		if err == io.EOF {
			return out, nil
		}
		if err == errLongToken {
			return nil, longText(lim)
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur = cur[:0]
			case "t":
				inT = inSI
			case "rPh":
				inPhonetic = true // pronunciation guides are not the cell's text
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				out.add(string(cur))
				if out.n > lim.MaxRows*lim.MaxColumns {
					return nil, fileError("the file holds more text than %d rows of %d columns", lim.MaxRows, lim.MaxColumns)
				}
				if out.size > budget {
					return nil, fileError("the workbook holds more than %d MB of text: split it into several files, or save the sheet as CSV UTF-8 and upload that", budget>>20)
				}
			case "t":
				inT = false
			case "rPh":
				inPhonetic = false
			}
		case xml.CharData:
			if inT && !inPhonetic {
				cur = append(cur, t[:min(len(t), lim.MaxCell+1-len(cur))]...)
			}
		}
	}
}

// maxStyles is the most cell formats read: Excel keeps at most 64,000.
const maxStyles = 1 << 16

// readDateStyles returns the cell styles whose number format shows a date.
func readDateStyles(f *zip.File, lim Limits) (map[int]bool, error) {
	p, err := openPart(f, "styles", partLimit(lim), lim)
	if err != nil {
		return nil, err
	}
	defer p.close()
	dateFmt := map[int]bool{}
	for id := 14; id <= 22; id++ {
		dateFmt[id] = true
	}
	for _, id := range []int{27, 30, 36, 45, 46, 47, 50, 57} {
		dateFmt[id] = true
	}
	var xfs []int
	inNumFmts, inCellXfs := false, false
	for {
		tok, err := p.next()
		if err == io.EOF {
			break
		}
		if err == errLongToken {
			return nil, corrupt()
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == "numFmts":
				inNumFmts = true
			case t.Name.Local == "cellXfs":
				inCellXfs = true
			case t.Name.Local == "numFmt" && inNumFmts:
				if len(dateFmt) >= maxStyles {
					return nil, corrupt()
				}
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				dateFmt[id] = isDateFormat(attr(t, "formatCode"))
			case t.Name.Local == "xf" && inCellXfs:
				if len(xfs) >= maxStyles {
					return nil, corrupt()
				}
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				xfs = append(xfs, id)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = false
			case "cellXfs":
				inCellXfs = false
			}
		}
	}
	out := map[int]bool{}
	for i, id := range xfs {
		if dateFmt[id] {
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
func (x *xlsxReader) Next() (imports.SheetRow, error) {
	for {
		row, err := x.readRow()
		if err == io.EOF {
			x.part.close()
			if x.row == 0 {
				return imports.SheetRow{}, fileError("the file is empty: its first sheet has no header line")
			}
			return imports.SheetRow{}, io.EOF
		}
		if err != nil {
			x.part.close()
			return imports.SheetRow{}, err
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
				x.part.close()
				return imports.SheetRow{}, fileError("the file has more than %d rows: split it into several files", x.lim.MaxRows)
			}
		}
		return row, nil
	}
}

// maxSheetRow is the last row of an Excel sheet.
const maxSheetRow = 1 << 20

// readRow reads one <row> element.
func (x *xlsxReader) readRow() (imports.SheetRow, error) {
	var row imports.SheetRow
	inRow, inCell := false, false
	var cell struct {
		col      int
		typ      string
		style    int
		formula  []byte
		value    []byte
		inValue  bool
		inInline bool
		inF      bool
	}
	nextCol := 0
	tooLong := func() error {
		return fileError("line %d, column %s holds more than %d characters", row.Line, ColumnName(cell.col), x.lim.MaxCell)
	}
	for {
		tok, err := x.part.next()
		if err == io.EOF {
			if inRow {
				return row, corrupt()
			}
			return row, io.EOF
		}
		if err == errLongToken {
			if inCell {
				return row, tooLong()
			}
			return row, longText(x.lim)
		}
		if err != nil {
			return row, err
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
				if row.Line > maxSheetRow {
					return row, corrupt()
				}
				nextCol = 0
			case "c":
				inCell = true
				cell.col, cell.typ, cell.formula, cell.value = nextCol, attr(t, "t"), cell.formula[:0], cell.value[:0]
				cell.style, _ = strconv.Atoi(attr(t, "s"))
				if ref := attr(t, "r"); ref != "" {
					col, ok := columnIndex(ref)
					// Cells come in the order of their columns.
					if !ok || col < nextCol {
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
				cell.formula = append(cell.formula, '=')
			}
		case xml.CharData:
			switch {
			case cell.inF:
				if len(cell.formula)+len(t) > x.lim.MaxCell {
					return row, tooLong()
				}
				cell.formula = append(cell.formula, t...)
			case cell.inValue || cell.inInline:
				if len(cell.value)+len(t) > x.lim.MaxCell {
					return row, tooLong()
				}
				cell.value = append(cell.value, t...)
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
				inCell = false
				v, err := x.cellText(cell.typ, cell.style, string(cell.value))
				if err != nil {
					return row, err
				}
				if len(v) > x.lim.MaxCell {
					return row, tooLong()
				}
				if len(cell.formula) > 0 {
					// A formula's cached value may be stale or empty: the
					// importer refuses it by its leading "=".
					v = string(cell.formula)
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
		s, ok := x.strings.get(i)
		if err != nil || !ok {
			return "", corrupt()
		}
		return s, nil
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
