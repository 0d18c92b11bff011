package paper

import (
	"fmt"
	"math"

	"codeberg.org/go-pdf/fpdf"
)

// Charts are drawn with the PDF's own vector lines and text, so they print
// sharp at any size and their labels are text (in the embedded fonts, so
// Chinese labels work). gonum.org/v1/plot was the alternative: its PDF
// canvas embeds fonts through a cp1252 encoding (no Chinese at all), and its
// raster canvas would put a blurry bitmap in a printed report.

// rgb is a colour.
type rgb [3]int

// Series colours: blue, orange, green, red, purple — distinguishable in
// grey print too, with a marker shape each.
var palette = []rgb{{31, 119, 180}, {230, 120, 20}, {44, 160, 44}, {200, 40, 40}, {128, 80, 170}}

// Series is a named line of a line chart; a nil value is a gap (no data).
type Series struct {
	Name   string
	Values []*float64
	Dashed bool
}

// LineChart draws a line chart of rates (0..1, shown as percentages) over
// labelled points, w×h mm at the cursor, with a legend below, and moves
// the cursor below it. lo and hi bound the y axis (fractions).
func (d *doc) LineChart(title string, labels []string, series []Series, lo, hi float64, h float64, st Style) {
	d.need(h)
	x0, y0, w := d.margin, d.y, d.width()
	small := Style{Size: st.Size * 0.85}
	if title != "" {
		d.Text(x0+(w-d.Width(title, st))/2, y0+st.Size*ptToMM, title, Style{Size: st.Size, Bold: true})
		y0 += st.Size * ptToMM * 1.8
	}
	legendH := small.Size * ptToMM * 2.2
	axisW := d.Width("100%", small) + 2
	px, py := x0+axisW, y0
	pw, ph := w-axisW-2, h-(y0-d.y)-legendH-small.Size*ptToMM*2
	d.pdf.SetDrawColor(200, 200, 200)
	steps := 5
	for i := 0; i <= steps; i++ {
		v := lo + (hi-lo)*float64(i)/float64(steps)
		y := py + ph - ph*float64(i)/float64(steps)
		d.pdf.Line(px, y, px+pw, y)
		lab := fmt.Sprintf("%.0f%%", v*100)
		d.Text(px-1-d.Width(lab, small), y+small.Size*ptToMM*0.35, lab, small)
	}
	d.pdf.SetDrawColor(0, 0, 0)
	n := len(labels)
	xAt := func(i int) float64 {
		if n <= 1 {
			return px + pw/2
		}
		return px + pw*(0.03+0.94*float64(i)/float64(n-1))
	}
	yAt := func(v float64) float64 { return py + ph - ph*(math.Max(lo, math.Min(hi, v))-lo)/(hi-lo) }
	every := max(1, int(math.Ceil(float64(n)*d.Width("2026-12", small)*1.3/pw)))
	lastEnd := math.Inf(-1) // where the last label drawn ends: labels never overlap
	for i, l := range labels {
		lw := d.Width(l, small)
		if (i%every == 0 || i == n-1) && xAt(i)-lw/2 > lastEnd+1 {
			d.Text(xAt(i)-lw/2, py+ph+small.Size*ptToMM*1.4, l, small)
			lastEnd = xAt(i) + lw/2
		}
	}
	for k, s := range series {
		c := palette[k%len(palette)]
		d.pdf.SetDrawColor(c[0], c[1], c[2])
		d.pdf.SetFillColor(c[0], c[1], c[2])
		d.pdf.SetLineWidth(0.6)
		if s.Dashed {
			d.pdf.SetDashPattern([]float64{2, 1.5}, 0)
		}
		var prev *[2]float64
		for i, v := range s.Values {
			if v == nil {
				prev = nil
				continue
			}
			p := [2]float64{xAt(i), yAt(*v)}
			if prev != nil {
				d.pdf.Line(prev[0], prev[1], p[0], p[1])
			}
			prev = &p
		}
		d.pdf.SetDashPattern(nil, 0)
		for i, v := range s.Values {
			if v != nil && !s.Dashed {
				marker(d, k, xAt(i), yAt(*v), 0.9)
			}
		}
	}
	d.pdf.SetLineWidth(d.line)
	d.pdf.SetDrawColor(0, 0, 0)
	// Legend.
	ly := py + ph + small.Size*ptToMM*3.4
	lx := px
	for k, s := range series {
		c := palette[k%len(palette)]
		d.pdf.SetDrawColor(c[0], c[1], c[2])
		d.pdf.SetFillColor(c[0], c[1], c[2])
		d.pdf.SetLineWidth(0.6)
		if s.Dashed {
			d.pdf.SetDashPattern([]float64{2, 1.5}, 0)
		}
		d.pdf.Line(lx, ly-1, lx+7, ly-1)
		d.pdf.SetDashPattern(nil, 0)
		if !s.Dashed {
			marker(d, k, lx+3.5, ly-1, 0.9)
		}
		d.pdf.SetLineWidth(d.line)
		d.Text(lx+8.5, ly, s.Name, small)
		lx += 8.5 + d.Width(s.Name, small) + 6
	}
	d.pdf.SetDrawColor(0, 0, 0)
	d.y += h
}

