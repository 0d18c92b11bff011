package xlsx

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"casebook/casebook"
)

// The 12345 sheets as they really come, beyond 派单 and a callback of an
// appeal walked to 办结:
//
//   - A callback (回访结果) is the hotline's own record that the work order
//     was answered. When the casebook has not walked the appeal that far
//     (only imported, say), the steps it lacks (签收, 办结, 反馈) are
//     recorded as taken from the sheet: at the latest time the sheet allows
//     (the callback's time, else the time of the import), each with a note
//     saying so. 未评价, 未接通 and 拒绝评价 are recorded as a callback
//     without a verdict; the rule set decides how they count.
//   - A 办结/回复 sheet (工单编号, 办理结果, 回复内容, 办结时间, 办理单位)
//     records the handling of the matching appeals: signed for if it was
//     not, dispatched to the unit, resolved (or found unresolvable) with the
//     result, and the reply told to the resident when there is one.
//   - A report meeting's opinion list (序号, 意见内容, 楼栋, 提出人 …)
//     becomes appeals of the channel 报告会 received on the meeting's day,
//     with its place (the case field meeting), that meeting's list (清单).
//     The day and place come from the options or the title above the
//     header ("2026年3月15日报告会意见清单（社区党群服务中心）").

// inferredNote marks a step recorded from a 12345 sheet that the casebook
// did not have: the sheet says it happened, not when.
const inferredNote = "据12345表补记：台账原无此步骤记录，时间取表中可知的最晚时间"

// resRow is a row of a 办结/回复 sheet, read and checked.
type resRow struct {
	sheet   string
	row     int
	cols    cellRefs
	wo      string
	outcome string
	reply   string
	unit    string
	at      time.Time // 办结时间, else the time of the import
}

// opRow is an item of a report meeting's opinion list.
type opRow struct {
	sheet  string
	row    int
	cols   cellRefs
	in     casebook.CaseInput
	serial string
}

// meetingOf is a report meeting: its day (and time, if the title has one)
// and place.
type meetingOf struct {
	at    time.Time
	place string
}

var (
	titleDate    = regexp.MustCompile(`(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?`)
	titlePlace   = regexp.MustCompile(`(?:地点|地址)\s*[:：]\s*([^\s，,；;）)]+)`)
	titleBracket = regexp.MustCompile(`[（(]([^（）()]{2,40})[）)]`)
)

// sheetMeeting finds the meeting of an opinion list: the options' day and
// place, else the first date and the place ("地点：…" or a bracketed place)
// in the rows above the header.
func (im *importer) sheetMeeting(sheet string, h *Header, title [][]string) (meetingOf, bool) {
	m := meetingOf{at: im.opts.MeetingDate, place: strings.TrimSpace(im.opts.MeetingPlace)}
	text := ""
	for _, row := range title {
		for _, c := range row {
			text += " " + casebook.NormalizeWidth(cleanCell(c))
		}
	}
	if m.at.IsZero() {
		if d := titleDate.FindStringSubmatch(text); d != nil {
			if day, err := casebook.ParseDate(d[1] + "-" + d[2] + "-" + d[3]); err == nil {
				m.at = day.Time()
			}
		}
	}
	if m.place == "" {
		if p := titlePlace.FindStringSubmatch(text); p != nil {
			m.place = strings.TrimSpace(p[1])
		} else if p := titleBracket.FindStringSubmatch(text); p != nil {
			m.place = strings.TrimSpace(p[1])
		}
	}
	if m.at.IsZero() {
		im.problem(sheet, h.Row+1, nil, 0, "", "the report meeting's day: in the title above the header (2026年3月15日报告会) or given with the import",
			"报告会日期：写在表头上方的标题中（如“2026年3月15日报告会意见清单”），或导入时填写")
		return m, false
	}
	if m.at.After(im.opts.Now.Add(casebook.DefaultMaxSkew)) {
		im.problem(sheet, h.Row+1, nil, 0, m.at.In(casebook.Shanghai).Format("2006-01-02"), "a meeting day that is not in the future", "报告会日期不晚于今天")
		return m, false
	}
	return m, true
}

