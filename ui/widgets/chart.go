package widgets

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/words"
)

// Charts drawn with Fyne's canvas primitives (lines, rectangles, circles,
// text), so they follow the theme, render the embedded Chinese font and
// need no dependency: the Fyne chart libraries in the module proxy are
// young, single-author projects, and two small widgets cover what the
// metrics screen needs. Each chart redraws from its data on every layout,
// which is cheap at these sizes (tens of points, tens of bars) and keeps
// resizing and theme changes right without bookkeeping.

// ChartSeries is one line of a lineChart: a value per label (nil where
// there is no data, which leaves a gap rather than a fake zero) and an
// optional baseline drawn dashed in the same colour.
type ChartSeries struct {
	Name     string
	Color    fyne.ThemeColorName
	Values   []*float64
	Baseline *float64
}

// LineChart plots series against category labels (months), with values
// formatted by format (percentages by default).
type LineChart struct {
	widget.BaseWidget
	labels       []string
	series       []ChartSeries
	baselineNote string
	format       func(float64) string
}

// NewLineChart draws series against labels, with a note on the dashed baselines.
func NewLineChart(labels []string, series []ChartSeries, baselineNote string) *LineChart {
	c := &LineChart{labels: labels, series: series, baselineNote: baselineNote, format: FmtPercentShort}
	c.ExtendBaseWidget(c)
	return c
}

// FmtPercentShort is an axis label: 0.85 → "85%".
func FmtPercentShort(v float64) string {
	return trimFloat(v*100) + "%"
}

func trimFloat(v float64) string {
	if math.Abs(v-math.Round(v)) < 1e-9 {
		return words.Itoa(int(math.Round(v)))
	}
	return words.FmtFloat1(v)
}

// CreateRenderer implements fyne.Widget.
func (c *LineChart) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{draw: c.draw, min: fyne.NewSize(320, 260)}
}

// chartRenderer redraws its objects with draw on every layout and refresh.
type chartRenderer struct {
	draw    func(size fyne.Size) []fyne.CanvasObject
	objects []fyne.CanvasObject
	size    fyne.Size
	min     fyne.Size
}

func (r *chartRenderer) Destroy() {}

func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	r.objects = r.draw(size)
}

func (r *chartRenderer) MinSize() fyne.Size { return r.min }

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *chartRenderer) Refresh() {
	r.objects = r.draw(r.size)
	for _, o := range r.objects {
		o.Refresh()
	}
}

// chart text and colours from the theme.
func chartText(s string, col fyne.ThemeColorName, size float32) *canvas.Text {
	t := canvas.NewText(s, theme.Color(col))
	t.TextSize = size
	return t
}

func textWidth(s string, size float32) float32 {
	return fyne.MeasureText(s, size, fyne.TextStyle{}).Width
}

// yRange picks axis bounds that include every value and baseline, with a
// little room, on round tenths: rates mostly live between 50 % and 100 %,
// and a chart from 0 would flatten every change that matters.
func (c *LineChart) yRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	see := func(p *float64) {
		if p != nil {
			lo, hi = math.Min(lo, *p), math.Max(hi, *p)
		}
	}
	for _, s := range c.series {
		for _, v := range s.Values {
			see(v)
		}
		see(s.Baseline)
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	lo = math.Max(0, math.Floor((lo-0.05)*10)/10)
	hi = math.Min(1, math.Ceil((hi+0.02)*10)/10)
	if hi <= lo {
		hi = lo + 0.1
	}
	return lo, hi
}

