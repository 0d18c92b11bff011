package disputes

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/words"
)

// otherDevice is a second device's author, which has seen everything b
// has written so far (its clock is past it, so its steps replay after
// them) but none of b's later changes.
func otherDevice(t *testing.T, b *store.Book) casebook.Author {
	t.Helper()
	c := casebook.NewClock(time.Now)
	if err := c.Observe(b.Clock().Last()); err != nil {
		t.Fatal(err)
	}
	return casebook.Author{Origin: "other-device", Actor: "社区书记", Clock: c}
}

// conflictButton finds the button labelled text in the conflict row whose
// line starts with field.
func conflictButton(t *testing.T, root fyne.CanvasObject, field, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		c, ok := o.(*fyne.Container)
		if !ok {
			if w, ok := o.(fyne.Widget); ok {
				for _, x := range test.WidgetRenderer(w).Objects() {
					walk(x)
				}
			}
			return
		}
		var line bool
		for _, x := range c.Objects {
			if l, ok := x.(*widget.Label); ok && strings.HasPrefix(l.Text, field) {
				line = true
			}
		}
		if line {
			for _, x := range c.Objects {
				if btns, ok := x.(*fyne.Container); ok {
					for _, b := range btns.Objects {
						if b, ok := b.(*widget.Button); ok && b.Text == text {
							found = b
						}
					}
				}
			}
		}
		for _, x := range c.Objects {
			walk(x)
		}
	}
	walk(root)
	if found == nil {
		t.Fatalf("no %q button in a conflict row %q", text, field)
	}
	return found
}

// conflictOn returns the conflict of d on a register key.
func conflictOn(d *casebook.Dispute, key string) (casebook.Conflict, bool) {
	for _, cf := range d.Conflicts() {
		if cf.Field == key {
			return cf, true
		}
	}
	return casebook.Conflict{}, false
}

// conflictsFixture is a dispute whose title, a party's position and a
// task's done mark were each changed on two devices at once.
type conflictsFixture struct {
	d     *casebook.Dispute
	party casebook.Party
	task  casebook.Task
}

