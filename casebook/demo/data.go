package demo

import (
	"time"

	"casebook/casebook"
)

// The fictional community's word lists. Every name, number and address made
// from them is invented; any likeness to a real person is chance.

// surnames are common Chinese surnames; givenChars make up given names.
var surnames = []string{
	"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
}

var givenChars = []rune("秀英华明军桂兰建国志强丽芳玉海平德文淑凤春红霞伟敏静杰涛斌燕鹏辉琳萍宇浩")

// Staff of the community office who appear as handlers (承办人). The
// governance secretary (Secretary) is one of them.
var staff = []struct {
	name   string
	weight float64
}{
	{Secretary, 3}, {"李华", 2}, {"张丽", 2}, {"刘洋", 2}, {"陈静", 1.5},
}

var gates = []string{"东门", "西门", "南门", "北门"}

var places = []string{
	"小区中心广场", "3号楼北侧空地", "小区花园", "社区活动中心门口", "自行车棚",
	"地下车库入口", "快递柜旁", "健身器材区", "小区主干道", "垃圾分类站",
}

// tmpl is one kind of appeal: a summary pattern and how such appeals go.
//
// Placeholders: {b} a building ("14号楼"), {b2} a neighbouring building,
// {u} a unit ("2单元"), {r} a room ("302"), {g} a gate ("东门"), {p} a place.
type tmpl struct {
	text    string
	typ     casebook.AppealType
	urgency casebook.Urgency // "" is general, sometimes complex
	patrol  bool             // visible on a walk round: grid workers and proactive finds report it
	months  []time.Month     // only in these months; nil is all year
	to      string           // dispatch target overriding the category's
	old     bool             // mostly the old buildings (1–12号楼)
}

// category is a category of DefaultCategories with its share of appeals,
// its seasons, where it is dispatched and how it is settled.
type category struct {
	name    string
	weight  float64
	season  func(m time.Month) float64
	targets []string
	resolve []string // notes on resolving
	tmpls   []tmpl
}

const (
	complaint    = casebook.TypeComplaint
	help         = casebook.TypeHelp
	suggestion   = casebook.TypeSuggestion
	consultation = casebook.TypeConsultation
	general      = casebook.Urgency("")
	complexU     = casebook.UrgencyComplex
	utility      = casebook.UrgencyUtility
	emergency    = casebook.UrgencyEmergency
)

var (
	heating = []time.Month{time.November, time.December, time.January, time.February, time.March}
	summer  = []time.Month{time.May, time.June, time.July, time.August, time.September}
	rainy   = []time.Month{time.June, time.July, time.August, time.September}
	winter  = []time.Month{time.December, time.January, time.February}
)

func between(lo, hi time.Month, f float64) func(time.Month) float64 {
	return func(m time.Month) float64 {
		if lo <= hi && m >= lo && m <= hi || lo > hi && (m >= lo || m <= hi) {
			return f
		}
		return 1
	}
}

func flat(time.Month) float64 { return 1 }

