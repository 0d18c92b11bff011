package paper

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/xlsx"
)

// ErrNoAgreement: the dispute has no agreement to write up yet.
var ErrNoAgreement = errors.New("the dispute has no agreement yet")

// Agreement writes the 人民调解协议书 of an agreed dispute, in the form of a
// people's mediation agreement: the parties (name, side, building), the
// facts and the matter in dispute, the agreed plan version (what will be
// done, cost, funding, upkeep) and how it was reached, each party's
// obligations with the manner, place and term of performance (the
// implementation tasks, by the party that owns them; a party with none has
// lines to fill in), the clauses on effect and judicial confirmation, and
// blanks for signatures and the committee's seal, dated the day of the
// agreement. The parties sign it, so it names them unless opts.Masked.
func Agreement(w io.Writer, dsp *casebook.Dispute, set casebook.Settings, opts Options) (Result, error) {
	a := dsp.Agreement
	if a == nil {
		return Result{}, fmt.Errorf("agreement %s: %w", dsp.Title(), ErrNoAgreement)
	}
	plan, ok := dsp.Plan(a.Plan)
	if !ok {
		return Result{}, fmt.Errorf("agreement %s: %w: the agreed plan version is missing", dsp.Title(), casebook.ErrNotFound)
	}
	now := opts.now()
	d, err := newDoc(sizeA4, 20, "人民调解协议书 "+dsp.Title(), community(set), now)
	if err != nil {
		return Result{}, err
	}
	d.footer = pageFooter(dsp.Title())
	d.addPage()
	body := Style{Size: 11}
	lead := 1.75
	name := func(p casebook.Party) string {
		if opts.Masked {
			return xlsx.MaskPartyName(p)
		}
		return p.Name
	}

	d.Centered("人民调解协议书", Style{Size: 20, Bold: true}, 2.2)
	d.Centered("编号：________调字〔"+fmt.Sprint(casebook.DateOf(a.At).Year)+"〕第______号", Style{Size: 10.5}, 2)
	d.Gap(3)

	d.Heading("当事人", 12, 15)
	parties := dsp.Parties()
	for _, p := range parties {
		line := name(p) + "（" + p.Kind.Chinese()
		if p.Side != "" {
			line += "，" + sideText(p.Side)
		}
		if p.Building != "" {
			line += "，" + p.Building
		}
		line += "）"
		if p.Position != "" {
			line += "。主张：" + p.Position
		}
		d.Para(line, body, 4, lead)
	}

	d.Heading("纠纷主要事实及争议事项", 12, 15)
	facts := dsp.Summary()
	if place := dsp.Place(); place != "" {
		facts = "纠纷地点：" + place + "。" + facts
	}
	if n := len(dsp.Cases); n > 0 {
		facts += fmt.Sprintf("自%s起，居民就此事项反映诉求 %d 件。", day(dsp.CreatedAt), n)
	}
	d.Para(facts, body, 4, lead)
	for _, p := range parties {
		if p.Interest != "" {
			d.Para(name(p)+"关切："+p.Interest, body, 4, lead)
		}
	}

	d.Heading("调解经过", 12, 15)
	d.Para(processText(dsp, plan), body, 4, lead)

	d.Heading("经调解，当事人自愿达成如下协议", 12, 20)
	n := 1
	item := func(s string) {
		d.Para(fmt.Sprintf("%d. %s", n, s), body, 4, lead)
		n++
	}
	title := plan.Title
	if title != "" {
		title = "“" + title + "”"
	}
	item(fmt.Sprintf("按方案第%d版%s实施：%s。", plan.N, title, strings.Join(strings.Split(strings.TrimSpace(plan.Description), "\n"), "；")))
	if plan.Cost != "" || plan.Funding != "" {
		item("费用" + nonEmpty(plan.Cost, "以实际发生为准") + "，资金来源：" + nonEmpty(plan.Funding, "另行商定") + "。")
	}
	if plan.Upkeep != "" {
		item("建成后的管护：" + plan.Upkeep + "。")
	}
	for _, o := range obligations(dsp, parties, name) {
		item(o)
	}
	item("各方按本协议履行后，就本纠纷不再提出其他主张；履行中有争议的，可再申请调解。")

	d.Heading("协议的效力", 12, 15)
	d.Para("本协议经各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章后生效，具有法律约束力，当事人应当按照约定履行。"+
		"当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"+
		fmt.Sprintf("本协议一式 %d 份，当事人各执一份，人民调解委员会留存一份。", len(parties)+1), body, 4, lead)

	signatures(d, parties, name, a.At)
	return d.finish(w)
}

// sideText names a side: "A" → "甲方".
func sideText(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "A":
		return "甲方"
	case "B":
		return "乙方"
	case "C":
		return "丙方"
	}
	if s == "中立" {
		return "利害关系方"
	}
	return s
}

