package main

import (
	"fmt"
	"strings"
	"time"

	"casebook/casebook"
)

// Text output for people: tables aligned for a terminal where Chinese
// characters take two columns, times in Beijing time.

// shanghai formats an instant in Beijing time, or "" for the zero time.
func shanghai(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(casebook.Shanghai).Format("2006-01-02 15:04")
}

// runeWidth is the number of terminal columns a rune takes: two for East
// Asian wide and full-width characters, one otherwise.
func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// clipWidth shortens s to at most w columns, ending in "…" if cut.
func clipWidth(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	out, n := []rune{}, 0
	for _, r := range s {
		if n+runeWidth(r) > w-1 {
			break
		}
		out = append(out, r)
		n += runeWidth(r)
	}
	return string(out) + "…"
}

// table prints rows with columns padded to their widest cell.
func table(rows [][]string) string {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-textWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func (a *app) statusName(s casebook.Status) string { return a.tr(s.Chinese(), s.English()) }

// deadlineText is the next deadline of an open appeal, marked when overdue
// or due soon.
func (a *app) deadlineText(s *casebook.Summary, now time.Time, soon time.Duration) string {
	k, t := s.Next()
	if k == casebook.DeadlineNone {
		return ""
	}
	what := a.tr("办理", "handle")
	if k == casebook.DeadlineRespond {
		what = a.tr("签收", "respond")
	}
	out := what + " " + shanghai(t)
	switch s.Due(now, soon) {
	case casebook.DueOverdue:
		out += a.tr(" 超期", " OVERDUE")
	case casebook.DueSoon:
		out += a.tr(" 即将到期", " due soon")
	}
	return out
}

func (a *app) printList(list []*casebook.Summary, now time.Time, soon time.Duration) {
	rows := [][]string{{a.tr("编号", "Number"), a.tr("受理时间", "Received"), a.tr("状态", "Status"),
		a.tr("分类", "Category"), a.tr("楼号", "Building"), a.tr("摘要", "Summary"), a.tr("下一期限", "Next deadline")}}
	for _, s := range list {
		rows = append(rows, []string{s.Number, shanghai(s.Received), a.statusName(s.Status), s.Category,
			s.Building, clipWidth(s.Summary, 44), a.deadlineText(s, now, soon)})
	}
	fmt.Fprint(a.stdout, table(rows))
	fmt.Fprintln(a.stdout, a.tr(fmt.Sprintf("共 %d 件", len(list)), fmt.Sprintf("%d appeals", len(list))))
}

func (a *app) printCase(f *casebookFile, c *casebook.Case, v *caseView) {
	var rows [][]string
	add := func(zh, en, val string) {
		if val != "" {
			rows = append(rows, []string{a.tr(zh, en), val})
		}
	}
	add("编号", "Number", c.Number())
	add("ID", "ID", c.ID)
	add("状态", "Status", a.statusName(c.Status))
	add("受理时间", "Received", shanghai(c.Received()))
	add("渠道", "Channel", a.tr(c.Channel().Chinese(), c.Channel().English()))
	add("工单编号", "Work order", c.WorkOrder())
	add("类型", "Type", a.tr(c.Type().Chinese(), c.Type().English()))
	add("分类", "Category", c.Category())
	add("紧急程度", "Urgency", a.tr(v.Urgency.Chinese(), v.Urgency.English()))
	add("楼号", "Building", c.Building())
	add("单元", "Unit", c.Field(casebook.FieldUnit))
	add("地点", "Location", c.Field(casebook.FieldLocation))
	add("摘要", "Summary", c.Summary())
	add("详情", "Details", c.Field(casebook.FieldDetails))
	add("诉求人", "Complainant", c.Complainant())
	add("联系电话", "Phone", c.Phone())
	add("承办人", "Handler", c.Handler())
	add("交办", "Dispatched to", c.DispatchedTo)
	if c.Escalation != casebook.LevelCommunity {
		add("提级", "Escalated to", a.tr(c.Escalation.Chinese(), c.Escalation.English()))
	}
	if c.Solved != "" {
		add("评价", "Evaluation", a.tr(c.Solved.Chinese()+" / "+c.Satisfaction.Chinese(), c.Solved.English()+" / "+c.Satisfaction.English()))
	}
	if c.Callback != "" {
		add("回访", "Callback", a.tr(c.Callback.Chinese(), c.Callback.English()))
	}
	a.ruleRows(f, c, add)
	set := f.book.Settings()
	add("下一期限", "Next deadline", a.deadlineText(v.Summary, a.now(), set.Policy.DueSoon))
	fmt.Fprint(a.stdout, table(rows))

	fmt.Fprintln(a.stdout, a.tr("时间线：", "Timeline:"))
	var tl [][]string
	for _, e := range c.Timeline {
		what := a.tr(e.Action.Chinese(), e.Action.English())
		switch {
		case e.Action == casebook.ActEscalate:
			what += " → " + a.tr(casebook.Level(e.To).Chinese(), casebook.Level(e.To).English())
		case e.To != "":
			what += " → " + e.To
		}
		if e.Solved != "" {
			what += " " + a.tr(e.Solved.Chinese()+"/"+e.Satisfaction.Chinese(), string(e.Solved)+"/"+string(e.Satisfaction))
		}
		what += a.ruleEventText(f, &e)
		note := e.Note
		if e.Refused != "" {
			note = strings.TrimSpace(note + " " + a.tr("[未生效："+e.Refused+"]", "[refused: "+e.Refused+"]"))
		}
		tl = append(tl, []string{"  " + shanghai(e.At), what, e.Actor, note})
	}
	fmt.Fprint(a.stdout, table(tl))
	if len(c.Links) > 0 {
		fmt.Fprintln(a.stdout, a.tr("关联：", "Links:"))
		var ls [][]string
		for _, l := range c.Links {
			other, summary := l.Target, ""
			if o, err := f.book.Case(l.Target); err == nil {
				other, summary = o.Number(), clipWidth(o.Summary(), 44)
			}
			ls = append(ls, []string{"  " + a.tr(l.Kind.Chinese(), l.Kind.English()), other, summary})
		}
		fmt.Fprint(a.stdout, table(ls))
	}
	if len(v.Conflicts) > 0 {
		fmt.Fprintln(a.stdout, a.tr("待确认的冲突修改（用 case set 确认）：", "Conflicting edits to settle (with case set):"))
		for _, k := range v.Conflicts {
			fmt.Fprintf(a.stdout, "  %s: %q %s %q\n", k.Field, k.Shown, a.tr("另一设备改为", "shown; other device wrote"), k.Value)
		}
	}
}

// percent formats a rate, or "—" for no data.
func percent(r *float64) string {
	if r == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *r*100)
}

