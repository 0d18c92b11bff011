package widgets

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of a colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).RGBA()
	lin := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// over composes a translucent colour over an opaque background.
func over(fg, bg color.Color) color.Color {
	f := color.NRGBAModel.Convert(fg).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 255}
}

// contrast is WCAG 2's contrast ratio of text on a background.
func contrast(text, bg color.Color) float64 {
	bg = over(bg, color.White) // backgrounds are opaque on the window
	l1, l2 := luminance(over(text, bg)), luminance(bg)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// TestContrast: every colour the screens draw text in is readable on every
// surface text sits on, in the light theme and the dark: WCAG AA, a
// contrast of at least 4.5:1. (The walk found the green of deltas and
// 已化解 at 1.3:1 on white, the orange at 2.2:1, done tasks at 1.5:1 in
// dark.)
func TestContrast(t *testing.T) {
	texts := []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameSuccess,
		theme.ColorNameWarning, theme.ColorNameError, theme.ColorNameDisabled, theme.ColorNamePlaceHolder, theme.ColorNameHyperlink}
	surfaces := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground}
	// Text drawn on a filled button or badge.
	onFill := [][2]fyne.ThemeColorName{
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnError, theme.ColorNameError},
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		{theme.ColorNameForeground, theme.ColorNameButton},
	}
	for _, mode := range []string{ThemeLight, ThemeDark} {
		th, _ := NewTheme(mode)
		c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantLight) }
		for _, tx := range texts {
			for _, sf := range surfaces {
				if r := contrast(c(tx), over(c(sf), c(theme.ColorNameBackground))); r < 4.5 {
					t.Errorf("%s: %s on %s: %.2f:1 (%s on %s)", mode, tx, sf, r, hex(c(tx)), hex(c(sf)))
				}
			}
		}
		for _, p := range onFill {
			if r := contrast(c(p[0]), over(c(p[1]), c(theme.ColorNameBackground))); r < 4.5 {
				t.Errorf("%s: %s on %s: %.2f:1 (%s on %s)", mode, p[0], p[1], r, hex(c(p[0])), hex(c(p[1])))
			}
		}
	}
}

func hex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x%02x", n.R, n.G, n.B, n.A)
}
