package metrics

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/words"
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
	// One evaluated appeal: the rate says so, greyed; the composite is a score.
	if got := a.metrics.summary["satisfaction"].Text; got != "100.0%（n=1，样本少）" || a.metrics.summary["satisfaction"].Importance != widget.LowImportance {
		t.Errorf("metrics satisfaction %q", got)
	}
	if got := a.metrics.summary["composite"].Text; !strings.HasSuffix(got, "分") {
		t.Errorf("composite %q, want a score", got)
	}
	if len(a.metrics.line.Series()) != 3 || a.metrics.line.Series()[1].Values[0] == nil {
		t.Error("the trend chart has no resolution point")
	}
	if bars := a.metrics.category.Bars(); len(bars) != 1 || bars[0].Label != "老旧小区改造" {
		t.Errorf("category bars %+v", bars)
	}
}

// TestMetricsClickThroughAndCustomPeriod: a click on a category's bar opens
// the ledger filtered to that category over the period on show; a custom
// period counts only the appeals received in it.
func TestMetricsClickThroughAndCustomPeriod(t *testing.T) {
	old := time.Now().AddDate(0, -2, 0)
	h := screentest.New(t, screentest.Options{}, func(b *store.Book) {
		screentest.AddCase(t, b, casebook.CaseInput{Summary: "东门占道", Category: "停车管理", Building: "3号楼"})
		screentest.AddCase(t, b, casebook.CaseInput{Summary: "楼道堆物", Category: "环境卫生", Building: "5号楼", Received: old})
	})
	a := New(h.Env)
	h.Section(screen.Metrics, func(bool) fyne.CanvasObject { return a.Build() })
	var got *screen.LedgerFilter
	h.OnShowLedger = func(f screen.LedgerFilter) { got = &f }
	h.Show(screen.Metrics)
	a.metrics.periodSl.SetSelected("本月")
	bars := a.metrics.category.Bars()
	if len(bars) != 1 || bars[0].Label != "停车管理" {
		t.Fatalf("this month's category bars %+v", bars)
	}
	test.TapAt(a.metrics.category, fyne.NewPos(50, 5))
	if got == nil || got.Category != "停车管理" || got.PeriodKey != words.PeriodMonth {
		t.Fatalf("the bar opened %+v", got)
	}

	a.metrics.periodSl.SetSelected("自定义日期")
	from := words.FmtDay(old.AddDate(0, 0, -1))
	to := words.FmtDay(old.AddDate(0, 0, 1))
	es := uitest.All[*widget.Entry](h.Win.Content())
	if len(es) < 2 {
		t.Fatal("no custom dates")
	}
	es[0].SetText(from)
	es[1].SetText(to)
	test.Tap(uitest.FindButton(t, h.Win.Content(), "统计"))
	if m := a.metrics.m; m.Cases != 1 || len(m.ByCategory) != 1 || m.ByCategory[0].Key != "环境卫生" {
		t.Errorf("custom period %s–%s: %d cases %+v", from, to, m.Cases, m.ByCategory)
	}
}

// TestMetricsBasis: the screen shows the assessment basis by default with
// the raw figure beside each rate, and switches to the raw basis.
func TestMetricsBasis(t *testing.T) {
	h := screentest.New(t, screentest.Options{}, func(b *store.Book) {
		for i, contest := range []bool{false, true} {
			c := screentest.AddCase(t, b, casebook.CaseInput{Summary: "楼道堆物" + words.Itoa(i), Category: "环境卫生"})
			steps := []casebook.Step{{Action: casebook.ActRespond}, {Action: casebook.ActResolve}, {Action: casebook.ActFeedback},
				{Action: casebook.ActEvaluate, Solved: casebook.SolvedYes, Satisfaction: casebook.Satisfied}}
			if contest {
				steps[3] = casebook.Step{Action: casebook.ActEvaluate, Solved: casebook.SolvedNo, Satisfaction: casebook.NotSatisfied}
				steps = append(steps, casebook.Step{Action: casebook.ActContest, Note: "超出政策"},
					casebook.Step{Action: casebook.ActContestDecided, Decision: casebook.DecisionAccepted})
			}
			for _, st := range steps {
				if _, err := b.Step(c.ID, st); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	a := New(h.Env)
	h.Section(screen.Metrics, func(bool) fyne.CanvasObject { return a.Build() })
	h.Show(screen.Metrics)
	v := a.metrics
	if got := v.summary["satisfaction"].Text; !strings.HasPrefix(got, "100.0%") {
		t.Errorf("assessment satisfaction %q", got)
	}
	if got := v.summary["satisfaction.other"].Text; got != "全口径 50.0%" {
		t.Errorf("raw beside it: %q", got)
	}
	if !strings.Contains(v.rules.Text, "申诉成立1件") {
		t.Errorf("rule line: %q", v.rules.Text)
	}
	v.basisSl.SetSelected(v.basisSl.Options[1])
	v = a.metrics
	if got := v.summary["satisfaction"].Text; !strings.HasPrefix(got, "50.0%") || v.summary["satisfaction.other"].Text != "考核口径 100.0%" {
		t.Errorf("raw basis: %q beside %q", got, v.summary["satisfaction.other"].Text)
	}
}