// readOpinion reads an item of an opinion list.
func (im *importer) readOpinion(sheet string, row int, h *Header, get func(Column) string, m meetingOf) *opRow {
	o := &opRow{sheet: sheet, row: row, cols: cellRefs{h}, serial: cleanCell(get(ColSerial))}
	text := strings.TrimSpace(casebook.NormalizeWidth(get(ColOpinion)))
	flat := cleanCell(text)
	if flat == "" {
		im.problem(sheet, row, h, ColOpinion, "", "the opinion raised (required)", "应填写意见内容（必填）")
		return nil
	}
	in := &o.in
	in.Channel, in.Type, in.Received, in.Meeting = string(casebook.ChannelReport), string(casebook.TypeSuggestion), m.at, m.place
	in.Summary, _ = fitText(flat, casebook.MaxSummaryRunes)
	if flat != text || len([]rune(flat)) > casebook.MaxSummaryRunes {
		in.Details, _ = fitText(text, casebook.MaxDetailRunes)
	}
	in.Complainant = cleanCell(get(ColComplainant))
	in.Building = cleanCell(get(ColBuilding))
	if allDigitsStr(in.Building) {
		in.Building += "号楼"
	}
	if t, ok := parseType(get(ColType)); ok && get(ColType) != "" {
		in.Type = string(t)
	}
	cat, ok := mapCategory(get(ColCategory), im.set.Categories)
	if !ok {
		if cat, ok = guessCategory(flat, im.set.Categories); !ok {
			cat = fallbackCategory(im.set.Categories)
		}
	}
	in.Category = cat
	check := *in
	if _, err := check.Validate(im.set.Categories, im.opts.Now); err != nil {
		for _, fe := range casebookFieldErrors(err) {
			col := map[string]Column{casebook.FieldBuilding: ColBuilding, casebook.FieldComplainant: ColComplainant}[fe.Field]
			if col == 0 {
				col = ColOpinion
			}
			im.problem(sheet, row, h, col, get(col), fe.Msg, fe.Msg)
		}
		return nil
	}
	return o
}

// planOpinions makes an appeal of each item not already in the casebook
// (the same meeting's day and place and the same text).
func (im *importer) planOpinions(rows []*opRow) []casebook.Op {
	var ops []casebook.Op
	seen := map[string]bool{}
	if l, ok := im.t.(lister); ok && len(rows) > 0 {
		for _, s := range l.List(casebook.Filter{Channels: []casebook.Channel{casebook.ChannelReport}}, im.opts.Now) {
			seen[opinionKey(casebook.DateOf(s.Received), s.Place, s.Summary)] = true
		}
	}
	num := numberer{t: im.t, next: map[string]int{}}
	a := im.t.Author()
	for _, o := range rows {
		it := Item{Sheet: o.sheet, Row: o.row, Received: o.in.Received, Summary: o.in.Summary, Category: o.in.Category}
		key := opinionKey(casebook.DateOf(o.in.Received), o.in.Meeting, o.in.Summary)
		if seen[key] {
			im.rep.Unchanged++
			it.Action = ActionUnchanged
			im.rep.Items = append(im.rep.Items, it)
			continue
		}
		seen[key] = true
		o.in.Number = num.number(o.in.Received)
		op, err := a.Create(o.in, im.set.Categories)
		if err != nil {
			im.opProblem(o.sheet, o.row, o.cols.h, err)
			continue
		}
		ops = append(ops, op)
		im.rep.New++
		it.Action, it.Number = ActionNew, o.in.Number
		im.rep.Items = append(im.rep.Items, it)
	}
	return ops
}

func opinionKey(d casebook.Date, place, summary string) string {
	return d.String() + "\x00" + place + "\x00" + summary
}

// lister is a Target that can list the casebook's appeals (a Book).
type lister interface {
	List(f casebook.Filter, now time.Time) []*casebook.Summary
}

// readResult reads a row of a 办结/回复 sheet.
func (im *importer) readResult(sheet string, row int, h *Header, get func(Column) string) *resRow {
	before := len(im.rep.Problems)
	r := &resRow{sheet: sheet, row: row, cols: cellRefs{h}, wo: readWorkOrderNumber(get(ColWorkOrder)), at: im.opts.Now}
	if r.wo == "" {
		im.problem(sheet, row, h, ColWorkOrder, "", "the 12345 work-order number (required)", "应填写12345工单编号（必填）")
	}
	r.outcome, _ = fitText(strings.TrimSpace(get(ColOutcome)), casebook.MaxDetailRunes/2)
	r.reply, _ = fitText(strings.TrimSpace(get(ColReply)), casebook.MaxDetailRunes/2)
	r.unit, _ = fitText(cleanCell(get(ColHandlerUnit)), casebook.MaxSummaryRunes)
	if raw := get(ColResolvedAt); strings.TrimSpace(raw) != "" {
		if t, ok := im.checkTime(sheet, row, h, ColResolvedAt, raw); ok {
			r.at = t
		}
	}
	if r.outcome == "" && r.reply == "" {
		col := ColOutcome
		if _, ok := h.Cols[col]; !ok {
			col = ColReply
		}
		im.problem(sheet, row, h, col, "", "the handling result or the reply (required)", "应填写办理结果或回复内容（必填）")
	}
	if len(im.rep.Problems) > before {
		return nil
	}
	return r
}

