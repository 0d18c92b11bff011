package demo

import (
	"time"

	"casebook/casebook"
)

// The footpath dispute of DOMAIN.md: a 3-metre slope between buildings 14
// and 15, designed as lawn. Residents of 14号楼 want a path (an elderly
// resident fell there three times); residents of 15号楼 object (it would run
// under their windows). The secretary visits door to door and revises the
// plan over several rounds until a 小院议事厅 meeting votes for it, and a
// 23-step path is built. Here are the appeals on either side, linked as
// recurring and opposing; most of them stay open while the talks go on and
// are closed out together once the dispute is resolved. The dispute record
// itself (parties, plan versions, meetings, votes, agreement, tasks) is
// told in disputes.go.

// Days after the term start of the dispute's milestones.
const (
	agreedDay = 202 // 小院议事厅举牌表决通过 (about June 21)
	builtDay  = 255 // 步道建成 (about August 13)
)

// fpStep is a step of a footpath appeal, at a day and hour after the term start.
type fpStep struct {
	day, hour    int
	act          casebook.Action
	note, to     string
	solved       casebook.Solved
	satisfaction casebook.Satisfaction
}

type fpCase struct {
	day, hour   int
	location    string // "" is the set's location
	channel     casebook.Channel
	building    string
	typ         casebook.AppealType
	category    string
	summary     string
	complainant string
	general     bool // a simple item rather than a complex one
	steps       []fpStep
}

const (
	fpCity   = "街道城建科"
	fpMediat = "人民调解委员会"
)