func newConflictsFixture(t *testing.T, language string) (*testApp, *conflictsFixture) {
	t.Helper()
	var d *casebook.Dispute
	var party casebook.Party
	var task casebook.Task
	local, remote := time.Now().Add(-2*time.Hour).Truncate(time.Second), time.Now().Add(-26*time.Hour).Truncate(time.Second)
	a, _ := newTestApp(t, language, func(b *store.Book) {
		c1 := addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Building: "14号楼", Received: time.Now().Add(-72 * time.Hour)})
		c2 := addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Building: "15号楼", Received: time.Now().Add(-72 * time.Hour)})
		var err error
		if d, err = b.CreateDispute("坡地修路", "14号楼与15号楼之间", "", []string{c1.ID, c2.ID}); err != nil {
			t.Fatal(err)
		}
		if party, err = b.AddParty(d.ID, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding, Side: "A", Position: "修一条步道"}); err != nil {
			t.Fatal(err)
		}
		plan, err := b.AddPlan(d.ID, casebook.PlanVersion{Description: "沿坡地东侧修步道"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err = b.Agree(d.ID, plan.ID, []string{"14号楼居民代表"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if task, err = b.AddTask(d.ID, casebook.Task{Title: "平整坡地", Owner: "物业", Due: casebook.DateOf(time.Now()).AddDays(7)}); err != nil {
			t.Fatal(err)
		}
		// The other device edits from the same state as this one.
		base, err := b.Dispute(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		o := otherDevice(t, b)
		var ops []casebook.Op
		for _, mk := range []func() (casebook.Op, error){
			func() (casebook.Op, error) {
				return o.SetDisputeFields(base, map[string]string{casebook.DisputeFieldTitle: "坡地步道之争"})
			},
			func() (casebook.Op, error) {
				return o.SetParty(base, party.ID, map[string]string{casebook.PartyFieldPosition: "修两条步道"})
			},
			func() (casebook.Op, error) { return o.SetTaskDone(base, task.ID, true, remote) },
		} {
			op, err := mk()
			if err != nil {
				t.Fatal(err)
			}
			ops = append(ops, op)
		}
		if _, err := b.SetDisputeFields(d.ID, map[string]string{casebook.DisputeFieldTitle: "坡地修路纠纷"}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SetParty(d.ID, party.ID, map[string]string{casebook.PartyFieldPosition: "只修一条步道"}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SetTaskDone(d.ID, task.ID, true, local); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Merge(ops...); err != nil {
			t.Fatal(err)
		}
	})
	return a, &conflictsFixture{d: d, party: party, task: task}
}

// TestDisputeConflictsSettled: concurrent edits of a dispute field, a party
// field and a task's done mark are listed at the top of the workspace and
// on Today; "Use other" and "Keep shown" settle them, after which Today no
// longer lists the dispute.
func TestDisputeConflictsSettled(t *testing.T) {
	a, x := newConflictsFixture(t, words.LangChinese)
	d, party, task := x.d, x.party, x.task
	d = stored(t, a, d.ID)
	titleKey, partyKey, taskKey := casebook.DisputeFieldTitle, casebook.PartyKey(party.ID, casebook.PartyFieldPosition), casebook.TaskDoneKey(task.ID)
	if len(d.Conflicts()) != 3 {
		t.Fatalf("setup: %d conflicts: %+v", len(d.Conflicts()), d.Conflicts())
	}

	// Today lists the dispute (appeals.TestTodayListsDisputeConflicts)
	// by this count.
	if n := SettleableConflicts(d); n != 3 {
		t.Fatalf("settleable conflicts: %d", n)
	}
	a.OpenDispute(d.ID)

	// Each conflict is named readably, with both values.
	titleCf, _ := conflictOn(d, titleKey)
	partyCf, _ := conflictOn(d, partyKey)
	taskCf, _ := conflictOn(d, taskKey)
	for _, want := range []string{
		"纠纷名称：当前显示「" + titleCf.Shown + "」，另一设备为「" + titleCf.Value + "」",
		"当事方14号楼居民的诉求/立场：当前显示「" + partyCf.Shown + "」，另一设备为「" + partyCf.Value + "」",
		"任务“平整坡地”已完成：当前显示「" + doneText(taskCf.Shown) + "」，另一设备为「" + doneText(taskCf.Value) + "」",
	} {
		if !shows(a, want) {
			t.Errorf("the workspace does not show %q", want)
		}
	}

	// Use the other title.
	test.Tap(conflictButton(t, a.dispute.content, "纠纷名称：", "改用另一值"))
	d = stored(t, a, d.ID)
	if _, ok := conflictOn(d, titleKey); ok || d.Title() != titleCf.Value {
		t.Errorf("after using the other title: title %q (want %q), conflict left %v", d.Title(), titleCf.Value, ok)
	}
	// Keep the party's position shown.
	test.Tap(conflictButton(t, a.dispute.content, "当事方14号楼居民的诉求/立场：", "保留当前值"))
	d = stored(t, a, d.ID)
	if p, _ := d.Party(party.ID); p.Position != partyCf.Shown {
		t.Errorf("after keeping the position: %q (want %q)", p.Position, partyCf.Shown)
	}
	if _, ok := conflictOn(d, partyKey); ok {
		t.Error("the position conflict is left")
	}
	// The task was done on both devices, at different times: use the
	// other device's time, which SetTaskDone alone would refuse to write.
	test.Tap(conflictButton(t, a.dispute.content, "任务“平整坡地”已完成：", "改用另一值"))
	d = stored(t, a, d.ID)
	want, _ := time.Parse(time.RFC3339, taskCf.Value)
	if tk, _ := d.Task(task.ID); !tk.Done || !tk.DoneAt.Equal(want) {
		t.Errorf("after using the other mark: done %v at %v (want %v)", tk.Done, tk.DoneAt, want)
	}
	if len(d.Conflicts()) != 0 {
		t.Errorf("conflicts left: %+v", d.Conflicts())
	}
	if shows(a, "两台设备同时修改") {
		t.Error("the workspace still shows the conflicts box")
	}
	if n := SettleableConflicts(d); n != 0 {
		t.Errorf("Today would still list the dispute (%d)", n)
	}
}

// TestDisputeAgreementConflictSettled: two agreements made on two devices
// at once are settled by recording the chosen one again, at its own time.
func TestDisputeAgreementConflictSettled(t *testing.T) {
	var d *casebook.Dispute
	signed := time.Now().Add(-30 * time.Hour).Truncate(time.Second)
	a, _ := newTestApp(t, words.LangEnglish, func(b *store.Book) {
		c1 := addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Received: time.Now().Add(-72 * time.Hour)})
		c2 := addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Received: time.Now().Add(-72 * time.Hour)})
		var err error
		if d, err = b.CreateDispute("坡地修路", "", "", []string{c1.ID, c2.ID}); err != nil {
			t.Fatal(err)
		}
		plan, err := b.AddPlan(d.ID, casebook.PlanVersion{Description: "沿坡地东侧修步道"})
		if err != nil {
			t.Fatal(err)
		}
		base, _ := b.Dispute(d.ID)
		o := otherDevice(t, b)
		op, err := o.Agree(base, plan.ID, []string{"物业"}, signed)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Agree(d.ID, plan.ID, []string{"14号楼居民代表", "15号楼居民代表"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Merge(op); err != nil {
			t.Fatal(err)
		}
	})
	d = stored(t, a, d.ID)
	if len(d.Conflicts()) != 1 {
		t.Fatalf("setup: %d conflicts", len(d.Conflicts()))
	}
	heads := d.Agreements.Heads()
	a.OpenDispute(d.ID)
	var other casebook.Agreement
	if _, o, ok := agreementHeads(heads, d.Conflicts()[0]); !ok {
		t.Fatal("the agreements in conflict are not found")
	} else {
		other = o
	}
	test.Tap(conflictButton(t, a.dispute.content, "Agreement: ", "Use other"))
	d = stored(t, a, d.ID)
	if len(d.Conflicts()) != 0 || d.Agreement == nil || strings.Join(d.Agreement.SignedOff, ",") != strings.Join(other.SignedOff, ",") ||
		!d.Agreement.At.Equal(other.At) {
		t.Errorf("after using the other agreement: %d conflicts, agreement %+v (want %+v)", len(d.Conflicts()), d.Agreement, other)
	}
}

// TestDisputeAgreeTime: the agreement can be entered after the fact; a time
// ahead of the clock or before the first appeal is refused inline and
// nothing is saved.
func TestDisputeAgreeTime(t *testing.T) {
	var d *casebook.Dispute
	received := time.Now().Add(-10 * 24 * time.Hour)
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		c1 := addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Received: received})
		c2 := addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Received: received.Add(time.Hour)})
		var err error
		if d, err = b.CreateDispute("坡地修路", "", "", []string{c1.ID, c2.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err = b.AddParty(d.ID, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding}); err != nil {
			t.Fatal(err)
		}
		if _, err = b.AddPlan(d.ID, casebook.PlanVersion{Description: "沿坡地东侧修步道"}); err != nil {
			t.Fatal(err)
		}
	})
	a.OpenDispute(d.ID)
	v := act(t, a, string(casebook.DisputeActAgree))
	if got, want := v.form.entries["at"].Text, words.FmtTime(time.Now()); got != want && got != words.FmtTime(time.Now().Add(-time.Minute)) {
		t.Errorf("the time is prefilled with %q, not now (%q)", got, want)
	}
	for text, want := range map[string]string{
		words.FmtTime(time.Now().Add(time.Hour)):     "时间不能晚于现在。",
		words.FmtTime(received.Add(-24 * time.Hour)): "时间不能早于首件诉求的受理时间（" + words.FmtTime(received) + "）。",
		"昨天": "请按2026-03-02 14:30的格式填写时间。",
	} {
		v.form.entries["at"].SetText(text)
		if got := submitInvalid(t, v); got != want {
			t.Errorf("time %q: error %q, want %q", text, got, want)
		}
		if stored(t, a, d.ID).Agreement != nil {
			t.Fatalf("time %q: an agreement was saved", text)
		}
	}
	when := time.Now().Add(-3 * 24 * time.Hour).Truncate(time.Minute)
	fillForm(t, v, map[string]string{"at": words.FmtTime(when)})
	if ag := stored(t, a, d.ID).Agreement; ag == nil || !ag.At.Equal(when) {
		t.Errorf("agreement %+v, want at %v", ag, when)
	}
}