var categories = []category{
	{name: "停车管理", weight: 16, season: flat,
		targets: []string{"物业公司", "物业公司", "街道城管科", "网格员"},
		resolve: []string{"已协调车主挪车", "物业已加强巡查，清理违停车辆", "已施划禁停标线", "已拆除私设地锁"},
		tmpls: []tmpl{
			{text: "小区{g}机动车乱停占用消防通道", typ: complaint, patrol: true},
			{text: "{b}楼下长期停放僵尸车，占用车位", typ: complaint, patrol: true},
			{text: "小区车位紧张，外来车辆随意进入停放", typ: complaint, urgency: complexU},
			{text: "{b}门口有人私装地锁，影响通行", typ: complaint, patrol: true},
			{text: "咨询小区停车收费标准及月卡办理流程", typ: consultation},
			{text: "建议在{b}北侧空地施划停车位", typ: suggestion, urgency: complexU},
			{text: "夜间车辆堵住{b}{u}门口，老人出行不便", typ: complaint},
			{text: "小区{g}外道路两侧违停严重，早晚高峰拥堵", typ: complaint, to: "街道城管科", patrol: true},
		}},
	{name: "环境卫生", weight: 14, season: between(time.June, time.September, 1.2),
		targets: []string{"物业公司", "物业公司", "街道城管科", "环卫所"},
		resolve: []string{"已清理完毕", "物业已安排保洁人员清运", "已增加清运频次", "已督促住户清理"},
		tmpls: []tmpl{
			{text: "{b}{u}楼道堆放杂物，长期无人清理", typ: complaint, patrol: true},
			{text: "{b}旁垃圾桶满溢，异味严重", typ: complaint, patrol: true},
			{text: "{p}建筑垃圾堆放多日未清运", typ: complaint, patrol: true},
			{text: "{b}楼下有人饲养鸽子，粪便污染严重", typ: complaint},
			{text: "小区{g}附近流浪猫狗较多，存在卫生隐患", typ: complaint},
			{text: "{b}{u}化粪池返味，污水外溢", typ: complaint, urgency: complexU, old: true},
			{text: "建议调整垃圾分类桶站位置，远离{b}窗户", typ: suggestion},
			{text: "{b}门前积雪结冰未清理，老人易滑倒", typ: complaint, months: winter, patrol: true},
			{text: "夏季{b}周边蚊虫多，建议喷药消杀", typ: suggestion, months: summer},
		}},
	{name: "噪音扰民", weight: 10, season: between(time.May, time.September, 1.4),
		targets: []string{"网格员", "物业公司", "派出所", "街道城管科"},
		resolve: []string{"已上门劝导，噪音已停止", "已约谈商户，调整作业时间", "已协调双方，约定活动时间和音量"},
		tmpls: []tmpl{
			{text: "{b}{u}楼上夜间噪音扰民", typ: complaint},
			{text: "小区{g}外商户深夜装卸货噪音大", typ: complaint, to: "街道城管科"},
			{text: "{p}广场舞音响声音过大", typ: complaint},
			{text: "{b}{u}住户装修超时施工", typ: complaint},
			{text: "{b}楼顶空调外机噪音扰民", typ: complaint},
			{text: "{b}附近夜间有人聚集喧哗", typ: complaint, months: summer, to: "派出所"},
		}},
	{name: "物业管理", weight: 13, season: between(time.November, time.March, 1.3),
		targets: []string{"物业公司"},
		resolve: []string{"物业已维修完毕", "已督促物业整改到位", "物业已更换损坏部件"},
		tmpls: []tmpl{
			{text: "{b}{u}电梯频繁故障停运", typ: complaint},
			{text: "{b}{u}电梯困人", typ: help, urgency: emergency, to: "电梯维保单位"},
			{text: "物业保洁不到位，{b}周边卫生差", typ: complaint, patrol: true},
			{text: "{b}{u}楼道灯损坏，夜间照明不足", typ: complaint, patrol: true},
			{text: "{b}{u}门禁损坏，外来人员随意进出", typ: complaint, patrol: true},
			{text: "物业服务费收支不透明，要求公示", typ: complaint, urgency: complexU, to: "业委会"},
			{text: "{b}{u}楼道内水管漏水", typ: help, urgency: utility},
			{text: "{b}停水未提前通知", typ: complaint, urgency: utility, to: "自来水公司"},
			{text: "{b}{u}暖气不热，室温不足16度", typ: complaint, urgency: utility, months: heating, to: "供热公司"},
			{text: "{b}{u}楼道闻到燃气味", typ: help, urgency: emergency, to: "燃气公司"},
			{text: "{b}突然停电，咨询恢复时间", typ: help, urgency: utility, to: "供电所"},
		}},
	{name: "老旧小区改造", weight: 11, season: between(time.June, time.August, 2.2),
		targets: []string{"街道城建科", "物业公司", "改造施工单位"},
		resolve: []string{"已完成屋面防水修补", "施工单位已整改", "已更换老化管道", "已纳入改造计划并完成施工"},
		tmpls: []tmpl{
			{text: "{b}{u}楼顶漏水，雨天屋内渗水", typ: complaint, urgency: complexU, old: true},
			{text: "{b}外墙保温层脱落，存在安全隐患", typ: complaint, urgency: complexU, old: true, patrol: true},
			{text: "{b}{u}上下水管道老化，经常堵塞", typ: help, urgency: complexU, old: true},
			{text: "咨询{b}加装电梯政策及申请流程", typ: consultation, old: true},
			{text: "{b}{u}楼道墙皮脱落", typ: complaint, old: true, patrol: true},
			{text: "{b}改造施工扬尘大，影响居民生活", typ: complaint, old: true, to: "改造施工单位"},
			{text: "{b}屋面防水改造进度慢", typ: complaint, urgency: complexU, old: true},
			{text: "{b}{u}{r}室内墙面渗水发霉", typ: help, old: true, months: rainy},
		}},
	{name: "道路设施", weight: 6, season: flat,
		targets: []string{"街道城建科", "物业公司"},
		resolve: []string{"已修补路面", "已更换灯具", "已加固井盖", "已修复坡道"},
		tmpls: []tmpl{
			{text: "小区{g}内道路破损坑洼，雨天积水", typ: complaint, patrol: true},
			{text: "{b}与{b2}之间路灯不亮", typ: complaint, patrol: true},
			{text: "{b}前井盖松动，存在安全隐患", typ: complaint, patrol: true},
			{text: "{p}无障碍坡道损坏，轮椅无法通行", typ: help},
			{text: "小区{g}减速带损坏", typ: complaint, patrol: true},
		}},
	{name: "绿化养护", weight: 6, season: between(time.April, time.September, 1.6),
		targets: []string{"物业公司", "园林绿化队"},
		resolve: []string{"已完成修剪", "已清理断枝", "已恢复绿地", "已完成消杀"},
		tmpls: []tmpl{
			{text: "{b}窗前树木遮挡采光，要求修剪", typ: complaint},
			{text: "{b}旁树枝折断悬挂，存在坠落风险", typ: complaint, patrol: true},
			{text: "{p}绿地被私自种菜", typ: complaint, patrol: true},
			{text: "{b}周边绿化带长期缺乏养护", typ: suggestion, patrol: true},
		}},
	{name: "电动车充电", weight: 6, season: between(time.June, time.September, 1.2),
		targets: []string{"物业公司", "街道安全生产科", "网格员"},
		resolve: []string{"已劝导住户将电动车移出楼道", "已拆除飞线", "已修复充电桩"},
		tmpls: []tmpl{
			{text: "{b}{u}楼道内电动车充电，存在火灾隐患", typ: complaint, patrol: true},
			{text: "{b}住户从窗户飞线充电", typ: complaint, patrol: true},
			{text: "建议在{b}附近增设电动车充电桩", typ: suggestion, urgency: complexU},
			{text: "小区充电桩损坏无法使用", typ: complaint},
		}},
	{name: "群租", weight: 3, season: flat,
		targets: []string{"网格员", "派出所", "街道综治办"},
		resolve: []string{"已联合派出所核查，房东已整改", "群租人员已清退"},
		tmpls: []tmpl{
			{text: "{b}{u}{r}疑似群租，人员进出频繁", typ: complaint},
			{text: "{b}地下室群租住人，存在安全隐患", typ: complaint, urgency: complexU},
		}},
	{name: "养老助餐", weight: 3, season: flat,
		targets: []string{"社区养老驿站", "社区居委会"},
		resolve: []string{"已为老人办理助餐卡", "已安排志愿者送餐上门", "已反馈养老驿站调整菜单"},
		tmpls: []tmpl{
			{text: "咨询老年餐桌订餐及补贴办理", typ: consultation},
			{text: "{b}独居老人行动不便，申请送餐上门", typ: help},
			{text: "建议养老助餐点增加菜品、延长供餐时间", typ: suggestion},
		}},
	{name: "邻里纠纷", weight: 5, season: flat,
		targets: []string{"人民调解委员会", "网格员", "楼门长"},
		resolve: []string{"经调解双方达成一致", "已组织双方协商，签订调解协议"},
		tmpls: []tmpl{
			{text: "{b}{u}楼上漏水至楼下，双方协商不成", typ: help, urgency: complexU},
			{text: "{b}{u}邻居在楼道放置鞋柜引发纠纷", typ: complaint},
			{text: "{b}住户饲养大型犬未拴绳，邻里矛盾", typ: complaint},
			{text: "{b}{u}住户占用公共空间引发纠纷", typ: complaint},
		}},
	{name: "消防安全", weight: 4, season: flat,
		targets: []string{"物业公司", "街道安全生产科", "网格员"},
		resolve: []string{"已清理楼道易燃物", "已补齐消防器材", "消防通道已清理畅通"},
		tmpls: []tmpl{
			{text: "小区{g}消防通道被车辆堵塞", typ: complaint, patrol: true},
			{text: "{b}{u}楼道消火栓缺少水带", typ: complaint, patrol: true},
			{text: "{b}{u}灭火器过期未更换", typ: complaint, patrol: true},
			{text: "{b}楼道内堆放纸箱等易燃杂物", typ: complaint, patrol: true},
		}},
	{name: "其他", weight: 3, season: flat,
		targets: []string{"社区居委会"},
		resolve: []string{"已办理完毕", "已解答并协助办理"},
		tmpls: []tmpl{
			{text: "咨询居住证办理需要的材料", typ: consultation},
			{text: "{b}附近有人张贴小广告", typ: complaint, patrol: true},
			{text: "申请开具居住证明", typ: help},
			{text: "咨询社区老年人体检安排", typ: consultation},
		}},
}

// Notes of the loop's other steps.
var (
	progressNotes = []string{
		"已到现场查看，情况属实", "已联系诉求人了解详细情况", "物业已安排维修人员上门",
		"已协调相关部门共同处理", "已入户走访，与居民沟通处理方案", "施工单位已进场",
		"等待材料到货，预计下周完成",
	}
	unresolvableNotes = []string{
		"涉及历史遗留产权问题，超出社区职权范围，已向居民解释说明",
		"诉求不符合相关政策规定，已做好解释工作",
		"需纳入明年老旧小区改造计划统筹解决，已告知居民",
		"诉求人要求赔偿金额过高，双方未能达成一致，建议通过司法途径解决",
	}
	feedbackNotes = []string{"已电话告知诉求人处理结果", "已上门反馈处理结果", "已通过微信告知诉求人"}
	planNotes     = []string{"已向居民说明处理方案和时间安排", "已告知居民阶段性进展，方案正在落实", "已反馈处理计划，居民表示理解"}
	closeNoReach  = "多次回访未接通，按规定销号"
)
