package imports

// SheetRow is one row of an uploaded spreadsheet, numbered as a spreadsheet
// shows it: the header is line 1, and blank lines and quoted line breaks
// count as a spreadsheet counts them.
type SheetRow struct {
	Line  int
	Cells []string
}

// RowReader returns an uploaded spreadsheet's rows, header first, one at a
// time, and io.EOF after the last. A file it cannot read (a bad encoding,
// a limit passed, not a spreadsheet at all) is an invalid error on "file"
// whose message a person can act on.
type RowReader interface {
	Next() (SheetRow, error)
}
