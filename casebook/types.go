package casebook

// Channel is how an appeal reached the community (受理渠道).
type Channel string

// The intake channels named in DOMAIN.md. The codes are stable: they are
// stored in operations and typed on the command line.
const (
	Channel12345        Channel = "12345"          // 12345热线派单
	ChannelWalkIn       Channel = "walk-in"        // 来访来电
	ChannelGrid         Channel = "grid"           // 网格员上报
	ChannelOnline       Channel = "online"         // 网络平台/App/微信
	ChannelBox          Channel = "box"            // 说事点/说事箱
	ChannelReport       Channel = "report-meeting" // 报告会
	ChannelDeliberation Channel = "deliberation"   // 议事会
	ChannelProactive    Channel = "proactive"      // 未诉先办
)

// AppealType is the kind of appeal (诉求类型).
type AppealType string

// Appeal types.
const (
	TypeComplaint    AppealType = "complaint"    // 投诉
	TypeHelp         AppealType = "help"         // 求助
	TypeSuggestion   AppealType = "suggestion"   // 建议
	TypeConsultation AppealType = "consultation" // 咨询
)

// Urgency decides which handling limit of the deadline policy applies; the
// classes follow the 12345 service rules.
type Urgency string

// Urgency classes.
const (
	UrgencyEmergency Urgency = "emergency" // 紧急: feedback within 2 hours
	UrgencyUtility   Urgency = "utility"   // 水电气热: 24 hours
	UrgencyGeneral   Urgency = "general"   // 一般 (simple): 7 days
	UrgencyComplex   Urgency = "complex"   // 复杂: plan/progress feedback within 15 days
)

// Level is where a case is handled; escalation (提级) only moves it up.
type Level string

// Levels, lowest first.
const (
	LevelCommunity Level = ""         // 社区 (not escalated)
	LevelStreet    Level = "street"   // 街道/乡镇
	LevelDistrict  Level = "district" // 区
	LevelCity      Level = "city"     // 市
)

// Rank orders levels so that escalation can only go up.
func (l Level) Rank() int {
	switch l {
	case LevelStreet:
		return 1
	case LevelDistrict:
		return 2
	case LevelCity:
		return 3
	}
	return 0
}

// Solved is the resident's verdict at callback (回访): 解决 / 部分解决 / 未解决.
type Solved string

// Callback verdicts on the result.
const (
	SolvedYes    Solved = "yes"
	SolvedPartly Solved = "partly"
	SolvedNo     Solved = "no"
)

// Satisfaction is the resident's satisfaction at callback.
type Satisfaction string

// Satisfaction grades: 满意 / 基本满意 / 不满意.
const (
	Satisfied      Satisfaction = "satisfied"
	BasicSatisfied Satisfaction = "basic"
	NotSatisfied   Satisfaction = "unsatisfied"
)

// LinkKind says how two cases relate.
type LinkKind string

// Link kinds.
const (
	LinkDuplicate LinkKind = "duplicate" // 重复: the same appeal filed again
	LinkRecurring LinkKind = "recurring" // 反复: the same problem came back
	LinkOpposing  LinkKind = "opposing"  // 对立: the other side of a dispute
	LinkRelated   LinkKind = "related"   // 相关
)

// DefaultCategories is the category list a new casebook starts with; the
// user can change it in settings.
var DefaultCategories = []string{
	"停车管理", "环境卫生", "噪音扰民", "物业管理", "老旧小区改造", "道路设施",
	"绿化养护", "电动车充电", "群租", "养老助餐", "邻里纠纷", "消防安全", "其他",
}

var ChannelCodes = &CodeTable[Channel]{
	what: "channel",
	names: []codeName{
		{string(Channel12345), "12345派单", "12345 dispatch"},
		{string(ChannelWalkIn), "来访来电", "walk-in / phone"},
		{string(ChannelGrid), "网格员上报", "grid worker"},
		{string(ChannelOnline), "网络平台", "online platform"},
		{string(ChannelBox), "说事点", "appeal point / box"},
		{string(ChannelReport), "报告会", "report meeting"},
		{string(ChannelDeliberation), "议事会", "deliberation meeting"},
		{string(ChannelProactive), "未诉先办", "proactive"},
	},
	aliases: channelAliases,
}

var channelAliases = map[string]string{
	"12345热线": string(Channel12345), "热线": string(Channel12345), "派单": string(Channel12345),
	"来访": string(ChannelWalkIn), "来电": string(ChannelWalkIn), "walkin": string(ChannelWalkIn), "phone": string(ChannelWalkIn),
	"网格员": string(ChannelGrid), "网格": string(ChannelGrid),
	"网络": string(ChannelOnline), "微信": string(ChannelOnline), "app": string(ChannelOnline),
	"说事箱": string(ChannelBox), "说事点/说事箱": string(ChannelBox),
	"议事厅": string(ChannelDeliberation), "小院议事厅": string(ChannelDeliberation),
}