func (c *LineChart) draw(size fyne.Size) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	small := theme.Size(theme.SizeNameCaptionText)
	pad := theme.Padding()
	lineH := small + 2*pad

	// Legend across the top: a swatch and name per series, then the note
	// that dashed lines are baselines.
	x := pad
	for _, s := range c.series {
		sw := canvas.NewRectangle(theme.Color(s.Color))
		sw.Resize(fyne.NewSize(14, 4))
		sw.Move(fyne.NewPos(x, lineH/2-2))
		t := chartText(s.Name, theme.ColorNameForeground, small)
		t.Move(fyne.NewPos(x+18, pad/2))
		objs = append(objs, sw, t)
		x += 18 + textWidth(s.Name, small) + 3*pad
	}
	if c.baselineNote != "" {
		t := chartText(c.baselineNote, theme.ColorNamePlaceHolder, small)
		t.Move(fyne.NewPos(x, pad/2))
		objs = append(objs, t)
	}

	if len(c.labels) == 0 {
		t := chartText(NoDataText(), theme.ColorNamePlaceHolder, theme.Size(theme.SizeNameText))
		t.Move(fyne.NewPos(size.Width/2-textWidth(t.Text, t.TextSize)/2, size.Height/2))
		return append(objs, t)
	}

	lo, hi := c.yRange()
	left := textWidth("100%", small) + 2*pad
	top := lineH + pad
	bottom := size.Height - lineH
	right := size.Width - pad - textWidth(c.labels[len(c.labels)-1], small)/2
	plotW, plotH := right-left, bottom-top
	if plotW <= 10 || plotH <= 10 {
		return objs
	}
	yOf := func(v float64) float32 { return bottom - float32((v-lo)/(hi-lo))*plotH }
	n := len(c.labels)
	xOf := func(i int) float32 {
		if n == 1 {
			return left + plotW/2
		}
		return left + plotW*float32(i)/float32(n-1)
	}

	// Grid and y labels on round steps.
	step := 0.1
	if hi-lo > 0.5 {
		step = 0.2
	}
	for v := lo; v <= hi+1e-9; v += step {
		y := yOf(v)
		g := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		g.StrokeWidth = 1
		g.Position1, g.Position2 = fyne.NewPos(left, y), fyne.NewPos(right, y)
		t := chartText(c.format(v), theme.ColorNamePlaceHolder, small)
		t.Move(fyne.NewPos(left-pad-textWidth(t.Text, small), y-small/2-pad/2))
		objs = append(objs, g, t)
	}

	// X labels, thinned so they never overlap.
	widest := float32(0)
	for _, l := range c.labels {
		widest = max(widest, textWidth(l, small))
	}
	every := 1
	if n > 1 {
		gap := plotW / float32(n-1)
		every = int(math.Ceil(float64((widest + 2*pad) / gap)))
		every = max(every, 1)
	}
	for i, l := range c.labels {
		// Every every-th label, and the last one if it is clear of the
		// label drawn before it.
		if i%every != 0 && (i != n-1 || i%every < (every+1)/2+1) {
			continue
		}
		t := chartText(l, theme.ColorNamePlaceHolder, small)
		w := textWidth(l, small)
		t.Move(fyne.NewPos(min(max(xOf(i)-w/2, left-pad), right-w), bottom+pad/2))
		objs = append(objs, t)
	}

	// Baselines, dashed, then the series with their points.
	for _, s := range c.series {
		if s.Baseline == nil {
			continue
		}
		y := yOf(*s.Baseline)
		for x := left; x < right; x += 10 {
			d := canvas.NewLine(theme.Color(s.Color))
			d.StrokeWidth = 1.5
			d.Position1, d.Position2 = fyne.NewPos(x, y), fyne.NewPos(min(x+6, right), y)
			objs = append(objs, d)
		}
	}
	for _, s := range c.series {
		col := theme.Color(s.Color)
		var prev *fyne.Position
		for i, v := range s.Values {
			if i >= n {
				break
			}
			if v == nil {
				prev = nil
				continue
			}
			p := fyne.NewPos(xOf(i), yOf(*v))
			if prev != nil {
				l := canvas.NewLine(col)
				l.StrokeWidth = 2.5
				l.Position1, l.Position2 = *prev, p
				objs = append(objs, l)
			}
			dot := canvas.NewCircle(col)
			dot.Resize(fyne.NewSize(7, 7))
			dot.Move(fyne.NewPos(p.X-3.5, p.Y-3.5))
			objs = append(objs, dot)
			prev = &p
		}
	}
	return objs
}

// BarItem is one bar of a barChart, or a heading row when Heading is set.
type BarItem struct {
	Label   string
	Value   float64
	Text    string // shown after the bar; the value if empty
	Color   fyne.ThemeColorName
	Heading bool
	// Muted draws the row's text in the muted colour: a figure from too
	// few appeals to trust (样本少).
	Muted bool
}

