package sheetread

// Bounds on what a reader holds while it reads. encoding/csv builds a whole
// record, and encoding/xml a whole token, before returning it; a limit
// checked on what they return comes too late for a file of one line of 12
// MiB, or an .xlsx cell that unzips to 200 MiB. The readers below sit in
// front of them and refuse such input as it streams past.

import (
	"errors"
	"io"
)

// recordGuard passes delimited text to encoding/csv, refusing a record with
// more columns than the limit, or a cell much longer than the limit, before
// the csv reader has buffered it: what it buffers stays within MaxColumns
// cells of about twice MaxCell bytes. It follows encoding/csv's quoting: a
// quote opens a quoted cell only at the cell's start, two quotes in one are
// a quote, and a line break inside one is part of the cell.
type recordGuard struct {
	r       io.Reader
	comma   byte
	lim     Limits
	maxCell int   // bytes of one cell as read: the csv reader checks the exact limit
	line    int   // the spreadsheet line of the record being read
	fields  int   // cells of the record so far
	cell    int   // bytes of the cell so far
	state   uint8 // where in a cell the last byte was
	err     error // held until the bytes before it have been read
	scratch []byte
}

const (
	cellStart uint8 = iota
	unquoted
	quoted
	quoteInQuoted // a quote inside a quoted cell: its end, or the first of two
)

func newRecordGuard(r io.Reader, comma rune, lim Limits) *recordGuard {
	return &recordGuard{r: r, comma: byte(comma), lim: lim, maxCell: 2*lim.MaxCell + 8, line: 1, fields: 1}
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := range n {
		if ferr := g.step(p[i]); ferr != nil {
			g.err = ferr
			if g.fields > g.lim.MaxColumns {
				g.err = g.countColumns(p[i+1 : n])
			}
			if i == 0 {
				return 0, g.err
			}
			return i, nil
		}
	}
	return n, err
}

// step follows one byte, returning an error when the record passes a limit.
func (g *recordGuard) step(c byte) error {
	if !g.advance(c) {
		return nil
	}
	if g.fields > g.lim.MaxColumns {
		return errTooManyColumns
	}
	if g.cell > g.maxCell {
		return fileError("line %d, column %s holds more than %d characters", g.line, ColumnName(g.fields-1), g.lim.MaxCell)
	}
	return nil
}

var errTooManyColumns = errors.New("too many columns")

// advance moves the state past c and reports whether a count grew.
func (g *recordGuard) advance(c byte) bool {
	switch g.state {
	case quoted:
		if c == '"' {
			g.state = quoteInQuoted
			return false
		}
		g.cell++
		return true
	case quoteInQuoted:
		if c == '"' {
			g.state = quoted
			g.cell++
			return true
		}
	}
	switch c {
	case g.comma:
		g.fields++
		g.cell = 0
		g.state = cellStart
	case '\n':
		g.line++
		g.fields = 1
		g.cell = 0
		g.state = cellStart
		return false
	case '"':
		if g.state == cellStart {
			g.state = quoted
			return false
		}
		fallthrough
	default:
		// After a quoted cell's closing quote, anything but a separator
		// or a line break is the csv reader's error to report.
		g.state = unquoted
		g.cell++
	}
	return true
}

// countColumns reads the rest of a record that has too many columns, b
// first, without keeping it, and returns the error that counts them all.
func (g *recordGuard) countColumns(b []byte) error {
	if g.scratch == nil {
		g.scratch = make([]byte, 32<<10)
	}
	for {
		for _, c := range b {
			if c == '\n' && g.state != quoted {
				return g.columnsError()
			}
			g.advance(c)
		}
		n, err := g.r.Read(g.scratch)
		b = g.scratch[:n]
		if err == io.EOF && n == 0 {
			return g.columnsError()
		}
		if err != nil && err != io.EOF {
			return err
		}
	}
}

func (g *recordGuard) columnsError() error {
	return fileError("line %d has %d columns; at most %d are read: remove the extra columns", g.line, g.fields, g.lim.MaxColumns)
}

// xmlGuard passes an XML part to encoding/xml, refusing a token (a text, a
// tag, a comment, a CDATA section) longer than max bytes before the decoder
// has buffered it, and a part that unzips to more than left bytes. A
// document type declaration, which no workbook part holds, is refused.
type xmlGuard struct {
	r       io.Reader
	max     int
	left    int64
	n       int   // bytes since the current token may have started
	state   uint8 // what the last bytes opened
	closing int   // how much of the construct's end has been seen
	err     error
}

const (
	inText uint8 = iota
	afterLT
	afterBang
	afterBangDash
	inComment
	inCDATA
	inPI
)

var (
	errLongToken  = errors.New("an XML token is too long")
	errLargePart  = errors.New("a part unzips past its limit")
	errDirectives = errors.New("a document type declaration")
)

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if int64(len(p)) > g.left {
		p = p[:g.left+1] // one byte more tells a part of exactly the limit from a larger one
	}
	n, err := g.r.Read(p)
	for i := range n {
		if g.left--; g.left < 0 {
			g.err = errLargePart
		} else {
			g.err = g.step(p[i])
		}
		if g.err != nil {
			if i == 0 {
				return 0, g.err
			}
			return i, nil
		}
	}
	return n, err
}

func (g *xmlGuard) step(c byte) error {
	g.n++
	switch g.state {
	case inText:
		if c == '<' {
			g.n = 1
			g.state = afterLT
		}
	case afterLT:
		switch c {
		case '!':
			g.state = afterBang
		case '?':
			g.state, g.closing = inPI, 0
		default:
			g.state = inText // a tag: it holds no '<' until its end
		}
	case afterBang:
		switch c {
		case '-':
			g.state = afterBangDash
		case '[':
			g.state, g.closing = inCDATA, 0
		default:
			return errDirectives
		}
	case afterBangDash:
		if c != '-' {
			return errDirectives
		}
		g.state, g.closing = inComment, 0
	case inComment:
		g.state, g.closing = closeOn(g.state, g.closing, c, '-')
	case inCDATA:
		g.state, g.closing = closeOn(g.state, g.closing, c, ']')
	case inPI:
		switch {
		case c == '?':
			g.closing = 1
		case c == '>' && g.closing == 1:
			g.state = inText
		default:
			g.closing = 0
		}
	}
	if g.n > g.max {
		return errLongToken
	}
	return nil
}

// closeOn follows the end of a comment ("-->") or CDATA section ("]]>").
func closeOn(state uint8, seen int, c, twice byte) (uint8, int) {
	switch {
	case c == twice:
		return state, min(seen+1, 2)
	case c == '>' && seen == 2:
		return inText, 0
	}
	return state, 0
}
