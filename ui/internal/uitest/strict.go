// Package uitest holds helpers for the user interface's headless tests.
//
// Fyne's test driver finds the canvas of any object by "cheating": it
// returns the last window's canvas whatever it is asked about. The desktop
// driver (GLFW) finds it only for objects that are really in a window's
// tree, and a widget that asks for the canvas of an object that is not (an
// embedded widget registered under the wrong object, a widget torn out of
// the tree between a tap and its callback) gets nil and, in pop-ups, a
// crash. StrictApp gives tests the desktop driver's answer, so that such a
// crash happens in a test too.
package uitest

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// strictApp is a test app whose driver answers CanvasForObject as the
// desktop driver does.
type strictApp struct {
	fyne.App
	drv *strictDriver
}

func (a *strictApp) Driver() fyne.Driver { return a.drv }

// strictDriver is the test driver with CanvasForObject looking the object
// up in each window's trees (content, overlays and the main menu bar's
// pop-ups are overlays too).
type strictDriver struct {
	fyne.Driver
	// walking is set while a lookup walks the trees: walking makes missing
	// renderers, which ask for their canvas in turn; those nested questions
	// get the test driver's answer.
	walking bool
}

// CanvasForObject returns the canvas whose tree holds o, or nil.
func (d *strictDriver) CanvasForObject(o fyne.CanvasObject) fyne.Canvas {
	if d.walking {
		return d.Driver.CanvasForObject(o)
	}
	d.walking = true
	defer func() { d.walking = false }()
	for _, w := range d.AllWindows() {
		c := w.Canvas()
		if c == nil {
			continue
		}
		if Holds(c.Content(), o) {
			return c
		}
		for _, ov := range c.Overlays().List() {
			if Holds(ov, o) {
				return c
			}
		}
	}
	return nil
}

// NewStrictApp returns a test app (torn down at the end of the test) whose
// driver finds an object's canvas only if the object is in a window, as
// the desktop driver does, and makes it the current app.
func NewStrictApp(t testing.TB) fyne.App {
	base := test.NewTempApp(t)
	a := &strictApp{App: base, drv: &strictDriver{Driver: base.Driver()}}
	fyne.SetCurrentApp(a)
	return a
}

// Holds reports whether o is root or below it: in a container's objects or
// a widget's rendered objects.
func Holds(root, o fyne.CanvasObject) bool {
	found := false
	Walk(root, func(c fyne.CanvasObject) bool {
		if c == o {
			found = true
		}
		return !found
	})
	return found
}

// Walk calls visit on root and every object below it, depth first, until
// visit returns false. Widgets are entered through their renderers, as a
// canvas draws them.
func Walk(root fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if root == nil {
		return true
	}
	if !visit(root) {
		return false
	}
	var kids []fyne.CanvasObject
	switch o := root.(type) {
	case *fyne.Container:
		kids = o.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(o).Objects()
	}
	for _, k := range kids {
		if !Walk(k, visit) {
			return false
		}
	}
	return true
}

// FindTappable returns the innermost tappable object below root whose
// drawn text (a canvas.Text in its subtree) is text, or nil.
func FindTappable(root fyne.CanvasObject, text string) fyne.Tappable {
	var found fyne.Tappable
	Walk(root, func(o fyne.CanvasObject) bool {
		if tp, ok := o.(fyne.Tappable); ok && drawsText(o, text) {
			found = tp // keep going: a deeper one is more precise
		}
		return true
	})
	return found
}

// drawsText reports whether a canvas.Text below o reads text.
func drawsText(o fyne.CanvasObject, text string) bool {
	found := false
	Walk(o, func(c fyne.CanvasObject) bool {
		if t, ok := c.(*canvas.Text); ok && t.Text == text {
			found = true
		}
		return !found
	})
	return found
}

// SetTestLocale gives Fyne a locale it can parse (see .ci/run), so that it
// does not log its harmless locale error in tests.
func SetTestLocale(t testing.TB) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
}

// FindButton returns the button below root whose text is text; the test
// fails if there is none.
func FindButton(t testing.TB, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	Walk(root, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// LabelTexts lists the texts of the labels below root, in tree order.
func LabelTexts(root fyne.CanvasObject) []string {
	var out []string
	Walk(root, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
		return true
	})
	return out
}

// All lists the objects of type T below root, in tree order.
func All[T fyne.CanvasObject](root fyne.CanvasObject) []T {
	var out []T
	Walk(root, func(o fyne.CanvasObject) bool {
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
		return true
	})
	return out
}

// Shows reports whether a label or text drawn below root reads s.
func Shows(root fyne.CanvasObject, s string) bool {
	found := false
	Walk(root, func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *widget.Label:
			found = x.Text == s
		case *canvas.Text:
			found = x.Text == s
		}
		return !found
	})
	return found
}

// VisibleErr returns the text of an inline error label if it is shown.
func VisibleErr(l *widget.Label) string {
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}
