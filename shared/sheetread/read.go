// Package sheetread reads uploaded spreadsheets, CSV or Excel .xlsx, as rows
// numbered the way a spreadsheet numbers them, streaming, within limits on
// bytes, rows, columns and cell size. Every file it refuses is an invalid
// error on "file" saying what is wrong and where.
package sheetread

// Reading: Open sniffs the format and the encoding and returns a
// imports.RowReader.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/imports"
)

// Limits bound what a file may hold.
type Limits struct {
	MaxBytes   int64 // the file as uploaded
	MaxRows    int   // rows below the header, blank ones left out
	MaxColumns int
	MaxCell    int // bytes of one cell, as UTF-8
}

// DefaultLimits are the limits of an upload, as README's Import section states them.
var DefaultLimits = Limits{MaxBytes: imports.MaxUploadBytes, MaxRows: imports.MaxImportRows, MaxColumns: 50, MaxCell: 2000}

// Open returns a reader of the spreadsheet in r: an .xlsx workbook (its
// first sheet) when the content is a zip archive, otherwise delimited text
// in UTF-8 (with or without a byte order mark), UTF-16 with a byte order
// mark, or Windows-1252, separated by commas, semicolons or tabs as its
// header line shows. name is the file's name, for messages only.
func Open(r io.Reader, name string, lim Limits) (imports.RowReader, error) {
	limited := &limitReader{r: r, left: lim.MaxBytes, max: lim.MaxBytes}
	br := bufio.NewReaderSize(limited, 64<<10)
	head, err := br.Peek(4)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if len(head) == 0 {
		return nil, fileError("the file is empty: it has no header line")
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		data, err := readChunks(br)
		if err != nil {
			return nil, err
		}
		return openXLSX(data, lim)
	}
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return nil, fileError("the file is named .xlsx but is not an Excel workbook: save it again from Excel, or upload a CSV")
	}
	text, err := decode(br, head)
	if err != nil {
		return nil, err
	}
	return openCSV(text, lim)
}

// fileError is a refusal of the whole file.
func fileError(format string, args ...any) error {
	return roster.Invalid("file", format, args...)
}

// limitReader refuses to read past left bytes.
type limitReader struct {
	r         io.Reader
	left, max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a file of exactly the limit from a larger one.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, fileError("the file is larger than %d MB: split it into several files", l.max>>20)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// decode returns the text of br as UTF-8, from the encoding its first bytes
// show: a byte order mark, else UTF-8 when the first 64 KiB are valid
// UTF-8, else Windows-1252 (Excel's "CSV" on Windows) unless they mix it
// with UTF-8. Text past the first 64 KiB that is not in the same encoding,
// and control characters that only binary data holds, are refused.
func decode(br *bufio.Reader, head []byte) (io.Reader, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return &textChecker{r: br, utf8: true, line: 1}, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return &textChecker{r: transform.NewReader(br, dec), utf8: true, line: 1, utf16: true}, nil
	}
	prefix, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if hasBinary(prefix) {
		return nil, fileError("the file is not a spreadsheet (it holds binary data): upload a CSV or an .xlsx file")
	}
	if validUTF8Prefix(prefix, len(prefix) < br.Size()) {
		return &textChecker{r: br, utf8: true, line: 1}, nil
	}
	if line, mixed := mixesUTF8(prefix); mixed {
		return nil, mixedError(line)
	}
	return &textChecker{r: transform.NewReader(br, charmap.Windows1252.NewDecoder()), line: 1}, nil
}

// isBinary reports whether a byte below 0x20 marks binary data: a control
// character no text file holds. Tabs and line and page breaks are text.
func isBinary(c byte) bool {
	switch c {
	case '\t', '\n', '\v', '\f', '\r':
		return false
	}
	return c < 0x20
}

// hasBinary reports whether b holds a byte of binary data.
func hasBinary(b []byte) bool {
	for _, c := range b {
		if isBinary(c) {
			return true
		}
	}
	return false
}

// mixesUTF8 reports whether b, text that is not valid UTF-8, still holds
// UTF-8 characters of several bytes: UTF-8 with a byte of another encoding
// (typically Windows-1252 pasted in). line is the line of the first byte
// that is not UTF-8. Windows-1252 text almost never reads as UTF-8 by chance.
func mixesUTF8(b []byte) (line int, mixed bool) {
	bad := -1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if bad < 0 {
				bad = i
			}
		case n > 1:
			mixed = true
		}
		i += n
	}
	if bad < 0 {
		return 0, false
	}
	return 1 + bytes.Count(b[:bad], []byte{'\n'}), mixed
}

