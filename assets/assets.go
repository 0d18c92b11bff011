// Package assets holds the files that Casebook embeds in its binary: a CJK
// font, so that Chinese renders on a machine with no Chinese system font, the
// translation catalogues of the user interface, and the application icon.
//
// The package deliberately does not import Fyne: it exposes plain bytes and
// an embed.FS, and the ui package wraps them in Fyne resources.
package assets

import (
	"embed"
	_ "embed" // for the byte-slice embeds below
)

// FontTTF is a TrueType (glyf) subset of Droid Sans Fallback (Apache-2.0)
// that covers GB2312 levels 1 and 2, CJK symbols and punctuation and the
// full-width forms. It has no Latin letters, digits or space: Latin text is
// drawn by Fyne's own font, which the ui theme keeps as the fallback. See
// fonts/README.md for its source and the exact subsetting command.
//
//go:embed fonts/DroidSansFallback-GB2312.ttf
var FontTTF []byte

// IconPNG is the 256×256 application icon, the same file FyneApp.toml names.
//
//go:embed icon.png
var IconPNG []byte

// Translations holds the user interface catalogues in the folder
// "translations", one go-i18n JSON file per language named after its BCP 47
// tag (zh-Hans.json, en.json), as fyne.io/fyne/v2/lang.AddTranslationsFS
// expects. Every file must define the same message IDs.
//
//go:embed translations
var Translations embed.FS
