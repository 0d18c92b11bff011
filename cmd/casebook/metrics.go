package main

import (
	"fmt"
	"strings"
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
	b, x := s.Term.Baseline, &m.Assessment
	rows := [][]string{
		{"", a.tr("考核口径", "Assessment"), a.tr("全口径", "Raw"), a.tr("基线", "Baseline"), a.tr("考核口径较基线（百分点）", "Assessment − baseline (points)")},
		{a.tr("诉求数", "Appeals"), fmt.Sprint(x.Cases), fmt.Sprint(m.Cases), "", ""},
		{a.tr("响应率", "Response rate"), percent(x.ResponseRate), percent(m.ResponseRate), percent(b.Response), points(x.ResponseRate, b.Response)},
		{a.tr("解决率", "Resolution rate"), percent(x.ResolutionRate), percent(m.ResolutionRate), percent(b.Resolution), points(x.ResolutionRate, b.Resolution)},
		{a.tr("满意率", "Satisfaction rate"), percent(x.SatisfactionRate), percent(m.SatisfactionRate), percent(b.Satisfaction), points(x.SatisfactionRate, b.Satisfaction)},
		{a.tr("综合得分", "Composite score"), percent(x.CompositeScore), percent(m.CompositeScore), "", ""},
		{a.tr("按时率", "On-time rate"), percent(x.OnTimeRate), percent(m.OnTimeRate), "", ""},
	}
	fmt.Fprint(a.stdout, table(rows))
	rc := m.RuleCounts
	fmt.Fprintf(a.stdout, a.tr("考核口径规则：%s\n  本期：已退单 %d、申诉成立 %d、并单 %d、未评价 %d、延期 %d、待审核 %d\n",
		"Assessment rules: %s\n  this period: returned %d, contested %d, merged %d, no verdict %d, extended %d, pending %d\n"),
		strings.Join(s.Rules.Describe(), "；"), rc.Returned, rc.Contested, rc.Merged, rc.Unevaluated, rc.Extended, rc.Pending)
	if w := m.Whistle; w.Summoned > 0 {
		fmt.Fprintf(a.stdout, a.tr("吹哨报到：%d 件诉求召集部门 %d 次，报到 %d 次，%d 分钟内 %d 次\n", "Whistles: %d appeals, %d summonses, %d reported, within %d minutes %d\n"),
			w.Cases, w.Summoned, w.Arrived, s.Rules.ArriveMinutes, w.InTime)
	}
	if s.Term.Start != (casebook.Date{}) {
		fmt.Fprintf(a.stdout, a.tr("任期 %s – %s，书记 %s\n", "Term %s – %s, secretary %s\n"), s.Term.Start, s.Term.End, s.Term.Secretary)
	}
}