var TypeCodes = &CodeTable[AppealType]{
	what: "type",
	names: []codeName{
		{string(TypeComplaint), "投诉", "complaint"},
		{string(TypeHelp), "求助", "request for help"},
		{string(TypeSuggestion), "建议", "suggestion"},
		{string(TypeConsultation), "咨询", "consultation"},
	},
}

var UrgencyCodes = &CodeTable[Urgency]{
	what: "urgency",
	names: []codeName{
		{string(UrgencyEmergency), "紧急", "emergency"},
		{string(UrgencyUtility), "水电气热", "water/power/gas/heating"},
		{string(UrgencyGeneral), "一般", "general"},
		{string(UrgencyComplex), "复杂", "complex"},
	},
	aliases: map[string]string{"simple": "general", "简单": "general"},
	blank:   blankMeans(UrgencyGeneral),
}

var LevelCodes = &CodeTable[Level]{
	what: "level",
	names: []codeName{
		{string(LevelStreet), "街道", "street"},
		{string(LevelDistrict), "区", "district"},
		{string(LevelCity), "市", "city"},
	},
	aliases: map[string]string{"乡镇": "street", "街乡": "street"},
}

var SolvedCodes = &CodeTable[Solved]{
	what: "solved",
	names: []codeName{
		{string(SolvedYes), "解决", "solved"},
		{string(SolvedPartly), "部分解决", "partly solved"},
		{string(SolvedNo), "未解决", "not solved"},
	},
	aliases: map[string]string{"是": "yes", "否": "no", "已解决": "yes"},
}

var SatisfactionCodes = &CodeTable[Satisfaction]{
	what: "satisfaction",
	names: []codeName{
		{string(Satisfied), "满意", "satisfied"},
		{string(BasicSatisfied), "基本满意", "basically satisfied"},
		{string(NotSatisfied), "不满意", "unsatisfied"},
	},
	aliases: map[string]string{"basically satisfied": "basic", "比较满意": "basic", "非常满意": "satisfied"},
}

var LinkKindCodes = &CodeTable[LinkKind]{
	what: "link",
	names: []codeName{
		{string(LinkDuplicate), "重复", "duplicate"},
		{string(LinkRecurring), "反复", "recurring"},
		{string(LinkOpposing), "对立", "opposing side"},
		{string(LinkRelated), "相关", "related"},
	},
}

// ParseChannel accepts a channel code or its Chinese name.
func ParseChannel(s string) (Channel, error) { return ChannelCodes.Parse(s) }

// ParseType accepts an appeal type code or its Chinese name.
func ParseType(s string) (AppealType, error) { return TypeCodes.Parse(s) }

// ParseUrgency accepts an urgency code or its Chinese name; empty means general.
func ParseUrgency(s string) (Urgency, error) { return UrgencyCodes.Parse(s) }

// ParseLevel accepts an escalation level code or its Chinese name.
func ParseLevel(s string) (Level, error) { return LevelCodes.Parse(s) }

// ParseSolved accepts yes|partly|no or the Chinese verdicts.
func ParseSolved(s string) (Solved, error) { return SolvedCodes.Parse(s) }

// ParseSatisfaction accepts satisfied|basic|unsatisfied or the Chinese grades.
func ParseSatisfaction(s string) (Satisfaction, error) { return SatisfactionCodes.Parse(s) }

// ParseLinkKind accepts a link kind code or its Chinese name.
func ParseLinkKind(s string) (LinkKind, error) { return LinkKindCodes.Parse(s) }

// Channels lists the channels in display order.
func Channels() []Channel { return ChannelCodes.Codes() }

// Types lists the appeal types in display order.
func Types() []AppealType { return TypeCodes.Codes() }

// Urgencies lists the urgency classes in display order.
func Urgencies() []Urgency { return UrgencyCodes.Codes() }

// Chinese returns the Chinese name used in ledgers (exports are in Chinese
// whatever the UI language, because that is what the district reads).
func (c Channel) Chinese() string      { return ChannelCodes.Chinese(c) }
func (t AppealType) Chinese() string   { return TypeCodes.Chinese(t) }
func (u Urgency) Chinese() string      { return UrgencyCodes.Chinese(u) }
func (l Level) Chinese() string        { return LevelCodes.Chinese(l) }
func (s Solved) Chinese() string       { return SolvedCodes.Chinese(s) }
func (s Satisfaction) Chinese() string { return SatisfactionCodes.Chinese(s) }
func (k LinkKind) Chinese() string     { return LinkKindCodes.Chinese(k) }

// English returns the English display name.
func (c Channel) English() string      { return ChannelCodes.English(c) }
func (t AppealType) English() string   { return TypeCodes.English(t) }
func (u Urgency) English() string      { return UrgencyCodes.English(u) }
func (l Level) English() string        { return LevelCodes.English(l) }
func (s Solved) English() string       { return SolvedCodes.English(s) }
func (s Satisfaction) English() string { return SatisfactionCodes.English(s) }
func (k LinkKind) English() string     { return LinkKindCodes.English(k) }
