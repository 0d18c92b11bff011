package widgets

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
)

// PickEntry is a text box with a pick-list and type-ahead: as the user
// types, the drop-down narrows to the options containing the text, a hint
// under the box names the one option that matches, and Enter takes it. So
// "14" then Enter gives "14号楼", and "停" gives "停车管理". Free text stays
// possible (a building not in the list), because the list is a help, not a
// rule; the category is checked against the settings when saved.
type PickEntry struct {
	*widget.SelectEntry
	Options []string
	Hint    *widget.Label
	// OnPicked is called after the text changed, typed or picked.
	OnPicked func(string)
}

func NewPickEntry(options []string) *PickEntry {
	// Extend the SelectEntry as Fyne's extended widgets do, rather than
	// wrap one made by widget.NewSelectEntry: that one registers itself as
	// the widget, so its drop-down asked the driver for the canvas of an
	// object that is not in the window (the *pickEntry is), got nil, and
	// the desktop app crashed on a click on ▼. Extended, the pickEntry is
	// the object the entry, its drop-down and its focus all refer to.
	p := &PickEntry{SelectEntry: &widget.SelectEntry{}, Options: options}
	p.ExtendBaseWidget(p)
	p.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as NewSelectEntry
	p.SetOptions(options)
	p.Hint = widget.NewLabel("")
	p.Hint.Importance = widget.HighImportance
	p.Hint.Hide()
	p.OnChanged = guard.Func1(func(s string) {
		p.narrow(s)
		if p.OnPicked != nil {
			p.OnPicked(s)
		}
	})
	p.OnSubmitted = guard.Func1(func(string) { p.Complete() })
	return p
}

// narrow shows the options matching s in the drop-down and names the
// unique match, if any, in the hint.
func (p *PickEntry) narrow(s string) {
	matches := matching(p.Options, s)
	// A box that holds an option already (picked, or an appeal's value in
	// 修改信息) offers every option on ▼, so that it can be changed.
	if len(matches) == 0 || slices.Contains(p.Options, strings.TrimSpace(s)) {
		p.SetOptions(p.Options)
	} else {
		p.SetOptions(matches)
	}
	if m, ok := p.unique(s); ok && m != strings.TrimSpace(s) {
		p.Hint.SetText(lang.X("pick.hint", "Press Enter for {{.Option}}", map[string]any{"Option": m}))
		p.Hint.Show()
	} else {
		p.Hint.Hide()
	}
}

// unique returns the option that s stands for: an exact match, else the
// only option starting with s, else the only option containing s.
func (p *PickEntry) unique(s string) (string, bool) {
	t := strings.TrimSpace(casebook.NormalizeWidth(s))
	if t == "" {
		return "", false
	}
	for _, o := range p.Options {
		if o == t {
			return o, true
		}
	}
	var prefix []string
	for _, o := range p.Options {
		if strings.HasPrefix(o, t) {
			prefix = append(prefix, o)
		}
	}
	if len(prefix) == 1 {
		return prefix[0], true
	}
	if m := matching(p.Options, t); len(m) == 1 {
		return m[0], true
	}
	return "", false
}

// Complete replaces the text with the unique matching option.
func (p *PickEntry) Complete() {
	if m, ok := p.unique(p.Text); ok && m != p.Text {
		p.SetText(m)
	}
}

// Value is the option the text stands for, or the text itself.
func (p *PickEntry) Value() string {
	if m, ok := p.unique(p.Text); ok {
		return m
	}
	return strings.TrimSpace(p.Text)
}

// matching returns the options containing s (case-insensitively).
func matching(options []string, s string) []string {
	t := strings.ToLower(strings.TrimSpace(casebook.NormalizeWidth(s)))
	if t == "" {
		return nil
	}
	var out []string
	for _, o := range options {
		if strings.Contains(strings.ToLower(o), t) {
			out = append(out, o)
		}
	}
	return out
}

// ErrLabel is the inline error under a form field, hidden while there is
// none.
func ErrLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// SetErr shows msg under a field, or hides the label for "".
func SetErr(l *widget.Label, msg string) {
	if l == nil {
		return
	}
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// FieldCell stacks an input, its optional hint and its error label.
func FieldCell(input fyne.CanvasObject, extra ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(append([]fyne.CanvasObject{input}, extra...)...)
}

// FormGrid lays out label / field pairs in two columns, like widget.Form but
// with our own inline errors and without its submit buttons.
func FormGrid(pairs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewFormLayout(), pairs...)
}

// FieldLabel is a form label. (Not bold: the embedded CJK font has no bold
// face, so a bold label would mix bold Latin with regular Chinese.)
func FieldLabel(text string) *widget.Label {
	return widget.NewLabel(text)
}

// Heading is a section heading inside a screen.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// Note is small, muted explanatory text that wraps.
func Note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// NewSelect is widget.NewSelect with the placeholder in the current
// language (Fyne's own "(Select one)" is not in its Chinese catalogue).
func NewSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, guard.Func1(changed))
	s.PlaceHolder = lang.X("select.placeholder", "(Select one)")
	return s
}

// Warning is a wrapped text in the warning colour.
func Warning(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.WarningImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Card is widget.NewCard whose subtitle wraps: a card's own subtitle is one
// line as wide as its text, which at 1024 pixels pushed the screen past the
// window's edge.
func Card(title, sub string, content fyne.CanvasObject) *widget.Card {
	if sub == "" {
		return widget.NewCard(title, "", content)
	}
	return widget.NewCard(title, "", container.NewVBox(Note(sub), content))
}
