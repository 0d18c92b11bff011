//go:build probe

package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/guard"
	"casebook/ui/widgets"
)

// The probe, for the real-window test only (go build -tags probe): with
// CASEBOOK_UI_PROBE=FILE the window writes, a few times a second, where its
// widgets are, so that a script driving the real window with xdotool can
// find the ▼ of 分类 or the 保存 button wherever the layout puts them. It
// writes what a person sees of the interface — labels, button texts, the
// texts of pop-up items — and the rectangles of entries, never what was
// typed into them. The product is built without it.

func init() { startProbe = probe }

// probeItem is one widget on screen, in window coordinates.
type probeItem struct {
	Kind  string  `json:"kind"`  // label, button, check, select, entry, pick, item, text
	Text  string  `json:"text"`  // its text (not an entry's content)
	Field string  `json:"field"` // for an entry: the form label before it
	X     float32 `json:"x"`
	Y     float32 `json:"y"`
	W     float32 `json:"w"`
	H     float32 `json:"h"`
	Layer int     `json:"layer"` // 0 the content, 1.. overlays, top last
	Focus bool    `json:"focus"` // it has the keyboard focus
}

// probeSeq numbers the probe's writes, so that a script can wait for one
// written after its last action.
var probeSeq int

func probe(w fyne.Window, path string) {
	guard.Go(func() {
		for range time.Tick(250 * time.Millisecond) {
			fyne.Do(guard.Func(func() { writeProbe(w, path) }))
		}
	})
}

func writeProbe(w fyne.Window, path string) {
	c := w.Canvas()
	if c == nil || c.Content() == nil {
		return
	}
	d := fyne.CurrentApp().Driver()
	var items []probeItem
	lastLabel := ""
	var walk func(o fyne.CanvasObject, layer int)
	walk = func(o fyne.CanvasObject, layer int) {
		if o == nil || !o.Visible() {
			return
		}
		add := func(kind, text string) {
			p := d.AbsolutePositionForObject(o)
			s := o.Size()
			_, focused := o.(fyne.Focusable)
			focused = focused && c.Focused() == o.(fyne.Focusable)
			items = append(items, probeItem{Kind: kind, Text: text, Field: lastLabel, X: p.X, Y: p.Y, W: s.Width, H: s.Height, Layer: layer, Focus: focused})
		}
		switch x := o.(type) {
		case *widget.Label:
			add("label", x.Text)
			lastLabel = x.Text
			return
		case *widget.Button:
			add("button", x.Text)
			return
		case *widget.Check:
			add("check", x.Text)
			return
		case *widget.Select:
			add("select", x.Selected)
			return
		case *widgets.PickEntry:
			add("pick", "")
			return
		case *widget.SelectEntry:
			add("pick", "")
			return
		case *widget.Entry:
			add("entry", "")
			return
		case *canvas.Text:
			add("text", x.Text)
			return
		case fyne.Tappable:
			// A pop-up menu's item, a list row: tappable, named by its text;
			// one without text (a scroll bar's track) by its type.
			if t := firstText(o); t != "" {
				add("item", t)
			} else {
				add("tap", fmt.Sprintf("%T", o))
			}
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, k := range x.Objects {
				walk(k, layer)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(x).Objects() {
				walk(k, layer)
			}
		}
	}
	walk(c.Content(), 0)
	for i, ov := range c.Overlays().List() {
		walk(ov, i+1)
	}
	probeSeq++
	data, err := json.Marshal(map[string]any{"seq": probeSeq, "size": c.Size(), "items": items})
	if err != nil {
		return
	}
	tmp := path + ".tmp"
	if os.WriteFile(tmp, data, 0o600) == nil {
		_ = os.Rename(tmp, path)
	}
}

// firstText is the first text drawn below o.
func firstText(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *canvas.Text:
		return x.Text
	case *fyne.Container:
		for _, k := range x.Objects {
			if t := firstText(k); t != "" {
				return t
			}
		}
	case fyne.Widget:
		for _, k := range test.WidgetRenderer(x).Objects() {
			if t := firstText(k); t != "" {
				return t
			}
		}
	}
	return ""
}
