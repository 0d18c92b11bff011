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

// Color returns the default theme's colour for name in the theme's variant
// (or in v, the system's, for ThemeSystem).
func (t *Theme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(name, t.variant(v))
}

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
