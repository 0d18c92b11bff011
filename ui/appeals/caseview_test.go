package appeals

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/words"
)

// TestEditFieldsUndo: field edits save only what changed, show problems by
// the field, and can be undone from the snackbar.
func TestEditFieldsUndo(t *testing.T) {
	var id string
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		id = addCase(t, b, casebook.CaseInput{Summary: "小区南门积水", Category: "道路设施", Building: "2号楼", Handler: "王明"}).ID
	})
	a.OpenCase(id)
	v := a.caseView
	test.Tap(v.editBtn)
	e := v.edit
	if !e.editing || e.entries[casebook.FieldSummary].Text != "小区南门积水" {
		t.Fatal("not editing")
	}
	// Invalid: an empty summary.
	e.entries[casebook.FieldSummary].SetText("")
	test.Tap(e.saveBtn)
	if got := visibleErr(e.errs[casebook.FieldSummary]); got != "请填写诉求摘要" {
		t.Errorf("summary error %q", got)
	}
	e.entries[casebook.FieldSummary].SetText("小区南门雨后积水")
	e.entries[casebook.FieldHandler].SetText("李华")
	ch, ferr := e.changes()
	if ferr != nil || len(ch) != 2 {
		t.Fatalf("changes %v %v", ch, ferr)
	}
	test.Tap(e.saveBtn)
	c, _ := a.Book.Case(id)
	if c.Summary() != "小区南门雨后积水" || c.Handler() != "李华" {
		t.Fatalf("after save: %q %q", c.Summary(), c.Handler())
	}
	if !a.h.Snack.Visible() || !a.h.Snack.Action.Visible() {
		t.Fatal("no undo offered")
	}
	test.Tap(a.h.Snack.Action)
	c, _ = a.Book.Case(id)
	if c.Summary() != "小区南门积水" || c.Handler() != "王明" {
		t.Errorf("after undo: %q %q", c.Summary(), c.Handler())
	}
	if a.caseView.c.Summary() != "小区南门积水" {
		t.Error("the view does not show the undone value")
	}
}

// TestConflictSettled: a concurrent edit from another device is shown for
// the user to settle, and settling it clears it.
func TestConflictSettled(t *testing.T) {
	var id string
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		c := addCase(t, b, casebook.CaseInput{Summary: "楼道灯坏了", Category: "物业管理", Handler: "王明"})
		id = c.ID
		// Another device changes the handler without seeing ours.
		other := casebook.Author{Origin: "other-device", Actor: "社区书记", Clock: casebook.NewClock(time.Now)}
		op, err := other.Set(c, map[string]string{casebook.FieldHandler: "张丽"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.SetFields(id, map[string]string{casebook.FieldHandler: "李华"}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Merge(op); err != nil {
			t.Fatal(err)
		}
	})
	c, _ := a.Book.Case(id)
	if len(c.Conflicts()) != 1 {
		t.Fatalf("setup: %d conflicts", len(c.Conflicts()))
	}
	// Today lists it; the ledger marks it.
	if len(a.today.conflicts) != 1 {
		t.Errorf("Today lists %d cases to settle", len(a.today.conflicts))
	}
	a.OpenCase(id)
	cf := c.Conflicts()[0]
	test.Tap(findButton(t, a.caseView.content, "改用另一值"))
	c, _ = a.Book.Case(id)
	if len(c.Conflicts()) != 0 || c.Handler() != cf.Value {
		t.Errorf("after settling: %d conflicts, handler %q (want %q)", len(c.Conflicts()), c.Handler(), cf.Value)
	}
}

// TestLinkCases: the link dialog links by number and explains an unknown one.
func TestLinkCases(t *testing.T) {
	var x, y *casebook.Case
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		x = addCase(t, b, casebook.CaseInput{Summary: "14号楼居民要求修步道", Category: "道路设施", Building: "14号楼"})
		y = addCase(t, b, casebook.CaseInput{Summary: "15号楼居民反对修步道", Category: "道路设施", Building: "15号楼"})
	})
	a.OpenCase(x.ID)
	test.Tap(a.caseView.linkBtn)
	lf := a.caseView.link
	test.Type(lf.target, "no-such-number")
	test.Tap(lf.ok)
	if got := visibleErr(lf.err); got != "没有这个编号的诉求" {
		t.Errorf("unknown number: %q", got)
	}
	lf.target.SetText(y.Number())
	lf.kind.SetSelected(words.LinkKindName(casebook.LinkOpposing))
	test.Tap(lf.ok)
	c, _ := a.Book.Case(x.ID)
	if len(c.Links) != 1 || c.Links[0].Target != y.ID || c.Links[0].Kind != casebook.LinkOpposing {
		t.Errorf("links %+v", c.Links)
	}
	// The link is a button to the other case.
	test.Tap(findButton(t, a.caseView.content, "对立："+y.Number()+"  "+y.Summary()))
	if a.caseView.c.ID != y.ID {
		t.Error("the link does not open the other case")
	}
}

// TestCaseNotFound: an unknown case shows a message, not a crash.
func TestCaseNotFound(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, nil)
	a.OpenCase("01JNOSUCHCASE0000000000000")
	if a.caseView == nil || a.caseView.errText == nil || a.caseView.errText.Text != "找不到该诉求。" {
		t.Error("no message for an unknown case")
	}
}
