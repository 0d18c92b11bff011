package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casebook/casebook"
)

// TestSettingsSaveAndUndo: each group saves on its own, shows problems by
// the field, and the save can be undone.
func TestSettingsSaveAndUndo(t *testing.T) {
	a, _ := newTestApp(t, LangChinese, nil)
	a.ShowSection(SectionSettings)
	v := a.settings

	// Community and term: bad input stays in the form.
	v.households.SetText("很多")
	v.baseResp.SetText("120")
	v.termEnd.SetText("2020-01-01")
	test.Tap(v.saveCommunity)
	if visibleErr(v.errs["households"]) != "请填写整数" || visibleErr(v.errs["base_response"]) != "请填写0到100之间的百分数" {
		t.Errorf("errors: households %q, baseline %q", visibleErr(v.errs["households"]), visibleErr(v.errs["base_response"]))
	}
	if got := a.settingsNow().Community.Households; got != 800 {
		t.Errorf("an invalid form changed households to %d", got)
	}
	v.households.SetText("2100")
	v.baseResp.SetText("86")
	test.Tap(v.saveCommunity)
	if got := visibleErr(v.errs["term_end"]); got != "任期结束日期早于开始日期" {
		t.Errorf("term end error %q", got)
	}
	v.termEnd.SetText("2027-10-31")
	v.name.SetText("新名字社区")
	v.buildings.SetText("1号楼\n2号楼、3号楼")
	test.Tap(v.saveCommunity)
	s := a.settingsNow()
	if s.Community.Name != "新名字社区" || s.Community.Households != 2100 || len(s.Community.Buildings) != 3 || *s.Term.Baseline.Response != 0.86 {
		t.Fatalf("saved: %+v %+v", s.Community, s.Term.Baseline)
	}
	test.Tap(a.snack.action) // undo
	if got := a.settingsNow().Community.Name; got != "测试社区" {
		t.Errorf("after undo the name is %q", got)
	}

	// Policy.
	a.ShowSection(SectionSettings)
	v = a.settings
	v.hGeneral.SetText("七天")
	test.Tap(v.savePolicy)
	if got := visibleErr(v.errs["h_general"]); got != "请填写时限，如7d或24h" {
		t.Errorf("limit error %q", got)
	}
	v.hGeneral.SetText("5天")
	v.counting.SetSelected(v.countChoice.names[1])
	v.dueSoon.SetText("48")
	test.Tap(v.savePolicy)
	p := a.settingsNow().Policy
	if p.Handle[casebook.UrgencyGeneral] != (casebook.Limit{Amount: 5, Unit: casebook.UnitDays}) || p.Counting != casebook.CountWorking || p.DueSoon != 48*time.Hour {
		t.Errorf("policy %+v", p)
	}

	// Categories: an empty list is refused by the field.
	v.categories.SetText("  ")
	test.Tap(v.saveCategories)
	if got := visibleErr(v.errs["categories"]); got != "至少要有一个分类" {
		t.Errorf("categories error %q", got)
	}
	v.categories.SetText("停车管理\n环境卫生\n加装电梯")
	test.Tap(v.saveCategories)
	if got := a.settingsNow().Categories; len(got) != 3 || got[2] != "加装电梯" {
		t.Errorf("categories %q", got)
	}

	// Weights must add up.
	v.wResp.SetText("0.5")
	test.Tap(v.saveWeights)
	if got := visibleErr(v.errs["response"]); got != "三项综合权重之和须为1" {
		t.Errorf("weights error %q", got)
	}
	v.wResp.SetText("0.2")
	v.wReso.SetText("0.4")
	test.Tap(v.saveWeights)
	if w := a.settingsNow().Weights; w.Response != 0.2 || w.Resolution != 0.4 {
		t.Errorf("weights %+v", w)
	}
}