// mixedError is the refusal of UTF-8 text with a line in another encoding.
func mixedError(line int) error {
	return fileError("line %d is not in the file's encoding (UTF-8): the file mixes encodings; save it again as CSV UTF-8", line)
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut
// at the end unless b is the whole file.
func validUTF8Prefix(b []byte, whole bool) bool {
	if !whole {
		for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
			if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
				break
			}
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// textChecker passes text through, refusing NUL bytes (binary data) and,
// for UTF-8, invalid sequences (a file that mixes encodings), naming the
// line where they appear.
type textChecker struct {
	r     io.Reader
	utf8  bool
	utf16 bool
	line  int
	carry []byte // an incomplete rune held back from the previous read
	out   []byte
	buf   []byte // what the last read read
}

func (t *textChecker) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if cap(t.buf) < len(p) {
			t.buf = make([]byte, len(p))
		}
		n, err := t.r.Read(t.buf[:len(p)])
		// t.out, which may be t.buf, is empty: t.buf is free again.
		chunk := t.buf[:n]
		if len(t.carry) > 0 {
			chunk = append(t.carry, chunk...)
		}
		t.carry = nil
		if err == nil && t.utf8 {
			// Hold back a rune cut by the read's end.
			for i := 1; i < utf8.UTFMax && i <= len(chunk); i++ {
				if utf8.RuneStart(chunk[len(chunk)-i]) {
					if !utf8.FullRune(chunk[len(chunk)-i:]) {
						t.carry = append([]byte(nil), chunk[len(chunk)-i:]...)
						chunk = chunk[:len(chunk)-i]
					}
					break
				}
			}
		}
		if cerr := t.check(chunk); cerr != nil {
			return 0, cerr
		}
		t.out = chunk
		if err != nil {
			if len(t.carry) > 0 {
				return 0, t.mixed()
			}
			if len(t.out) == 0 {
				if err == io.EOF || isFileError(err) {
					return 0, err
				}
				return 0, fmt.Errorf("sheet: read the file: %w", err)
			}
			break
		}
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

func (t *textChecker) check(b []byte) error {
	start := 0
	for i, c := range b {
		if c >= 0x20 {
			continue
		}
		if c == '\n' {
			if err := t.checkLine(b[start:i]); err != nil {
				return err
			}
			t.line++
			start = i + 1
		} else if isBinary(c) {
			return fileError("the file is not a spreadsheet (line %d holds binary data): upload a CSV or an .xlsx file", t.line)
		}
	}
	return t.checkLine(b[start:])
}

// checkLine checks the text of one line, or of part of one.
func (t *textChecker) checkLine(b []byte) error {
	if t.utf8 && !utf8.Valid(b) {
		return t.mixed()
	}
	// The UTF-16 decoder writes U+FFFD for what is not UTF-16.
	if t.utf16 && bytes.Contains(b, []byte("\uFFFD")) {
		return t.mixed()
	}
	return nil
}

func (t *textChecker) mixed() error {
	if t.utf16 {
		return fileError("line %d is not valid UTF-16: save the file again as CSV UTF-8", t.line)
	}
	return mixedError(t.line)
}

func isFileError(err error) bool {
	var e *roster.Error
	return errors.As(err, &e) && e.Field == "file"
}

// sniffDelimiter picks the separator the header line uses most, outside
// quotes: comma, semicolon (Excel where the decimal mark is a comma) or tab
// (Excel's "Unicode text").
func sniffDelimiter(header []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(header) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// csvReader reads delimited text.
type csvReader struct {
	r       *csv.Reader
	lim     Limits
	row     int // the spreadsheet line of the last row returned
	endLine int // the text line on which the last row ended
	rows    int
}

func openCSV(text io.Reader, lim Limits) (imports.RowReader, error) {
	br := bufio.NewReaderSize(text, 64<<10)
	header, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if i := bytes.IndexByte(header, '\n'); i >= 0 {
		header = header[:i]
	}
	comma := sniffDelimiter(header)
	r := csv.NewReader(newRecordGuard(br, comma, lim))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	return &csvReader{r: r, lim: lim}, nil
}

// Next returns the next row that holds anything.
func (c *csvReader) Next() (imports.SheetRow, error) {
	for {
		rec, err := c.r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return imports.SheetRow{}, c.parseError(pe)
			}
			if err == io.EOF && c.row == 0 {
				return imports.SheetRow{}, fileError("the file is empty: it has no header line")
			}
			return imports.SheetRow{}, err
		}
		start, _ := c.r.FieldPos(0)
		// Blank lines between rows are rows of a spreadsheet too.
		c.row += 1 + max(0, start-c.endLine-1)
		c.endLine = start
		for _, f := range rec {
			c.endLine += strings.Count(f, "\n")
		}
		if len(rec) > c.lim.MaxColumns {
			return imports.SheetRow{}, fileError("line %d has %d columns; at most %d are read: remove the extra columns", c.row, len(rec), c.lim.MaxColumns)
		}
		for i, f := range rec {
			if len(f) > c.lim.MaxCell {
				return imports.SheetRow{}, fileError("line %d, column %s holds more than %d characters", c.row, ColumnName(i), c.lim.MaxCell)
			}
		}
		if c.row > 1 && blank(rec) {
			continue
		}
		if c.row > 1 {
			c.rows++
			if c.rows > c.lim.MaxRows {
				return imports.SheetRow{}, fileError("the file has more than %d rows: split it into several files", c.lim.MaxRows)
			}
		}
		return imports.SheetRow{Line: c.row, Cells: rec}, nil
	}
}

func (c *csvReader) parseError(pe *csv.ParseError) error {
	if isFileError(pe.Err) {
		return pe.Err
	}
	line := c.row + 1 + max(0, pe.StartLine-c.endLine-1)
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fileError("line %d, column %s: a quoted cell is never closed: check its quotes", line, ColumnName(pe.Column-1))
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fileError("line %d: a quote appears inside a cell that does not start with one: put the cell in quotes and double the quote", line)
	}
	return fileError("line %d cannot be read: %v", line, pe.Err)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ColumnName returns a spreadsheet's name of the column at index i (0: A, 26: AA).
func ColumnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
