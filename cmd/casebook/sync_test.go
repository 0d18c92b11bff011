package main

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
)

// TestSyncCommand runs `casebook sync` against a real hub on 127.0.0.1:
// device A pushes, a new empty casebook B takes the community and pulls,
// and the saved hub and token are used by a later run without flags.
func TestSyncCommand(t *testing.T) {
	st, err := hubbolt.Open(t.TempDir(), hubbolt.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(st, hub.Options{})
	srv := httptest.NewServer(h.Handler()) // listens on 127.0.0.1
	defer srv.Close()
	defer st.Close()
	tokA, _, err := h.Enroll("测试社区", false, "device A")
	if err != nil {
		t.Fatal(err)
	}
	tokB, _, _ := h.Enroll("测试社区", false, "device B")

	a := newDB(t)
	addCase(t, a, time.Now().Add(-time.Hour))
	out := ok(t, "sync", "--db", a, "--hub", srv.URL, "--token", tokA, "--json")
	var res struct{ Pushed, Pulled int }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Pushed == 0 {
		t.Fatalf("push: %q %v", out, err)
	}
	b := filepath.Join(t.TempDir(), "b.db")
	ok(t, "sync", "--db", b, "--hub", srv.URL, "--token", tokB)
	if list := ok(t, "case", "list", "--db", b, "--json"); !strings.Contains(list, "消防通道") {
		t.Errorf("device B did not pull the case: %s", list)
	}
	// Saved configuration: no flags needed the second time.
	addCase(t, b, time.Now().Add(-30*time.Minute))
	ok(t, "sync", "--db", b)
	ok(t, "sync", "--db", a)
	var list []map[string]any
	_ = json.Unmarshal([]byte(ok(t, "case", "list", "--db", a, "--json")), &list)
	if len(list) != 2 {
		t.Errorf("device A has %d cases after sync, want 2", len(list))
	}
	status := ok(t, "sync", "--db", a, "--status", "--json")
	if !strings.Contains(status, `"waiting":0`) {
		t.Errorf("status after sync: %s", status)
	}

	fails(t, "both --hub and --token", "sync", "--db", a, "--hub", srv.URL)
	fails(t, "no casebook", "sync", "--db", filepath.Join(t.TempDir(), "none.db"))
	bad := filepath.Join(t.TempDir(), "c.db")
	fails(t, "", "sync", "--db", bad, "--hub", srv.URL, "--token", "cbk_not-a-token")
	fails(t, "", "sync", "--db", newDB(t), "--hub", "http://127.0.0.1:1", "--token", tokA, "--timeout", "3s")
}
