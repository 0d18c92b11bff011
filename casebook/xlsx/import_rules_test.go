package xlsx

import (
	"errors"
	"testing"

	"casebook/casebook"
)

// dispatchSpec is a 12345 dispatch sheet of three work orders.
var dispatchSpec = sheetSpec{
	name: "派单", title: "12345派单明细",
	header: []string{"工单编号", "受理时间", "诉求类型", "问题分类", "诉求内容", "诉求人", "联系电话", "地址", "办理时限"},
	rows: [][]any{
		{"2603100001", "2026-03-10 08:30", "投诉", "停车管理", "东门车辆乱停占用消防通道", "张三", "13812341234", "示例社区14号楼", "7天"},
		{"2603100002", "2026-03-10 09:15", "求助", "环境卫生", "3号楼垃圾桶满溢无人清理", "李四", "13912345678", "示例社区3号楼", "7天"},
		{"2603100003", "2026-03-10 10:00", "投诉", "噪音扰民", "夜间施工噪音扰民", "王五", "13700001111", "示例社区7号楼", "7天"},
	},
}

// callbackSpec is the callback sheet of those work orders: one solved and
// satisfied, one not, one not reached.
var callbackSpec = sheetSpec{
	name: "回访结果", title: "12345回访结果",
	header: []string{"工单编号", "回访时间", "解决情况", "满意度", "回访内容"},
	rows: [][]any{
		{"2603100001", "2026-03-16 10:00", "已解决", "满意", "车辆已清走"},
		{"2603100002", "2026-03-16 11:00", "未解决", "不满意", "垃圾仍未清运"},
		{"2603100003", "2026-03-16 12:00", "未接通", "未接通", ""},
	},
}

// checkCallbackRates: the rates are what the callback sheet says, on both
// bases, and the casebook took the steps the sheet implies.
func checkCallbackRates(t *testing.T, b interface {
	Metrics(casebook.MetricsQuery) casebook.Metrics
}) {
	t.Helper()
	m := b.Metrics(casebook.MetricsQuery{Now: testNow()})
	if m.Cases != 3 || m.Parts.Resolution != (casebook.Rate{Num: 1, Den: 2}) || m.Parts.Satisfaction != (casebook.Rate{Num: 1, Den: 2}) {
		t.Errorf("raw: %d cases, resolution %v, satisfaction %v", m.Cases, m.Parts.Resolution, m.Parts.Satisfaction)
	}
	if m.AssessmentParts.Resolution != (casebook.Rate{Num: 1, Den: 2}) || m.RuleCounts.Unevaluated != 1 {
		t.Errorf("assessment: resolution %v, unevaluated %d", m.AssessmentParts.Resolution, m.RuleCounts.Unevaluated)
	}
}

