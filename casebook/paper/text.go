package paper

import (
	"strings"
	"unicode"
)

// Text: a string is drawn as runs, each in the face that has its
// characters (see fonts.go); lines wrap between any two hanzi, at spaces,
// and never put closing punctuation at the start of a line (避头尾).

// Style is how text is set: size in points, bold, and grey for notes.
type Style struct {
	Size float64
	Bold bool
	Grey bool
}

// run is a piece of a line in one face.
type run struct {
	font fontID
	text string
	w    float64 // mm
}

// ptToMM converts a length in points to millimetres.
const ptToMM = 25.4 / 72

// runs splits s into runs of one face each, widths at size st.Size; a
// character no face has becomes 〓 in the CJK face and is recorded.
func (d *doc) runs(s string, st Style) []run {
	var out []run
	var b strings.Builder
	cur := fontID(-1)
	width := 0.0
	flush := func() {
		if b.Len() > 0 {
			out = append(out, run{font: cur, text: b.String(), w: width})
		}
		b.Reset()
		width = 0
	}
	for _, r := range s {
		if r == '\t' {
			r = ' '
		}
		if unicode.IsControl(r) {
			continue
		}
		f := d.m.fontFor(r, st.Bold)
		if f < 0 {
			d.missing[r] = true
			r, f = missingMark, fontCJK
		}
		if f != cur {
			flush()
			cur = f
		}
		b.WriteRune(r)
		width += d.m.advance(f, r) / 1000 * st.Size * ptToMM
	}
	flush()
	return out
}

// Width is the width of s in mm.
func (d *doc) Width(s string, st Style) float64 {
	w := 0.0
	for _, r := range d.runs(s, st) {
		w += r.w
	}
	return w
}

// noLineStart are characters a line must not begin with.
const noLineStart = "，。、；：！？）】》」』”’%．,.;:!?)]}"

// breakable reports whether a line may break between a and b.
func breakable(a, b rune) bool {
	if strings.ContainsRune(noLineStart, b) {
		return false
	}
	if a == ' ' || b == ' ' {
		return true
	}
	return wideRune(a) || wideRune(b)
}

func wideRune(r rune) bool {
	return r >= 0x2E80 && !(r >= 0xFF61 && r <= 0xFFDC)
}

// Wrap breaks s into lines no wider than width mm (an explicit newline
// starts a new line); a word longer than a line is broken where it must.
func (d *doc) Wrap(s string, st Style, width float64) []string {
	var lines []string
	for para := range strings.SplitSeq(s, "\n") {
		lines = append(lines, d.wrapPara(para, st, width)...)
	}
	return lines
}

func (d *doc) wrapPara(s string, st Style, width float64) []string {
	rs := []rune(strings.TrimRight(s, " "))
	if len(rs) == 0 {
		return []string{""}
	}
	var lines []string
	start, lastBreak := 0, -1
	w := 0.0
	for i := 0; i < len(rs); i++ {
		cw := d.runeWidth(rs[i], st)
		if i > start && breakable(rs[i-1], rs[i]) {
			lastBreak = i
		}
		if w+cw > width && i > start {
			cut := i
			if lastBreak > start {
				cut = lastBreak
			}
			lines = append(lines, strings.TrimRight(string(rs[start:cut]), " "))
			for cut < len(rs) && rs[cut] == ' ' {
				cut++
			}
			start, lastBreak, w = cut, -1, 0
			i = cut - 1
			continue
		}
		w += cw
	}
	return append(lines, string(rs[start:]))
}

func (d *doc) runeWidth(r rune, st Style) float64 {
	f := d.m.fontFor(r, st.Bold)
	if f < 0 {
		f, r = fontCJK, missingMark
	}
	return d.m.advance(f, r) / 1000 * st.Size * ptToMM
}

// Text draws s with its baseline at (x, y) mm.
func (d *doc) Text(x, y float64, s string, st Style) {
	grey := 0
	if st.Grey {
		grey = 90
	}
	d.pdf.SetTextColor(grey, grey, grey)
	for _, r := range d.runs(s, st) {
		d.setFont(r.font, st.Size)
		fake := st.Bold && r.font != fontLatinBold
		if fake {
			// The CJK faces have no bold: stroke the outlines too, as
			// word processors do for a bold 宋体.
			d.pdf.SetDrawColor(grey, grey, grey)
			d.pdf.SetLineWidth(st.Size * ptToMM * 0.035)
			d.pdf.SetTextRenderingMode(2)
		}
		d.pdf.Text(x, y, r.text)
		if fake {
			d.pdf.SetTextRenderingMode(0)
			d.pdf.SetLineWidth(d.line)
			d.pdf.SetDrawColor(0, 0, 0)
		}
		x += r.w
	}
}

// setFont selects a face and size unless they are current.
func (d *doc) setFont(f fontID, size float64) {
	if d.curFont == f && d.curSize == size {
		return
	}
	if !d.added[f] {
		d.pdf.AddUTF8FontFromBytes(d.m.faces[f].name, "", d.m.faces[f].data)
		d.added[f] = true
	}
	d.pdf.SetFont(d.m.faces[f].name, "", size)
	d.curFont, d.curSize = f, size
}
