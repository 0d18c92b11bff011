package demo

import (
	"fmt"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// The demo's disputes (矛盾纠纷), each told over the fixed appeals of its
// set (footpath.go):
//
//   - the footpath between 14号楼 and 15号楼 (DOMAIN.md): three plan
//     versions, a stall and a resumption, two 小院议事厅 meetings whose
//     show-of-hands votes first reject and then pass the plan, the
//     agreement, three implementation tasks, resolved, and the appeals of
//     both buildings closed out together with the dispute;
//   - the allocation of the underground car park's spaces (车位分配): two
//     plan versions and a consultation that voted the first down, still
//     negotiating;
//   - the square dance in the central square (广场舞噪音): agreed and
//     implemented in spring, stalled in the autumn when the dance team's new
//     leader stopped keeping to the agreement and the noise came back.
//
// Each is a script of dated actions taken through the Book, as a user
// would, with the Book's clock set to each action's time. A script stops at
// the first action that is not before now, so any Options.Now gives the
// state of the talks on that day.

// dAction is one dated action of a dispute script.
type dAction struct {
	day, hour int
	do        func(x *script) error
}

// script runs one dispute's actions and keeps the ids they made.
type script struct {
	g       *gen
	b       *store.Book
	cases   []*plan // the set's appeals by index; nil if not received yet
	id      string  // the dispute, once created
	plans   []string
	meets   []string
	parties []string
	tasks   []string
}

// caseIDs are the ids of the set's appeals with these indexes.
func (x *script) caseIDs(idx ...int) ([]string, error) {
	var out []string
	for _, i := range idx {
		if x.cases[i] == nil || x.cases[i].id == "" {
			return nil, fmt.Errorf("appeal %d of the set is not in the casebook", i)
		}
		out = append(out, x.cases[i].id)
	}
	return out, nil
}

func (x *script) date(day int) casebook.Date { return casebook.DateOf(x.g.dayAt(day, 12)) }

func (x *script) create(title, place, summary string, idx ...int) error {
	ids, err := x.caseIDs(idx...)
	if err != nil {
		return err
	}
	d, err := x.b.CreateDispute(title, place, summary, ids)
	if err != nil {
		return err
	}
	x.id = d.ID
	return nil
}

func (x *script) link(idx ...int) error {
	ids, err := x.caseIDs(idx...)
	if err != nil {
		return err
	}
	_, err = x.b.LinkCase(x.id, ids...)
	return err
}

func (x *script) party(p casebook.Party) error {
	got, err := x.b.AddParty(x.id, p)
	x.parties = append(x.parties, got.ID)
	return err
}

func (x *script) plan(p casebook.PlanVersion) error {
	got, err := x.b.AddPlan(x.id, p)
	x.plans = append(x.plans, got.ID)
	return err
}

func (x *script) meeting(m casebook.Meeting) error {
	got, err := x.b.AddMeeting(x.id, m)
	x.meets = append(x.meets, got.ID)
	return err
}

// vote records a vote at the last meeting on plan version n (1, 2, …).
func (x *script) vote(n, pro, con, abstain int) error {
	_, err := x.b.RecordVote(x.id, casebook.Vote{Meeting: x.meets[len(x.meets)-1], Plan: x.plans[n-1], For: pro, Against: con, Abstain: abstain})
	return err
}

func (x *script) minutes(text string) error {
	_, err := x.b.AppendMinutes(x.id, x.meets[len(x.meets)-1], text)
	return err
}

func (x *script) task(title, owner string, dueDay int) error {
	got, err := x.b.AddTask(x.id, casebook.Task{Title: title, Owner: owner, Due: x.date(dueDay)})
	x.tasks = append(x.tasks, got.ID)
	return err
}

func (x *script) done(n int) error {
	_, err := x.b.SetTaskDone(x.id, x.tasks[n-1], true, time.Time{})
	return err
}

// fpParties are the sides of the footpath dispute and those around it.
var fpParties = []casebook.Party{
	{Name: "14号楼居民", Kind: casebook.PartyBuilding, Building: "14号楼", Side: "A",
		Position: "在楼间坡地修建正式台阶步道", Interest: "老人出行安全：一位老人在坡上摔倒三次；雨雪天绕行不便"},
	{Name: "15号楼居民", Kind: casebook.PartyBuilding, Building: "15号楼", Side: "B",
		Position: "不同意在15号楼窗下修路", Interest: "一层住户的隐私、采光与夜间噪音"},
	{Name: "物业", Kind: casebook.PartyProperty, Side: "中立", Interest: "步道建成后的清扫和维护成本"},
	{Name: "业委会", Kind: casebook.PartyOwnersCommittee, Side: "中立", Interest: "公共绿地改变用途须征得业主同意"},
	{Name: "街道城建科", Kind: casebook.PartyStreetDept, Side: "中立", Interest: "项目审批与专项经费"},
}

// footpathScript is the footpath dispute; appeal indexes are those of
// footpathCases.
var footpathScript = []dAction{
	{50, 10, func(x *script) error {
		return x.create("14号楼与15号楼之间坡地修路", "14号楼与15号楼之间坡地",
			"两楼之间约3米高差的坡地原设计为草坪。14号楼居民要求修建正式步道（一位老人在坡上摔倒三次），15号楼居民反对在窗下修路，双方多年反复诉求。", 0, 1, 2)
	}},
	{50, 11, func(x *script) error {
		for _, p := range fpParties {
			if err := x.party(p); err != nil {
				return err
			}
		}
		return nil
	}},
	{60, 16, func(x *script) error {
		return x.plan(casebook.PlanVersion{Title: "直线台阶步道",
			Description: "从14号楼门前沿坡直线下行\n砌筑台阶，宽1.2米\n下端接15号楼窗前道路",
			Cost:        "约2万元", Funding: "街道专项经费", Upkeep: "物业负责日常清扫"})
	}},
	{81, 9, func(x *script) error { return x.link(3) }},
	{111, 9, func(x *script) error { return x.link(4) }},
	{120, 16, func(x *script) error {
		return x.plan(casebook.PlanVersion{Title: "绕树转弯",
			Description: "从14号楼门前沿坡下行\n绕开现有树木，中段设一处转弯\n砌筑台阶，宽1.2米\n下端接15号楼窗前道路",
			Changes:     "路线绕开现有三棵树木，中段增加一处转弯", Reason: "入户走访：两栋楼居民都希望保留树木",
			Cost: "约2.2万元", Funding: "街道专项经费", Upkeep: "物业负责日常清扫"})
	}},
	{125, 19, func(x *script) error {
		if err := x.meeting(casebook.Meeting{Place: "14号楼小院", Kind: casebook.MeetingCourtyard,
			Attendees: []casebook.Attendee{{Role: "14号楼居民", Count: 12}, {Role: "15号楼居民", Count: 11},
				{Role: "物业", Name: "李经理"}, {Role: "业委会", Name: "赵主任"}, {Role: "街道城建科", Name: "孙科长"}, {Role: "治理书记", Name: Secretary}},
			Minutes: "展示方案第1版、第2版。14号楼居民希望尽快开工；15号楼居民认为步道下端仍在窗下，夜间行人影响休息。"}); err != nil {
			return err
		}
		return x.vote(2, 10, 13, 2)
	}},
	{126, 9, func(x *script) error {
		return x.minutes("会后补记：15号楼一层住户表示，若步道下端远离窗户并加装扶手，可以再议。")
	}},
	{130, 10, func(x *script) error {
		_, err := x.b.Stall(x.id, time.Time{}, "15号楼部分居民拒绝再参加协商，待入户逐户沟通")
		return err
	}},
	{141, 9, func(x *script) error { return x.link(5) }},
	{150, 15, func(x *script) error {
		_, err := x.b.SetParty(x.id, x.parties[1], map[string]string{casebook.PartyFieldPosition: "步道下端远离窗户、夜间不设照明即可同意"})
		return err
	}},
	{165, 16, func(x *script) error {
		return x.plan(casebook.PlanVersion{Title: "下端北移加扶手",
			Description: "从14号楼门前沿坡下行\n绕开现有树木，中段设一处转弯\n砌筑23级台阶，宽1.2米\n下端向北移动十余米，远离15号楼窗户\n一侧加装扶手",
			Changes:     "下端北移十余米；一侧加装扶手；台阶定为23级", Reason: "15号楼居民不愿路在窗下；老人上下需要扶手",
			Cost: "约2.6万元", Funding: "街道专项经费，居民自愿捐款", Upkeep: "物业负责清扫，志愿者每周巡查"})
	}},
	{168, 10, func(x *script) error {
		_, err := x.b.Resume(x.id, time.Time{}, "入户走访15号楼住户全覆盖，双方同意再议")
		return err
	}},
	{171, 11, func(x *script) error { return x.link(6) }},
	{agreedDay, 19, func(x *script) error {
		if err := x.meeting(casebook.Meeting{Place: "14号楼小院", Kind: casebook.MeetingCourtyard,
			Attendees: []casebook.Attendee{{Role: "14号楼居民", Count: 13}, {Role: "15号楼居民", Count: 11},
				{Role: "物业", Name: "李经理"}, {Role: "业委会", Name: "赵主任"}, {Role: "街道城建科", Name: "孙科长"}, {Role: "治理书记", Name: Secretary}},
			Minutes: "展示方案第3版及与第2版的对比，举牌表决。资金由街道专项经费承担，居民自愿捐款用于扶手；物业负责清扫，志愿者巡查。"}); err != nil {
			return err
		}
		return x.vote(3, 21, 2, 1)
	}},
	{agreedDay, 21, func(x *script) error {
		_, err := x.b.Agree(x.id, x.plans[2], []string{"14号楼居民代表", "15号楼居民代表", "物业", "业委会"}, time.Time{})
		return err
	}},
	{agreedDay + 3, 10, func(x *script) error {
		for _, t := range []struct {
			title, owner string
			due          int
		}{
			{"修建23级台阶步道", "街道城建科", builtDay},
			{"一侧安装扶手", "物业", builtDay},
			{"补植绿化、设置提示牌", "志愿者服务队", builtDay + 5},
		} {
			if err := x.task(t.title, t.owner, t.due); err != nil {
				return err
			}
		}
		return nil
	}},
	{225, 9, func(x *script) error {
		_, err := x.b.Implement(x.id, time.Time{}, "施工单位进场")
		return err
	}},
	{231, 9, func(x *script) error { return x.link(7) }},
	{builtDay - 1, 17, func(x *script) error { return x.done(1) }},
	{builtDay, 11, func(x *script) error { return x.done(2) }},
	{builtDay, 14, func(x *script) error { return x.done(3) }},
	{builtDay, 16, func(x *script) error {
		_, err := x.b.Resolve(x.id, time.Time{}, "23级台阶步道建成，一侧安装扶手，两栋楼居民认可")
		return err
	}},
	{builtDay + 1, 10, func(x *script) error {
		rep, err := x.b.CloseLinkedCases(x.id, time.Time{})
		if err == nil && len(rep.Failed) > 0 {
			err = fmt.Errorf("appeals not closed: %v", rep.Failed)
		}
		return err
	}},
}

// parkingCases are the appeals about the car park's spaces.
var parkingCases = []fpCase{
	{day: 150, hour: 9, channel: casebook.Channel12345, building: "6号楼", typ: casebook.TypeComplaint, category: "停车管理",
		summary: "地下车库车位只租不售，物业将车位长租给外来车辆，本楼业主排队两年仍无车位", complainant: "郑建华",
		steps: []fpStep{
			{day: 150, hour: 10, act: casebook.ActRespond},
			{day: 150, hour: 14, act: casebook.ActDispatch, to: "物业公司"},
			{day: 156, hour: 16, act: casebook.ActProgress, note: "物业称车位已全部出租，外来车辆约占三成"},
			{day: 160, hour: 10, act: casebook.ActFeedback, note: "已告知居民：社区将组织业主、物业、业委会协商车位分配办法"},
		}},
	{day: 188, hour: 10, channel: casebook.ChannelWalkIn, building: "9号楼", typ: casebook.TypeHelp, category: "停车管理",
		summary: "9号楼老人就医用车无处停放，要求地下车位优先分配给本小区老人家庭", complainant: "冯淑芬",
		steps: []fpStep{
			{day: 188, hour: 11, act: casebook.ActRespond},
			{day: 188, hour: 15, act: casebook.ActDispatch, to: "物业公司"},
			{day: 195, hour: 10, act: casebook.ActFeedback, note: "已告知居民：车位分配办法正在协商，老人家庭优先的建议已纳入"},
		}},
	{day: 262, hour: 20, channel: casebook.ChannelOnline, building: "6号楼", typ: casebook.TypeComplaint, category: "停车管理",
		summary: "现有车位承租户反对重新摇号分配地下车位，担心失去已租用多年的车位", complainant: "韩志强",
		steps: []fpStep{
			{day: 263, hour: 9, act: casebook.ActRespond},
			{day: 263, hour: 10, act: casebook.ActDispatch, to: "业委会"},
			{day: 270, hour: 16, act: casebook.ActFeedback, note: "已告知居民：协商会将听取承租户意见"},
		}},
}

var parkingLinks = []fpLink{
	{1, 0, casebook.LinkRelated},
	{2, 0, casebook.LinkOpposing},
}

var parkingScript = []dAction{
	{265, 10, func(x *script) error {
		return x.create("地下车库车位分配争议", "小区地下车库",
			"地下车库186个车位由物业出租，外来车辆长租较多；本小区业主排队等候，老人家庭用车困难，现有承租户担心重新分配后失去车位。", 0, 1, 2)
	}},
	{265, 11, func(x *script) error {
		for _, p := range []casebook.Party{
			{Name: "排队业主", Kind: casebook.PartyHousehold, Building: "6号楼", Side: "A", Position: "公开分配规则，本小区业主优先", Interest: "有车可停，老人就医方便"},
			{Name: "现有承租户", Kind: casebook.PartyHousehold, Side: "B", Position: "维持现有租约", Interest: "已租用多年，不愿失去车位"},
			{Name: "物业", Kind: casebook.PartyProperty, Side: "中立", Interest: "租金收入与管理成本"},
			{Name: "业委会", Kind: casebook.PartyOwnersCommittee, Side: "中立"},
		} {
			if err := x.party(p); err != nil {
				return err
			}
		}
		return nil
	}},
	{272, 15, func(x *script) error {
		return x.plan(casebook.PlanVersion{Title: "按楼栋比例摇号",
			Description: "车位按各楼栋户数比例分配\n本小区业主登记后公开摇号\n外来车辆租约到期不再续租",
			Upkeep:      "物业负责车库管理"})
	}},
	{280, 19, func(x *script) error {
		if err := x.meeting(casebook.Meeting{Place: "社区活动室", Kind: casebook.MeetingConsultation,
			Attendees: []casebook.Attendee{{Role: "排队业主", Count: 16}, {Role: "现有承租户", Count: 12},
				{Role: "物业", Name: "李经理"}, {Role: "业委会", Name: "赵主任"}, {Role: "治理书记", Name: Secretary}},
			Minutes: "介绍方案第1版。承租户提出应给予过渡期；有居民提出老人、残疾人家庭应优先。"}); err != nil {
			return err
		}
		return x.vote(1, 14, 12, 4)
	}},
	{300, 16, func(x *script) error {
		return x.plan(casebook.PlanVersion{Title: "摇号加过渡期",
			Description: "车位按各楼栋户数比例分配\n本小区业主登记后公开摇号\n老人、残疾人家庭优先\n现有承租户给予一年过渡期",
			Changes:     "增加老人、残疾人家庭优先；现有承租户一年过渡期", Reason: "协商会上承租户和老人家庭的意见",
			Upkeep: "物业负责车库管理"})
	}},
}

// danceCases are the appeals about the square dance's noise.
var danceCases = []fpCase{
	{day: 95, hour: 21, channel: casebook.Channel12345, building: "22号楼", typ: casebook.TypeComplaint, category: "噪音扰民",
		summary: "中心广场广场舞音响音量过大，每晚持续到九点半以后，影响老人和学生休息", complainant: "唐丽",
		steps: []fpStep{
			{day: 96, hour: 9, act: casebook.ActRespond},
			{day: 96, hour: 10, act: casebook.ActDispatch, to: "社区文体队"},
			{day: 100, hour: 20, act: casebook.ActProgress, note: "晚间到广场实地测量音量，与舞队负责人沟通"},
			{day: 104, hour: 10, act: casebook.ActFeedback, note: "已告知居民：社区正组织居民与舞队协商活动时间和音量"},
			{day: 120, hour: 10, act: casebook.ActResolve, note: "议事会达成约定：20:30后关闭音响，音箱背向住宅楼"},
			{day: 121, hour: 10, act: casebook.ActFeedback, note: "已电话告知约定内容"},
			{day: 124, hour: 15, act: casebook.ActEvaluate, solved: casebook.SolvedYes, satisfaction: casebook.BasicSatisfied},
			{day: 125, hour: 9, act: casebook.ActClose},
		}},
	{day: 101, hour: 20, channel: casebook.ChannelWalkIn, building: "23号楼", typ: casebook.TypeComplaint, category: "噪音扰民",
		summary: "广场舞音箱正对23号楼，晚上孩子无法安心写作业", complainant: "许国强",
		steps: []fpStep{
			{day: 102, hour: 9, act: casebook.ActRespond},
			{day: 102, hour: 10, act: casebook.ActDispatch, to: "社区文体队"},
			{day: 110, hour: 10, act: casebook.ActFeedback, note: "已告知居民协商进展"},
			{day: 120, hour: 10, act: casebook.ActResolve, note: "议事会约定音箱背向住宅楼，音量不超过60分贝"},
			{day: 121, hour: 11, act: casebook.ActFeedback, note: "已上门告知"},
			{day: 126, hour: 10, act: casebook.ActEvaluate, solved: casebook.SolvedPartly, satisfaction: casebook.BasicSatisfied},
			{day: 127, hour: 9, act: casebook.ActClose},
		}},
	{day: 103, hour: 9, channel: casebook.ChannelWalkIn, typ: casebook.TypeHelp, category: "邻里纠纷",
		summary: "广场舞队反映：居民要求停止晚间跳舞，老年人没有其他健身场地", complainant: "林秀英",
		steps: []fpStep{
			{day: 103, hour: 10, act: casebook.ActRespond},
			{day: 108, hour: 16, act: casebook.ActProgress, note: "与舞队商定参加议事会，提出可调整时间和音量"},
			{day: 120, hour: 11, act: casebook.ActResolve, note: "议事会约定19:00—20:30可使用音响，此后可无音响活动"},
			{day: 121, hour: 9, act: casebook.ActFeedback, note: "已当面告知舞队负责人"},
			{day: 123, hour: 10, act: casebook.ActClose},
		}},
	{day: 300, hour: 21, channel: casebook.Channel12345, building: "22号楼", typ: casebook.TypeComplaint, category: "噪音扰民",
		summary: "居民再次反映：广场舞音响音量又变大，舞队更换负责人后不再遵守约定", complainant: "唐丽",
		steps: []fpStep{
			{day: 301, hour: 9, act: casebook.ActRespond},
			{day: 301, hour: 10, act: casebook.ActDispatch, to: "社区文体队"},
			{day: 305, hour: 20, act: casebook.ActProgress, note: "约谈舞队新负责人，对方暂不同意继续执行原约定"},
			{day: 306, hour: 10, act: casebook.ActFeedback, note: "已告知居民：社区将重新组织协商"},
		}},
}

var danceLinks = []fpLink{
	{1, 0, casebook.LinkRelated},
	{2, 0, casebook.LinkOpposing},
	{3, 0, casebook.LinkRecurring},
}

var danceScript = []dAction{
	{104, 15, func(x *script) error {
		return x.create("中心广场广场舞噪音", "小区中心广场",
			"广场舞队每晚在中心广场活动，音响音量大、时间晚，22号楼、23号楼居民多次投诉；舞队认为老年人没有其他健身场地。", 0, 1, 2)
	}},
	{104, 16, func(x *script) error {
		for _, p := range []casebook.Party{
			{Name: "22号楼、23号楼居民", Kind: casebook.PartyBuilding, Building: "22号楼", Side: "A", Position: "晚八点半后停止使用音响，降低音量", Interest: "老人休息、孩子学习"},
			{Name: "广场舞队", Kind: casebook.PartyOther, Side: "B", Position: "保留晚间活动时间", Interest: "老年人健身和交往"},
			{Name: "物业", Kind: casebook.PartyProperty, Side: "中立"},
		} {
			if err := x.party(p); err != nil {
				return err
			}
		}
		return nil
	}},
	{112, 15, func(x *script) error {
		return x.plan(casebook.PlanVersion{Title: "限时限音量",
			Description: "19:00—20:30可使用音响\n音箱背向住宅楼，音量不超过60分贝\n20:30后可无音响活动\n设置分贝提示牌",
			Cost:        "分贝提示牌约800元", Funding: "社区公益金", Upkeep: "舞队自我管理，网格员巡查"})
	}},
	{115, 19, func(x *script) error {
		if err := x.meeting(casebook.Meeting{Place: "中心广场议事亭", Kind: casebook.MeetingCourtyard,
			Attendees: []casebook.Attendee{{Role: "22号楼居民", Count: 8}, {Role: "23号楼居民", Count: 6},
				{Role: "广场舞队", Count: 10}, {Role: "网格员", Name: "张丽"}, {Role: "治理书记", Name: Secretary}},
			Minutes: "双方陈述意见，舞队同意调整时间和音量，居民同意保留晚间活动。"}); err != nil {
			return err
		}
		return x.vote(1, 20, 3, 1)
	}},
	{115, 21, func(x *script) error {
		_, err := x.b.Agree(x.id, x.plans[0], []string{"22号楼居民代表", "23号楼居民代表", "广场舞队队长"}, time.Time{})
		return err
	}},
	{116, 10, func(x *script) error {
		if err := x.task("舞队制定活动公约", "广场舞队", 125); err != nil {
			return err
		}
		return x.task("安装分贝提示牌", "物业", 130)
	}},
	{123, 16, func(x *script) error { return x.done(1) }},
	{128, 14, func(x *script) error { return x.done(2) }},
	{301, 11, func(x *script) error { return x.link(3) }},
	{306, 11, func(x *script) error {
		_, err := x.b.Stall(x.id, time.Time{}, "舞队更换负责人后不再遵守约定，新负责人暂不同意协商")
		return err
	}},
}

// disputeScripts pairs each fixed set with its dispute.
var disputeScripts = map[string][]dAction{
	"footpath": footpathScript,
	"parking":  parkingScript,
	"dance":    danceScript,
}

// runDisputes plays the dispute scripts on the scratch store, through a
// Book whose clock reads each action's time, up to now.
func (g *gen) runDisputes(mem *store.Memory) error {
	at := g.now
	b, err := store.NewBook(mem, Secretary, func() time.Time { return at })
	if err != nil {
		return err
	}
	for _, set := range fixedSets {
		x := &script{g: g, b: b, cases: g.sets[set.name]}
		if x.cases == nil {
			continue
		}
		for _, act := range disputeScripts[set.name] {
			at = g.dayAt(act.day, act.hour)
			if !at.Before(g.now) {
				break
			}
			if err := act.do(x); err != nil {
				return fmt.Errorf("dispute %s, day %d: %w", set.name, act.day, err)
			}
		}
	}
	return nil
}
