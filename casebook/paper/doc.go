// Package paper makes the PDF documents a governance secretary prints:
// the 受理回执 (receipt) for a walk-in resident, the 诉求办理单 (case sheet)
// for the file, the 人民调解协议书 (mediation agreement) of an agreed
// dispute, and the 任期工作报告 (term report), in a version for the
// organization department and one for a 报告会 with residents.
//
// Each document is Chinese with its fonts embedded (fonts.go), so it prints
// the same on a PC without a Chinese font, and every figure in the report
// comes from casebook.MetricsTally (casebook.ComputeMetrics), the one
// definition of the rates. The documents are laid out here on
// codeberg.org/go-pdf/fpdf; charts are drawn with its vector primitives
// (chart.go). The package reads a casebook through interfaces that
// *store.Book and *store.Reader satisfy and writes to an io.Writer.
package paper

import (
	"fmt"
	"io"
	"slices"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"casebook/casebook"
)

// Result says what was written.
type Result struct {
	Pages int
	// Missing are characters no embedded or system font has: they are
	// printed as 〓 and should be written in by hand.
	Missing []rune
}

// MissingText lists the missing characters for a message: "U+5803 堃".
func (r Result) MissingText() string {
	s := ""
	for i, c := range r.Missing {
		if i > 0 {
			s += "、"
		}
		s += fmt.Sprintf("U+%04X %c", c, c)
	}
	return s
}

// doc is a document being laid out: a cursor (x from the left margin, y
// down the page) and the page furniture.
type doc struct {
	pdf     *fpdf.Fpdf
	m       *metrics
	missing map[rune]bool
	w, h    float64 // page size, mm
	margin  float64 // left and right
	top     float64 // where the body starts
	bottom  float64 // where the body ends
	y       float64
	line    float64 // stroke width of rules
	header  func(d *doc)
	// footer says what each page's foot shows; total is the page count.
	footer  func(d *doc, page, total int)
	curFont fontID
	curSize float64
	// added are the faces registered with the PDF: each on first use, as
	// parsing a font costs (a large system font most).
	added [numFonts]bool
}

// page sizes.
var (
	sizeA4 = fpdf.SizeType{Wd: 210, Ht: 297}
	sizeA5 = fpdf.SizeType{Wd: 148, Ht: 210}
)

// newDoc starts a portrait document of the given size, with the title and
// author in the file's properties and its creation date at now.
func newDoc(size fpdf.SizeType, margin float64, title, author string, now time.Time) (*doc, error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, fmt.Errorf("fonts: %w", err)
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: size, OrientationStr: "P"})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(author, true)
	pdf.SetCreator("Casebook 治理书记台账", true)
	pdf.SetLang("zh-CN")
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	d := &doc{pdf: pdf, m: newMetrics(fs), missing: map[rune]bool{}, w: size.Wd, h: size.Ht,
		margin: margin, top: margin, bottom: size.Ht - margin, line: 0.25, curFont: -1}
	pdf.SetLineWidth(d.line)
	return d, nil
}

// width is the width between the margins.
func (d *doc) width() float64 { return d.w - 2*d.margin }

// addPage starts a page and draws its header.
func (d *doc) addPage() {
	d.pdf.AddPage()
	d.curFont = -1
	d.y = d.top
	if d.header != nil {
		d.header(d)
	}
}

// need starts a new page unless h mm fit below the cursor.
func (d *doc) need(h float64) bool {
	if d.y+h > d.bottom {
		d.addPage()
		return true
	}
	return false
}

// finish draws each page's footer, now that the pages are counted, and
// writes the PDF.
func (d *doc) finish(w io.Writer) (Result, error) {
	n := d.pdf.PageNo()
	if d.footer != nil {
		for p := 1; p <= n; p++ {
			d.pdf.SetPage(p)
			// The page's text state is whatever it ended with: set the
			// font afresh.
			d.curFont = -1
			d.setFont(fontCJK, 1)
			d.curFont = -1
			d.footer(d, p, n)
		}
	}
	if err := d.pdf.Output(w); err != nil {
		return Result{}, err
	}
	res := Result{Pages: n}
	for r := range d.missing {
		res.Missing = append(res.Missing, r)
	}
	slices.Sort(res.Missing)
	return res, nil
}

// pageFooter is the usual foot: a note at the left, 第 N 页 共 M 页 at the
// right.
func pageFooter(note string) func(d *doc, page, total int) {
	return func(d *doc, page, total int) {
		st := Style{Size: 8, Grey: true}
		y := d.h - d.margin/2
		s := fmt.Sprintf("第 %d 页 共 %d 页", page, total)
		d.Text(d.w-d.margin-d.Width(s, st), y, s, st)
		if note != "" {
			d.Text(d.margin, y, note, st)
		}
	}
}

// Para writes wrapped text at the cursor, indented by indent mm, and moves
// the cursor below it; lead is the line height as a multiple of the size.
func (d *doc) Para(s string, st Style, indent, lead float64) {
	lh := st.Size * ptToMM * lead
	for _, l := range d.Wrap(s, st, d.width()-indent) {
		d.need(lh)
		d.Text(d.margin+indent, d.y+st.Size*ptToMM*0.85, l, st)
		d.y += lh
	}
}

// Heading writes a heading with space above it, keeping it with at least
// keep mm of what follows.
func (d *doc) Heading(s string, size, keep float64) {
	st := Style{Size: size, Bold: true}
	lh := size * ptToMM * 1.5
	if d.y > d.top+1 {
		d.y += size * ptToMM * 0.6
	}
	d.need(lh + keep)
	d.Text(d.margin, d.y+size*ptToMM*0.95, s, st)
	d.y += lh
}

// Centered writes one line centred across the page.
func (d *doc) Centered(s string, st Style, lead float64) {
	lh := st.Size * ptToMM * lead
	d.need(lh)
	d.Text((d.w-d.Width(s, st))/2, d.y+st.Size*ptToMM*0.95, s, st)
	d.y += lh
}

// Rule draws a horizontal line across the body at the cursor.
func (d *doc) Rule(gap float64) {
	d.y += gap / 2
	d.pdf.Line(d.margin, d.y, d.w-d.margin, d.y)
	d.y += gap / 2
}

// Gap moves the cursor down.
func (d *doc) Gap(mm float64) { d.y += mm }

// day formats a time as a Chinese date: 2026年4月12日.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(casebook.Shanghai)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// minute formats a time as 2026-04-12 14:30 (Beijing time).
func minute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(casebook.Shanghai).Format("2006-01-02 15:04")
}

// deadline formats a deadline: one at midnight is the end of the day
// before, as people say it: 2026-04-19 24:00, not 2026-04-20 00:00.
func deadline(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	s := t.In(casebook.Shanghai)
	if s.Hour() == 0 && s.Minute() == 0 {
		return s.Add(-time.Minute).Format("2006-01-02") + " 24:00"
	}
	return s.Format("2006-01-02 15:04")
}

// pct formats a rate as a percentage with two decimals, or "—" (no data).
func pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", *v*100)
}

// points formats a change of rate in percentage points: "+16.48 个百分点".
func points(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%+.2f 个百分点", *v*100)
}

// score formats a composite score out of 100.
func score(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v*100)
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
