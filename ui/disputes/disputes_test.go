package disputes

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/screen"
	"casebook/ui/words"
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
func act(t *testing.T, a *testApp, key string) *disputeView {
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
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		c1 = addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Building: "14号楼"})
		c2 = addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Building: "15号楼"})
		addCase(t, b, casebook.CaseInput{Summary: "3号楼路灯不亮", Category: "环境卫生"})
	})
	a.ShowSection(screen.Disputes)
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
		s, _ := a.Book.Store().Index().Get(id)
		if s.Status != casebook.StatusClosed {
			t.Errorf("linked appeal %s is %s", s.Number, s.Status)
		}
	}
	if _, ok := a.dispute.actions[dactClose]; ok {
		t.Error("closing is still offered")
	}

	// The list shows it once resolved ones are shown.
	a.OpenDispute("")
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

// disputeFixture is a dispute on record with two linked appeals, two
// parties and a meeting, and two appeals not linked to it.
type disputeFixture struct {
	d                *casebook.Dispute
	linked1, linked2 *casebook.Case
	free1, free2     *casebook.Case
	party14, party15 casebook.Party
	meeting          casebook.Meeting
}

func newDisputeFixture(t *testing.T, language string) (*testApp, *disputeFixture) {
	t.Helper()
	x := &disputeFixture{}
	a, _ := newTestApp(t, language, func(b *store.Book) {
		x.linked1 = addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Building: "14号楼"})
		x.linked2 = addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Building: "15号楼"})
		x.free1 = addCase(t, b, casebook.CaseInput{Summary: "坡地又有老人摔倒", Category: "老旧小区改造", Building: "14号楼"})
		x.free2 = addCase(t, b, casebook.CaseInput{Summary: "3号楼路灯不亮", Category: "环境卫生", Building: "3号楼"})
		var err error
		x.d, err = b.CreateDispute("坡地修路", "14号楼与15号楼之间", "", []string{x.linked1.ID, x.linked2.ID})
		if err != nil {
			t.Fatal(err)
		}
		x.party14, err = b.AddParty(x.d.ID, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding, Building: "14号楼", Side: "A",
			Position: "修一条步道", Interest: "老人多次摔倒"})
		if err != nil {
			t.Fatal(err)
		}
		x.party15, err = b.AddParty(x.d.ID, casebook.Party{Name: "15号楼居民", Kind: casebook.PartyBuilding, Building: "15号楼", Side: "B",
			Position: "不要在窗下修路", Interest: "隐私和噪音"})
		if err != nil {
			t.Fatal(err)
		}
		x.meeting, err = b.AddMeeting(x.d.ID, casebook.Meeting{Place: "小院议事厅", Kind: casebook.MeetingCourtyard, Minutes: "展示第一版方案。"})
		if err != nil {
			t.Fatal(err)
		}
	})
	a.OpenDispute(x.d.ID)
	if a.dispute == nil || a.dispute.d.ID != x.d.ID {
		t.Fatal("the workspace did not open")
	}
	return a, x
}

