package metrics

import (
	"testing"

	"fyne.io/fyne/v2"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/screen"
)

// TestMetricsShowTheLoop: an appeal walked round the loop to a satisfied
// evaluation shows on the metrics screen: its figures, the trend point and
// the category bar.
func TestMetricsShowTheLoop(t *testing.T) {
	h := screentest.New(t, screentest.Options{}, func(b *store.Book) {
		c := screentest.AddCase(t, b, casebook.CaseInput{Summary: "14号楼顶层漏水", Category: "老旧小区改造", Building: "14号楼"})
		for _, st := range []casebook.Step{
			{Action: casebook.ActRespond},
			{Action: casebook.ActDispatch, To: "物业公司"},
			{Action: casebook.ActResolve, Note: "已修复"},
			{Action: casebook.ActFeedback},
			{Action: casebook.ActEvaluate, Solved: casebook.SolvedYes, Satisfaction: casebook.Satisfied},
		} {
			if _, err := b.Step(c.ID, st); err != nil {
				t.Fatal(err)
			}
		}
	})
	a := New(h.Env)
	h.Section(screen.Metrics, func(bool) fyne.CanvasObject { return a.Build() })
	h.Show(screen.Metrics)
	m := a.metrics.m
	if m.Cases != 1 || m.Evaluated != 1 || len(m.ByMonth) != 1 {
		t.Fatalf("metrics: %d cases, %d evaluated, %d months", m.Cases, m.Evaluated, len(m.ByMonth))
	}
	if got := a.metrics.summary["satisfaction"].Text; got != "100.0%" {
		t.Errorf("metrics satisfaction %q", got)
	}
	if len(a.metrics.line.Series()) != 3 || a.metrics.line.Series()[1].Values[0] == nil {
		t.Error("the trend chart has no resolution point")
	}
	if bars := a.metrics.category.Bars(); len(bars) != 1 || bars[0].Label != "老旧小区改造" {
		t.Errorf("category bars %+v", bars)
	}
}
