package assets

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

func TestFontCoversChineseAndLeavesLatinToFallback(t *testing.T) {
	if len(FontTTF) == 0 || len(FontTTF) >= 4<<20 {
		t.Fatalf("font is %d bytes, want 0 < size < 4 MiB", len(FontTTF))
	}
	if !bytes.HasPrefix(FontTTF, []byte{0, 1, 0, 0}) {
		t.Fatalf("font does not start with the TrueType (glyf) tag 0x00010000")
	}
	f, err := sfnt.Parse(FontTTF)
	if err != nil {
		t.Fatalf("parse font: %v", err)
	}
	var buf sfnt.Buffer
	// Every navigation label, a few level-2 hanzi, CJK punctuation and
	// full-width forms must be in the font.
	for _, r := range "治理书记台账今日诉求矛盾纠纷统计同步设置网格员楼门长签收办结回访满意度踌躇亳滢，。、：；！？（）【】《》「」　０９ＡＺ" {
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			t.Errorf("font lacks %q (U+%04X)", r, r)
		}
	}
	// Latin and digits are drawn by Fyne's own font: they must not be in
	// this one, or they would shadow it (see fonts/README.md). The space is
	// kept, because Fyne draws a space after a Chinese character with this
	// font and a missing space shows as a box.
	if g, err := f.GlyphIndex(&buf, ' '); err != nil || g == 0 {
		t.Errorf("font lacks the space")
	}
	for _, r := range "Aa0.:" {
		if g, err := f.GlyphIndex(&buf, r); err != nil || g != 0 {
			t.Errorf("font unexpectedly maps %q (glyph %d, err %v)", r, g, err)
		}
	}
}

func TestIcon(t *testing.T) {
	cfg, err := png.DecodeConfig(bytes.NewReader(IconPNG))
	if err != nil {
		t.Fatalf("decode icon: %v", err)
	}
	if cfg.Width != 256 || cfg.Height != 256 {
		t.Errorf("icon is %d×%d, want 256×256", cfg.Width, cfg.Height)
	}
}

func TestTranslationsShareTheirKeys(t *testing.T) {
	entries, err := fs.ReadDir(Translations, "translations")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string][]string{}
	for _, e := range entries {
		data, err := fs.ReadFile(Translations, "translations/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		for k, v := range m {
			if s, ok := v.(string); !ok || s == "" {
				if _, plural := v.(map[string]any); !plural {
					t.Errorf("%s: %q has an empty or non-string value", e.Name(), k)
				}
			}
		}
		keys[e.Name()] = slices.Sorted(maps.Keys(m))
	}
	for _, want := range []string{"zh-Hans.json", "en.json"} {
		if _, ok := keys[want]; !ok {
			t.Fatalf("translations/%s is missing", want)
		}
	}
	for name, k := range keys {
		if !slices.Equal(k, keys["zh-Hans.json"]) {
			t.Errorf("%s and zh-Hans.json define different message IDs:\n%v\n%v", name, k, keys["zh-Hans.json"])
		}
	}
}

// Every non-ASCII character of the Chinese catalogue must be drawable by the
// embedded font, or it would show as a box on a machine without a CJK font.
func TestFontCoversTheChineseCatalogue(t *testing.T) {
	data, err := fs.ReadFile(Translations, "translations/zh-Hans.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(FontTTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range string(data) {
		// ASCII and these marks come from Fyne's own font, which the theme
		// falls back to (seen rendered after Chinese text in screenshots).
		if r < 0x80 || strings.ContainsRune("…·—“”‘’", r) {
			continue
		}
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			t.Errorf("zh-Hans.json uses %q (U+%04X), which the embedded font lacks", r, r)
		}
	}
}