// processText tells how the agreement was reached: the plan versions and
// the vote that carried it.
func processText(dsp *casebook.Dispute, agreed casebook.PlanVersion) string {
	plans := dsp.Plans()
	var b strings.Builder
	fmt.Fprintf(&b, "社区于%s登记本纠纷，先后提出方案 %d 版", day(dsp.CreatedAt), len(plans))
	var changes []string
	for _, p := range plans[1:] {
		if p.Changes != "" {
			c := fmt.Sprintf("第%d版%s", p.N, p.Changes)
			if p.Reason != "" {
				c += "（" + p.Reason + "）"
			}
			changes = append(changes, c)
		}
	}
	if len(changes) > 0 {
		b.WriteString("：" + strings.Join(changes, "；"))
	}
	b.WriteString("。")
	if ms := dsp.Meetings(); len(ms) > 0 {
		fmt.Fprintf(&b, "召开议事协商会 %d 次。", len(ms))
	}
	for _, v := range dsp.Votes() {
		if v.Plan == agreed.ID && v.Passed() {
			place := ""
			if m, ok := dsp.Meeting(v.Meeting); ok {
				place = m.Place
			}
			fmt.Fprintf(&b, "%s在%s就方案第%d版%s：赞成 %d、反对 %d、弃权 %d，获得通过。", day(v.At), nonEmpty(place, "议事会"), agreed.N,
				v.Method.Chinese(), v.For, v.Against, v.Abstain)
		}
	}
	if a := dsp.Agreement; a != nil && len(a.SignedOff) > 0 {
		fmt.Fprintf(&b, "%s，%s确认同意。", day(a.At), strings.Join(a.SignedOff, "、"))
	}
	return b.String()
}

// obligations are each party's duties, from the implementation tasks by
// owner: what, where, by when. A task whose owner is no party (a
// volunteers' team) is an obligation of its own; a party with no task gets
// a line to fill in, for the mediator to write what it undertakes.
func obligations(dsp *casebook.Dispute, parties []casebook.Party, name func(casebook.Party) string) []string {
	place := nonEmpty(dsp.Place(), "纠纷所在地")
	byOwner := map[string][]casebook.Task{}
	var owners []string
	for _, t := range dsp.Tasks() {
		if _, ok := byOwner[t.Owner]; !ok {
			owners = append(owners, t.Owner)
		}
		byOwner[t.Owner] = append(byOwner[t.Owner], t)
	}
	duty := func(ts []casebook.Task) string {
		var parts []string
		for _, t := range ts {
			s := "在" + place + t.Title
			if t.Due != (casebook.Date{}) {
				s = "于" + day(t.Due.Time()) + "前" + s
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "；")
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range parties {
		ts := byOwner[p.Name]
		seen[p.Name] = true
		if len(ts) > 0 {
			out = append(out, name(p)+"负责："+duty(ts)+"。")
		} else {
			out = append(out, name(p)+"承担的义务：____________________________________________（履行方式、地点、期限）。")
		}
	}
	for _, o := range owners {
		if !seen[o] && o != "" {
			out = append(out, o+"负责："+duty(byOwner[o])+"。")
		}
	}
	return out
}

// signatures draws the blanks for each party, the mediator, the recorder
// and the committee's seal, and the date.
func signatures(d *doc, parties []casebook.Party, name func(casebook.Party) string, at time.Time) {
	st := Style{Size: 11}
	d.Gap(6)
	half := d.width() / 2
	rows := (len(parties) + 1) / 2
	d.need(float64(rows)*12 + 50)
	for i, p := range parties {
		x := d.margin + float64(i%2)*half
		y := d.y + float64(i/2)*12
		d.Text(x, y+6, name(p)+"（签名/盖章）：", st)
		d.pdf.Line(x+d.Width(name(p)+"（签名/盖章）：", st), y+7, x+half-6, y+7)
	}
	d.y += float64(rows)*12 + 6
	for _, l := range []string{"人民调解员（签名）：", "记录人（签名）："} {
		d.Text(d.margin, d.y+6, l, st)
		d.pdf.Line(d.margin+d.Width(l, st), d.y+7, d.margin+half-6, d.y+7)
		d.y += 12
	}
	// The seal: a dashed circle where the committee stamps.
	cx, cy := d.margin+half+half/2, d.y-10
	d.pdf.SetDashPattern([]float64{1.2, 1.2}, 0)
	d.pdf.Circle(cx, cy, 18, "D")
	d.pdf.SetDashPattern(nil, 0)
	seal := "人民调解委员会（印章）"
	d.Text(cx-d.Width(seal, Style{Size: 9, Grey: true})/2, cy+1, seal, Style{Size: 9, Grey: true})
	d.y += 14
	date := nonEmpty(day(at), "　　年　　月　　日")
	d.Text(d.w-d.margin-d.Width(date, st), d.y, date, st)
	d.y += 8
}
