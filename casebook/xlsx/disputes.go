package xlsx

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// DisputeSource is an optional part of a Source: the casebook's disputes.
// A *store.Book provides them through its store; another Source may
// implement this. With disputes in the period, Export adds the 矛盾纠纷 and
// 议事记录 sheets.
type DisputeSource interface {
	Disputes() ([]*casebook.Dispute, error)
}

// disputesOf returns the disputes of a source, if it has any.
func disputesOf(src Source) ([]*casebook.Dispute, error) {
	switch s := src.(type) {
	case DisputeSource:
		return s.Disputes()
	case *store.Book:
		return s.Store().Disputes()
	}
	return nil, nil
}

// activeIn reports whether a dispute was open at some time in [from, to):
// registered before to and not resolved before from.
func activeIn(d *casebook.Dispute, from, to time.Time) bool {
	if !to.IsZero() && !d.CreatedAt.IsZero() && !d.CreatedAt.Before(to) {
		return false
	}
	if !from.IsZero() && d.Status == casebook.DisputeResolved && !d.ResolvedAt.IsZero() && d.ResolvedAt.Before(from) {
		return false
	}
	return true
}

// DisputeTables makes the 矛盾纠纷 sheet (one row per dispute: parties and
// their positions, plan versions, meetings, votes, the agreement and its
// tasks) and the 议事记录 sheet (one row per meeting, with attendance,
// minutes and votes). number gives an appeal's ledger number from its case
// id. Residents' names are masked unless unmasked. Export calls it with the
// disputes of its Source; it is exported for other workbooks (the district
// hub's roll-up).
func DisputeTables(disputes []*casebook.Dispute, number func(caseID string) string, unmasked bool) []Table {
	ds := slices.Clone(disputes)
	slices.SortStableFunc(ds, func(a, b *casebook.Dispute) int { return a.CreatedAt.Compare(b.CreatedAt) })
	name := func(p casebook.Party) string {
		if unmasked {
			return p.Name
		}
		return MaskPartyName(p)
	}

	type meetingRow struct {
		d *casebook.Dispute
		m casebook.Meeting
	}
	var meetings []meetingRow
	disputeRows := make([][]any, 0, len(ds))
	for _, d := range ds {
		plans := d.Plans()
		planNo := map[string]int{}
		for i, p := range plans {
			planNo[p.ID] = i + 1
		}
		var parties []string
		for _, p := range d.Parties() {
			s := name(p)
			if p.Building != "" {
				s += "（" + p.Building + "）"
			}
			if p.Side != "" {
				s += "［" + p.Side + "］"
			}
			if p.Position != "" {
				s += "：" + p.Position
			}
			if p.Interest != "" {
				s += "；关切：" + p.Interest
			}
			parties = append(parties, s)
		}
		var planLines []string
		for i, p := range plans {
			line := fmt.Sprintf("第%d版", i+1)
			if p.Title != "" {
				line += " " + p.Title
			}
			if p.Changes != "" {
				line += "：" + p.Changes
			}
			if p.Reason != "" {
				line += "（" + p.Reason + "）"
			}
			planLines = append(planLines, line)
		}
		votes := voteLines(d.Votes(), planNo)
		agreement := ""
		if a := d.Agreement; a != nil {
			agreement = fmt.Sprintf("第%d版", planNo[a.Plan])
			if p, ok := d.Plan(a.Plan); ok && p.Title != "" {
				agreement += " " + p.Title
			}
			if len(a.SignedOff) > 0 {
				agreement += "；签认：" + strings.Join(a.SignedOff, "、")
			}
		}
		var taskLines []string
		done := 0
		for _, t := range d.Tasks() {
			mark := "□"
			if t.Done {
				mark = "☑"
				done++
			}
			line := mark + " " + t.Title
			if t.Owner != "" {
				line += "（" + t.Owner + "）"
			}
			if t.Due != (casebook.Date{}) {
				line += " 限 " + t.Due.String()
			}
			taskLines = append(taskLines, line)
		}
		var cases []string
		for _, id := range d.Cases {
			n := id
			if number != nil {
				if v := number(id); v != "" {
					n = v
				}
			}
			cases = append(cases, n)
		}
		ms := d.Meetings()
		for _, m := range ms {
			meetings = append(meetings, meetingRow{d, m})
		}
		tasks := ""
		if len(taskLines) > 0 {
			tasks = fmt.Sprintf("完成 %d/%d\n%s", done, len(taskLines), strings.Join(taskLines, "\n"))
		}
		disputeRows = append(disputeRows, []any{
			d.Title(), d.Place(), d.Status.Chinese(), d.CreatedAt, len(d.Cases), strings.Join(cases, "\n"),
			strings.Join(parties, "\n"), strings.Join(planLines, "\n"), len(ms), strings.Join(votes, "\n"),
			agreement, tasks, d.ResolvedAt, d.Summary(),
		})
	}

	meetingRows := make([][]any, 0, len(meetings))
	for _, mr := range meetings {
		m := mr.m
		var att []string
		for _, a := range m.Attendees {
			s := a.Role
			if a.Name != "" {
				s += " " + a.Name
			}
			if a.Count > 0 {
				s += fmt.Sprintf(" %d人", a.Count)
			}
			att = append(att, strings.TrimSpace(s))
		}
		minutes := m.Minutes
		for _, ad := range m.Addenda {
			minutes += "\n【补充 " + ad.At.In(casebook.Shanghai).Format("2006-01-02") + "】" + ad.Text
		}
		planNo := map[string]int{}
		for i, p := range mr.d.Plans() {
			planNo[p.ID] = i + 1
		}
		var here []casebook.Vote
		for _, v := range mr.d.Votes() {
			if v.Meeting == m.ID {
				here = append(here, v)
			}
		}
		meetingRows = append(meetingRows, []any{
			mr.d.Title(), m.At, m.Place, m.Kind.Chinese(), strings.Join(att, "、"), strings.TrimSpace(minutes),
			strings.Join(voteLines(here, planNo), "\n"),
		})
	}
	return []Table{
		{Name: SheetDisputes, Len: len(disputeRows), Rows: rowsOf(disputeRows), Columns: []TableColumn{
			{"纠纷名称", 12, KindWrap}, {"地点", 10, KindWrap}, {"状态", 6, KindWrap}, {"登记日期", 10.5, KindDate},
			{"关联诉求数", 6, KindInt}, {"关联诉求编号", 14, KindWrap}, {"当事方及诉求", 28, KindWrap},
			{"方案版本", 28, KindWrap}, {"议事次数", 6, KindInt}, {"表决", 20, KindWrap}, {"协议", 16, KindWrap},
			{"落实任务", 22, KindWrap}, {"化解日期", 10.5, KindDate}, {"概况", 24, KindWrap},
		}},
		{Name: SheetMeetings, Len: len(meetingRows), Rows: rowsOf(meetingRows), Columns: []TableColumn{
			{"纠纷名称", 14, KindWrap}, {"会议时间", 15.5, KindDateTime}, {"地点", 12, KindWrap}, {"形式", 8, KindWrap},
			{"参会人员", 28, KindWrap}, {"纪要", 46, KindWrap}, {"表决", 26, KindWrap},
		}},
	}
}

// voteLines describes votes: "第2版：赞成18 反对2 弃权1（通过，举牌表决）".
func voteLines(votes []casebook.Vote, planNo map[string]int) []string {
	var out []string
	for _, v := range votes {
		result := "未通过"
		if v.Passed() {
			result = "通过"
		}
		out = append(out, fmt.Sprintf("第%d版：赞成%d 反对%d 弃权%d（%s，%s）", planNo[v.Plan], v.For, v.Against, v.Abstain, result, v.Method.Chinese()))
	}
	return out
}

func rowsOf(rows [][]any) func(yield func([]any) bool) {
	return func(yield func([]any) bool) {
		for _, r := range rows {
			if !yield(r) {
				return
			}
		}
	}
}
