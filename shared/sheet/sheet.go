// Package sheet writes tables as .xlsx workbooks and CSV files, row by row
// to an io.Writer, holding one row in memory: exports of any size stream
// straight into an upload.
//
// Both formats neutralise text that a spreadsheet would run as a formula
// (CSV and formula injection): a cell starting with =, +, -, @, a tab or a
// carriage return gets a leading apostrophe, so it reads as the text it is.
// Dates and times are real dates in .xlsx, ISO 8601 in CSV.
package sheet

import (
	"strings"
	"time"
)

// Cell is one value of a row: text, or a date or a date and time.
type Cell struct {
	Text string
	Time *time.Time // a date or a date and time, in UTC; nil for text
	Date bool       // Time is a calendar date (no time of day shown)
}

// Text returns a text cell.
func Text(s string) Cell { return Cell{Text: s} }

// Time returns a date-and-time cell, empty when t is nil.
func Time(t *time.Time) Cell {
	if t == nil {
		return Cell{}
	}
	u := t.UTC()
	return Cell{Time: &u}
}

// Date returns a date cell, empty when t is nil.
func Date(t *time.Time) Cell {
	c := Time(t)
	c.Date = c.Time != nil
	return c
}

// Writer writes a table row by row; Close ends the file (and must be
// called for it to be complete) but does not close the underlying writer.
type Writer interface {
	WriteRow(cells []Cell) error
	Close() error
}

// Neutralise returns s with a leading apostrophe when a spreadsheet would
// otherwise read it as a formula: when it starts with =, +, -, @, a tab or
// a carriage return.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
