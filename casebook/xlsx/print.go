package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Printing: every sheet prints as a clerk would set it up by hand before
// filing the ledger in a binder — A4, landscape where the sheet is wide,
// all columns scaled to one page width (rows run on to as many pages as
// they need), the header row repeated on every page, a page header naming
// the community, the sheet and the period, and "第 N 页 共 M 页" at the foot.

// PrintSetup is how one sheet prints.
type PrintSetup struct {
	// Landscape turns the page: for sheets wider than an A4 page is tall.
	Landscape bool
	// TitleRows are the rows repeated at the top of every printed page
	// (1-based, inclusive); 0, 0 repeats none.
	TitleFirst, TitleLast int
	// Community, Period: the page header's left and right parts; the
	// centre is the sheet's name.
	Community, Period string
}

// paper sizes and margins (inches), as excelize wants them.
const (
	paperA4      = 9
	marginSide   = 0.4
	marginTop    = 0.65
	marginBottom = 0.6
	marginHeader = 0.25
	marginFooter = 0.25
	// maxHeaderPart keeps a header part well inside Excel's 255 characters
	// for the whole header string.
	maxHeaderPart = 60
)

// SetupPrint gives a sheet its page setup. For a sheet written with a
// StreamWriter it must be called before NewStreamWriter (the fit-to-page
// flag is in the sheet properties, which the stream writes first).
func SetupPrint(f *excelize.File, sheet string, p PrintSetup) error {
	orient := "portrait"
	if p.Landscape {
		orient = "landscape"
	}
	size, one, zero := paperA4, 1, 0
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	// fitToHeight 0 is "as many pages as needed": left out, it would be 1
	// and squeeze the whole ledger onto one page.
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	side, top, bottom, header, footer := marginSide, marginTop, marginBottom, marginHeader, marginFooter
	horizontally := true
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &bottom,
		Header: &header, Footer: &footer, Horizontally: &horizontally}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + headerText(p.Community) + `&C&"-,Bold"` + headerText(sheet) + "&R" + headerText(p.Period),
		OddFooter: "&C第 &P 页 共 &N 页",
	}); err != nil {
		return err
	}
	if p.TitleFirst > 0 {
		return f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), p.TitleFirst, max(p.TitleLast, p.TitleFirst)),
			Scope:    sheet,
		})
	}
	return nil
}

// headerText escapes text for a page header ("&" starts a code there) and
// keeps it short.
func headerText(s string) string {
	if utf8.RuneCountInString(s) > maxHeaderPart {
		r := []rune(s)
		s = string(r[:maxHeaderPart-1]) + "…"
	}
	return strings.ReplaceAll(s, "&", "&&")
}

// Row heights. Excel does not fit a row to wrapped text when it opens a
// file (and LibreOffice not always when it prints one), so a wrapped cell
// overlaps the next row unless the row's height is written.

// lineHeight is the height of one line of 11-point text, in points, with
// room for CJK glyphs, which stand taller than Latin ones.
const lineHeight = 15.0

