package widgets

import (
	"casebook/ui/internal/uitest"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func ptrf(f float64) *float64 { return &f }

// TestLineChart draws points, lines, dashed baselines and legends, leaves a
// gap for a month with no data, and fits the axis to the values.
func TestLineChart(t *testing.T) {
	uitest.SetTestLocale(t)
	test.NewTempApp(t)
	c := NewLineChart([]string{"2026-01", "2026-02", "2026-03"}, []ChartSeries{
		{Name: "响应率", Color: theme.ColorNamePrimary, Values: []*float64{ptrf(0.8), nil, ptrf(0.9)}, Baseline: ptrf(0.7)},
	}, "虚线：基线")
	if lo, hi := c.yRange(); lo != 0.6 || hi != 1 {
		t.Errorf("axis %v..%v, want 0.6..1", lo, hi)
	}
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(500, 300))
	objs := c.draw(fyne.NewSize(480, 280))
	var dots, lines, texts int
	for _, o := range objs {
		switch o.(type) {
		case *canvas.Circle:
			dots++
		case *canvas.Line:
			lines++
		case *canvas.Text:
			texts++
		}
	}
	if dots != 2 {
		t.Errorf("%d points, want 2 (one month has no data)", dots)
	}
	if lines < 10 { // grid, dashes; no line across the gap
		t.Errorf("only %d lines", lines)
	}
	if texts < 5 {
		t.Errorf("only %d texts", texts)
	}
	empty := NewLineChart(nil, nil, "")
	if len(empty.draw(fyne.NewSize(300, 200))) == 0 {
		t.Error("an empty chart says nothing")
	}
}

// TestBarChart scales bars to the largest and writes the values.
func TestBarChart(t *testing.T) {
	uitest.SetTestLocale(t)
	test.NewTempApp(t)
	c := NewBarChart([]BarItem{{Label: "停车管理", Value: 40}, {Label: "环境卫生", Value: 20, Text: "20件"}, {Label: "标题", Heading: true}}, 0)
	objs := c.draw(fyne.NewSize(400, 200))
	var widths []float32
	var texts []string
	for _, o := range objs {
		switch x := o.(type) {
		case *canvas.Rectangle:
			widths = append(widths, x.Size().Width)
		case *canvas.Text:
			texts = append(texts, x.Text)
		}
	}
	if len(widths) != 2 || widths[0] < 1.9*widths[1] || widths[0] > 2.1*widths[1] {
		t.Errorf("bar widths %v", widths)
	}
	want := map[string]bool{"停车管理": true, "40": true, "20件": true, "标题": true}
	for _, s := range texts {
		delete(want, s)
	}
	if len(want) > 0 {
		t.Errorf("missing texts %v in %q", want, texts)
	}
	if len(NewBarChart(nil, 0).draw(fyne.NewSize(200, 100))) != 1 {
		t.Error("an empty bar chart should say there is no data")
	}
}
