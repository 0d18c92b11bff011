package appeals

import (
	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/screen"
	"casebook/ui/words"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestAppealThroughTheLoop is the main scenario: create an appeal
// through the form (an invalid attempt first, which shows inline errors and
// saves nothing), walk it round the closed loop to evaluation, and see the
// Today view and the metrics change.
func TestAppealThroughTheLoop(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, nil)
	book := a.Book

	if a.h.Current != screen.Today || a.today == nil {
		t.Fatal("the app does not start on Today")
	}
	before := a.today.month
	if before.Cases != 0 || before.Evaluated != 0 {
		t.Fatalf("empty casebook: this month %d cases, %d evaluated", before.Cases, before.Evaluated)
	}

	// Ctrl+N opens the form.
	a.NewAppeal() // Ctrl+N (the shortcut itself: ui.TestShortcuts)
	if a.h.Current != screen.Appeals || a.mode != modeForm || a.form == nil {
		t.Fatalf("Ctrl+N: section %v mode %v", a.h.Current, a.mode)
	}
	f := a.form
	if f.received.Text == "" || f.handler.Text != "王明" || f.channel.Selected == "" {
		t.Errorf("defaults: received %q handler %q channel %q", f.received.Text, f.handler.Text, f.channel.Selected)
	}

	// An invalid attempt: a 12345 dispatch without its work order and
	// without a summary, and a bad phone number.
	f.channel.SetSelected(words.ChannelName(casebook.Channel12345))
	test.Type(f.phone, "abc")
	test.Tap(f.saveBtn)
	if got := visibleErr(f.errs[casebook.FieldSummary]); got != "请填写诉求摘要" {
		t.Errorf("summary error %q", got)
	}
	if got := visibleErr(f.errs[casebook.FieldWorkOrder]); got != "12345派单须填写工单编号" {
		t.Errorf("work order error %q", got)
	}
	if got := visibleErr(f.errs[casebook.FieldPhone]); got == "" {
		t.Error("no phone error")
	}
	if got := visibleErr(f.errs[casebook.FieldCategory]); got != "请选择分类" {
		t.Errorf("category error %q", got)
	}
	if visibleErr(f.errs[casebook.FieldBuilding]) != "" {
		t.Error("the building, which is optional, shows an error")
	}
	if n := book.Store().Index().Len(); n != 0 {
		t.Fatalf("an invalid form saved %d cases", n)
	}
	if a.mode != modeForm {
		t.Fatal("an invalid form left the form")
	}

	// Correct it, using type-ahead for the category and the building.
	test.Type(f.summary, "14号楼顶层漏水，雨天屋内渗水")
	test.Type(f.workorder, "2026031512345678")
	test.Type(f.category, "老旧")
	if !f.category.Hint.Visible() || !strings.Contains(f.category.Hint.Text, "老旧小区改造") {
		t.Errorf("category type-ahead hint %q (visible %v)", f.category.Hint.Text, f.category.Hint.Visible())
	}
	// The summary named the building: it is suggested in the empty box.
	if f.building.Text != "14号楼" {
		t.Errorf("building suggested from the summary: %q", f.building.Text)
	}
	f.building.SetText("")
	test.Type(f.building, "14")
	f.building.OnSubmitted(f.building.Text) // Enter takes the unique match
	if f.building.Text != "14号楼" {
		t.Errorf("building after Enter: %q", f.building.Text)
	}
	f.phone.SetText("13800001111")
	test.Type(f.complainant, "张大爷")
	test.Tap(f.saveBtn)
	if n := book.Store().Index().Len(); n != 1 {
		t.Fatalf("after a valid save the casebook has %d cases: form error %q", n, visibleErr(f.formErr))
	}
	if a.mode != modeCase || a.caseView == nil || a.caseView.c == nil {
		t.Fatalf("after saving, mode %v", a.mode)
	}
	c := a.caseView.c
	if c.Category() != "老旧小区改造" || c.Building() != "14号楼" || c.Channel() != casebook.Channel12345 || c.Complainant() != "张大爷" {
		t.Errorf("saved case: category %q building %q channel %q complainant %q", c.Category(), c.Building(), c.Channel(), c.Complainant())
	}
	if !a.h.Snack.Visible() {
		t.Error("no confirmation after saving")
	}

	// Walk the loop. Each step is offered only when the loop allows it.
	step := func(act casebook.Action, fill func(s *stepForm)) {
		t.Helper()
		v := a.caseView
		b, ok := v.actions[act]
		if !ok {
			t.Fatalf("status %s: no %s button (offered: %v)", v.c.Status, act, keys(v.actions))
		}
		test.Tap(b)
		s := v.step
		if s == nil || s.action != act {
			t.Fatalf("%s: no step dialog", act)
		}
		if fill != nil {
			fill(s)
		}
		test.Tap(s.ok)
		if v.step == s {
			t.Fatalf("%s: dialog still open: %q %q %q", act, visibleErr(s.formErr), visibleErr(s.errs["note"]), visibleErr(s.errs["to"]))
		}
	}
	if _, ok := a.caseView.actions[casebook.ActEvaluate]; ok {
		t.Error("evaluation is offered on a new appeal")
	}
	step(casebook.ActRespond, nil)
	step(casebook.ActDispatch, func(s *stepForm) { s.to.SetText("物业公司") })

	// A progress note without text is refused inline, and nothing is recorded.
	v := a.caseView
	test.Tap(v.actions[casebook.ActProgress])
	s := v.step
	test.Tap(s.ok)
	if got := visibleErr(s.errs["note"]); got != "请填写内容" {
		t.Errorf("empty progress note: error %q", got)
	}
	if cur, _ := book.Case(c.ID); cur.Status != casebook.StatusDispatched || len(cur.Timeline) != 3 {
		t.Errorf("a refused step changed the case: %s, %d events", cur.Status, len(cur.Timeline))
	}
	test.Type(s.note, "物业已上门查看，安排防水维修")
	test.Tap(s.ok)

	step(casebook.ActResolve, func(s *stepForm) { test.Type(s.note, "屋面防水已修复") })
	step(casebook.ActFeedback, func(s *stepForm) { test.Type(s.note, "已电话告知居民") })
	step(casebook.ActEvaluate, func(s *stepForm) {
		s.solved.SetSelected(words.SolvedName(casebook.SolvedYes))
		s.satisfaction.SetSelected(words.SatisfactionName(casebook.Satisfied))
	})
	cur, _ := book.Case(c.ID)
	if cur.Status != casebook.StatusEvaluated || cur.Solved != casebook.SolvedYes || cur.Satisfaction != casebook.Satisfied {
		t.Fatalf("after the loop: %s %s %s", cur.Status, cur.Solved, cur.Satisfaction)
	}
	if len(a.caseView.timeline().(*fyne.Container).Objects) != 2*len(cur.Timeline) {
		t.Error("the timeline does not show every event")
	}
	if _, ok := a.caseView.actions[casebook.ActClose]; !ok {
		t.Error("close out is not offered after evaluation")
	}

	// Today shows the month's new figures.
	a.ShowSection(screen.Today) // Ctrl+1
	if a.h.Current != screen.Today {
		t.Fatal("Ctrl+1 did not show Today")
	}
	after := a.today.month
	if after.Cases != 1 || after.Evaluated != 1 || after.ResolutionRate == nil || *after.ResolutionRate != 1 {
		t.Errorf("Today this month: %d cases, %d evaluated, resolution %v", after.Cases, after.Evaluated, after.ResolutionRate)
	}
	if got := a.today.cards[1].value.Text; got != "100.0%" {
		t.Errorf("resolution card %q", got)
	}
	// One evaluated appeal: the rate says how few it rests on, greyed.
	if got := a.today.cards[1].count.Text; got != "n=1，样本少" || a.today.cards[1].value.Importance != widget.LowImportance {
		t.Errorf("resolution card count %q (importance %v)", got, a.today.cards[1].value.Importance)
	}
	if got := a.today.cards[3].value.Text; !strings.HasSuffix(got, "分") {
		t.Errorf("composite card %q, want a score in 分", got)
	}
	if got := a.today.cards[1].change.Text; got != "+40.0个百分点" {
		t.Errorf("resolution against the 60%% baseline: %q", got)
	}

}

func keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestIrreversibleStepsAsk: closing out, "cannot be resolved" and escalation
// say that they cannot be undone, in the dialog that records them.
func TestIrreversibleStepsAsk(t *testing.T) {
	var id string
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		id = addCase(t, b, casebook.CaseInput{Summary: "楼道堆物", Category: "环境卫生"}).ID
		if _, err := b.Step(id, casebook.Step{Action: casebook.ActRespond}); err != nil {
			t.Fatal(err)
		}
	})
	a.OpenCase(id)
	for _, act := range []casebook.Action{casebook.ActUnresolvable, casebook.ActEscalate} {
		test.Tap(a.caseView.actions[act])
		s := a.caseView.step
		if s.ok.Importance != widget.DangerImportance || !strings.Contains(dialogText(s), "不能撤销") {
			t.Errorf("%s: no warning that it cannot be undone", act)
		}
		s.close()
	}
	// Escalate: only levels above the current one are offered.
	test.Tap(a.caseView.actions[casebook.ActEscalate])
	s := a.caseView.step
	s.level.SetSelected(words.LevelName(casebook.LevelDistrict))
	test.Tap(s.ok)
	c, _ := a.Book.Case(id)
	if c.Escalation != casebook.LevelDistrict {
		t.Fatalf("escalation %q", c.Escalation)
	}
	test.Tap(a.caseView.actions[casebook.ActEscalate])
	if got := a.caseView.step.level.Options; len(got) != 1 || got[0] != words.LevelName(casebook.LevelCity) {
		t.Errorf("after escalating to the district, offered %q", got)
	}
}

// dialogText is the warning of a step dialog, if any.
func dialogText(s *stepForm) string {
	if s.warn == nil {
		return ""
	}
	return s.warn.Text
}