// marker draws series k's marker: circle, square, triangle, diamond, cross.
func marker(d *doc, k int, x, y, r float64) {
	switch k % 5 {
	case 0:
		d.pdf.Circle(x, y, r, "F")
	case 1:
		d.pdf.Rect(x-r, y-r, 2*r, 2*r, "F")
	case 2:
		d.pdf.Polygon(pts(x, y-r*1.2, x-r*1.1, y+r*0.8, x+r*1.1, y+r*0.8), "F")
	case 3:
		d.pdf.Polygon(pts(x, y-r*1.3, x-r*1.1, y, x, y+r*1.3, x+r*1.1, y), "F")
	default:
		d.pdf.Line(x-r, y-r, x+r, y+r)
		d.pdf.Line(x-r, y+r, x+r, y-r)
	}
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64
	Text  string // shown at the bar's end; the value when empty
}

// BarChart draws horizontal bars, one per row of rowH mm, labels at the
// left and values at the bars' ends, and moves the cursor below it.
func (d *doc) BarChart(title string, bars []Bar, rowH float64, st Style, colour rgb) {
	titleH := 0.0
	if title != "" {
		titleH = st.Size * ptToMM * 1.9
	}
	d.need(titleH + rowH*float64(min(len(bars), 3)))
	if title != "" {
		d.Text(d.margin, d.y+st.Size*ptToMM, title, Style{Size: st.Size, Bold: true})
		d.y += titleH
	}
	labelW := 0.0
	maxV := 0.0
	for _, b := range bars {
		labelW = max(labelW, d.Width(b.Label, st))
		maxV = max(maxV, b.Value)
	}
	labelW = min(labelW+2, d.width()*0.35)
	barX := d.margin + labelW
	barW := d.width() - labelW - d.Width("0000（00.0%）", st) - 2
	for _, b := range bars {
		d.need(rowH)
		base := d.y + rowH*0.5 + st.Size*ptToMM*0.35
		d.Text(barX-2-d.Width(b.Label, st), base, b.Label, st)
		bw := 0.0
		if maxV > 0 {
			bw = barW * b.Value / maxV
		}
		d.pdf.SetFillColor(colour[0], colour[1], colour[2])
		d.pdf.Rect(barX, d.y+rowH*0.18, math.Max(bw, 0.3), rowH*0.64, "F")
		txt := b.Text
		if txt == "" {
			txt = fmt.Sprintf("%g", b.Value)
		}
		d.Text(barX+bw+1.5, base, txt, st)
		d.y += rowH
	}
	d.y += 2
}

// Sparkline draws a small line of counts, w×h mm at (x, y) (top left),
// the last point marked.
func (d *doc) Sparkline(x, y, w, h float64, counts []int) {
	if len(counts) < 2 {
		return
	}
	top := 1
	for _, c := range counts {
		top = max(top, c)
	}
	at := func(i int) (float64, float64) {
		return x + w*float64(i)/float64(len(counts)-1), y + h - h*float64(counts[i])/float64(top)
	}
	c := palette[3]
	d.pdf.SetDrawColor(c[0], c[1], c[2])
	d.pdf.SetFillColor(c[0], c[1], c[2])
	d.pdf.SetLineWidth(0.5)
	for i := 1; i < len(counts); i++ {
		x1, y1 := at(i - 1)
		x2, y2 := at(i)
		d.pdf.Line(x1, y1, x2, y2)
	}
	lx, ly := at(len(counts) - 1)
	d.pdf.Circle(lx, ly, 0.8, "F")
	d.pdf.SetLineWidth(d.line)
	d.pdf.SetDrawColor(0, 0, 0)
}

func pts(xy ...float64) []fpdf.PointType {
	out := make([]fpdf.PointType, 0, len(xy)/2)
	for i := 0; i+1 < len(xy); i += 2 {
		out = append(out, fpdf.PointType{X: xy[i], Y: xy[i+1]})
	}
	return out
}