var footpathCases = []fpCase{
	{day: 7, hour: 10, channel: casebook.ChannelWalkIn, building: "14号楼", typ: casebook.TypeComplaint, category: "道路设施",
		summary: "14号楼与15号楼之间土坡无台阶步道，老人雨雪天行走易滑倒，要求修建步道", complainant: "赵桂兰",
		steps: []fpStep{
			{day: 7, hour: 11, act: casebook.ActRespond, note: "已签收，约定上门查看"},
			{day: 8, hour: 9, act: casebook.ActDispatch, to: fpCity},
			{day: 12, hour: 15, act: casebook.ActProgress, note: "现场查看：两楼之间约3米高差草坡，原设计为绿地；入户走访14号楼、15号楼居民听取意见"},
			{day: 17, hour: 10, act: casebook.ActFeedback, note: "已告知居民：社区正在征求两栋楼居民意见，形成初步方案"},
			{day: 60, hour: 16, act: casebook.ActProgress, note: "第一轮方案：直线台阶步道；15号楼居民反对"},
			{day: 120, hour: 16, act: casebook.ActProgress, note: "第二轮方案：步道绕开现有树木，中段增加转弯"},
			{day: 165, hour: 16, act: casebook.ActProgress, note: "第三轮方案：下端北移十余米，远离15号楼窗户，单侧加装扶手"},
			{day: agreedDay, hour: 20, act: casebook.ActProgress, note: "小院议事厅举牌表决，第三轮方案获两栋楼居民代表同意"},
			{day: 225, hour: 9, act: casebook.ActProgress, note: "施工单位进场，步道开工"},
			// Closed out with the dispute (CloseLinkedCases).
		}},
	{day: 30, hour: 9, channel: casebook.Channel12345, building: "14号楼", typ: casebook.TypeComplaint, category: "道路设施",
		summary: "14号楼居民反映楼间斜坡路滑，一位老人已在此摔倒三次，要求尽快修路", complainant: "孙建国",
		steps: []fpStep{
			{day: 30, hour: 10, act: casebook.ActRespond},
			{day: 30, hour: 14, act: casebook.ActDispatch, to: fpCity},
			{day: 36, hour: 10, act: casebook.ActUnresolvable, note: "修路需两栋楼居民协商一致后方可实施，已纳入议事协商，短期内无法办结"},
			{day: 36, hour: 16, act: casebook.ActFeedback, note: "已电话说明协商进展"},
			{day: 38, hour: 10, act: casebook.ActEvaluate, solved: casebook.SolvedNo, satisfaction: casebook.NotSatisfied},
			{day: 40, hour: 9, act: casebook.ActClose},
		}},
	{day: 45, hour: 15, channel: casebook.ChannelWalkIn, building: "15号楼", typ: casebook.TypeComplaint, category: "邻里纠纷",
		summary: "15号楼一层居民反对在楼前修建步道，认为行人经过窗下影响采光和隐私", complainant: "周淑芬",
		steps: []fpStep{
			{day: 45, hour: 16, act: casebook.ActRespond},
			{day: 46, hour: 9, act: casebook.ActDispatch, to: fpMediat},
			{day: 52, hour: 19, act: casebook.ActProgress, note: "组织14号楼、15号楼居民代表座谈，听取双方诉求"},
			{day: 58, hour: 10, act: casebook.ActFeedback, note: "已告知居民：方案将充分考虑一层住户的采光和隐私"},
			{day: agreedDay + 1, hour: 10, act: casebook.ActProgress, note: "方案调整：步道下端北移十余米，远离15号楼窗户，居民同意"},
		}},
	{day: 80, hour: 10, channel: casebook.Channel12345, building: "14号楼", typ: casebook.TypeComplaint, category: "道路设施",
		summary: "14号楼与15号楼之间3米高差草坡，居民出行只能绕行，要求修建台阶", complainant: "钱秀英",
		steps: []fpStep{
			{day: 80, hour: 11, act: casebook.ActRespond},
			{day: 80, hour: 15, act: casebook.ActDispatch, to: fpCity},
			{day: 85, hour: 10, act: casebook.ActFeedback, note: "已告知居民方案正在协商，预计上半年形成结果"},
			{day: 90, hour: 10, act: casebook.ActEscalate, note: "涉及公共空间改造资金，提级至街道协调", to: string(casebook.LevelStreet)},
		}},
	{day: 110, hour: 9, channel: casebook.Channel12345, building: "15号楼", typ: casebook.TypeComplaint, category: "邻里纠纷",
		summary: "15号楼居民投诉：拟建楼间步道紧贴窗户，担心噪音和安全隐患", complainant: "吴德华",
		steps: []fpStep{
			{day: 110, hour: 10, act: casebook.ActRespond},
			{day: 110, hour: 14, act: casebook.ActDispatch, to: fpMediat},
			{day: 120, hour: 17, act: casebook.ActProgress, note: "入户介绍第二轮方案：步道绕开现有树木，中段增加转弯"},
			{day: 124, hour: 10, act: casebook.ActFeedback, note: "已向居民说明方案修改情况"},
			{day: agreedDay + 1, hour: 11, act: casebook.ActProgress, note: "入户介绍第三轮方案：下端北移，远离窗户，居民表示接受"},
		}},
	{day: 140, hour: 19, channel: casebook.ChannelDeliberation, building: "14号楼", typ: casebook.TypeSuggestion, category: "道路设施",
		summary: "小院议事厅上14号楼居民代表建议在楼间斜坡修建带扶手的台阶步道", complainant: "孙建国",
		steps: []fpStep{
			{day: 140, hour: 20, act: casebook.ActRespond},
			{day: 141, hour: 9, act: casebook.ActDispatch, to: fpCity},
			{day: 165, hour: 17, act: casebook.ActProgress, note: "第三轮方案吸收建议：单侧加装扶手"},
			{day: agreedDay, hour: 21, act: casebook.ActResolve, note: "议事会举牌表决通过带扶手的步道方案"},
			{day: agreedDay + 1, hour: 9, act: casebook.ActFeedback, note: "已在议事会上当场反馈"},
			{day: agreedDay + 2, hour: 9, act: casebook.ActEvaluate, solved: casebook.SolvedYes, satisfaction: casebook.Satisfied},
			{day: agreedDay + 2, hour: 10, act: casebook.ActClose},
		}},
	{day: 170, hour: 21, channel: casebook.ChannelOnline, building: "15号楼", typ: casebook.TypeComplaint, category: "邻里纠纷",
		summary: "15号楼居民在社区微信群反映：步道方案未征求全体住户意见", complainant: "周淑芬",
		steps: []fpStep{
			{day: 171, hour: 9, act: casebook.ActRespond},
			{day: 171, hour: 10, act: casebook.ActDispatch, to: fpMediat},
			{day: 175, hour: 17, act: casebook.ActProgress, note: "组织第四轮入户征求意见，15号楼住户全覆盖"},
			{day: agreedDay + 1, hour: 10, act: casebook.ActFeedback, note: "已上门告知：6月小院议事厅举牌表决，方案获两栋楼居民同意"},
		}},
	{day: 230, hour: 10, channel: casebook.ChannelGrid, building: "14号楼", typ: casebook.TypeComplaint, category: "道路设施",
		summary: "14号楼与15号楼间步道施工材料堆放占用通道", general: true,
		steps: []fpStep{
			{day: 230, hour: 10, act: casebook.ActRespond},
			{day: 230, hour: 11, act: casebook.ActDispatch, to: "改造施工单位"},
			{day: 231, hour: 16, act: casebook.ActResolve, note: "施工单位已清理材料，设置围挡"},
			{day: 231, hour: 17, act: casebook.ActFeedback, note: "已在楼门公告栏告知"},
			{day: 234, hour: 10, act: casebook.ActClose},
		}},
}

