package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/training"
)

// writtenState is everything an upload must leave alone until it is
// applied: the roster, the audit trail, the seat pools and their ledgers,
// and the jobs.
type writtenState struct {
	Roster  *imports.RosterSnapshot
	Counts  roster.RosterCounts
	Audit   []roster.AuditEntry
	Ledgers map[string][]training.LedgerEntry
	Jobs    []roster.Job
}

func (s *server) written(t *testing.T) writtenState {
	t.Helper()
	s.settle(t)
	ctx := context.Background()
	orgID := s.mine.Organization.ID
	var w writtenState
	var err error
	if w.Roster, err = s.app.Store.ReadRoster(ctx, orgID); err != nil {
		t.Fatal(err)
	}
	if w.Counts, err = s.app.Store.GetRosterCounts(ctx, orgID); err != nil {
		t.Fatal(err)
	}
	audit, err := s.app.Store.ListAudit(ctx, orgID, audit.Filter{}, roster.PageRequest{Limit: roster.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	w.Audit = audit.Items
	w.Ledgers = map[string][]training.LedgerEntry{}
	for _, c := range w.Roster.Courses {
		l, err := s.app.Store.ListSeatLedger(ctx, orgID, c.ID, roster.PageRequest{Limit: roster.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		w.Ledgers[c.ID] = l.Items
	}
	if w.Jobs, err = s.app.Store.ListJobs(ctx, orgID, 100); err != nil {
		t.Fatal(err)
	}
	return w
}

// upload is a file as the browser sends it: its name, the size it
// announces, and its bytes (made on demand, as they can be large).
type upload struct {
	name     string
	declared int64 // the size the browser announces; 0: the body's
	body     func() io.Reader
	// bypass: the link refuses the body (its signature holds the size
	// announced), so it is put straight into the bucket, as by a client
	// that got round the link.
	bypass bool
}

func bytesOf(b []byte) func() io.Reader { return func() io.Reader { return bytes.NewReader(b) } }
func textOf(s string) func() io.Reader  { return bytesOf([]byte(s)) }

// generated is a CSV of a header and n rows made as it is read, so a file
// of a million rows never sits in memory.
type generated struct {
	header string
	n      int
	row    func(i int) string
	i      int
	buf    []byte
}

func generate(header string, n int, row func(i int) string) func() io.Reader {
	return func() io.Reader { return &generated{header: header, n: n, row: row, i: -1} }
}

func (g *generated) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch {
		case g.i == -1:
			g.buf = []byte(g.header)
		case g.i < g.n:
			g.buf = append(g.buf[:0], g.row(g.i)...)
		default:
			return 0, io.EOF
		}
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// repeated is n bytes of pattern, over and over.
func repeated(pattern string, n int64) func() io.Reader {
	return func() io.Reader {
		return io.LimitReader(&cycle{pattern: pattern}, n)
	}
}

type cycle struct {
	pattern string
	at      int
}

func (c *cycle) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.pattern[c.at]
		c.at = (c.at + 1) % len(c.pattern)
	}
	return len(p), nil
}

// sizeOf counts the bytes of a body.
func sizeOf(t *testing.T, body func() io.Reader) int64 {
	t.Helper()
	n, err := io.Copy(io.Discard, body())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// putFile sends the body through a presigned link, streamed, as the browser does.
func putFile(t *testing.T, link map[string]any, body io.Reader, size int64) {
	t.Helper()
	if status := putStatus(t, link, body, size); status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
}

// putStatus sends the body through a presigned link and returns the status.
func putStatus(t *testing.T, link map[string]any, body io.Reader, size int64) int {
	t.Helper()
	req, err := http.NewRequest(link["method"].(string), link["url"].(string), body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	for k, v := range link["headers"].(map[string]any) {
		req.Header.Set(k, v.(string))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// errorOf returns the field and message of an error response.
func errorOf(t *testing.T, r response) (field, message string) {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	if e == nil {
		t.Fatalf("body %s has no error", r.body)
	}
	field, _ = e["field"].(string)
	message, _ = e["message"].(string)
	return field, message
}

// wantWords fails unless message holds every word, whatever their case.
func wantWords(t *testing.T, message string, words []string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(strings.ToLower(message), strings.ToLower(w)) {
			t.Errorf("message %q does not say %q", message, w)
		}
	}
}

// xlsxOf returns a workbook of one sheet holding rows.
func xlsxOf(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipOf returns a zip archive holding the named parts.
func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAPI_ImportBadInput uploads bad files as the browser does (POST
// /api/imports, PUT through the presigned link to S3, POST validate) and
// checks that each gets a clear answer and that nothing is written: not
// the roster, the audit trail, the seat pools or a job.
func TestAPI_ImportBadInput(t *testing.T) {
	s := newServer(t)
	c := s.signIn(t, s.mine)
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Ada", LastName: "Lovelace", Email: "ada@mine.example"}, "")
	before := s.written(t)

	const header = "First name,Last name,Email,Location,Groups,Courses\n"
	good := "Zoë,Ærø,zoe@mine.example,Leeds,Day shift,Manual handling\n"
	validXLSX := xlsxOf(t, [][]string{{"First name", "Last name", "Email"}, {"Zoë", "Ærø", "zoe@mine.example"}})
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(header + good + "Tom,Ōkubo,tom@mine.example,York,Night shift,Fire safety\n"))
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(6, 6))
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	noNUL := bytes.ReplaceAll(junk, []byte{0}, []byte{1})
	wide := strings.Repeat("x,", 4999) + "x\n"

	type want struct {
		status int
		field  string
		words  []string // the message says each of these
	}
	for _, tc := range []struct {
		name   string
		file   upload
		start  *want // the refusal of POST /api/imports; nil: it is accepted
		want   want  // the answer to validate
		counts map[string]float64
		errors []string // "line column: words" of the preview's errors, in order
	}{
		{name: "empty", file: upload{name: "empty.csv", body: textOf("")},
			start: &want{422, "size", []string{"empty"}}},
		{name: "only blank lines", file: upload{name: "blank.csv", body: textOf("\r\n\r\n")},
			want: want{422, "file", []string{"empty", "no header"}}},
		{name: "only a header", file: upload{name: "header.csv", body: textOf(header)},
			want: want{422, "file", []string{"only a header", "add a row"}}},
		{name: "unknown column", file: upload{name: "shoes.csv", body: textOf("First name,Last name,Email,Shoe size\nAl,Bo,al@mine.example,9\n")},
			want: want{422, "file", []string{"column D", `"Shoe size"`, "not a known column", `"First name"`}}},
		{name: "duplicated column", file: upload{name: "twice.csv", body: textOf("First name,Last name,Email,E-mail\nAl,Bo,al@mine.example,al@mine.example\n")},
			want: want{422, "file", []string{"columns C and D", `"Email"`, "keep one"}}},
		{name: "binary junk named .csv", file: upload{name: "photo.csv", body: bytesOf(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), junk...))},
			want: want{422, "file", []string{"not a spreadsheet", "binary"}}},
		{name: "binary junk without a NUL byte", file: upload{name: "noise.csv", body: bytesOf(noNUL)},
			want: want{422, "file", []string{"not a spreadsheet", "binary"}}},
		{name: "xlsx cut short", file: upload{name: "cut.xlsx", body: bytesOf(validXLSX[:len(validXLSX)/2])},
			want: want{422, "file", []string{"not a readable Excel workbook", "save it again"}}},
		{name: "xlsx with no sheet", file: upload{name: "nosheet.xlsx", body: bytesOf(zipOf(t, map[string]string{
			"[Content_Types].xml":        `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
			"xl/workbook.xml":            `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`,
			"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`,
		}))},
			want: want{422, "file", []string{"no sheet"}}},
		{name: "zip that is no workbook", file: upload{name: "archive.csv", body: bytesOf(zipOf(t, map[string]string{"users.csv": header + good}))},
			want: want{422, "file", []string{"zip archive", "not an Excel workbook"}}},
		{name: "a million rows", file: upload{name: "million.csv", body: generate(header, 1_000_000, func(i int) string {
			return fmt.Sprintf("F%d,L%d,u%d@mine.example,Leeds,,\n", i, i, i)
		})},
			want: want{422, "file", []string{"more than 100000 rows", "split it"}}},
		{name: "a row of 5,000 columns", file: upload{name: "wide.csv", body: textOf(header + good + wide)},
			want: want{422, "file", []string{"line 3", "5000 columns", "at most 50"}}},
		{name: "declared over the limit", file: upload{name: "huge.csv", declared: imports.MaxUploadBytes + 1, body: textOf(header)},
			start: &want{422, "size", []string{"larger than 50 MB", "split"}}},
		{name: "stored larger than declared", file: upload{name: "grown.csv", declared: int64(len(header + good)), body: textOf(header + good + good), bypass: true},
			want: want{422, "file", []string{"not the", "upload it again"}}},
		{name: "stored over the limit", file: upload{name: "grown-huge.csv", declared: int64(len(header + good)), body: repeated(header, imports.MaxUploadBytes+1), bypass: true},
			want: want{422, "file", []string{"larger than 50 MB", "split"}}},
		{name: "utf-8 with a windows-1252 byte on a later line", file: upload{name: "mixed.csv", body: textOf(header + good + "Al,Bo,al@mine.example,Leeds,,\nJos\xe9,Ruiz,jose@mine.example,York,,\n")},
			want: want{422, "file", []string{"line 4", "mixes encodings", "UTF-8"}}},
		{name: "utf-8 with a windows-1252 byte past the first 64 KiB", file: upload{name: "mixed-late.csv", body: textOf(header + strings.Repeat("Al,Bo,,Leeds,,\n", 5000) + "Jos\xe9,Ruiz,jose@mine.example,York,,\n")},
			want: want{422, "file", []string{"line 5002", "mixes encodings"}}},
		{name: "utf-16 with a byte order mark", file: upload{name: "unicode.txt", body: bytesOf(utf16)},
			want:   want{status: 200},
			counts: map[string]float64{"rows": 2, "create": 2, "errors": 0}},
		{name: "utf-16 cut in the middle of a character", file: upload{name: "unicode-cut.txt", body: bytesOf(utf16[:len(utf16)-1])},
			want: want{422, "file", []string{"line 3", "not valid UTF-16"}}},
		{name: "formula cells", file: upload{name: "formulas.csv", body: textOf(header +
			"\"=HYPERLINK(\"\"http://evil\"\")\",Bo,al@mine.example,Leeds,,\n" +
			"Al,+cmd|' /C calc'!A0,al2@mine.example,Leeds,,\n" +
			"Al,Bo,al3@mine.example,-2+3,,\n" +
			"Al,Bo,al4@mine.example,Leeds,@SUM(A1:A2),\n" +
			good)},
			want:   want{status: 200},
			counts: map[string]float64{"rows": 5, "create": 1, "errors": 4},
			errors: []string{"2 A: formula", "3 B: formula", "4 D: formula", "5 E: formula"}},
		{name: "quoted newlines", file: upload{name: "newlines.csv", body: textOf(header +
			"Al,Bo,al@mine.example,Leeds,\"Day shift;\nNight shift\",\"Fire safety;\r\nManual handling\"\n" +
			"Cy,Do,cy@mine.example,Nowhere,,\n" +
			good)},
			want:   want{status: 200},
			counts: map[string]float64{"rows": 3, "create": 2, "errors": 1},
			errors: []string{"3 D: no such location"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.on(t)
			size := tc.file.declared
			if size == 0 {
				size = sizeOf(t, tc.file.body)
			}
			r := c.do("POST", "/api/imports", map[string]any{"fileName": tc.file.name, "size": size})
			if tc.start != nil {
				c.want(r, tc.start.status)
				field, message := errorOf(t, r)
				if field != tc.start.field {
					t.Errorf("field = %q, want %q (%s)", field, tc.start.field, message)
				}
				wantWords(t, message, tc.start.words)
			} else {
				started := c.want(r, 201).json(t)
				id := started["import"].(map[string]any)["id"].(string)
				link := started["upload"].(map[string]any)
				if !tc.file.bypass {
					putFile(t, link, tc.file.body(), sizeOf(t, tc.file.body))
				} else {
					if status := putStatus(t, link, tc.file.body(), sizeOf(t, tc.file.body)); status != http.StatusForbidden {
						t.Fatalf("the link took %d bytes for %d announced: status %d, want 403", sizeOf(t, tc.file.body), size, status)
					}
					key, err := roster.FileKey(s.mine.Organization.ID, "imports", id, "upload")
					if err != nil {
						t.Fatal(err)
					}
					if _, err := s.app.Service.Files.Create(context.Background(), s.mine.Organization.ID, key, "text/csv", func(w io.Writer) error {
						_, err := io.Copy(w, tc.file.body())
						return err
					}); err != nil {
						t.Fatal(err)
					}
				}
				r = c.do("POST", "/api/imports/"+id+"/validate", map[string]any{"mode": "add"})
				c.want(r, tc.want.status)
				imp := c.want(c.do("GET", "/api/imports/"+id, nil), 200).json(t)
				if tc.want.status != 200 {
					field, message := errorOf(t, r)
					if field != tc.want.field {
						t.Errorf("field = %q, want %q (%s)", field, tc.want.field, message)
					}
					wantWords(t, message, tc.want.words)
					if imp["status"] != "invalid" || imp["fileError"] != message {
						t.Errorf("import = %v, want invalid with the message %q", imp, message)
					}
				} else {
					if imp["status"] != "validated" {
						t.Errorf("import = %v, want validated", imp)
					}
					counts := imp["counts"].(map[string]any)
					for k, v := range tc.counts {
						if counts[k] != v {
							t.Errorf("counts = %v, want %s %v", counts, k, v)
						}
					}
					var got []string
					for _, e := range imp["errors"].([]any) {
						e := e.(map[string]any)
						got = append(got, fmt.Sprintf("%v %v: %v", e["line"], e["column"], e["message"]))
					}
					if len(got) != len(tc.errors) {
						t.Fatalf("errors = %q, want %d like %q", got, len(tc.errors), tc.errors)
					}
					for i, w := range tc.errors {
						line, words, _ := strings.Cut(w, ": ")
						if !strings.HasPrefix(got[i], line+": ") || !strings.Contains(strings.ToLower(got[i]), words) {
							t.Errorf("error %d = %q, want line and column %s saying %q", i, got[i], line, words)
						}
					}
				}
			}
			if after := s.written(t); !reflect.DeepEqual(after, before) {
				t.Errorf("the upload wrote something:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}
