package sheet

import (
	"encoding/csv"
	"io"
)

// csvWriter writes RFC 4180 CSV in UTF-8 with a byte order mark (so that
// Excel reads it as UTF-8) and CRLF line ends.
type csvWriter struct {
	w       *csv.Writer
	started bool
	out     io.Writer
	row     []string
}

// NewCSV returns a Writer of CSV to w.
func NewCSV(w io.Writer) Writer {
	c := csv.NewWriter(w)
	c.UseCRLF = true
	return &csvWriter{w: c, out: w}
}

func (c *csvWriter) WriteRow(cells []Cell) error {
	if !c.started {
		c.started = true
		if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
			return err
		}
	}
	c.row = c.row[:0]
	for _, cell := range cells {
		switch {
		case cell.Time != nil && cell.Date:
			c.row = append(c.row, cell.Time.Format("2006-01-02"))
		case cell.Time != nil:
			c.row = append(c.row, cell.Time.Format("2006-01-02 15:04:05Z"))
		default:
			c.row = append(c.row, Neutralise(cell.Text))
		}
	}
	return c.w.Write(c.row)
}

func (c *csvWriter) Close() error {
	if !c.started {
		c.started = true
		if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}