// fpLink relates two appeals of a set by index.
type fpLink struct {
	from, to int
	kind     casebook.LinkKind
}

// footpathLinks relates the footpath appeals by index into footpathCases:
// later complaints from 14号楼 are recurrences of the first; 15号楼's are
// the opposing side.
var footpathLinks = []fpLink{
	{1, 0, casebook.LinkRecurring},
	{3, 0, casebook.LinkRecurring},
	{5, 0, casebook.LinkRecurring},
	{2, 0, casebook.LinkOpposing},
	{4, 3, casebook.LinkOpposing},
	{4, 0, casebook.LinkOpposing},
	{6, 5, casebook.LinkOpposing},
	{7, 0, casebook.LinkRelated},
}

// fixedSet is a story's fixed appeals: the footpath and the other disputes.
type fixedSet struct {
	name     string
	location string
	cases    []fpCase
	links    []fpLink
}

// fixedSets are the stories told with fixed appeals, each with a dispute
// (disputes.go) that refers to its appeals by index.
var fixedSets = []fixedSet{
	{name: "footpath", location: "14号楼与15号楼之间斜坡", cases: footpathCases, links: footpathLinks},
	{name: "parking", location: "小区地下车库", cases: parkingCases, links: parkingLinks},
	{name: "dance", location: "小区中心广场", cases: danceCases, links: danceLinks},
}

// dayAt is a time on a day after the term start, at an hour (Shanghai),
// with minutes that vary by day so that times do not all fall on the hour.
func (g *gen) dayAt(day, hour int) time.Time {
	l := g.from.In(casebook.Shanghai)
	return time.Date(l.Year(), l.Month(), l.Day()+day, hour, 7*(day%8), 0, 0, casebook.Shanghai).UTC()
}

// fixed plans a set's appeals received before now, with their steps
// before now. indexed has the plans by the set's index (nil for those not
// received yet), for the set's dispute.
func (g *gen) fixed(set fixedSet) (indexed, out []*plan, links []link) {
	indexed = make([]*plan, len(set.cases))
	for i, fc := range set.cases {
		t := g.dayAt(fc.day, fc.hour)
		if !t.Before(g.now) {
			continue
		}
		loc := fc.location
		if loc == "" {
			loc = set.location
		}
		in := casebook.CaseInput{
			Received: t, Channel: string(fc.channel), Type: string(fc.typ), Category: fc.category,
			Building: fc.building, Location: loc, Summary: fc.summary,
			Urgency: string(casebook.UrgencyComplex), Handler: Secretary,
			Details: details(fc.channel, fc.summary),
		}
		if fc.general {
			in.Urgency = string(casebook.UrgencyGeneral)
		}
		if fc.complainant != "" {
			_, in.Phone = g.person()
			in.Complainant = fc.complainant
		}
		if fc.channel == casebook.Channel12345 {
			in.WorkOrder = g.workOrder(t)
		}
		s := &steps{g: g, at: t}
		for _, st := range fc.steps {
			n := len(s.out)
			s.add(st.act, g.dayAt(st.day, st.hour), st.note, st.to)
			if len(s.out) > n {
				s.out[n].Solved, s.out[n].Satisfaction = st.solved, st.satisfaction
			}
		}
		indexed[i] = &plan{in: in, steps: s.out}
		out = append(out, indexed[i])
	}
	for _, l := range set.links {
		if indexed[l.from] != nil && indexed[l.to] != nil {
			links = append(links, link{indexed[l.from], indexed[l.to], l.kind})
		}
	}
	return indexed, out, links
}
