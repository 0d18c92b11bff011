package paper

import (
	"fmt"
	"io"
	"slices"

	"casebook/casebook"
)

// The 报告会 version: read aloud and handed out to residents, often older
// ones, so large type and plain words; no names, phones or case numbers;
// the items collected at earlier report meetings and what became of them
// (done, or kept on the list); and where the community will act before
// anyone complains (未诉先办).

// meetingBody is the report meeting version's text style.
var meetingBody = Style{Size: 14}

func meetingReport(w io.Writer, r *reportData) (Result, error) {
	name := nonEmpty(r.set.Community.Name, "本社区")
	d, err := newDoc(sizeA4, 18, name+" 向居民报告工作", name, r.now)
	if err != nil {
		return Result{}, err
	}
	d.footer = pageFooter(name + " 向居民报告工作")
	d.addPage()
	d.Gap(4)
	d.Centered(name, Style{Size: 16}, 1.6)
	d.Centered("向居民报告工作", Style{Size: 28, Bold: true}, 1.7)
	d.Centered(periodText(r.opts.From, r.opts.To), Style{Size: 14}, 1.8)
	d.Gap(4)

	r.plainRates(d)
	r.plainMonths(d)
	r.meetingItems(d)
	for i := range r.opts.Lists {
		section(d, &r.opts.Lists[i], meetingBody)
	}
	r.plainTopics(d)
	r.disputeSection(d, true)
	r.hotspots(d)
	d.Gap(6)
	d.need(3 * meetingBody.Size * ptToMM * 1.7) // the closing words stay together
	d.Para("有事请找社区：来访、打电话、网格员、说事点都可以反映。我们会在一天内回应，按时限办好，办完告诉您结果，请您评价。", meetingBody, 0, 1.7)
	return d.finish(w)
}

