package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

func TestNewTheme(t *testing.T) {
	for _, c := range []struct {
		mode string
		ok   bool
	}{{"", true}, {"light", true}, {"dark", true}, {" Dark ", true}, {"blue", false}, {"system", false}} {
		th, err := NewTheme(c.mode)
		if (err == nil) != c.ok {
			t.Errorf("NewTheme(%q): err %v, want ok=%v", c.mode, err, c.ok)
		}
		if err == nil && th == nil {
			t.Errorf("NewTheme(%q) returned nil", c.mode)
		}
	}
}

func TestThemeVariants(t *testing.T) {
	def := theme.DefaultTheme()
	bg := theme.ColorNameBackground
	light, _ := NewTheme(ThemeLight)
	dark, _ := NewTheme(ThemeDark)
	system, _ := NewTheme(ThemeSystem)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		if light.Color(bg, v) != def.Color(bg, theme.VariantLight) {
			t.Errorf("light theme in system variant %v is not light", v)
		}
		if dark.Color(bg, v) != def.Color(bg, theme.VariantDark) {
			t.Errorf("dark theme in system variant %v is not dark", v)
		}
		if system.Color(bg, v) != def.Color(bg, v) {
			t.Errorf("system theme does not follow variant %v", v)
		}
	}
	if def.Color(bg, theme.VariantLight) == def.Color(bg, theme.VariantDark) {
		t.Fatal("the default theme's light and dark backgrounds are equal; the test proves nothing")
	}
	if light.Size(theme.SizeNameText) != def.Size(theme.SizeNameText) || light.Icon(theme.IconNameHome) != def.Icon(theme.IconNameHome) {
		t.Error("sizes or icons differ from the default theme")
	}
}

func TestThemeFont(t *testing.T) {
	th, _ := NewTheme("")
	for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}} {
		if th.Font(s) != FontResource() {
			t.Errorf("style %+v: font %v, want the embedded CJK font", s, th.Font(s).Name())
		}
	}
	if th.Font(fyne.TextStyle{Symbol: true}) != theme.DefaultTheme().Font(fyne.TextStyle{Symbol: true}) {
		t.Error("symbol text does not use Fyne's symbol font")
	}
	if len(FontResource().Content()) == 0 || len(IconResource().Content()) == 0 {
		t.Error("empty embedded font or icon")
	}
}