// unresolvable reports whether a handling result says the appeal cannot
// be solved.
func unresolvable(outcome string) bool {
	v := strings.ReplaceAll(cleanCell(outcome), " ", "")
	for _, w := range []string{"无法解决", "不能解决", "无法办理", "不予办理", "不予受理", "无法处理", "未解决"} {
		if strings.Contains(v, w) {
			return true
		}
	}
	return false
}

// planResults records each 办结 row on its appeal.
func (im *importer) planResults(rows []*resRow) []casebook.Op {
	var ops []casebook.Op
	done := map[string]*resRow{}
	for _, r := range rows {
		prob := func(col Column, value, msg, zh string) { im.problem(r.sheet, r.row, r.cols.h, col, value, msg, zh) }
		it := Item{Sheet: r.sheet, Row: r.row, WorkOrder: r.wo, Note: clipRunes(r.outcome, 60)}
		if prev, dup := done[r.wo]; dup {
			prob(ColWorkOrder, r.wo, fmt.Sprintf("one result per work order: also in %s row %d", prev.sheet, prev.row),
				fmt.Sprintf("每个工单一条办结记录：%s 第%d行也有", prev.sheet, prev.row))
			continue
		}
		done[r.wo] = r
		c := im.working(r.wo, func(msg, zh string) { prob(ColWorkOrder, r.wo, msg, zh) })
		if c == nil {
			continue
		}
		it.Number, it.Received, it.Summary, it.Category = c.Number(), c.Received(), c.Summary(), c.Category()
		switch c.Status {
		case casebook.StatusResolved, casebook.StatusUnresolvable, casebook.StatusFeedback, casebook.StatusEvaluated, casebook.StatusClosed:
			im.rep.Unchanged++ // handled already: the casebook's record stands
			it.Action = ActionUnchanged
			im.rep.Items = append(im.rep.Items, it)
			continue
		}
		if c.Status == casebook.StatusReturned {
			prob(ColWorkOrder, r.wo, fmt.Sprintf("case %s was returned (退单)", c.Number()), fmt.Sprintf("台账 %s 已退单", c.Number()))
			continue
		}
		at := r.at
		if at.Before(c.Received()) {
			prob(ColResolvedAt, at.In(casebook.Shanghai).Format("2006-01-02 15:04"), "a time after the appeal was received", "办结时间应晚于受理时间")
			continue
		}
		note := strings.TrimSpace(strings.Join([]string{r.outcome, r.reply}, "\n"))
		final := casebook.Step{Action: casebook.ActResolve, At: at, Note: "12345办结（导入）：" + note}
		if unresolvable(r.outcome) {
			final.Action = casebook.ActUnresolvable
		}
		steps := im.walkTo(c, final.Action, at)
		if r.unit != "" && c.DispatchedTo == "" {
			steps = append(steps, casebook.Step{Action: casebook.ActDispatch, At: at, To: r.unit, Note: "12345办理单位（导入）"})
		}
		steps = append(steps, final)
		if r.reply != "" {
			steps = append(steps, casebook.Step{Action: casebook.ActFeedback, At: at, Note: "12345回复（导入）：" + r.reply})
		}
		made, ok := im.takeSteps(c, steps, r.sheet, r.row, r.cols.h)
		if !ok {
			continue
		}
		ops = append(ops, made...)
		im.rep.Updated++
		it.Action = ActionResolve
		im.rep.Items = append(im.rep.Items, it)
	}
	return ops
}

// working returns the working copy of a work order's case: one in the
// casebook, or made by this file, with this file's steps applied; nil
// after telling why (fail) if there is none.
func (im *importer) working(wo string, fail func(msg, zh string)) *casebook.Case {
	if c := im.cases[wo]; c != nil {
		return c
	}
	s, ok := im.t.FindByWorkOrder(wo)
	if !ok {
		fail("the work-order number of an appeal in the casebook or in a 派单 sheet of this file",
			"台账或本文件派单表中已有的工单编号（请先导入派单表）")
		return nil
	}
	c, err := im.t.Case(s.ID)
	if err != nil {
		fail(err.Error(), err.Error())
		return nil
	}
	im.cases[wo] = c
	return c
}

