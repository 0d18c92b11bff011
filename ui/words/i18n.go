package words

import (
	"fmt"
	"os"
	"strings"
	"sync"
	_ "unsafe" // for go:linkname, see fyneSetupLang

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"casebook/assets"
)

// How Fyne 2.7 picks the language, and how Casebook overrides it
//
// fyne.io/fyne/v2/lang keeps one go-i18n bundle (fallback language English)
// and one localizer. Every call of lang.AddTranslations, AddTranslationsFS or
// AddTranslationsForLocale re-creates the localizer from the operating
// system's preferred locales (github.com/jeandeaual/go-locale: on Linux and
// the BSDs LC_ALL, LC_MESSAGES, LANG and, unless the locale is C or POSIX,
// LANGUAGE; on Windows and macOS the system API, which no environment
// variable changes), matched against the languages loaded so far; with no
// match, or with LANG=C, it is English. lang.L, lang.X and the other
// shortcuts then translate through that localizer.
//
// Fyne 2.7 has no public way to choose the language: there is no
// SetPreferredLocale and no FYNE_LANG variable (upstream issue
// fyne-io/fyne#5333; pull requests #5026 and #6536 proposing one are not
// merged). Setting LANGUAGE or LANG in the process works only on Unix and
// not at all under LANG=C. So SetLanguage calls the lang package's own
// unexported setupLang(tag string), which installs a localizer for the given
// tag, through go:linkname. That works on every platform, and also switches
// Fyne's built-in strings (dialog buttons and the like), which Fyne
// translates into Simplified Chinese itself. The price is a dependency on an
// unexported function of a pinned Fyne version: if an upgrade renames it the
// build fails to link, and TestSetLanguage catches a change in behaviour.
// Replace it with the public API once Fyne has one.
//
// Because any later lang.AddTranslations* call resets the language to the
// system's, all catalogues are added once, here, before the first
// SetLanguage; code elsewhere must not call lang.AddTranslations*.

//go:linkname fyneSetupLang fyne.io/fyne/v2/lang.setupLang
func fyneSetupLang(tag string)

// Language codes that SetLanguage accepts (as well as the aliases it
// normalises, such as "zh", "zh_CN.UTF-8" or "en-US").
const (
	// LangChinese is Simplified Chinese, the language Casebook speaks first.
	LangChinese = "zh-Hans"
	// LangEnglish is English, the second language.
	LangEnglish = "en"
	// DefaultLanguage is used when no language is asked for, whatever the
	// operating system's locale is.
	DefaultLanguage = LangChinese
)

var (
	loadOnce sync.Once
	loadErr  error

	langMu  sync.Mutex
	current string
)

// loadTranslations adds Casebook's catalogues (assets/translations) to Fyne's
// translation bundle, once.
func loadTranslations() error {
	loadOnce.Do(func() {
		loadErr = lang.AddTranslationsFS(assets.Translations, "translations")
		if loadErr != nil {
			loadErr = fmt.Errorf("load translations: %w", loadErr)
		}
	})
	return loadErr
}

// Languages returns the codes of the languages the user interface speaks,
// the default first.
func Languages() []string {
	return []string{LangChinese, LangEnglish}
}

// NormalizeLanguage maps a language code or locale name to one of
// Languages: "" to DefaultLanguage, "zh", "zh-CN", "zh_CN.UTF-8", "zh-Hans"
// to LangChinese, "en", "en-US", "en_GB.UTF-8" to LangEnglish. Any other
// code is an error.
func NormalizeLanguage(code string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(c, ".@"); i >= 0 {
		c = c[:i]
	}
	c = strings.ReplaceAll(c, "_", "-")
	switch {
	case c == "":
		return DefaultLanguage, nil
	case c == "zh" || strings.HasPrefix(c, "zh-"):
		return LangChinese, nil
	case c == "en" || strings.HasPrefix(c, "en-"):
		return LangEnglish, nil
	}
	return "", fmt.Errorf("unsupported language %q (supported: %s)", code, strings.Join(Languages(), ", "))
}

// SetLanguage makes code (see NormalizeLanguage; "" means DefaultLanguage)
// the language of every later lang.L / lang.X call, Casebook's strings and
// Fyne's own alike, regardless of the operating system's locale. Widgets
// already on screen keep their text until they are rebuilt; Shell.SetLanguage
// does that for the shell. It is safe to call before the Fyne app exists.
func SetLanguage(code string) error {
	c, err := NormalizeLanguage(code)
	if err != nil {
		return err
	}
	if err := loadTranslations(); err != nil {
		return err
	}
	langMu.Lock()
	defer langMu.Unlock()
	fyneSetupLang(c)
	current = c
	return nil
}

// Language returns the code last passed to SetLanguage, normalised, or ""
// if SetLanguage has not been called (then Fyne follows the system locale).
func Language() string {
	langMu.Lock()
	defer langMu.Unlock()
	return current
}

// PrefLanguage is the app preference that remembers the user's language.
const PrefLanguage = "ui.language"

// LanguageFor picks the language for a run: the one asked for, else the one
// remembered in the app's preferences, else DefaultLanguage.
func LanguageFor(a fyne.App, asked string) string {
	if asked != "" {
		return asked
	}
	if a != nil {
		if saved := a.Preferences().String(PrefLanguage); saved != "" {
			if _, err := NormalizeLanguage(saved); err == nil {
				return saved
			}
		}
	}
	return DefaultLanguage
}

// QuietCLocale works around a log flood under the C.UTF-8 locale (the usual
// one in containers and CI). go-locale, which Fyne asks for the system
// locale, reads "C.UTF-8" as the language "C", which Fyne fails to parse and
// logs as an error, once at start-up and again on every font look-up. When
// the locale in force is C or POSIX with a codeset and LANGUAGE is unset,
// this sets LANGUAGE to uiLang ("zh_CN" or "en"), which go-locale then
// reports instead; glibc's own messages stay untranslated under C.UTF-8
// either way. Any other environment is left alone.
func QuietCLocale(uiLang string) {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	var locale string
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = os.Getenv(env); locale != "" {
			break
		}
	}
	base, codeset, ok := strings.Cut(locale, ".")
	if !ok || codeset == "" || (base != "C" && base != "POSIX") {
		return
	}
	posix := "en"
	if uiLang == LangChinese {
		posix = "zh_CN"
	}
	_ = os.Setenv("LANGUAGE", posix)
}
