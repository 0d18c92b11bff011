package ui

import (
	"casebook/ui/words"
	"strings"
	"testing"
)

// TestAbout: the menu's About shows the stamped version and the open file.
func TestAbout(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, nil)
	a.opts.Version = "v1.4.2"
	got := a.aboutText()
	for _, want := range []string{"版本：v1.4.2", "台账文件：" + testDBPath} {
		if !strings.Contains(got, want) {
			t.Errorf("About says %q, want %q in it", got, want)
		}
	}
	a.opts.Version = ""
	if got := a.aboutText(); !strings.Contains(got, "版本：dev") {
		t.Errorf("unstamped About says %q", got)
	}
	// About closes the Casebook menu, before Quit (Ctrl+Q).
	items := a.win.MainMenu().Items[0].Items
	if about := items[len(items)-3]; about.Label != "关于治理书记台账" || about.Action == nil {
		t.Errorf("the Casebook menu has %q before Quit", about.Label)
	}
	if last := items[len(items)-1]; !last.IsQuit || last.Label != "退出" {
		t.Errorf("the Casebook menu ends with %q", last.Label)
	}
}
