package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"casebook/casebook"
)

func (a *app) metricsCmd() *cobra.Command {
	var ff filterFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "metrics [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]",
		Short: "The three rates (三率) against the baseline, and the backlog",
		Long: `The three rates (三率: response 响应率, resolution 解决率, satisfaction 满意率)
of the appeals received in a period, against the baseline entered for the
term, with the composite score, on-time rate and the backlog as of now.

--from and --to are days in Beijing time; --to is inclusive. Without them,
every appeal counts. With --json, the full figures: rates are fractions
0..1 and null when there is no data, with slices by category, building,
channel and month, and the term comparison. The formulas are stated in
casebook/metrics.go.`,
		Example: `  casebook metrics --db town.db --from 2026-03-01 --to 2026-03-31
  casebook metrics --db town.db --category 停车管理 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			flt, err := ff.filter()
			if err != nil {
				return err
			}
			return a.withBook(false, "", func(f *casebookFile) error {
				q := casebook.MetricsQuery{From: flt.From, To: flt.To, Now: a.now()}
				flt.From, flt.To = time.Time{}, time.Time{} // the period is q's
				if len(flt.Categories)+len(flt.Buildings)+len(flt.Channels) > 0 {
					q.Filter = &flt
				}
				m := f.book.Metrics(q)
				if asJSON {
					return a.printJSON(m)
				}
				a.printMetrics(f.book.Settings(), &m)
				return nil
			})
		},
	}
	ff.add(c, false)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) printMetrics(s casebook.Settings, m *casebook.Metrics) {
	name := s.Community.Name
	if name == "" {
		name = a.tr("（未设置社区名称）", "(no community name set)")
	}
	period := a.tr("全部", "all time")
	if !m.From.IsZero() || !m.To.IsZero() {
		from, to := "…", "…"
		if !m.From.IsZero() {
			from = casebook.DateOf(m.From).String()
		}
		if !m.To.IsZero() {
			to = casebook.DateOf(m.To).AddDays(-1).String()
		}
		period = from + " – " + to
	}
	fmt.Fprintf(a.stdout, "%s  %s  (%s %s)\n", name, period, a.tr("截至", "as of"), shanghai(m.AsOf))
	fmt.Fprintf(a.stdout, a.tr("诉求 %d 件  在办 %d  超期 %d  即将到期 %d  已评价 %d\n\n", "%d appeals  open %d  overdue %d  due soon %d  evaluated %d\n\n"),
		m.Cases, m.Open, m.Overdue, m.DueSoon, m.Evaluated)
	b := s.Term.Baseline
	rows := [][]string{
		{"", a.tr("本期", "Period"), a.tr("基线", "Baseline"), a.tr("变化（百分点）", "Change (points)")},
		{a.tr("响应率", "Response rate"), percent(m.ResponseRate), percent(b.Response), points(m.ResponseRate, b.Response)},
		{a.tr("解决率", "Resolution rate"), percent(m.ResolutionRate), percent(b.Resolution), points(m.ResolutionRate, b.Resolution)},
		{a.tr("满意率", "Satisfaction rate"), percent(m.SatisfactionRate), percent(b.Satisfaction), points(m.SatisfactionRate, b.Satisfaction)},
		{a.tr("综合得分", "Composite score"), percent(m.CompositeScore), "", ""},
		{a.tr("按时率", "On-time rate"), percent(m.OnTimeRate), "", ""},
	}
	fmt.Fprint(a.stdout, table(rows))
	if s.Term.Start != (casebook.Date{}) {
		fmt.Fprintf(a.stdout, a.tr("任期 %s – %s，书记 %s\n", "Term %s – %s, secretary %s\n"), s.Term.Start, s.Term.End, s.Term.Secretary)
	}
}
