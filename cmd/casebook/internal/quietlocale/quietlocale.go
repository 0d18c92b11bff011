// Package quietlocale keeps Fyne from logging "Error parsing user locale C"
// on every start, headless subcommands included, on systems whose locale is
// "C.UTF-8" or "POSIX.UTF-8" (Debian, Docker, CI). Fyne's locale lookup
// understands "C" and "POSIX" but not with an encoding, and its lang package
// looks the locale up while the program initializes, before main runs.
//
// Its init runs before Fyne's: Go initializes packages in import-path order
// as soon as their own imports are ready, and "casebook/..." sorts before
// "fyne.io/...". It only sets LANGUAGE, which libc ignores for a C locale
// and which Fyne then reads instead; the result is the English fallback
// Fyne would have chosen anyway, without the log lines. Import it first
// from main, for its side effect.
package quietlocale

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix sets LANGUAGE=en when the effective locale is C or POSIX with an
// encoding and LANGUAGE is unset. It reports whether it changed anything.
func Fix() bool {
	if os.Getenv("LANGUAGE") != "" {
		return false
	}
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(env)
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.") {
			return os.Setenv("LANGUAGE", "en") == nil
		}
		return false
	}
	return false
}
