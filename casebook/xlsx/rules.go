package xlsx

import (
	"fmt"
	"strings"
	"time"

	"casebook/casebook"
)

// The ledger's columns of the 12345 rules: 并单 (the group an appeal is in)
// and 热线规则 (what the rules recorded of it, and whether the assessment
// basis counts it).

// groupText is the 并单 cell: the main appeal's number on a merged one,
// the count on a main one.
func (x *exporter) groupText(s *casebook.Summary) string {
	switch {
	case s.MergedInto != "":
		return "并入" + x.numberOf(s.MergedInto)
	case s.Merged > 0:
		return fmt.Sprintf("主单（并入%d件）", s.Merged)
	}
	return ""
}

// numberOf is the number of a case by id, looked up once.
func (x *exporter) numberOf(id string) string {
	if n, ok := x.numbers[id]; ok {
		return n
	}
	n := id
	if c, err := x.src.Case(id); err == nil {
		n = c.Number()
	}
	if x.numbers == nil {
		x.numbers = map[string]string{}
	}
	x.numbers[id] = n
	return n
}

// ruleText is the 热线规则 cell: requests waiting, decisions, the
// extension, a callback without a verdict, departments summoned, and what
// the rule set makes of them on the assessment basis.
func ruleText(s *casebook.Summary, r *casebook.Rules) string {
	var parts []string
	add := func(p string) { parts = append(parts, p) }
	for _, p := range []struct {
		req  casebook.Requests
		text string
	}{{casebook.RequestReturn, "退单审核中"}, {casebook.RequestContest, "申诉审核中"}, {casebook.RequestExtend, "延期审批中"}} {
		if s.Pending.Has(p.req) {
			add(p.text)
		}
	}
	counted := func(c casebook.RuleChoice) string {
		if c == casebook.RuleExcluded {
			return "不计入考核"
		}
		return "计入考核"
	}
	if s.Status == casebook.StatusReturned {
		add("已退单，" + counted(r.Returned))
	}
	if s.Contested {
		add("申诉成立，" + counted(r.Contested))
	}
	if !s.ExtendedTo.IsZero() {
		add("延期至" + casebook.DateOf(s.ExtendedTo.Add(-time.Nanosecond)).String())
	}
	if s.Callback != "" {
		add("回访" + s.Callback.Chinese())
	}
	if s.MergedInto != "" && r.Merged == casebook.RuleOnce {
		add("随主单办理，单独评价")
	}
	if len(s.Whistle) > 0 {
		var ds []string
		for _, w := range s.Whistle {
			d := w.Dept
			if w.Arrived.IsZero() {
				d += "（未报到）"
			}
			ds = append(ds, d)
		}
		add("吹哨：" + strings.Join(ds, "、"))
	}
	return strings.Join(parts, "；")
}
