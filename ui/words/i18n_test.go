package words

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"casebook/assets"
)

func TestSetLanguage(t *testing.T) {
	// Whatever the system locale says, SetLanguage decides; and it switches
	// Fyne's own strings too.
	for _, locale := range []string{"C", "en_US.UTF-8", "zh_CN.UTF-8", "de_DE.UTF-8"} {
		t.Run(locale, func(t *testing.T) {
			t.Setenv("LANG", locale)
			t.Cleanup(func() { _ = SetLanguage(DefaultLanguage) })
			for _, c := range []struct{ code, today, cancel string }{
				{"", "今日", "取消"},
				{"en", "Today", "Cancel"},
				{"zh-Hans", "今日", "取消"},
				{"en_GB.UTF-8", "Today", "Cancel"},
				{"zh_CN", "今日", "取消"},
			} {
				if err := SetLanguage(c.code); err != nil {
					t.Fatalf("SetLanguage(%q): %v", c.code, err)
				}
				if got := lang.X("nav.today", "Today"); got != c.today {
					t.Errorf("SetLanguage(%q): nav.today is %q, want %q", c.code, got, c.today)
				}
				if got := lang.L("Cancel"); got != c.cancel {
					t.Errorf("SetLanguage(%q): Fyne's Cancel is %q, want %q", c.code, got, c.cancel)
				}
			}
		})
	}
	if err := SetLanguage("ja"); err == nil {
		t.Error("SetLanguage(ja) succeeded, want an error")
	}
	if got := Language(); got != DefaultLanguage {
		t.Errorf("after a failed SetLanguage the language is %q, want %q", got, DefaultLanguage)
	}
}

func TestNormalizeLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"": LangChinese, "zh-Hans": LangChinese, "zh": LangChinese, "ZH_cn.UTF-8": LangChinese, "zh-Hans-CN": LangChinese,
		"en": LangEnglish, "en-US": LangEnglish, "en_GB.UTF-8": LangEnglish, " EN ": LangEnglish,
	} {
		if got, err := NormalizeLanguage(in); err != nil || got != want {
			t.Errorf("NormalizeLanguage(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"fr", "C", "english", "z"} {
		if got, err := NormalizeLanguage(in); err == nil {
			t.Errorf("NormalizeLanguage(%q) = %q, want an error", in, got)
		}
	}
}

// catalogue reads one of assets/translations as a map of ID to text.
func catalogue(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(assets.Translations, "translations/"+name)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// Every lang.X("id", "English") call in this package must have its ID in
// both catalogues, with the English fallback equal to en.json's text.
func TestCataloguesCoverTheCode(t *testing.T) {
	zh, en := catalogue(t, "zh-Hans.json"), catalogue(t, "en.json")
	check := func(where, id, fallback string) {
		if _, ok := zh[id]; !ok {
			t.Errorf("%s: %q is not in zh-Hans.json", where, id)
		}
		if got, ok := en[id]; !ok {
			t.Errorf("%s: %q is not in en.json", where, id)
		} else if got != fallback {
			t.Errorf("%s: %q falls back to %q but en.json says %q", where, id, fallback, got)
		}
	}
	// Every package of the user interface: ui/ and the packages below it.
	var files []string
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel == nil {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" || (sel.Sel.Name != "X" && sel.Sel.Name != "L") {
				return true
			}
			where := fset.Position(call.Pos()).String()
			args := make([]string, 0, 2)
			for _, a := range call.Args[:min(len(call.Args), 2)] {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					break
				}
				s, _ := strconv.Unquote(lit.Value)
				args = append(args, s)
			}
			switch {
			case sel.Sel.Name == "X" && len(args) == 2:
				check(where, args[0], args[1])
			case sel.Sel.Name == "L" && len(args) >= 1:
				check(where, args[0], args[0])
			default:
				t.Errorf("%s: lang.%s without literal arguments; use literal IDs so this test can check them", where, sel.Sel.Name)
			}
			calls++
			return true
		})
	}
	if calls == 0 {
		t.Error("found no lang.X calls; is the test looking in the right place?")
	}
}

func TestQuietCLocale(t *testing.T) {
	for _, c := range []struct{ lcAll, lang, language, ui, want string }{
		{"", "C.UTF-8", "", LangChinese, "zh_CN"},
		{"", "C.UTF-8", "", LangEnglish, "en"},
		{"POSIX.utf8", "de_DE.UTF-8", "", LangEnglish, "en"},
		{"", "C", "", LangChinese, ""},                 // plain C: go-locale copes
		{"", "en_US.UTF-8", "", LangChinese, ""},       // a real locale: left alone
		{"", "C.UTF-8", "fr:en", LangChinese, "fr:en"}, // the user's LANGUAGE wins
		{"", "", "", LangChinese, ""},
	} {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		t.Setenv("LANGUAGE", c.language)
		QuietCLocale(c.ui)
		if got := os.Getenv("LANGUAGE"); got != c.want {
			t.Errorf("LC_ALL=%q LANG=%q LANGUAGE=%q ui=%s: LANGUAGE became %q, want %q", c.lcAll, c.lang, c.language, c.ui, got, c.want)
		}
	}
}

// The embedded CJK font has no ASCII space and Fyne draws a space after a
// Chinese character with that font, as a missing-glyph box; so the Chinese
// catalogue must not put an ASCII space after a Chinese character or
// full-width punctuation (see sep in format.go).
func TestChineseCatalogueSpacing(t *testing.T) {
	for id, text := range catalogue(t, "zh-Hans.json") {
		if id == "app.title" { // the window title is drawn by the system
			continue
		}
		prev := rune(0)
		for _, r := range text {
			if r == ' ' && (prev >= 0x2e80 || prev == '·') {
				t.Errorf("%s: %q has a space after %q", id, text, prev)
				break
			}
			prev = r
		}
	}
}