// BarChart draws horizontal bars, one per row, label on the left and the
// value after the bar: horizontal because category and building names are
// words, which read badly on a slanted axis.
type BarChart struct {
	widget.BaseWidget
	bars []BarItem
	max  float64 // full-width value; 0 means the largest bar
	// OnTapped, if set, is called with the index of the bar a click falls
	// on (not on a heading), to open what the bar counts.
	OnTapped func(i int)
}

// Tapped implements fyne.Tappable: a click on a bar's row.
func (c *BarChart) Tapped(ev *fyne.PointEvent) {
	if c.OnTapped == nil {
		return
	}
	i := int(ev.Position.Y / c.rowHeight())
	if i >= 0 && i < len(c.bars) && !c.bars[i].Heading {
		c.OnTapped(i)
	}
}

// Cursor implements desktop.Cursorable: a pointer where a bar opens a list.
func (c *BarChart) Cursor() desktop.Cursor {
	if c.OnTapped != nil {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// NewBarChart draws bars; max is the full-width value (0: the largest bar).
func NewBarChart(bars []BarItem, max float64) *BarChart {
	c := &BarChart{bars: bars, max: max}
	c.ExtendBaseWidget(c)
	return c
}

func (c *BarChart) rowHeight() float32 {
	return theme.Size(theme.SizeNameText) + 2*theme.Padding() + 2
}

// CreateRenderer implements fyne.Widget.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	rows := max(len(c.bars), 1)
	return &chartRenderer{draw: c.draw, min: fyne.NewSize(280, float32(rows)*c.rowHeight())}
}

func (c *BarChart) draw(size fyne.Size) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	ts := theme.Size(theme.SizeNameText)
	small := theme.Size(theme.SizeNameCaptionText)
	pad := theme.Padding()
	if len(c.bars) == 0 {
		t := chartText(NoDataText(), theme.ColorNamePlaceHolder, ts)
		t.Move(fyne.NewPos(pad, pad))
		return append(objs, t)
	}
	full := c.max
	labelW := float32(0)
	valueW := float32(0)
	for _, b := range c.bars {
		if b.Heading {
			continue
		}
		full = math.Max(full, b.Value)
		labelW = max(labelW, textWidth(b.Label, small))
		valueW = max(valueW, textWidth(b.text(), small))
	}
	labelW = min(labelW, size.Width*0.35)
	if full <= 0 {
		full = 1
	}
	rowH := c.rowHeight()
	barX := labelW + 2*pad
	barMax := size.Width - barX - valueW - 2*pad
	if barMax < 10 {
		barMax = 10
	}
	for i, b := range c.bars {
		y := float32(i) * rowH
		if b.Heading {
			t := chartText(b.Label, theme.ColorNameForeground, ts)
			t.TextStyle.Bold = true
			t.Move(fyne.NewPos(0, y+pad/2))
			objs = append(objs, t)
			continue
		}
		fg := theme.ColorNameForeground
		if b.Muted {
			fg = theme.ColorNameDisabled
		}
		lt := chartText(b.Label, fg, small)
		lw := textWidth(b.Label, small)
		lt.Move(fyne.NewPos(max(0, labelW-lw)+pad, y+(rowH-small)/2-pad/2))
		col := b.Color
		if col == "" {
			col = theme.ColorNamePrimary
		}
		w := float32(b.Value/full) * barMax
		if b.Value > 0 && w < 2 {
			w = 2
		}
		r := canvas.NewRectangle(theme.Color(col))
		r.CornerRadius = 2
		r.Resize(fyne.NewSize(w, rowH-2*pad))
		r.Move(fyne.NewPos(barX, y+pad))
		vt := chartText(b.text(), fg, small)
		vt.Move(fyne.NewPos(barX+w+pad, y+(rowH-small)/2-pad/2))
		objs = append(objs, lt, r, vt)
	}
	return objs
}

func (b BarItem) text() string {
	if b.Text != "" {
		return b.Text
	}
	return trimFloat(b.Value)
}

// NoDataText is what an empty chart says.
func NoDataText() string { return lang.X("chart.nodata", "No data") }

// Series returns the chart's series, as drawn.
func (c *LineChart) Series() []ChartSeries { return c.series }

// Bars returns the chart's bars, as drawn.
func (c *BarChart) Bars() []BarItem { return c.bars }
