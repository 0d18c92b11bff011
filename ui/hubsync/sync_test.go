package hubsync

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// startHub runs a district hub on 127.0.0.1 and enrolls a device of the
// test casebook's community, returning its address and token.
func startHub(t *testing.T) (string, string) {
	t.Helper()
	st, err := hubbolt.Open(t.TempDir(), hubbolt.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h := hub.New(st, hub.Options{})
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	tok, _, err := h.Enroll("测试社区", false, "")
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, tok
}

// syncAndWait taps "Sync now" and waits for the outcome.
func syncAndWait(t *testing.T, a *testPage) {
	t.Helper()
	done := make(chan struct{}, 1)
	a.sync.done = func() { done <- struct{}{} }
	test.Tap(a.syncView.syncBtn)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the sync did not finish")
	}
}

// TestSyncPage: save a hub and token, sync, and see what was sent; a wrong
// token shows a translated error; the background sync starts with the save.
func TestSyncPage(t *testing.T) {
	a := newPage(t, func(b *store.Book) {
		screentest.AddCase(t, b, casebook.CaseInput{Summary: "3号楼路灯不亮", Category: "停车管理"})
		screentest.AddCase(t, b, casebook.CaseInput{Summary: "5号楼垃圾清运不及时", Category: "环境卫生"})
	})
	t.Cleanup(a.Stop)
	url, tok := startHub(t)
	a.h.Show(screen.Sync)
	v := a.syncView
	if v == nil {
		t.Fatal("no sync page")
	}

	// Syncing before a hub is saved says so.
	syncAndWait(t, a)
	if got := visibleErr(v.errLbl); got != "请先填写并保存同步服务器地址和设备令牌。" {
		t.Errorf("no hub: error %q", got)
	}

	// A bad address is refused by the field.
	test.Type(v.hub, "192.168.1.10")
	test.Type(v.token, tok)
	test.Tap(v.saveBtn)
	if visibleErr(v.saveMsg) == "" {
		t.Error("a bad address was saved")
	}
	v.hub.SetText(url)
	test.Tap(v.saveBtn)
	if got := visibleErr(v.saveMsg); got != "" {
		t.Fatalf("save: %q", got)
	}
	if a.sync.stop == nil {
		t.Error("no background sync after saving a hub")
	}

	syncAndWait(t, a)
	v = a.syncView
	if got := visibleErr(v.errLbl); got != "" {
		t.Fatalf("sync error %q", got)
	}
	if a.sync.result == nil || a.sync.result.Pushed == 0 {
		t.Fatalf("result %+v", a.sync.result)
	}
	if !strings.Contains(v.result.Text, "发送"+words.FmtInt(a.sync.result.Pushed)) || !strings.Contains(v.result.Text, "收到0") {
		t.Errorf("result text %q", v.result.Text)
	}
	if v.waiting.Text != "0" {
		t.Errorf("waiting %q, want 0", v.waiting.Text)
	}
	if v.lastSync.Text == "" || v.lastSync.Text == "从未同步" || v.lastSync.Text == "…" {
		t.Errorf("last sync %q", v.lastSync.Text)
	}
	if v.progress.Visible() || v.syncBtn.Disabled() {
		t.Error("the page still shows a sync running")
	}

	// A wrong token: the hub says it does not know it.
	v.token.SetText("not-a-token")
	test.Tap(v.saveBtn)
	syncAndWait(t, a)
	if got := visibleErr(a.syncView.errLbl); !strings.Contains(got, "令牌") {
		t.Errorf("wrong token: error %q", got)
	}

	// Clearing the hub stops the background sync.
	a.syncView.hub.SetText("")
	a.syncView.token.SetText("")
	test.Tap(a.syncView.saveBtn)
	if a.sync.stop != nil {
		t.Error("the background sync still runs without a hub")
	}
}

// TestBackgroundSyncQuiet: a background sync that cannot reach the hub
// shows nothing; the button's does.
func TestBackgroundSyncQuiet(t *testing.T) {
	a := newPage(t, nil)
	t.Cleanup(a.Stop)
	a.h.Show(screen.Sync)
	a.syncView.hub.SetText("http://127.0.0.1:1")
	a.syncView.token.SetText("x")
	test.Tap(a.syncView.saveBtn)
	done := make(chan struct{}, 1)
	a.sync.done = func() { done <- struct{}{} }
	a.runSync(false)
	<-done
	if got := visibleErr(a.syncView.errLbl); got != "" {
		t.Errorf("background offline sync shows %q", got)
	}
	syncAndWait(t, a)
	if got := visibleErr(a.syncView.errLbl); !strings.Contains(got, "无法连接") {
		t.Errorf("manual offline sync shows %q", got)
	}
}

// testPage is the sync page in a test harness.
type testPage struct {
	*Page
	h *screentest.Harness
}

func newPage(t *testing.T, fill func(*store.Book)) *testPage {
	h := screentest.New(t, screentest.Options{}, fill)
	p := &testPage{Page: New(h.Env), h: h}
	h.Section(screen.Sync, func(bool) fyne.CanvasObject { return p.Build() })
	return p
}

// visibleErr is uitest.VisibleErr.
var visibleErr = uitest.VisibleErr
