package appeals

import (
	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/widgets"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// pickFromDropDown taps the ▼ of a pick-list box and then the option
// named, as a person does with the mouse, on a driver that finds a canvas
// only for objects in the window (uitest.NewStrictApp).
func pickFromDropDown(t *testing.T, w fyne.Window, p *widgets.PickEntry, option string) {
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
	a, w := newTestAppWith(t, screentest.Options{Strict: true}, func(b *store.Book) {
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
