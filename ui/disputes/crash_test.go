package disputes

import (
	"casebook/ui/screen"
	"casebook/ui/words"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestDisputesShowResolvedThenBack: ticking 显示已化解的, opening a dispute
// and going back to the list shows the list with the resolved ones (it
// dereferenced a nil label).
func TestDisputesShowResolvedThenBack(t *testing.T) {
	a, x := newDisputeFixture(t, words.LangChinese)
	a.OpenDispute("")
	test.Tap(a.disputes.resolved)
	if !a.showResolved {
		t.Fatal("the tick did not take")
	}
	a.OpenDispute(x.d.ID)
	a.ShowSection(screen.Today)
	a.ShowSection(screen.Disputes)
	if a.disputes == nil || !a.disputes.resolved.Checked || len(a.disputes.items) == 0 {
		t.Fatal("the list did not come back with resolved disputes shown")
	}
}
