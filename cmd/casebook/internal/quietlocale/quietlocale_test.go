package quietlocale

import (
	"os"
	"testing"
)

func TestFix(t *testing.T) {
	for _, c := range []struct {
		lcAll, lang, language string
		want                  bool
	}{
		{"", "C.UTF-8", "", true},
		{"", "POSIX.UTF-8", "", true},
		{"", "C", "", false},
		{"", "zh_CN.UTF-8", "", false},
		{"zh_CN.UTF-8", "C.UTF-8", "", false},
		{"C.UTF-8", "zh_CN.UTF-8", "", true},
		{"", "C.UTF-8", "zh_CN", false},
	} {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		t.Setenv("LANGUAGE", c.language)
		if got := Fix(); got != c.want {
			t.Errorf("LC_ALL=%q LANG=%q LANGUAGE=%q: Fix() = %v, want %v", c.lcAll, c.lang, c.language, got, c.want)
		}
		if c.want && os.Getenv("LANGUAGE") != "en" {
			t.Errorf("LANGUAGE = %q", os.Getenv("LANGUAGE"))
		}
	}
}