// walkTo are the loop steps a case lacks before it can take act: signed
// for, from received. They are recorded at, marked as taken from the sheet.
func (im *importer) walkTo(c *casebook.Case, act casebook.Action, at time.Time) []casebook.Step {
	if _, err := casebook.Next(c.Status, act); err == nil || c.Status != casebook.StatusReceived {
		return nil
	}
	return []casebook.Step{{Action: casebook.ActRespond, At: at, Note: inferredNote}}
}

// takeSteps authors steps on the working copy c in order, applying each;
// a refused one is a problem of the row and nothing of it is kept.
func (im *importer) takeSteps(c *casebook.Case, steps []casebook.Step, sheet string, row int, h *Header) ([]casebook.Op, bool) {
	a := im.t.Author()
	var made []casebook.Op
	saved := *c
	saved.Timeline = append([]casebook.Event(nil), c.Timeline...)
	for _, st := range steps {
		op, err := a.Step(c, st)
		if err == nil {
			_, err = c.Apply(&op)
		}
		if err != nil {
			*c = saved // the working copy as it was before the row
			im.opProblem(sheet, row, h, err)
			return nil, false
		}
		made = append(made, op)
	}
	return made, true
}

// callbackSteps are the steps a callback needs before its evaluation, on
// a case not walked that far: signed for, resolved and told, each marked
// as taken from the sheet. ok is false for a case that cannot take a
// callback (closed out without one, returned).
func callbackSteps(c *casebook.Case, at time.Time) ([]casebook.Step, string, string) {
	var steps []casebook.Step
	switch c.Status {
	case casebook.StatusFeedback:
	case casebook.StatusResolved, casebook.StatusUnresolvable:
		steps = append(steps, casebook.Step{Action: casebook.ActFeedback, At: at, Note: "12345回访：办理结果已告知诉求人（导入）"})
	case casebook.StatusReceived, casebook.StatusResponded, casebook.StatusDispatched, casebook.StatusInProgress:
		if c.Status == casebook.StatusReceived {
			steps = append(steps, casebook.Step{Action: casebook.ActRespond, At: at, Note: inferredNote})
		}
		steps = append(steps, casebook.Step{Action: casebook.ActResolve, At: at, Note: inferredNote},
			casebook.Step{Action: casebook.ActFeedback, At: at, Note: inferredNote})
	case casebook.StatusReturned:
		return nil, fmt.Sprintf("case %s was returned (退单): it takes no callback", c.Number()),
			fmt.Sprintf("台账 %s 已退单，不再记录回访", c.Number())
	default:
		return nil, fmt.Sprintf("case %s is closed out without an evaluation; reopen it to record the callback", c.Number()),
			fmt.Sprintf("台账 %s 已销号且无评价；如需记录回访，请先重新办理", c.Number())
	}
	return steps, "", ""
}

// parseCallbackOutcome reads a callback without a verdict from any of the
// result cells: 未评价, 未接通, 拒绝评价 and their spellings.
func parseCallbackOutcome(cells ...string) (casebook.Callback, bool) {
	for _, s := range cells {
		v := strings.ReplaceAll(cleanCell(s), " ", "")
		if v == "" {
			continue
		}
		if cb, err := casebook.ParseCallback(v); err == nil {
			return cb, true
		}
		switch {
		case strings.Contains(v, "未接通"), strings.Contains(v, "无人接听"), strings.Contains(v, "联系不上"), strings.Contains(v, "空号"), strings.Contains(v, "关机"):
			return casebook.CallbackUnreachable, true
		case strings.Contains(v, "拒绝评价"), strings.Contains(v, "拒评"), strings.Contains(v, "不愿评价"):
			return casebook.CallbackRefused, true
		case strings.Contains(v, "未评价"), strings.Contains(v, "未回访"), strings.Contains(v, "不评价"):
			return casebook.CallbackNone, true
		}
	}
	return "", false
}

// casebookFieldErrors are the field errors in err.
func casebookFieldErrors(err error) casebook.FieldErrors {
	var fes casebook.FieldErrors
	if errors.As(err, &fes) {
		return fes
	}
	var fe *casebook.FieldError
	if errors.As(err, &fe) {
		return casebook.FieldErrors{fe}
	}
	return casebook.FieldErrors{{Msg: err.Error()}}
}