// stored reads the dispute back from the book.
func stored(t *testing.T, a *testApp, id string) *casebook.Dispute {
	t.Helper()
	d, err := a.Book.Dispute(id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// shows reports whether a label in the workspace says text.
func shows(a *testApp, text string) bool {
	for _, l := range labelTexts(a.dispute.content) {
		if l == text {
			return true
		}
	}
	return false
}

// submitInvalid taps Save on the open dialog and returns the inline error;
// the dialog must stay open.
func submitInvalid(t *testing.T, v *disputeView) string {
	t.Helper()
	f := v.form
	if f == nil {
		t.Fatal("no dialog open")
	}
	test.Tap(f.ok)
	if v.form != f {
		t.Fatal("the dialog closed on an invalid entry")
	}
	return visibleErr(f.errLbl)
}

// TestDisputeEditDetails: the title, place and summary are changed in a
// dialog filled with the values on record; an empty or too long title is
// refused inline and saves nothing; only the fields changed are written.
func TestDisputeEditDetails(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangChinese)
	v := act(t, a, dactEdit)
	if got := v.form.entries[casebook.DisputeFieldTitle].Text; got != "坡地修路" {
		t.Fatalf("the dialog shows the title %q", got)
	}
	v.form.entries[casebook.DisputeFieldTitle].SetText("  ")
	if got := submitInvalid(t, v); got != "请填写纠纷名称。" {
		t.Errorf("empty title: %q", got)
	}
	v.form.entries[casebook.DisputeFieldTitle].SetText(strings.Repeat("坡", 201))
	if got := submitInvalid(t, v); got != "不能超过200个字。" {
		t.Errorf("long title: %q", got)
	}
	if d := stored(t, a, x.d.ID); d.Title() != "坡地修路" || len(d.Registers[casebook.DisputeFieldTitle].Versions) != 1 {
		t.Fatalf("a refused edit was saved: %q", d.Title())
	}
	before := len(stored(t, a, x.d.ID).Registers[casebook.DisputeFieldPlace].Versions)
	fillForm(t, v, map[string]string{
		casebook.DisputeFieldTitle:   "14号楼与15号楼之间坡地修路",
		casebook.DisputeFieldSummary: "14号楼居民要求修路，15号楼居民担心隐私。",
	})
	d := stored(t, a, x.d.ID)
	if d.Title() != "14号楼与15号楼之间坡地修路" || d.Summary() != "14号楼居民要求修路，15号楼居民担心隐私。" || d.Place() != "14号楼与15号楼之间" {
		t.Errorf("stored: %q, %q, %q", d.Title(), d.Place(), d.Summary())
	}
	if n := len(d.Registers[casebook.DisputeFieldPlace].Versions); n != before {
		t.Errorf("the unchanged place was written again (%d versions, was %d)", n, before)
	}
	if !shows(a, "14号楼与15号楼之间坡地修路") || !shows(a, "14号楼与15号楼之间——14号楼居民要求修路，15号楼居民担心隐私。") {
		t.Errorf("the workspace does not show the new title and summary: %q", labelTexts(a.dispute.content))
	}
}

// TestDisputeEditParty: a party's "Edit" button opens its fields; an empty
// name is refused inline; a changed position, side and kind are stored and
// shown, and the other party is untouched.
func TestDisputeEditParty(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangChinese)
	b := a.dispute.parties[x.party15.ID]
	if b == nil || b.Text != "编辑" || len(a.dispute.parties) != 2 {
		t.Fatalf("no edit button per party: %v", a.dispute.parties)
	}
	v := a.dispute
	test.Tap(b)
	f := v.form
	if f == nil || f.entries[casebook.PartyFieldPosition].Text != "不要在窗下修路" || f.selects[casebook.PartyFieldKind].Selected != "楼栋" {
		t.Fatal("the dialog does not show the party as recorded")
	}
	f.entries[casebook.PartyFieldName].SetText("")
	if got := submitInvalid(t, v); got != "请填写当事方名称。" {
		t.Errorf("empty name: %q", got)
	}
	if p, _ := stored(t, a, x.d.ID).Party(x.party15.ID); p != x.party15 {
		t.Fatalf("a refused edit was saved: %+v", p)
	}
	f.selects[casebook.PartyFieldKind].SetSelected("居民户")
	fillForm(t, v, map[string]string{
		casebook.PartyFieldName:     "15号楼居民",
		casebook.PartyFieldPosition: "下端北移、远离窗户即可同意",
		casebook.PartyFieldInterest: "隐私和噪音；夜间照明不要照进窗户",
	})
	d := stored(t, a, x.d.ID)
	p, _ := d.Party(x.party15.ID)
	want := x.party15
	want.Kind, want.Position, want.Interest = casebook.PartyHousehold, "下端北移、远离窗户即可同意", "隐私和噪音；夜间照明不要照进窗户"
	if p != want {
		t.Errorf("stored party %+v, want %+v", p, want)
	}
	if other, _ := d.Party(x.party14.ID); other != x.party14 {
		t.Errorf("the other party changed: %+v", other)
	}
	if r := d.Registers[casebook.PartyKey(x.party15.ID, casebook.PartyFieldName)]; r == nil || len(r.Versions) != 1 {
		t.Error("the unchanged name was written again")
	}
	if !shows(a, "诉求：下端北移、远离窗户即可同意") || !shows(a, "15号楼居民 · 居民户 · 15号楼") {
		t.Error("the workspace does not show the changed party")
	}
}

