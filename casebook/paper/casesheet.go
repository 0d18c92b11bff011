package paper

import (
	"fmt"
	"io"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/xlsx"
)

// CaseSheet writes the 诉求办理单 kept in the file: every field of the
// appeal, its deadlines, the whole timeline (every step, who took it and
// when, refused steps marked), the evaluation, linked appeals, and lines
// for signatures. Residents' names and phones are masked unless
// opts.Unmasked. number gives a linked case's number from its id (nil: the
// id is printed).
func CaseSheet(w io.Writer, c *casebook.Case, set casebook.Settings, number func(id string) string, opts Options) (Result, error) {
	now := opts.now()
	d, err := newDoc(sizeA4, 15, "诉求办理单 "+c.Number(), community(set), now)
	if err != nil {
		return Result{}, err
	}
	d.footer = pageFooter(fmt.Sprintf("%s　诉求办理单 %s　打印于 %s", community(set), c.Number(), minute(now)))
	d.addPage()
	s := c.Summarize(&set.Policy)

	d.Centered(community(set), Style{Size: 11}, 1.6)
	d.Centered("诉求办理单", Style{Size: 18, Bold: true}, 1.8)
	d.Centered("编号："+c.Number(), Style{Size: 11}, 1.8)
	d.Gap(2)

	name, phone := c.Complainant(), c.Phone()
	privacy := "诉求人姓名、电话已脱敏"
	if opts.Unmasked {
		privacy = "含居民个人信息，请按规定保管"
	} else {
		name, phone = xlsx.MaskName(name), xlsx.MaskPhone(phone)
	}
	escalated := "未提级"
	if c.Escalation != "" && c.Escalation != casebook.LevelCommunity {
		escalated = "提级至" + c.Escalation.Chinese()
	}
	handleLabel := "办理时限"
	if s.Urgency == casebook.UrgencyComplex {
		handleLabel = "答复方案时限"
	}
	dash := func(v string) string { return nonEmpty(strings.TrimSpace(v), "—") }
	body := Style{Size: 9.5}
	d.Heading("一、诉求信息", 11, 30)
	d.Fields([][2]string{
		{"受理编号", c.Number()}, {"12345工单号", dash(c.WorkOrder())},
		{"受理时间", minute(c.Received())}, {"受理渠道", c.Channel().Chinese()},
		{"诉求类型", c.Type().Chinese()}, {"问题分类", dash(c.Category())},
		{"楼栋", dash(c.Building())}, {"单元/门牌", dash(c.Field(casebook.FieldUnit))},
		{"诉求人", dash(name)}, {"联系电话", dash(phone)},
		{"紧急程度", s.Urgency.Chinese()}, {"承办人", dash(c.Handler())},
	}, 2, body)
	d.Fields([][2]string{
		{"地点", dash(c.Field(casebook.FieldLocation))},
		{"诉求摘要", dash(c.Summary())},
		{"详细内容", dash(c.Field(casebook.FieldDetails))},
	}, 1, body)

	d.Heading("二、办理情况", 11, 30)
	late := func(done, due time.Time) string {
		if done.IsZero() {
			return "—"
		}
		if done.After(due) {
			return minute(done) + "（逾期）"
		}
		return minute(done)
	}
	d.Fields([][2]string{
		{"状态", c.Status.Chinese()}, {"交办对象", dash(c.DispatchedTo)},
		{"签收时限", deadline(s.RespondDue)}, {"签收时间", late(c.RespondedAt, s.RespondDue)},
		{handleLabel, deadline(s.HandleDue)}, {"办理时间", late(c.HandledAt, s.HandleDue)},
		{"办结时间", dash(minute(c.ResolvedAt))}, {"反馈时间", dash(minute(c.FeedbackAt))},
		{"评价时间", dash(minute(c.EvaluatedAt))}, {"销号时间", dash(minute(c.ClosedAt))},
		{"解决情况", dash(c.Solved.Chinese())}, {"满意度", dash(c.Satisfaction.Chinese())},
		{"提级", escalated}, {"无法解决", map[bool]string{true: "是", false: "否"}[c.Unresolvable]},
	}, 2, body)
	if len(c.Links) > 0 {
		var ls []string
		for _, l := range c.Links {
			n := l.Target
			if number != nil {
				n = nonEmpty(number(l.Target), l.Target)
			}
			ls = append(ls, l.Kind.Chinese()+"："+n)
		}
		d.Fields([][2]string{{"关联诉求", strings.Join(ls, "；")}}, 1, body)
	}
	if n := len(c.Conflicts()); n > 0 {
		d.Para(fmt.Sprintf("注：有 %d 处两台设备同时修改的内容待核对，以上为当前显示的值。", n), Style{Size: 8.5, Grey: true}, 0, 1.5)
	}

	d.Heading("三、办理过程", 11, 25)
	var rows [][]string
	for _, e := range c.Timeline {
		what := e.Note
		switch {
		case e.Action == casebook.ActDispatch && e.To != "":
			what = strings.TrimSpace("交办至 " + e.To + "　" + e.Note)
		case e.Action == casebook.ActEscalate && e.To != "":
			what = strings.TrimSpace("提级至 " + casebook.Level(e.To).Chinese() + "　" + e.Note)
		case e.Action == casebook.ActEvaluate:
			what = strings.TrimSpace(fmt.Sprintf("解决情况：%s；满意度：%s　%s", dash(e.Solved.Chinese()), dash(e.Satisfaction.Chinese()), e.Note))
		}
		if e.Refused != "" {
			what = strings.TrimSpace(what + "（此步未生效：与另一设备的记录冲突）")
		}
		rows = append(rows, []string{minute(e.At), e.Action.Chinese(), dash(e.Actor), what})
	}
	d.Table([]Col{{"时间", 18, false}, {"环节", 10, false}, {"经办人", 11, false}, {"内容", 61, false}}, rows, body)

	d.Gap(10)
	d.need(20)
	third := d.width() / 3
	for i, l := range []string{"承办人（签字）：", "审核人（签字）：", "日期："} {
		d.Text(d.margin+float64(i)*third, d.y+5, l, body)
	}
	d.Gap(12)
	d.Para(privacy+"。本单由 Casebook 治理书记台账生成。", Style{Size: 8, Grey: true}, 0, 1.5)
	return d.finish(w)
}