// TestImportDispatchThenCallback: a dispatch sheet followed by its callback
// sheet, in one workbook and as two files one after the other.
func TestImportDispatchThenCallback(t *testing.T) {
	b := newBook(t)
	rep, err := importBytes(t, b, buildSheet(t, []sheetSpec{dispatchSpec, callbackSpec}), ImportOptions{})
	if err != nil || rep.Kind != "mixed" || rep.New != 3 || rep.Updated != 3 {
		t.Fatalf("one workbook: %v %+v", err, rep)
	}
	checkCallbackRates(t, b)
	s, _ := b.FindByWorkOrder("2603100003")
	if s.Callback != casebook.CallbackUnreachable || s.Status != casebook.StatusEvaluated {
		t.Errorf("not reached: %+v", s)
	}
	if rep, err := importBytes(t, b, buildSheet(t, []sheetSpec{dispatchSpec, callbackSpec}), ImportOptions{}); err != nil || rep.Applied != 0 || rep.Unchanged != 6 {
		t.Errorf("again: %v %+v", err, rep)
	}

	b2 := newBook(t)
	if _, err := importBytes(t, b2, buildSheet(t, []sheetSpec{dispatchSpec}), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if rep, err := importBytes(t, b2, buildSheet(t, []sheetSpec{callbackSpec}), ImportOptions{}); err != nil || rep.Updated != 3 {
		t.Fatalf("two files: %v %+v", err, rep)
	}
	checkCallbackRates(t, b2)
	// The rule set counts the unreached callback as it says.
	set := b2.Settings()
	set.Rules.Unevaluated = casebook.RuleUnsatisfied
	if err := b2.UpdateSettings(set); err != nil {
		t.Fatal(err)
	}
	if m := b2.Metrics(casebook.MetricsQuery{Now: testNow()}); m.AssessmentParts.Resolution != (casebook.Rate{Num: 1, Den: 3}) || m.Parts.Resolution.Den != 2 {
		t.Errorf("unevaluated as unsatisfied: assessment %v raw %v", m.AssessmentParts.Resolution, m.Parts.Resolution)
	}
}

// TestImportResults: a 办结/回复 sheet records the handling of the matching
// appeals; again, it changes nothing.
func TestImportResults(t *testing.T) {
	b := newBook(t)
	if _, err := importBytes(t, b, buildSheet(t, []sheetSpec{dispatchSpec}), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	results := buildSheet(t, []sheetSpec{{name: "办结", title: "12345工单办结情况",
		header: []string{"工单编号", "办理结果", "回复内容", "办结时间", "办理单位"},
		rows: [][]any{
			{"2603100001", "已协调物业清理占道车辆", "已电话告知诉求人", "2026-03-12 16:00", "物业公司"},
			{"2603100002", "已办结", "", "2026-03-13 09:00", "环卫所"},
			{"2603100003", "施工属市政重点工程，无法解决", "已向诉求人解释", "2026-03-14 10:00", ""},
		}}})
	rep, err := importBytes(t, b, results, ImportOptions{})
	if err != nil || rep.Kind != KindResults || rep.Updated != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	for wo, want := range map[string]struct {
		status casebook.Status
		to     string
	}{
		"2603100001": {casebook.StatusFeedback, "物业公司"},
		"2603100002": {casebook.StatusResolved, "环卫所"},
		"2603100003": {casebook.StatusFeedback, ""},
	} {
		s, _ := b.FindByWorkOrder(wo)
		if s.Status != want.status || s.DispatchedTo != want.to || s.RespondedAt.IsZero() {
			t.Errorf("%s: %s to %q responded %v", wo, s.Status, s.DispatchedTo, s.RespondedAt)
		}
	}
	if s, _ := b.FindByWorkOrder("2603100003"); !s.Unresolvable {
		t.Error("无法解决 not recorded as unresolvable")
	}
	if rep, err := importBytes(t, b, results, ImportOptions{}); err != nil || rep.Applied != 0 || rep.Unchanged != 3 {
		t.Errorf("again: %v %+v", err, rep)
	}
	// A result without either text is a problem, and nothing is written.
	bad := buildSheet(t, []sheetSpec{{name: "办结", header: []string{"工单编号", "办理结果", "办结时间"},
		rows: [][]any{{"2603100001", "", "2026-03-12 16:00"}, {"2603100002", "已办结", "2026-03-13"}}}})
	if _, err := importBytes(t, b, bad, ImportOptions{}); !errors.Is(err, ErrProblems) {
		t.Errorf("a result without text: %v", err)
	}
}

// opinionSpec is a report meeting's opinion list, the meeting in its title.
var opinionSpec = sheetSpec{
	name: "意见清单", title: "2026年3月15日社区报告会居民意见清单（地点：社区党群服务中心）",
	header: []string{"序号", "意见内容", "楼栋", "提出人"},
	rows: [][]any{
		{1, "建议在14号楼和15号楼之间修一条步道", "14", "张大爷"},
		{2, "东门晚上路灯不亮", "", "李阿姨"},
		{3, "希望增设电动车充电桩", "21号楼", ""},
	},
}

// TestImportOpinionList: an opinion list becomes that meeting's list of
// appeals of the channel 报告会, on its day and at its place.
func TestImportOpinionList(t *testing.T) {
	b := newBook(t)
	rep, err := importBytes(t, b, buildSheet(t, []sheetSpec{opinionSpec}), ImportOptions{})
	if err != nil || rep.Kind != KindOpinions || rep.New != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	list := b.List(casebook.Filter{Channels: []casebook.Channel{casebook.ChannelReport}}, testNow())
	if len(list) != 3 {
		t.Fatalf("%d report-meeting appeals", len(list))
	}
	for _, s := range list {
		if casebook.DateOf(s.Received) != (casebook.Date{Year: 2026, Month: 3, Day: 15}) || s.Place != "社区党群服务中心" || s.Type != casebook.TypeSuggestion {
			t.Errorf("item %+v", s)
		}
		if s.Summary == "建议在14号楼和15号楼之间修一条步道" && (s.Building != "14号楼" || s.Category != "道路设施") {
			t.Errorf("building %q category %q", s.Building, s.Category)
		}
	}
	if rep, err := importBytes(t, b, buildSheet(t, []sheetSpec{opinionSpec}), ImportOptions{}); err != nil || rep.Applied != 0 || rep.Unchanged != 3 {
		t.Errorf("again: %v %+v", err, rep)
	}
	// No day in the title: a problem, unless given with the import.
	noDay := opinionSpec
	noDay.title = "居民意见清单"
	if _, err := importBytes(t, b, buildSheet(t, []sheetSpec{noDay}), ImportOptions{}); !errors.Is(err, ErrProblems) {
		t.Errorf("no meeting day: %v", err)
	}
	rep, err = importBytes(t, b, buildSheet(t, []sheetSpec{noDay}), ImportOptions{MeetingDate: shanghai(2026, 4, 20, 19, 0), MeetingPlace: "小区广场"})
	if err != nil || rep.New != 3 {
		t.Fatalf("with the day given: %v %+v", err, rep)
	}
}