// TestDisputeVoteTime: a vote typed in days later is dated at its meeting
// (prefilled from the meeting chosen), and cannot be dated before it.
func TestDisputeVoteTime(t *testing.T) {
	var d *casebook.Dispute
	received := time.Now().Add(-10 * 24 * time.Hour)
	met := time.Now().Add(-3 * 24 * time.Hour).Truncate(time.Minute)
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		c1 := addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求在坡地修路", Category: "老旧小区改造", Received: received})
		c2 := addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对在窗下修路", Category: "老旧小区改造", Received: received.Add(time.Hour)})
		var err error
		if d, err = b.CreateDispute("坡地修路", "", "", []string{c1.ID, c2.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err = b.AddPlan(d.ID, casebook.PlanVersion{Description: "沿坡地东侧修步道", At: met.Add(-24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err = b.AddMeeting(d.ID, casebook.Meeting{At: met, Place: "社区活动室", Kind: casebook.MeetingConsultation}); err != nil {
			t.Fatal(err)
		}
	})
	a.OpenDispute(d.ID)
	v := act(t, a, dactVote)
	if got := v.form.entries["at"].Text; got != words.FmtTime(met) {
		t.Errorf("the vote time is prefilled with %q, not the meeting's %q", got, words.FmtTime(met))
	}
	fillCounts := map[string]string{"for": "21", "against": "2", "abstain": "1"}
	for k, val := range fillCounts {
		v.form.entries[k].SetText(val)
	}
	v.form.entries["at"].SetText(words.FmtTime(met.Add(-time.Hour)))
	if got, want := submitInvalid(t, v), "表决时间不能早于议事会。"; got != want {
		t.Errorf("before the meeting: error %q, want %q", got, want)
	}
	if n := len(stored(t, a, d.ID).Votes()); n != 0 {
		t.Fatalf("%d votes saved from an invalid form", n)
	}
	// A version drawn up on a later day than the meeting cannot be what it
	// voted on.
	if _, err := a.Book.AddPlan(d.ID, casebook.PlanVersion{Description: "改走西侧", Changes: "改走西侧", Reason: "东侧有树"}); err != nil {
		t.Fatal(err)
	}
	a.OpenDispute(d.ID)
	v = act(t, a, dactVote)
	for k, val := range fillCounts {
		v.form.entries[k].SetText(val)
	}
	if got := submitInvalid(t, v); !strings.HasPrefix(got, "第2版方案在这次议事会之后") {
		t.Errorf("a vote on a later version: error %q", got)
	}
	v.form.selects["plan"].SetSelectedIndex(0)
	fillForm(t, v, map[string]string{"at": words.FmtTime(met.Add(30 * time.Minute))})
	vs := stored(t, a, d.ID).Votes()
	if len(vs) != 1 || !vs[0].At.Equal(met.Add(30*time.Minute)) || vs[0].For != 21 {
		t.Errorf("votes %+v, want 21 for at %v", vs, met.Add(30*time.Minute))
	}
}
