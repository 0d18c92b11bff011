package setup

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/ui/internal/screentest"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// TestSettingsSaveAndUndo: each group saves on its own, shows problems by
// the field, and the save can be undone.
func TestSettingsSaveAndUndo(t *testing.T) {
	h, a := newSettings(t)
	v := a.settings

	// Community and term: bad input stays in the form.
	v.households.SetText("很多")
	v.baseResp.SetText("120")
	v.termEnd.SetText("2020-01-01")
	test.Tap(v.saveCommunity)
	if visibleErr(v.errs["households"]) != "请填写整数" || visibleErr(v.errs["base_response"]) != "请填写0到100之间的百分数" {
		t.Errorf("errors: households %q, baseline %q", visibleErr(v.errs["households"]), visibleErr(v.errs["base_response"]))
	}
	if got := h.Book.Settings().Community.Households; got != 800 {
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
	s := h.Book.Settings()
	if s.Community.Name != "新名字社区" || s.Community.Households != 2100 || len(s.Community.Buildings) != 3 || *s.Term.Baseline.Response != 0.86 {
		t.Fatalf("saved: %+v %+v", s.Community, s.Term.Baseline)
	}
	h.LastUndo() // the snackbar's Undo
	if got := h.Book.Settings().Community.Name; got != "测试社区" {
		t.Errorf("after undo the name is %q", got)
	}

	// Policy.
	h.Show(screen.Settings)
	v = a.settings
	v.hGeneral.SetText("七天")
	test.Tap(v.savePolicy)
	if got := visibleErr(v.errs["h_general"]); got != "请填写时限，如7d或24h" {
		t.Errorf("limit error %q", got)
	}
	v.hGeneral.SetText("5天")
	v.counting.SetSelected(v.countChoice.Names[1])
	v.dueSoon.SetText("48")
	test.Tap(v.savePolicy)
	p := h.Book.Settings().Policy
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
	if got := h.Book.Settings().Categories; len(got) != 3 || got[2] != "加装电梯" {
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
	if w := h.Book.Settings().Weights; w.Response != 0.2 || w.Resolution != 0.4 {
		t.Errorf("weights %+v", w)
	}
}

// host is a setup.Host for tests.
type host struct{ theme string }

func (h *host) SetLanguage(code string) error { return words.SetLanguage(code) }
func (h *host) SetTheme(mode string)          { h.theme = mode }
func (h *host) ThemeMode() string             { return h.theme }
func (h *host) Path() string                  { return "/tmp/测试.db" }
func (h *host) OpenOther() func()             { return nil }
func (h *host) SettingsChanged()              {}

// newSettings shows the settings screen in a test harness.
func newSettings(t *testing.T) (*screentest.Harness, *Settings) {
	h := screentest.New(t, screentest.Options{}, nil)
	s := New(h.Env, &host{})
	h.Section(screen.Settings, func(bool) fyne.CanvasObject { return s.Build() })
	h.Show(screen.Settings)
	return h, s
}

// TestSettingsRules: the assessment basis's rule set is chosen and saved
// from the settings screen, the pause with the policy.
func TestSettingsRules(t *testing.T) {
	h, a := newSettings(t)
	r := a.settings.rules
	r.choices[casebook.RuleMerged].SetSelected(words.RuleChoiceName(casebook.RuleEach))
	r.choices[casebook.RuleUnevaluated].SetSelected(words.RuleChoiceName(casebook.RuleSatisfied))
	r.arrive.SetText("零")
	test.Tap(r.save)
	if visibleErr(a.settings.errs[casebook.RuleArrive]) == "" || h.Book.Settings().Rules.Merged != casebook.RuleOnce {
		t.Fatal("a bad number saved, or shows no error")
	}
	r.arrive.SetText("45")
	r.pause.SetChecked(true)
	test.Tap(r.save)
	s := h.Book.Settings()
	if s.Rules.Merged != casebook.RuleEach || s.Rules.Unevaluated != casebook.RuleSatisfied || s.Rules.ArriveMinutes != 45 || !s.Policy.PauseWhileReturned {
		t.Errorf("saved rules %+v, pause %v", s.Rules, s.Policy.PauseWhileReturned)
	}
}