// TestDisputeAppendMinutes: "Add to minutes" writes additions to a
// meeting's minutes, which are shown after the minutes in the order
// written; an empty addition is refused inline.
func TestDisputeAppendMinutes(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangChinese)
	b := a.dispute.minutes[x.meeting.ID]
	if b == nil || b.Text != "追加纪要" {
		t.Fatal("no 追加纪要 button on the meeting")
	}
	v := a.dispute
	test.Tap(b)
	test.Type(v.form.entries["text"], "  ")
	if got := submitInvalid(t, v); got != "请填写要补充的纪要内容。" {
		t.Errorf("empty addition: %q", got)
	}
	if m, _ := stored(t, a, x.d.ID).Meeting(x.meeting.ID); len(m.Addenda) != 0 {
		t.Fatal("an empty addition was saved")
	}
	v.form.entries["text"].SetText("")
	test.Type(v.form.entries["text"], "物业承诺下周出第二版方案。")
	test.Tap(v.form.ok)
	if a.dispute.form != nil {
		t.Fatalf("dialog error: %q", visibleErr(v.form.errLbl))
	}
	test.Tap(a.dispute.minutes[x.meeting.ID])
	fillForm(t, a.dispute, map[string]string{"text": "15号楼居民代表补充：希望加装扶手。"})
	m, _ := stored(t, a, x.d.ID).Meeting(x.meeting.ID)
	if len(m.Addenda) != 2 || m.Addenda[0].Text != "物业承诺下周出第二版方案。" || m.Addenda[1].Text != "15号楼居民代表补充：希望加装扶手。" || m.Minutes != "展示第一版方案。" {
		t.Fatalf("stored minutes %q, addenda %+v", m.Minutes, m.Addenda)
	}
	day := words.FmtDay(m.Addenda[0].At)
	want := []string{"展示第一版方案。", day + "补充：物业承诺下周出第二版方案。", day + "补充：15号楼居民代表补充：希望加装扶手。"}
	var got []string
	for _, l := range labelTexts(a.dispute.content) {
		for _, w := range want {
			if l == w {
				got = append(got, l)
			}
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the workspace shows %q, want %q", got, want)
	}
}

// tickAppeal ticks an appeal in the checklist as a click on its row does.
func tickAppeal(t *testing.T, p *appealPicker, id string) {
	t.Helper()
	for i, s := range p.shown {
		if s.ID == id {
			row := p.list.CreateItem()
			p.list.UpdateItem(i, row)
			test.Tap(row.(*widget.Check))
			return
		}
	}
	t.Fatalf("appeal %s is not in the checklist", id)
}

