package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// TestPanicKeepsTheForm: a panic in a callback of the new-appeal form is
// caught there (package guard), reported in a dialog in the user's
// language, and the form stays on show with what was typed.
func TestPanicKeepsTheForm(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, nil)
	a.NewAppeal()
	entries := uitest.All[*widget.Entry](w.Content())
	summary, phone := entryAfter(t, w, "诉求摘要"), entryAfter(t, w, "联系电话")
	test.Type(summary, "东门占道")
	test.Type(phone, "13812345678")
	// A bug behind the category box: its change handler panics.
	category := uitest.All[*widgets.PickEntry](w.Content())[0]
	category.OnPicked = func(string) { panic("a bug") }
	test.Type(category, "停")
	_ = entries

	top := w.Canvas().Overlays().Top()
	if top == nil || !containsLabel(top, "操作出错") {
		t.Fatal("no error dialog after the panic")
	}
	if a.shell.Selected() != screen.Appeals || a.appeals.OnLedger() || !a.appeals.Dirty() {
		t.Fatal("the form is no longer on show")
	}
	if summary.Text != "东门占道" || phone.Text != "13812345678" || category.Text != "停" {
		t.Fatalf("the form lost what was typed: %q %q %q", summary.Text, phone.Text, category.Text)
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

// entryAfter is the entry laid out right after the label reading label (a
// form's row).
func entryAfter(t *testing.T, w fyne.Window, label string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	seen := false
	uitest.Walk(w.Content(), func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.Text == label {
			seen = true
		}
		if e, ok := o.(*widget.Entry); ok && seen && found == nil {
			found = e
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no entry after %q", label)
	}
	return found
}
