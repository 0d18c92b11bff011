package appeals

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/uitest"
	"casebook/ui/words"
)

// TestRuleStepsInTheCaseView walks the 12345 rules' dialogs in the case
// view: each offered only when it fits, a refusal shown by its input, and
// what stands shown above the fields.
func TestRuleStepsInTheCaseView(t *testing.T) {
	var x, y *casebook.Case
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		x = addCase(t, b, casebook.CaseInput{Summary: "东门消防通道被占", Category: "停车管理", Building: "14号楼"})
		y = addCase(t, b, casebook.CaseInput{Summary: "东门消防通道又被占", Category: "停车管理", Building: "14号楼"})
	})
	a.OpenCase(x.ID)
	v := a.caseView
	if v.actions[casebook.ActReturnDecided] != nil || v.actions[casebook.ActArrive] != nil || v.actions[casebook.ActWhistle] != nil {
		t.Fatal("a decision, a report or a whistle offered on a new appeal")
	}
	// 退单, then the hotline refuses it.
	test.Tap(v.actions[casebook.ActReturn])
	f := v.rule
	test.Tap(f.ok)
	if got := visibleErr(f.errs["reason"]); got == "" {
		t.Error("a return without a reason shows no error by the reason")
	}
	test.Type(f.note, "属邻近社区职责")
	test.Type(f.text, "西城社区")
	test.Tap(f.ok)
	v = a.caseView
	if v.actions[casebook.ActReturn] != nil || v.actions[casebook.ActReturnDecided] == nil {
		t.Fatal("after a return: its decision not offered, or a second return offered")
	}
	test.Tap(v.actions[casebook.ActReturnDecided])
	v.rule.decision.SetSelected(words.DecisionName(casebook.DecisionRefused))
	test.Tap(v.rule.ok)
	c, _ := a.Book.Case(x.ID)
	if c.Pending != 0 || c.Status != casebook.StatusReceived {
		t.Fatalf("after the refusal: %+v", c)
	}
	// Sign for it, then whistle, a report and the joint result.
	v = a.caseView
	test.Tap(v.actions[casebook.ActRespond])
	test.Tap(v.step.ok)
	v = a.caseView
	test.Tap(v.actions[casebook.ActWhistle])
	test.Type(v.rule.text, "城管，消防")
	test.Tap(v.rule.ok)
	v = a.caseView
	test.Tap(v.actions[casebook.ActArrive])
	if got := v.rule.dept.Options; len(got) != 2 {
		t.Fatalf("departments to report: %v", got)
	}
	test.Tap(v.rule.ok)
	v = a.caseView
	test.Tap(v.actions[casebook.ActWhistleResult])
	v.rule.ratings[0].SetSelected(words.SatisfactionName(casebook.Satisfied))
	test.Type(v.rule.note, "联合清理完毕")
	test.Tap(v.rule.ok)
	c, _ = a.Book.Case(x.ID)
	if len(c.Whistle) != 2 || c.Whistle[0].Arrived.IsZero() || c.Whistle[0].Rating != casebook.Satisfied {
		t.Fatalf("whistle: %+v", c.Whistle)
	}
	// An extension to a day that does not run past the deadline is refused by the day.
	v = a.caseView
	test.Tap(v.actions[casebook.ActExtend])
	test.Type(v.rule.note, "需协调产权单位")
	test.Type(v.rule.until, "2020-01-01")
	test.Tap(v.rule.ok)
	if got := visibleErr(v.rule.errs["until"]); got == "" {
		t.Error("an extension to the past shows no error by the day")
	}
	v.rule.dlg.Hide()
	// Merge the repeat into it from the repeat's view.
	a.OpenCase(y.ID)
	v = a.caseView
	test.Tap(v.actions[casebook.ActMerge])
	test.Type(v.rule.text, x.Number())
	test.Tap(v.rule.ok)
	if got := a.caseView.ruleState(); got == nil {
		t.Fatal("the merged appeal shows no rule state")
	}
	m, _ := a.Book.Case(y.ID)
	if m.MergedInto != x.ID {
		t.Errorf("merged into %q", m.MergedInto)
	}
	// The main appeal shows its group and its departments.
	a.OpenCase(x.ID)
	text := strings.Join(uitest.LabelTexts(a.caseView.content), "\n")
	for _, want := range []string{"主单，并入：" + y.Number(), "吹哨：城管", "尚未报到"} {
		if !strings.Contains(text, want) {
			t.Errorf("case view lacks %q", want)
		}
	}
}

// TestEvaluateWithoutVerdict: the evaluation dialog records a callback
// that brought no verdict.
func TestEvaluateWithoutVerdict(t *testing.T) {
	var x *casebook.Case
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		x = addCase(t, b, casebook.CaseInput{Summary: "楼道灯不亮", Category: "物业管理"})
		for _, st := range []casebook.Step{{Action: casebook.ActRespond}, {Action: casebook.ActResolve}, {Action: casebook.ActFeedback}} {
			if _, err := b.Step(x.ID, st); err != nil {
				t.Fatal(err)
			}
		}
	})
	a.OpenCase(x.ID)
	test.Tap(a.caseView.actions[casebook.ActEvaluate])
	s := a.caseView.step
	s.callback.SetSelected(words.CallbackName(casebook.CallbackUnreachable))
	if !s.solved.Disabled() {
		t.Error("the verdicts stay enabled for a callback without one")
	}
	test.Tap(s.ok)
	c, _ := a.Book.Case(x.ID)
	if c.Status != casebook.StatusEvaluated || c.Callback != casebook.CallbackUnreachable {
		t.Errorf("status %s callback %q", c.Status, c.Callback)
	}
}