// TestDisputeLinkAppeals: "Link more appeals" opens the appeals checklist
// without the appeals linked already; linking none is refused inline;
// the appeal picked is linked and listed; once every appeal is linked the
// button is gone.
func TestDisputeLinkAppeals(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangChinese)
	v := act(t, a, dactLink)
	p := v.linker
	if p == nil || len(p.all) != 2 {
		t.Fatalf("the checklist offers %d appeals, want the 2 not linked", len(p.all))
	}
	for _, s := range p.all {
		if s.ID == x.linked1.ID || s.ID == x.linked2.ID {
			t.Errorf("the checklist offers %s, linked already", s.Number)
		}
	}
	test.Type(p.search, x.linked1.Number())
	if len(p.shown) != 0 {
		t.Errorf("searching a linked appeal's number shows %d", len(p.shown))
	}
	if got := submitInvalid(t, v); got != "请至少选择一件诉求。" {
		t.Errorf("nothing picked: %q", got)
	}
	if n := len(stored(t, a, x.d.ID).Cases); n != 2 {
		t.Fatalf("%d appeals linked after a refused link", n)
	}
	p.search.SetText("")
	test.Type(p.search, "摔倒")
	if len(p.shown) != 1 || p.shown[0].ID != x.free1.ID {
		t.Fatalf("search 摔倒 shows %d", len(p.shown))
	}
	tickAppeal(t, p, x.free1.ID)
	if p.count.Text != "已选1件诉求" {
		t.Errorf("count %q", p.count.Text)
	}
	fillForm(t, v, nil)
	d := stored(t, a, x.d.ID)
	if len(d.Cases) != 3 || d.Cases[2] != x.free1.ID {
		t.Fatalf("linked %v", d.Cases)
	}
	s, _ := a.Book.Store().Index().Get(x.free1.ID)
	findButton(t, a.dispute.content, s.Number+" "+words.StatusName(s.Status))

	// The last appeal not linked; then nothing is left to link.
	v = act(t, a, dactLink)
	if len(v.linker.all) != 1 || v.linker.all[0].ID != x.free2.ID {
		t.Fatalf("the checklist offers %d appeals", len(v.linker.all))
	}
	tickAppeal(t, v.linker, x.free2.ID)
	fillForm(t, v, nil)
	if _, ok := a.dispute.actions[dactLink]; ok {
		t.Error("linking is offered with every appeal linked")
	}
	a.OpenDispute("")
	if len(a.disputes.items) != 1 || a.disputes.items[0].Cases != 4 {
		t.Errorf("the list shows %+v", a.disputes.items)
	}
}