// points formats a change of rate in percentage points, or "—".
func points(a, b *float64) string {
	if a == nil || b == nil {
		return "—"
	}
	return fmt.Sprintf("%+.1f", (*a-*b)*100)
}

// printID prints the id of what a command made, one line for scripts to
// read, or returns the error that kept it from being made.
func (a *app) printID(id string, err error) error {
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, id)
	return nil
}

// ruleRows adds what the 12345 rules record of c to a case's table.
func (a *app) ruleRows(f *casebookFile, c *casebook.Case, add func(zh, en, val string)) {
	var pending []string
	for _, p := range []struct {
		r      casebook.Requests
		zh, en string
	}{{casebook.RequestReturn, "退单", "return"}, {casebook.RequestContest, "申诉", "contest"}, {casebook.RequestExtend, "延期", "extension"}} {
		if c.Pending.Has(p.r) {
			pending = append(pending, a.tr(p.zh, p.en))
		}
	}
	add("待审核", "Pending", strings.Join(pending, a.tr("、", ", ")))
	add("改派给", "Reassigned to", c.ReturnTo)
	if c.Contested {
		add("申诉", "Contest", a.tr("成立（不计入考核口径）", "accepted (out of the assessment basis)"))
	}
	if !c.ExtendedTo.IsZero() {
		add("延期至", "Extended to", shanghai(c.ExtendedTo))
	}
	if c.Away > 0 {
		add("退单往返", "Away on returns", c.Away.Round(time.Minute).String())
	}
	number := func(id string) string {
		if o, err := f.book.Case(id); err == nil {
			return o.Number()
		}
		return id
	}
	if c.MergedInto != "" {
		add("并单", "Merged into", number(c.MergedInto))
	}
	if len(c.Merged) > 0 {
		ns := make([]string, len(c.Merged))
		for i, id := range c.Merged {
			ns[i] = number(id)
		}
		add("并入本单", "Merged in", strings.Join(ns, a.tr("、", ", ")))
	}
	for _, w := range c.Whistle {
		v := a.tr("召集 ", "summoned ") + shanghai(w.Summoned)
		if !w.Arrived.IsZero() {
			v += a.tr("，报到 ", ", reported ") + shanghai(w.Arrived)
		}
		if w.Rating != "" {
			v += a.tr("，评价 "+w.Rating.Chinese(), ", rated "+w.Rating.English())
		}
		add("吹哨·"+w.Dept, "Whistle: "+w.Dept, v)
	}
}

// ruleEventText is what a timeline event of the 12345 rules adds after
// its action: the decision, the day, the callback, the other appeal, the
// ratings.
func (a *app) ruleEventText(f *casebookFile, e *casebook.Event) string {
	var out string
	if e.Decision != "" {
		out += " " + a.tr(e.Decision.Chinese(), e.Decision.English())
	}
	if e.Until != (casebook.Date{}) {
		out += " " + a.tr("至 ", "until ") + e.Until.String()
	}
	if e.Callback != "" {
		out += " " + a.tr(e.Callback.Chinese(), e.Callback.English())
	}
	if (e.Action == casebook.ActMerge || e.Action == casebook.ActMergeIn || e.Ref != "") && e.Action != casebook.ActNote {
		if o, err := f.book.Case(e.Ref); err == nil {
			out += " → " + o.Number()
		}
	}
	for _, r := range e.Ratings {
		out += " " + r.Dept + a.tr(":"+r.Rating.Chinese(), ":"+r.Rating.English())
	}
	if e.Evidence != "" {
		out += a.tr(" 证据：", " evidence: ") + e.Evidence
	}
	return out
}
