package paper

import (
	"os"
	"runtime"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"casebook/assets"
)

// Fonts. Every PDF embeds its fonts (subset to the characters it uses), so
// it prints the same on a PC with no Chinese font. Three faces share the
// text: the Go fonts (BSD) for Latin letters, digits and punctuation — the
// embedded Droid Sans Fallback subset has none — and that subset for the
// 6,763 hanzi of GB2312 and CJK punctuation. A character in neither (a rare
// hanzi in a name: 堃, 喆, 𠮷) is drawn from a system CJK font when the PC
// has a TrueType one, else as 〓, the typesetter's mark for a missing
// character, and reported (Result.Missing), never silently dropped: on a
// mediation agreement a wrong name is worse than a visible gap.

// face is one font a PDF may use.
type face struct {
	name string // fpdf family name
	data []byte
	font *sfnt.Font
	upem float64
}

// fontID indexes faces.
type fontID int

const (
	fontLatin fontID = iota
	fontLatinBold
	fontCJK
	fontSystem // a system CJK font, for characters the others lack; may be absent
	numFonts
)

// missingMark is drawn for a character no font has: 〓 (U+3013, in GB2312).
const missingMark = '〓'

var (
	facesOnce sync.Once
	faces     [numFonts]*face
	facesErr  error
)

// loadFaces parses the fonts once per process.
func loadFaces() ([numFonts]*face, error) {
	facesOnce.Do(func() {
		for id, src := range map[fontID][]byte{fontLatin: goregular.TTF, fontLatinBold: gobold.TTF, fontCJK: assets.FontTTF} {
			f, err := newFace(id, src)
			if err != nil {
				facesErr = err
				return
			}
			faces[id] = f
		}
		if data := systemCJK(); data != nil {
			if f, err := newFace(fontSystem, data); err == nil {
				faces[fontSystem] = f
			}
		}
	})
	return faces, facesErr
}

func newFace(id fontID, data []byte) (*face, error) {
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, err
	}
	names := [...]string{"latin", "latinb", "cjk", "system"}
	return &face{name: names[id], data: data, font: f, upem: float64(f.UnitsPerEm())}, nil
}

// systemFontPaths are TrueType (glyf, not a collection) CJK fonts a PC
// may have, larger than GB2312: Windows' 黑体 and 仿宋, Debian's full Droid
// Sans Fallback. fpdf reads neither .ttc collections nor CFF outlines.
var systemFontPaths = map[string][]string{
	"windows": {`C:\Windows\Fonts\simhei.ttf`, `C:\Windows\Fonts\simfang.ttf`, `C:\Windows\Fonts\simkai.ttf`},
	"linux":   {"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"},
	"darwin":  {"/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf"},
}

// systemCJK reads the first system CJK font found, or nil. CASEBOOK_PDF_FONT
// names another (and "none" turns the search off, for tests).
func systemCJK() []byte {
	paths := systemFontPaths[runtime.GOOS]
	if p := os.Getenv("CASEBOOK_PDF_FONT"); p != "" {
		if p == "none" {
			return nil
		}
		paths = []string{p}
	}
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) > 4 && string(data[:4]) == "\x00\x01\x00\x00" {
			return data
		}
	}
	return nil
}

// metrics caches each face's advance widths (in 1/1000 em) and whether it
// has a glyph for a rune.
type metrics struct {
	faces [numFonts]*face
	buf   sfnt.Buffer
	cache [numFonts]map[rune]float64 // advance; -1: no glyph
}

func newMetrics(fs [numFonts]*face) *metrics {
	m := &metrics{faces: fs}
	for i := range m.cache {
		m.cache[i] = map[rune]float64{}
	}
	return m
}

// advance is r's width in face id in 1/1000 em, or -1 if the face lacks it.
func (m *metrics) advance(id fontID, r rune) float64 {
	if w, ok := m.cache[id][r]; ok {
		return w
	}
	w := -1.0
	if f := m.faces[id]; f != nil {
		if g, err := f.font.GlyphIndex(&m.buf, r); err == nil && g != 0 {
			// At one pixel per font unit the advance is in font units.
			if adv, err := f.font.GlyphAdvance(&m.buf, g, fixed.Int26_6(f.upem*64), 0); err == nil {
				w = float64(adv) / 64 / f.upem * 1000
			}
		}
	}
	m.cache[id][r] = w
	return w
}

// fontFor picks the face that draws r: Latin text in the Go fonts, hanzi
// and CJK punctuation in the embedded subset, then the system font; -1 when
// none has it.
func (m *metrics) fontFor(r rune, bold bool) fontID {
	latin := fontLatin
	if bold {
		latin = fontLatinBold
	}
	if r < 0x2E80 && m.advance(latin, r) >= 0 {
		return latin
	}
	if m.advance(fontCJK, r) >= 0 {
		return fontCJK
	}
	if m.advance(latin, r) >= 0 {
		return latin
	}
	if m.advance(fontSystem, r) >= 0 {
		return fontSystem
	}
	return -1
}