// TestDisputeRecordEditsWhenResolved: the domain lets a resolved dispute's
// record be corrected and completed, so the four edits stay offered (in
// English here) after resolving, while adding parties and meetings stops;
// an addition to the minutes is saved.
func TestDisputeRecordEditsWhenResolved(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangEnglish)
	plan, err := a.Book.AddPlan(x.d.ID, casebook.PlanVersion{Description: "弯道步道"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Book.Agree(x.d.ID, plan.ID, []string{"14号楼居民", "15号楼居民"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Book.Resolve(x.d.ID, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	a.OpenDispute(x.d.ID)
	v := a.dispute
	if v.d.Status != casebook.DisputeResolved {
		t.Fatalf("status %s", v.d.Status)
	}
	for key, text := range map[string]string{dactEdit: "Edit details", dactLink: "Link more appeals"} {
		if b := v.actions[key]; b == nil || b.Text != text {
			t.Errorf("no %q button when resolved", text)
		}
	}
	for _, key := range []string{dactParty, dactMeeting} {
		if _, ok := v.actions[key]; ok {
			t.Errorf("%s offered when resolved", key)
		}
	}
	if b := v.parties[x.party14.ID]; b == nil || b.Text != "Edit" {
		t.Error("no party Edit button when resolved")
	}
	b := v.minutes[x.meeting.ID]
	if b == nil || b.Text != "Add to minutes" {
		t.Fatal("no Add to minutes button when resolved")
	}
	test.Tap(b)
	test.Tap(v.form.ok)
	if got := visibleErr(v.form.errLbl); got != "Write what to add to the minutes." {
		t.Errorf("empty addition in English: %q", got)
	}
	fillForm(t, v, map[string]string{"text": "会后补记：步道已完工验收。"})
	if m, _ := stored(t, a, x.d.ID).Meeting(x.meeting.ID); len(m.Addenda) != 1 {
		t.Fatal("the addition to a resolved dispute's minutes was not saved")
	}
	if !shows(a, "Added "+words.FmtDay(time.Now())+": 会后补记：步道已完工验收。") {
		t.Error("the addition is not shown")
	}
}

// TestDisputeEditErrorTexts: the domain's refusals of the four edits have
// translations of their own, not the generic sentence.
func TestDisputeEditErrorTexts(t *testing.T) {
	if err := words.SetLanguage(words.LangChinese); err != nil {
		t.Fatal(err)
	}
	au := casebook.Author{Origin: "d", Clock: casebook.NewClock(time.Now)}
	c1, c2 := casebook.NewID(time.Now()), casebook.NewID(time.Now())
	op, err := au.NewDispute("坡地修路", "", "", []string{c1, c2})
	if err != nil {
		t.Fatal(err)
	}
	d := casebook.NewDispute(op.Entity)
	apply := func(op casebook.Op, err error) casebook.Op {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Apply(&op); err != nil {
			t.Fatal(err)
		}
		return op
	}
	apply(op, nil)
	party := apply(au.AddParty(d, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding}))
	meeting := apply(au.AddMeeting(d, casebook.Meeting{Place: "小院议事厅", Kind: casebook.MeetingCourtyard}))
	generic := words.FieldErrorText(&casebook.FieldError{Field: "x", Msg: "?"})
	for _, c := range []struct {
		err  error
		want string
	}{
		{second(au.SetDisputeFields(d, map[string]string{casebook.DisputeFieldTitle: ""})), "请填写纠纷名称。"},
		{second(au.SetDisputeFields(d, map[string]string{casebook.DisputeFieldSummary: strings.Repeat("长", 5001)})), "不能超过5,000个字。"},
		{second(au.SetParty(d, party.ID, map[string]string{casebook.PartyFieldName: ""})), "请填写当事方名称。"},
		{second(au.SetParty(d, party.ID, map[string]string{casebook.PartyFieldSide: strings.Repeat("甲", 65)})), "不能超过64个字。"},
		{second(au.AppendMinutes(d, meeting.ID, " ")), "请填写要补充的纪要内容。"},
		{second(au.LinkCase(d, c1)), "所选诉求均已关联。"},
	} {
		fes := words.FieldErrors(c.err)
		if len(fes) != 1 {
			t.Errorf("%v: %d field errors", c.err, len(fes))
			continue
		}
		got := words.DisputeFieldErrorText(fes[0])
		if got == generic || got != c.want {
			t.Errorf("%q: %q, want %q", fes[0].Msg, got, c.want)
		}
		if msg := words.DisputeErrorMessage(c.err); msg != c.want {
			t.Errorf("%v shown as %q", c.err, msg)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestDisputeReopenInTheApp: a resolved dispute says why it takes no new
// steps and offers 重新打开, which asks for the reason; with it, the
// dispute is negotiating again and the reason is in its record.
func TestDisputeReopenInTheApp(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangChinese)
	plan, err := a.Book.AddPlan(x.d.ID, casebook.PlanVersion{Description: "弯道步道"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Book.Agree(x.d.ID, plan.ID, []string{"14号楼居民"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Book.Resolve(x.d.ID, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	a.OpenDispute(x.d.ID)
	if !shows(a, "已化解：记录仍可更正，但不再新增当事方、议事会、方案或步骤。如矛盾再起，请“重新打开”并写明原因。") {
		t.Error("the resolved dispute does not say why it takes no new steps")
	}
	v := act(t, a, string(casebook.DisputeActReopen))
	if got := submitInvalid(t, v); got != "请写明重新打开的原因。" {
		t.Errorf("reopen without a reason: %q", got)
	}
	fillForm(t, v, map[string]string{"note": "台阶雨天湿滑，又有老人摔倒"})
	d := stored(t, a, x.d.ID)
	if d.Status != casebook.DisputeNegotiating || d.Log[len(d.Log)-1].Note != "台阶雨天湿滑，又有老人摔倒" {
		t.Fatalf("after reopening: %s, last step %q", d.Status, d.Log[len(d.Log)-1].Note)
	}
}