// plainRates says the three rates in plain words, with the change since
// before the term, and the numbers large.
func (r *reportData) plainRates(d *doc) {
	m := &r.m
	d.Heading("我们办了多少事", 20, 60)
	done := m.Cases - m.Open
	d.Para(fmt.Sprintf("这段时间，大家一共向社区反映了 %d 件事。已经办完 %d 件，还在办的 %d 件。", m.Cases, done, m.Open), meetingBody, 0, 1.7)
	d.Gap(2)
	var change casebook.Rates
	if m.Term != nil {
		change = m.Term.Change
	}
	for _, v := range []struct {
		label, plain string
		rate, change *float64
	}{
		{"响应率", "收到后按时回应的", m.ResponseRate, change.Response},
		{"解决率", "居民说问题解决了的", m.ResolutionRate, change.Resolution},
		{"满意率", "居民表示满意的", m.SatisfactionRate, change.Satisfaction},
	} {
		d.need(16)
		big := Style{Size: 26, Bold: true}
		d.Text(d.margin, d.y+10, pct(v.rate), big)
		x := d.margin + d.Width("100.00%", big) + 6
		d.Text(x, d.y+5.5, v.plain+"（"+v.label+"）", meetingBody)
		if v.change != nil {
			word := "提高"
			if *v.change < 0 {
				word = "降低"
			}
			d.Text(x, d.y+12, fmt.Sprintf("比任期前%s %.1f 个百分点", word, abs(*v.change)*100), Style{Size: 12, Grey: true})
		}
		d.y += 16
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func (r *reportData) plainMonths(d *doc) {
	m := &r.m
	if len(m.ByMonth) < 2 {
		return
	}
	d.Heading("每个月的变化", 20, 100)
	var labels []string
	var res, sat []*float64
	for _, mr := range m.ByMonth {
		labels = append(labels, mr.Key)
		res, sat = append(res, mr.ResolutionRate), append(sat, mr.SatisfactionRate)
	}
	lo := 1.0
	for _, v := range append(slices.Clone(res), sat...) {
		if v != nil {
			lo = min(lo, *v)
		}
	}
	lo = max(0, float64(int(lo*10))/10-0.1)
	d.LineChart("", labels, []Series{{Name: "问题解决了", Values: res}, {Name: "表示满意", Values: sat}}, lo, 1, 95, Style{Size: 12})
}

// meetingItems lists the items collected at earlier report meetings (the
// appeals of the channel 报告会, grouped by the day received) and what
// became of each: done, or kept on the list and crossed off when done.
func (r *reportData) meetingItems(d *doc) {
	ms := r.meetingList()
	d.Heading("上次报告会大家提的事，办得怎么样", 20, 40)
	if len(ms) == 0 {
		d.Para("这段时间没有在报告会上收集到的事项。", meetingBody, 0, 1.7)
		return
	}
	total, doneAll := 0, 0
	for i := range ms {
		total += len(ms[i].items)
		doneAll += countDone(ms[i].items)
	}
	d.Para(fmt.Sprintf("在 %d 次报告会上，大家一共提了 %d 件事：已办结 %d 件，其余 %d 件列入清单持续跟进，办一件销一件。", len(ms), total, doneAll, total-doneAll), meetingBody, 0, 1.7)
	// Earlier meetings in one line each; the latest ones item by item.
	if n := len(ms) - maxMeetingsListed; n > 0 {
		var rows [][]string
		for _, m := range ms[:n] {
			done := countDone(m.items)
			rows = append(rows, []string{m.title(), fmt.Sprint(len(m.items)), fmt.Sprint(done), fmt.Sprint(len(m.items) - done)})
		}
		d.Table([]Col{{"报告会", 34, false}, {"提的事", 22, true}, {"已办结", 22, true}, {"持续跟进", 22, true}}, rows, Style{Size: 12})
		ms = ms[n:]
	}
	for _, m := range ms {
		items := m.items
		done := countDone(items)
		d.Heading(fmt.Sprintf("%s：%d 件，已办结 %d 件，持续跟进 %d 件", m.title(), len(items), done, len(items)-done), 15, 25)
		var rows [][]string
		for i, s := range items {
			if i == maxItemsListed {
				break
			}
			status := "持续跟进"
			if itemDone(s) {
				status = "已办结"
			}
			rows = append(rows, []string{unknown(s.Building), unknown(s.Category), s.Summary, status})
		}
		d.Table([]Col{{"楼栋", 13, false}, {"问题", 16, false}, {"大家提的事", 47, false}, {"办得怎么样", 24, false}}, rows, Style{Size: 12})
		if len(items) > maxItemsListed {
			d.Para(fmt.Sprintf("另有 %d 件，见社区公示的清单。", len(items)-maxItemsListed), Style{Size: 12, Grey: true}, 0, 1.6)
		}
	}
}

// The meeting version lists the items of the latest report meetings one by
// one, at most maxItemsListed each; earlier meetings get a line each. A
// handout stays a handout however many meetings the term had.
const (
	maxMeetingsListed = 3
	maxItemsListed    = 40
)

func countDone(items []*casebook.Summary) int {
	n := 0
	for _, s := range items {
		if itemDone(s) {
			n++
		}
	}
	return n
}

// itemDone reports whether an item raised at a report meeting is done:
// handled (solved, or found beyond help and explained) or closed out.
func itemDone(s *casebook.Summary) bool {
	return !s.Status.Open() || !s.ResolvedAt.IsZero() || s.Unresolvable
}

func dayOfDate(d casebook.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

func (r *reportData) plainTopics(d *doc) {
	m := &r.m
	if m.Cases == 0 {
		return
	}
	d.Heading("大家反映最多的问题", 20, 60)
	d.BarChart("", topBars(m.ByCategory, m.Cases, 8, unknown), 9, Style{Size: 13}, palette[0])
}

// hotspots are the buildings and problems whose appeals are rising: the
// community goes there before anyone has to complain (未诉先办).
func (r *reportData) hotspots(d *doc) {
	hs := r.rising(8)
	d.Heading("下一步：不等大家反映，我们主动去办", 20, 40)
	if len(hs) == 0 {
		d.Para("最近几个月，没有哪栋楼的哪类问题明显增多。", meetingBody, 0, 1.7)
		return
	}
	first := max(0, len(r.months)-6)
	d.Para(fmt.Sprintf("最近 %d 个月，下面这些楼栋的这些问题比前 %d 个月多了。社区会主动上门查看、先行处理：", hotspotMonths, hotspotMonths), meetingBody, 0, 1.7)
	months := ""
	for i, k := range r.months[first:] {
		if i > 0 {
			months += " · "
		}
		months += fmt.Sprintf("%d月", k%12+1)
	}
	d.Para("（逐月件数："+months+"）", Style{Size: 11, Grey: true}, 0, 1.6)
	lh := 15.0
	for _, h := range hs {
		d.need(lh)
		label := unknown(h.key.building) + " · " + unknown(h.key.category)
		d.Text(d.margin, d.y+7, label, Style{Size: 14, Bold: true})
		x := d.margin + 72
		d.Sparkline(x, d.y+1.5, 30, 7, h.counts)
		d.Text(x+36, d.y+7, fmt.Sprintf("前 %d 个月 %d 件 → 近 %d 个月 %d 件", hotspotMonths, h.early, hotspotMonths, h.recent), Style{Size: 13})
		d.Text(x+36, d.y+12.5, "逐月："+countsText(h.counts), Style{Size: 11, Grey: true})
		d.y += lh
	}
}
