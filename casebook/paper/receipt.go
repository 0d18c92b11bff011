package paper

import (
	"fmt"
	"io"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/xlsx"
)

// Options are what every document takes.
type Options struct {
	// Now is when the document is made (time.Now when zero): its date, and
	// "as of" for what is overdue.
	Now time.Time
	// Version of the app, in the document's properties.
	Version string
	// Unmasked prints residents' names and phone numbers as they are on
	// the case sheet; Masked hides them on the receipt and the agreement
	// (which name them by default: see each).
	Unmasked, Masked bool
	// Contact is who the resident calls about the appeal, printed on the
	// receipt ("社区服务站 010-6xxxxxxx"); empty leaves a line to fill in.
	Contact string
}

func (o *Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// community is the community's name with its street, for a letterhead.
func community(s casebook.Settings) string {
	return nonEmpty(strings.TrimSpace(s.Community.Street+" "+s.Community.Name), "本社区")
}

// Receipt writes the 受理回执 a walk-in resident takes home: A5, the case
// number large, when it was received, what was recorded, the deadlines it
// will be signed for and handled by under the casebook's policy, and who
// to contact. It is the resident's own paper, so their name and phone show
// unless opts.Masked.
func Receipt(w io.Writer, c *casebook.Case, set casebook.Settings, opts Options) (Result, error) {
	now := opts.now()
	d, err := newDoc(sizeA5, 12, "受理回执 "+c.Number(), community(set), now)
	if err != nil {
		return Result{}, err
	}
	d.footer = func(d *doc, page, total int) {
		st := Style{Size: 7.5, Grey: true}
		s := fmt.Sprintf("%s　打印于 %s", community(set), minute(now))
		d.Text(d.margin, d.h-d.margin/2, s, st)
	}
	d.addPage()
	s := c.Summarize(&set.Policy)

	d.Centered(community(set), Style{Size: 11}, 1.6)
	d.Centered("居民诉求受理回执", Style{Size: 17, Bold: true}, 1.8)
	d.Gap(1)
	number := Style{Size: 13, Bold: true}
	d.Centered("受理编号："+c.Number(), number, 1.7)
	d.Gap(2)

	name, phone := c.Complainant(), c.Phone()
	if opts.Masked {
		name, phone = xlsx.MaskName(name), xlsx.MaskPhone(phone)
	}
	place := strings.TrimSpace(strings.Join(nonBlank(c.Building(), c.Field(casebook.FieldUnit), c.Field(casebook.FieldLocation)), " "))
	fields := [][2]string{
		{"受理时间", minute(c.Received()) + "（北京时间）"},
		{"受理渠道", c.Channel().Chinese()},
		{"诉求类型", c.Type().Chinese()},
		{"问题分类", nonEmpty(c.Category(), "—")},
		{"地点", nonEmpty(place, "—")},
		{"诉求人", nonEmpty(name, "—")},
		{"联系电话", nonEmpty(phone, "—")},
		{"诉求内容", nonEmpty(c.Summary(), "—")},
	}
	if wo := c.WorkOrder(); wo != "" {
		fields = append(fields[:2], append([][2]string{{"12345工单号", wo}}, fields[2:]...)...)
	}
	body := Style{Size: 9.5}
	d.Fields(fields, 1, body)

	d.Heading("办理时限", 10.5, 20)
	for _, l := range deadlineLines(&s, &set.Policy) {
		d.Para("· "+l, body, 2, 1.55)
	}
	d.Heading("联系我们", 10.5, 15)
	handler := nonEmpty(c.Handler(), nonEmpty(set.Term.Secretary, "社区工作人员"))
	d.Para("承办人："+handler+"（"+community(set)+"）", body, 2, 1.55)
	contact := opts.Contact
	if contact == "" {
		contact = "______________________"
	}
	d.Para("联系电话："+contact, body, 2, 1.55)
	d.Para("查询办理进度时请告知受理编号。办结后社区将向您反馈结果，并请您对办理情况作出评价（是否解决、是否满意）。", Style{Size: 8.5, Grey: true}, 2, 1.5)

	d.Gap(6)
	d.need(18)
	right := d.w - d.margin - 48
	d.Text(right, d.y+4, "受理人：______________", body)
	d.Text(right, d.y+11, "（受理单位盖章）", Style{Size: 8.5, Grey: true})
	d.Text(right, d.y+18, day(now), body)
	return d.finish(w)
}

// deadlineLines say by when the appeal will be signed for and handled,
// under the policy: the deadlines the loop is held to (Summary's).
func deadlineLines(s *casebook.Summary, p *casebook.DeadlinePolicy) []string {
	var out []string
	handle := "办理完毕"
	if s.Urgency == casebook.UrgencyComplex {
		handle = "答复办理方案和进展"
	}
	urgency := s.Urgency.Chinese()
	out = append(out, fmt.Sprintf("签收（响应）：%s 前（%s内）", deadline(s.RespondDue), limitText(p.Respond)))
	out = append(out, fmt.Sprintf("%s：%s 前（%s诉求，%s内）", handle, deadline(s.HandleDue), urgency, limitText(p.HandleLimit(s.Urgency))))
	if p.Counting == casebook.CountWorking {
		out = append(out, "以天计的时限按工作日计算，节假日顺延。")
	}
	return out
}

// limitText writes a time limit in Chinese: "1天", "2小时".
func limitText(l casebook.Limit) string {
	switch l.Unit {
	case casebook.UnitHours:
		return fmt.Sprintf("%d小时", l.Amount)
	case casebook.UnitDays:
		return fmt.Sprintf("%d天", l.Amount)
	}
	return l.String()
}

func nonBlank(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