// textUnits is how wide s is in Excel's width units (about one digit of
// the default font): East Asian wide characters count two.
func textUnits(s string) float64 {
	n := 0.0
	for _, r := range s {
		switch {
		case r < 0x1100:
			n++
		case wide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

// wide reports whether r is an East Asian wide or full-width character.
func wide(r rune) bool {
	return (r >= 0x1100 && r <= 0x115F) || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) ||
		(r >= 0xFFE0 && r <= 0xFFE6) || (r >= 0x20000 && r <= 0x3FFFD)
}

// wrappedLines is how many lines text takes in a wrapped cell width units
// wide.
func wrappedLines(text string, width float64) int {
	usable := max(width-0.7, 1) // the cell's padding: 5 pixels
	lines := 0
	for para := range strings.SplitSeq(text, "\n") {
		n := int(textUnits(para)/usable) + 1
		if u := textUnits(para); u > 0 && u/usable == float64(int(u/usable)) {
			n-- // exactly full lines
		}
		lines += max(n, 1)
	}
	return lines
}

// rowHeight is the height (points) a row needs for its wrapped cells; 0
// when one line is enough (the default height).
func rowHeight(lines int) float64 {
	if lines <= 1 {
		return 0
	}
	return float64(lines)*lineHeight + 3
}

// Used ranges. A worksheet declares its used range in <dimension>, and
// readers that trust it (openpyxl in read-only mode, Power BI) read only
// that range. excelize leaves it at "A1" on every sheet written with a
// StreamWriter (it writes the element before the rows) and on cells set
// one by one; dimensions records the right ranges and the workbook's zip
// writer puts them in as the sheets are written.

// dimensions are the used ranges of sheets written with a StreamWriter, by
// sheet name.
type dimensions map[string]string

// usedRange is the range A1:<last column><last row>.
func usedRange(cols, rows int) string {
	last, _ := excelize.CoordinatesToCellName(max(cols, 1), max(rows, 1))
	return "A1:" + last
}

// zipWriter wraps the workbook's zip writer so that each streamed sheet's
// XML declares its used range: the entries are named by sheet id, which
// GetSheetMap gives for each name.
func (d dimensions) zipWriter(f *excelize.File, next func(io.Writer) excelize.ZipWriter) func(io.Writer) excelize.ZipWriter {
	return func(w io.Writer) excelize.ZipWriter {
		byPath := map[string]string{}
		for id, name := range f.GetSheetMap() {
			if ref, ok := d[name]; ok {
				byPath[fmt.Sprintf("xl/worksheets/sheet%d.xml", id)] = ref
			}
		}
		return &dimZip{ZipWriter: next(w), refs: byPath}
	}
}

type dimZip struct {
	excelize.ZipWriter
	refs map[string]string
	cur  *dimPatch // the entry being written, if it is patched
}

func (z *dimZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.ZipWriter.Create(name)
	if err != nil {
		return nil, err
	}
	if ref, ok := z.refs[name]; ok {
		z.cur = &dimPatch{w: w, ref: ref}
		return z.cur, nil
	}
	return w, nil
}

func (z *dimZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.ZipWriter.Close()
}

// finish writes what the entry being patched still holds (a sheet too
// short to have reached the search limit).
func (z *dimZip) finish() error {
	p := z.cur
	z.cur = nil
	if p == nil || p.done {
		return nil
	}
	return p.flush(p.head)
}

// dimPatch replaces the first <dimension ref="..."/> of a worksheet's XML,
// which comes within its first kilobytes, and passes the rest through.
type dimPatch struct {
	w    io.Writer
	ref  string
	head []byte
	done bool
}

// dimSearch is how far into a sheet the element is looked for.
const dimSearch = 8 << 10

func (p *dimPatch) Write(b []byte) (int, error) {
	if p.done {
		return p.w.Write(b)
	}
	p.head = append(p.head, b...)
	if i, j := dimElement(p.head); j > 0 {
		var out bytes.Buffer
		out.Write(p.head[:i])
		fmt.Fprintf(&out, `<dimension ref="%s"/>`, p.ref)
		out.Write(p.head[j:])
		return len(b), p.flush(out.Bytes())
	}
	if len(p.head) >= dimSearch {
		return len(b), p.flush(p.head)
	}
	return len(b), nil
}

// dimElement finds the <dimension .../> or <dimension ...></dimension>
// element in b: its start and end, or 0, 0 if b does not hold all of it.
func dimElement(b []byte) (int, int) {
	i := bytes.Index(b, []byte("<dimension "))
	if i < 0 {
		return 0, 0
	}
	gt := bytes.IndexByte(b[i:], '>')
	if gt < 0 {
		return 0, 0
	}
	end := i + gt + 1
	if b[end-2] == '/' {
		return i, end
	}
	closing := []byte("</dimension>")
	if k := bytes.Index(b[end:], closing); k >= 0 {
		return i, end + k + len(closing)
	}
	return 0, 0
}

func (p *dimPatch) flush(b []byte) error {
	p.done, p.head = true, nil
	_, err := p.w.Write(b)
	return err
}

// Charts. A chart to the right of a table widens what prints (the page
// scales down to fit it) and is cut where the rows break; so each chart
// goes below the tables, on a page of its own, no wider than the tables.

// maxChartHeight (pixels) keeps a chart within one A4 landscape page at
// the scale the sheet's columns print at.
const maxChartHeight = 640

// chartPlace starts a new page at row and returns the cell a chart is
// anchored to there: a row lower, for LibreOffice drew (clipped, but
// present in the PDF's text) a chart anchored at the very top of a page on
// the page before too.
func chartPlace(f *excelize.File, sheet string, row int) (string, error) {
	cell, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return "", err
	}
	at, _ := excelize.CoordinatesToCellName(1, row+1)
	return at, f.InsertPageBreak(sheet, cell)
}

// chartWidth is the width in pixels of columns of the given widths (Excel
// draws a column of width w at 7w+5 pixels at 100%), less a margin.
func chartWidth(widths []float64) uint {
	px := 0.0
	for _, w := range widths {
		px += 7*w + 5
	}
	return uint(px) - 20
}
