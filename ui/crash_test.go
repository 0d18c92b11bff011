package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/uitest"
)

// pickFromDropDown taps the ▼ of a pick-list box and then the option
// named, as a person does with the mouse, on a driver that finds a canvas
// only for objects in the window (uitest.NewStrictApp).
func pickFromDropDown(t *testing.T, w fyne.Window, p *pickEntry, option string) {
	t.Helper()
	arrow, ok := p.ActionItem.(*widget.Button)
	if !ok {
		t.Fatalf("the pick-list has no drop-down button (%T)", p.ActionItem)
	}
	test.Tap(arrow)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("the drop-down did not open")
	}
	item := uitest.FindTappable(top, option)
	if item == nil {
		t.Fatalf("the drop-down does not list %q", option)
	}
	test.Tap(item)
	if got := p.Text; got != option {
		t.Fatalf("picked %q, the box reads %q", option, got)
	}
}

// TestPickListDropDowns: the ▼ of 分类 and 楼号 in the new-appeal form and
// in 修改信息 opens the list and takes the option clicked. (On the desktop
// the drop-down asked for the canvas of an object that was not in the
// window, got nil and closed the app.)
func TestPickListDropDowns(t *testing.T) {
	var c *casebook.Case
	a, w := newStrictTestApp(t, LangChinese, func(b *store.Book) {
		c = addCase(t, b, casebook.CaseInput{Summary: "东门占道", Category: "环境卫生", Building: "3号楼"})
	})
	a.NewAppeal()
	f := a.form
	pickFromDropDown(t, w, f.category, "停车管理")
	pickFromDropDown(t, w, f.building, "14号楼")
	if in, _ := f.input(); in.Category != "停车管理" || in.Building != "14号楼" {
		t.Fatalf("form input: category %q building %q", in.Category, in.Building)
	}

	a.OpenCase(c.ID)
	test.Tap(a.caseView.editBtn)
	e := a.caseView.edit
	pickFromDropDown(t, w, e.picks[casebook.FieldCategory], "停车管理")
	pickFromDropDown(t, w, e.picks[casebook.FieldBuilding], "14号楼")
}

// TestDisputesShowResolvedThenBack: ticking 显示已化解的, opening a dispute
// and going back to the list shows the list with the resolved ones (it
// dereferenced a nil label).
func TestDisputesShowResolvedThenBack(t *testing.T) {
	a, x := newDisputeFixture(t, LangChinese)
	a.ShowDisputes()
	test.Tap(a.disputes.resolved)
	if !a.showResolved {
		t.Fatal("the tick did not take")
	}
	a.OpenDispute(x.d.ID)
	a.ShowSection(SectionToday)
	a.ShowSection(SectionDisputes)
	if a.disputes == nil || !a.disputes.resolved.Checked || len(a.disputes.items) == 0 {
		t.Fatal("the list did not come back with resolved disputes shown")
	}
}

// TestPanicKeepsTheForm: a panic in a callback of the new-appeal form is
// caught there (package guard), reported in a dialog in the user's
// language, and the form stays on show with what was typed.
func TestPanicKeepsTheForm(t *testing.T) {
	a, w := newTestApp(t, LangChinese, nil)
	a.NewAppeal()
	f := a.form
	test.Type(f.summary, "东门占道")
	test.Type(f.phone, "13812345678")
	// A bug behind the category box: its change handler panics.
	f.category.OnPicked = func(string) { panic("a bug") }
	test.Type(f.category, "停")

	top := w.Canvas().Overlays().Top()
	if top == nil || !containsLabel(top, "操作出错") {
		t.Fatal("no error dialog after the panic")
	}
	if a.form != f || a.shell.Selected() != SectionAppeals || a.mode != modeForm {
		t.Fatal("the form is no longer on show")
	}
	if f.summary.Text != "东门占道" || f.phone.Text != "13812345678" || f.category.Text != "停" {
		t.Fatalf("the form lost what was typed: %q %q %q", f.summary.Text, f.phone.Text, f.category.Text)
	}
}

// containsLabel reports whether a label or text below root reads s.
func containsLabel(root fyne.CanvasObject, s string) bool {
	found := false
	uitest.Walk(root, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.Text == s {
			found = true
		}
		return !found
	})
	return found
}
