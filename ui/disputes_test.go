package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
)

// fillForm sets the entries of the open step dialog and taps Save; the
// dialog must close.
func fillForm(t *testing.T, v *disputeView, values map[string]string) {
	t.Helper()
	f := v.form
	if f == nil {
		t.Fatal("no dialog open")
	}
	for k, val := range values {
		e, ok := f.entries[k]
		if !ok {
			t.Fatalf("the dialog has no %q field", k)
		}
		e.SetText(val)
	}
	test.Tap(f.ok)
	if f.errLbl.Visible() {
		t.Fatalf("dialog error: %q", f.errLbl.Text)
	}
}

// act taps a workspace action and returns the workspace after it.
func act(t *testing.T, a *App, key string) *disputeView {
	t.Helper()
	b, ok := a.dispute.actions[key]
	if !ok {
		keys := []string{}
		for k := range a.dispute.actions {
			keys = append(keys, k)
		}
		t.Fatalf("status %s: no %q action (offered %v)", a.dispute.d.Status, key, keys)
	}
	v := a.dispute
	test.Tap(b)
	return v
}

// TestDisputeWorkflow: create a dispute from two appeals picked in the
// checklist, add parties and two plan versions (and compare them), record a
// meeting with a vote, agree, add and complete a task, resolve and close
// the linked appeals.
func TestDisputeWorkflow(t *testing.T) {
	var c1, c2 *casebook.Case
	a, _ := newTestApp(t, LangChinese, func(b *store.Book) {
		c1 = addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Building: "14号楼"})
		c2 = addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Building: "15号楼"})
		addCase(t, b, casebook.CaseInput{Summary: "3号楼路灯不亮", Category: "环境卫生"})
	})
	a.ShowSection(SectionDisputes)
	l := a.disputes
	if l == nil || !l.empty.Visible() {
		t.Fatal("no empty disputes list")
	}
	test.Tap(l.newBtn)
	c := l.create
	if c == nil || len(c.shown) != 3 {
		t.Fatal("no create dialog with the appeals")
	}
	// Too few appeals is refused.
	c.title.SetText("14号楼与15号楼之间坡地修路")
	test.Type(c.search, "坡地")
	if len(c.shown) != 1 || c.shown[0].ID != c1.ID {
		t.Fatalf("search 坡地 shows %d", len(c.shown))
	}
	c.pick(c1.ID, true)
	test.Tap(c.ok)
	if visibleErr(c.errLbl) == "" {
		t.Fatal("a dispute with one appeal was accepted")
	}
	c.search.SetText(c2.Number())
	if len(c.shown) != 2 || c.shown[1].ID != c2.ID { // the picked one stays on top
		t.Fatalf("search by number shows %d", len(c.shown))
	}
	c.pick(c2.ID, true)
	c.place.SetText("14号楼与15号楼之间")
	test.Tap(c.ok)
	v := a.dispute
	if v == nil || v.d.Title() != "14号楼与15号楼之间坡地修路" || len(v.d.Cases) != 2 {
		t.Fatalf("no workspace after creating: %q", visibleErr(c.errLbl))
	}

	// Parties on two sides.
	act(t, a, dactParty)
	fillForm(t, a.dispute, map[string]string{"name": "14号楼居民", "side": "A", "position": "修一条步道", "interest": "老人多次摔倒"})
	act(t, a, dactParty)
	fillForm(t, a.dispute, map[string]string{"name": "15号楼居民", "side": "B", "position": "不要在窗下修路", "interest": "隐私和噪音"})
	if n := len(a.dispute.d.Parties()); n != 2 {
		t.Fatalf("%d parties", n)
	}

	// Two plan versions; a plan without a description is refused.
	act(t, a, string(casebook.DisputeActPlan))
	a.dispute.form.entries["description"].SetText("")
	test.Tap(a.dispute.form.ok)
	if visibleErr(a.dispute.form.errLbl) != "请描述方案。" {
		t.Errorf("empty plan: %q", visibleErr(a.dispute.form.errLbl))
	}
	fillForm(t, a.dispute, map[string]string{"title": "直线步道", "description": "沿坡地中线修直线步道\n一侧设扶手"})
	if a.dispute.d.Status != casebook.DisputeNegotiating {
		t.Fatalf("status after a plan: %s", a.dispute.d.Status)
	}
	act(t, a, string(casebook.DisputeActPlan))
	fillForm(t, a.dispute, map[string]string{"title": "弯道步道", "description": "绕开现有树木，中段转弯\n下端北移十余米\n一侧设扶手", "changes": "下端北移", "reason": "远离15号楼窗户"})
	v = a.dispute
	if v.diff == nil || len(v.diff.Objects) == 0 {
		t.Fatal("no comparison of the two versions")
	}
	var plus, minus bool
	for _, o := range v.diff.Objects {
		lbl := o.(*widget.Label)
		plus = plus || (strings.HasPrefix(lbl.Text, "+ ") && lbl.Importance == widget.SuccessImportance)
		minus = minus || (strings.HasPrefix(lbl.Text, "− ") && lbl.Importance == widget.DangerImportance)
	}
	if !plus || !minus {
		t.Error("the comparison does not mark added and removed lines")
	}

	// A meeting and a vote.
	act(t, a, dactMeeting)
	fillForm(t, a.dispute, map[string]string{"attendees": "14号楼居民 12\n15号楼居民 9\n物业 李经理", "minutes": "展示两版方案，举牌表决。"})
	act(t, a, dactVote)
	fillForm(t, a.dispute, map[string]string{"for": "19", "against": "1", "abstain": "1"})
	votes := a.dispute.d.Votes()
	if len(votes) != 1 || !votes[0].Passed() || votes[0].Plan != a.dispute.d.Plans()[1].ID {
		t.Fatalf("votes %+v", votes)
	}

	// Agree (on the version voted for), add a task, tick it.
	act(t, a, string(casebook.DisputeActAgree))
	fillForm(t, a.dispute, nil)
	if a.dispute.d.Status != casebook.DisputeAgreed || a.dispute.d.Agreement == nil {
		t.Fatalf("status after agreeing: %s", a.dispute.d.Status)
	}
	act(t, a, string(casebook.DisputeActTask))
	fillForm(t, a.dispute, map[string]string{"title": "修建23级台阶步道", "owner": "物业公司"})
	tasks := a.dispute.d.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("%d tasks", len(tasks))
	}
	a.dispute.tasks[tasks[0].ID].SetChecked(true)
	if !a.dispute.d.Tasks()[0].Done || a.dispute.d.Status != casebook.DisputeImplementing {
		t.Fatalf("after ticking: done %v, status %s", a.dispute.d.Tasks()[0].Done, a.dispute.d.Status)
	}

	// Resolve, with a confirmation; then close the linked appeals.
	v = act(t, a, string(casebook.DisputeActResolve))
	if v.confirm == nil {
		t.Fatal("resolving does not ask first")
	}
	v.confirmOK()
	if a.dispute.d.Status != casebook.DisputeResolved {
		t.Fatalf("status %s", a.dispute.d.Status)
	}
	v = act(t, a, dactClose)
	if v.confirm == nil {
		t.Fatal("closing does not ask first")
	}
	v.confirmOK()
	for _, id := range []string{c1.ID, c2.ID} {
		s, _ := a.book.Store().Index().Get(id)
		if s.Status != casebook.StatusClosed {
			t.Errorf("linked appeal %s is %s", s.Number, s.Status)
		}
	}
	if _, ok := a.dispute.actions[dactClose]; ok {
		t.Error("closing is still offered")
	}

	// The list shows it once resolved ones are shown.
	a.ShowDisputes()
	if len(a.disputes.items) != 0 {
		t.Error("a resolved dispute is listed by default")
	}
	a.disputes.resolved.SetChecked(true)
	if len(a.disputes.items) != 1 {
		t.Fatal("the resolved dispute is not listed")
	}
	a.disputes.list.Select(0)
	if a.dispute == nil || a.dispute.d.ID != v.d.ID {
		t.Error("a click does not open the dispute")
	}
}
