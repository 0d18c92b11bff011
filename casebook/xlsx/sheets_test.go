package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetSpec describes a sheet of a test fixture workbook, built the way
// district offices' files look: an optional merged title row and notes
// above the header, then the rows.
type sheetSpec struct {
	name     string
	title    string   // merged across the header's width in row 1, if set
	notes    []string // rows of one cell between the title and the header
	header   []string
	rows     [][]any // float64 in a dateCols column is an Excel serial date
	dateCols []int   // 1-based columns shown as dates (yyyy-mm-dd hh:mm)
}

// buildSheet writes a workbook of the given sheets with excelize.
func buildSheet(tb testing.TB, specs []sheetSpec) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateFmt := "yyyy/m/d h:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		tb.Fatal(err)
	}
	for i, sp := range specs {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sp.name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(sp.name); err != nil {
			tb.Fatal(err)
		}
		sw, err := f.NewStreamWriter(sp.name)
		if err != nil {
			tb.Fatal(err)
		}
		r := 1
		if sp.title != "" {
			if err := sw.SetRow("A1", []any{sp.title}); err != nil {
				tb.Fatal(err)
			}
			last, _ := excelize.CoordinatesToCellName(len(sp.header), 1)
			if err := sw.MergeCell("A1", last); err != nil {
				tb.Fatal(err)
			}
			r++
		}
		for _, n := range sp.notes {
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, []any{n}); err != nil {
				tb.Fatal(err)
			}
			r++
		}
		hdr := make([]any, len(sp.header))
		for i, h := range sp.header {
			hdr[i] = h
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, hdr); err != nil {
			tb.Fatal(err)
		}
		r++
		isDate := map[int]bool{}
		for _, c := range sp.dateCols {
			isDate[c-1] = true
		}
		out := make([]any, len(sp.header))
		for _, row := range sp.rows {
			for i := range out {
				out[i] = nil
				if i < len(row) {
					out[i] = row[i]
					if f, ok := row[i].(float64); ok && isDate[i] {
						out[i] = excelize.Cell{StyleID: dateStyle, Value: f}
					}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, out); err != nil {
				tb.Fatal(err)
			}
			r++
		}
		if err := sw.Flush(); err != nil {
			tb.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// rawWorkbook writes a minimal .xlsx by hand around one worksheet's
// sheetData XML, for files excelize would not write (a million rows written
// in a fraction of a second).
func rawWorkbook(tb testing.TB, sheetData func(w *strings.Builder)) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="派单" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheetData(&sb)
	sb.WriteString(`</sheetData></worksheet>`)
	add("xl/worksheets/sheet1.xml", sb.String())
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// inlineRow writes one row of inline-string cells.
func inlineRow(w *strings.Builder, r int, cells ...string) {
	fmt.Fprintf(w, `<row r="%d">`, r)
	for i, c := range cells {
		name, _ := excelize.CoordinatesToCellName(i+1, r)
		fmt.Fprintf(w, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, name, c)
	}
	w.WriteString(`</row>`)
}
