package widgets

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"casebook/assets"
)

// Theme modes accepted by NewTheme and Options.Theme.
const (
	// ThemeSystem follows the operating system's light or dark setting.
	ThemeSystem = ""
	// ThemeLight is always light.
	ThemeLight = "light"
	// ThemeDark is always dark.
	ThemeDark = "dark"
)

// fontResource wraps the embedded CJK font once, so that Fyne's font cache,
// which is keyed by resource, loads it only once.
var fontResource = fyne.NewStaticResource("DroidSansFallback-GB2312.ttf", assets.FontTTF)

// iconResource is the application icon.
var iconResource = fyne.NewStaticResource("icon.png", assets.IconPNG)

// FontResource returns the embedded CJK font as a Fyne resource.
func FontResource() fyne.Resource { return fontResource }

// IconResource returns the application icon as a Fyne resource.
func IconResource() fyne.Resource { return iconResource }

// Theme is Casebook's theme: Fyne's default theme, optionally pinned to its
// light or dark variant, drawing text with the embedded CJK font.
//
// Fyne draws each character with the first font in a list that has it: the
// theme's font for the style, then Fyne's built-in font for that style, then
// the emoji font, then system fonts. The embedded font (assets.FontTTF) has
// only Chinese characters, CJK punctuation and full-width forms, and no
// Latin letters, digits or space, so putting it first makes Chinese render
// on a machine without a Chinese system font while all Latin text, bold and
// italic included, is still drawn by Fyne's Noto Sans, and monospace text
// keeps Noto Sans Mono's spacing. Symbol text (icons) is left to Fyne.
type Theme struct {
	mode string
}

// NewTheme returns the theme for mode: ThemeLight ("light"), ThemeDark
// ("dark") or ThemeSystem (""), case-insensitively. Any other mode is an
// error.
func NewTheme(mode string) (*Theme, error) {
	m := strings.ToLower(strings.TrimSpace(mode))
	switch m {
	case ThemeSystem, ThemeLight, ThemeDark:
		return &Theme{mode: m}, nil
	}
	return nil, fmt.Errorf("unsupported theme %q (use %q, %q or empty for the system setting)", mode, ThemeLight, ThemeDark)
}

// Mode returns the theme's mode: ThemeLight, ThemeDark or ThemeSystem.
func (t *Theme) Mode() string { return t.mode }

// variant pins v to the theme's mode, if it has one.
func (t *Theme) variant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.mode {
	case ThemeLight:
		return theme.VariantLight
	case ThemeDark:
		return theme.VariantDark
	}
	return v
}

// Color returns the colour for name in the theme's variant (or in v, the
// system's, for ThemeSystem): Fyne's default, except the colours text is
// drawn in, which are changed so that every text reads at WCAG AA (a
// contrast of at least 4.5:1) on every surface it sits on (TestContrast).
// Fyne's green was 1.5:1 on white, its orange 2.2:1, its grey of muted
// labels (done tasks) 1.5:1 on the dark background.
func (t *Theme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.variant(v)
	table := readableLight
	if v == theme.VariantDark {
		table = readableDark
	}
	if c, ok := table[name]; ok {
		return c
	}
	return theme.DefaultTheme().Color(name, v)
}

func rgb(r, g, b uint8) color.Color { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

// readableLight and readableDark are the text colours that replace Fyne's
// (see Color). On the dark background the fills of buttons and badges are
// light, so their text is dark.
var (
	readableLight = map[fyne.ThemeColorName]color.Color{
		theme.ColorNamePrimary:     rgb(0x1a, 0x5f, 0xd6),
		theme.ColorNameHyperlink:   rgb(0x1a, 0x5f, 0xd6),
		theme.ColorNameSuccess:     rgb(0x17, 0x7a, 0x26),
		theme.ColorNameWarning:     rgb(0xa6, 0x53, 0x00),
		theme.ColorNameError:       rgb(0xc6, 0x28, 0x28),
		theme.ColorNameDisabled:    rgb(0x66, 0x66, 0x66),
		theme.ColorNamePlaceHolder: rgb(0x6a, 0x6a, 0x6a),
	}
	onLight      = rgb(0x0b, 0x0b, 0x0c)
	readableDark = map[fyne.ThemeColorName]color.Color{
		theme.ColorNamePrimary:             rgb(0x6b, 0x9b, 0xff),
		theme.ColorNameHyperlink:           rgb(0x6b, 0x9b, 0xff),
		theme.ColorNameError:               rgb(0xff, 0x6b, 0x6b),
		theme.ColorNameDisabled:            rgb(0xa0, 0xa0, 0xa0),
		theme.ColorNameForegroundOnPrimary: onLight,
		theme.ColorNameForegroundOnError:   onLight,
		theme.ColorNameForegroundOnWarning: onLight,
		theme.ColorNameForegroundOnSuccess: onLight,
	}
)

// Font returns the embedded CJK font for every text style except symbols;
// characters it lacks fall back to Fyne's font for the style (see Theme).
func (t *Theme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Symbol {
		return theme.DefaultTheme().Font(style)
	}
	return fontResource
}

// Icon returns the default theme's icon for name.
func (t *Theme) Icon(name fyne.ThemeIconName) fyne.Resource {
	return theme.DefaultTheme().Icon(name)
}

// Size returns the default theme's size for name.
func (t *Theme) Size(name fyne.ThemeSizeName) float32 {
	return theme.DefaultTheme().Size(name)
}

// PrefTheme is the app preference that remembers the theme chosen in
// Settings on this computer.
const PrefTheme = "ui.theme"
