// Package sheetreadtest builds crafted uploads: files made to exhaust a
// reader's memory, each with the refusal sheetread gives it within its
// default limits. sheetread's tests check the refusals, and the benchmarks
// in ./bench measure the memory read them takes.
package sheetreadtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// File is one crafted upload.
type File struct {
	Name  string        // the file's name, as uploaded: it says what it holds
	Build func() []byte // the file's content, built anew at each call
	Want  string        // what the refusal's message holds
}

// Crafted returns the crafted uploads; each .xlsx bomb unzips to about
// bomb bytes (the benchmarks' 200 MiB takes a second or so to build).
func Crafted(bomb int) []File {
	const header = "First name,Last name,Email\n"
	return []File{
		{"one-line-of-commas.csv", func() []byte { return bytes.Repeat([]byte{','}, 12<<20) }, fmt.Sprintf("line 1 has %d columns; at most 50 are read", 12<<20+1)},
		{"long-cell.csv", func() []byte { return append([]byte(header+"Ann,"), bytes.Repeat([]byte{'x'}, 40<<20)...) }, "line 2, column B holds more than 2000 characters"},
		{"long-quoted-cell.csv", func() []byte { return append([]byte(header+"Ann,\""), bytes.Repeat([]byte("a\"\"\n"), 10<<20)...) }, "line 2, column B holds more than 2000 characters"},
		{"many-rows.csv", func() []byte { return append([]byte("Email\n"), bytes.Repeat([]byte("x\n"), 20<<20)...) }, "the file has more than 100000 rows"},
		{"many-columns.csv", func() []byte { return []byte(header + strings.Repeat("x,", 4999) + "x\n") }, "line 2 has 5000 columns; at most 50 are read"},
		{"formula-bomb.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row><row r="2"><c r="A2"><f>`, repeat("A", bomb), `</f><v>0</v></c></row>`),
			})
		}, "line 2, column A holds more than 2000 characters"},
		{"value-bomb.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1"><c r="A1" t="inlineStr"><is><t>`, repeat("A", bomb), `</t></is></c></row>`),
			})
		}, "line 1, column A holds more than 2000 characters"},
		{"shared-string-bomb.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/sharedStrings.xml":     sharedWith(`<si><t>`, repeat("A", bomb), `</t></si>`),
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`),
			})
		}, "the workbook holds a text of more than 2000 characters"},
		{"shared-strings-many.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/sharedStrings.xml":     sharedWith(repeat("<si><t>abcdefghijklmnopqrstuvwxyz0123456789</t></si>", 600_000)),
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`),
			})
		}, "the workbook holds more than 25 MB of text"},
		{"many-columns.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1">`, repeat(`<c><v>1</v></c>`, 5000), `</row>`),
			})
		}, "line 1 has a cell in column AY; at most 50 columns are read"},
		{"same-cell-repeated.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1">`, repeat(`<c r="A1"><v>1</v></c>`, 100_000), `</row>`),
			})
		}, "not a readable Excel workbook"},
		{"deep-nesting.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(repeat("<a>", 1<<20)),
			})
		}, "not a readable Excel workbook"},
		{"whitespace-bomb.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1"><c r="A1"><v>1</v></c></row>`, repeat(" ", 2*bomb)),
			})
		}, "the workbook holds a text of more than 2000 characters"},
		{"empty-rows.xlsx", func() []byte {
			return Workbook(map[string]io.WriterTo{
				"xl/worksheets/sheet1.xml": sheetWith(`<row r="1"><c r="A1"><v>1</v></c></row>`, repeat("<row/>", 1_100_000)),
			})
		}, "not a readable Excel workbook"},
		{"zip-directory-bomb.xlsx", func() []byte { return manyEntries(200_000) }, "not a readable Excel workbook"},
	}
}

// repeat is s n times, written without building it.
type repeated struct {
	s string
	n int
}

func repeat(s string, n int) io.WriterTo { return repeated{s, n} }

func (r repeated) WriteTo(w io.Writer) (int64, error) {
	chunk := strings.Repeat(r.s, max(1, min(r.n, (64<<10)/max(1, len(r.s)))))
	per := len(chunk) / max(1, len(r.s))
	var total int64
	for left := r.n; left > 0; left -= per {
		s := chunk
		if left < per {
			s = chunk[:left*len(r.s)]
		}
		n, err := io.WriteString(w, s)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// parts writes its pieces in order: text, or io.WriterTo.
type parts []any

func (p parts) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, x := range p {
		var n int64
		var err error
		switch x := x.(type) {
		case string:
			var m int
			m, err = io.WriteString(w, x)
			n = int64(m)
		case io.WriterTo:
			n, err = x.WriteTo(w)
		}
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// sheetWith is a worksheet whose sheetData holds the pieces.
func sheetWith(pieces ...any) io.WriterTo {
	return append(parts{`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`}, append(pieces, `</sheetData></worksheet>`)...)
}

// sharedWith is a shared strings table holding the pieces.
func sharedWith(pieces ...any) io.WriterTo {
	return append(parts{`<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`}, append(pieces, `</sst>`)...)
}

// Workbook returns an .xlsx of one sheet, xl/worksheets/sheet1.xml, with
// the parts given (the sheet, and optionally xl/sharedStrings.xml or
// xl/styles.xml) and the workbook parts every workbook has.
func Workbook(given map[string]io.WriterTo) []byte {
	all := map[string]io.WriterTo{
		"[Content_Types].xml":        parts{`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		"xl/workbook.xml":            parts{`<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		"xl/_rels/workbook.xml.rels": parts{`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for name, w := range given {
		all[name] = w
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"} {
		if all[name] == nil {
			continue
		}
		w, err := z.Create(name)
		if err != nil {
			panic(err) // writing to memory does not fail
		}
		if _, err := all[name].WriteTo(w); err != nil {
			panic(err)
		}
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// manyEntries is a zip of a workbook and n empty entries more: a
// directory that archive/zip would hold whole.
func manyEntries(n int) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("xl/workbook.xml")
	io.WriteString(w, `<workbook/>`)
	for i := range n {
		if _, err := z.CreateHeader(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store}); err != nil {
			panic(err)
		}
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}
