package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// enroll, tokens, revoke and export work with the hub stopped and, through
// the admin socket, with it running.
func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := runCLI(t, "enroll", "--data", dir, "--community", "示例社区")
	if code != 0 || !strings.HasPrefix(out, hub.TokenPrefix) {
		t.Fatalf("enroll: %d %q %q", code, out, stderr)
	}
	tok := strings.TrimSpace(out)
	if _, stderr, code := runCLI(t, "enroll", "--data", dir); code != 1 || !strings.Contains(stderr, "--community") {
		t.Errorf("enroll without community: %d %q", code, stderr)
	}
	out, _, code = runCLI(t, "tokens", "--data", dir)
	if code != 0 || !strings.Contains(out, "示例社区") || strings.Contains(out, tok) {
		t.Errorf("tokens: %d %q", code, out)
	}
	xl := filepath.Join(t.TempDir(), "rollup.xlsx")
	if _, stderr, code := runCLI(t, "export", "--data", dir, "--out", xl, "--from", "2026-01-01"); code != 0 {
		t.Fatalf("export: %q", stderr)
	}
	if _, err := os.Stat(xl); err != nil {
		t.Fatal(err)
	}

	// With the hub running on the folder.
	stop := startHub(t, dir)
	out, stderr, code = runCLI(t, "enroll", "--data", dir, "--community", "东风社区", "--read-only")
	if code != 0 || !strings.HasPrefix(out, hub.TokenPrefix) {
		t.Fatalf("enroll while running: %d %q %q", code, out, stderr)
	}
	if out, stderr, code := runCLI(t, "revoke", "--data", dir, tok); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke while running: %q %q", out, stderr)
	}
	if _, stderr, code := runCLI(t, "revoke", "--data", dir, "nosuchtoken"); code != 1 || stderr == "" {
		t.Errorf("revoke unknown: %d %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "export", "--data", dir, "--out", xl); code != 0 {
		t.Fatalf("export while running: %q", stderr)
	}
	stop()
	out, _, _ = runCLI(t, "tokens", "--data", dir)
	if !strings.Contains(out, "revoked") || !strings.Contains(out, "东风社区\tro") {
		t.Errorf("tokens after: %q", out)
	}
}

// startHub serves the hub data in dir until the returned stop is called.
func startHub(t *testing.T, dir string) (stop func()) {
	t.Helper()
	st, err := hubbolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(st, hub.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- h.Serve(ctx, hub.ServeConfig{Addr: "127.0.0.1:0", AdminDir: dir, Ready: func(a net.Addr) { ready <- a }})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("hub did not start")
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		h.Close()
		_ = st.Close()
	}
}

// communitiesIn opens a copy of hub.db in a folder of its own and lists
// the communities its tokens are for, and its epoch.
func communitiesIn(t *testing.T, copyPath string, epochFrom string) ([]string, string) {
	t.Helper()
	dir := t.TempDir()
	raw, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, hubbolt.DBFile), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if epochFrom != "" {
		side, err := os.ReadFile(filepath.Join(epochFrom, hubbolt.EpochFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, hubbolt.EpochFile), side, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, err := hubbolt.Open(dir)
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	defer st.Close()
	ts, err := st.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tk := range ts {
		names = append(names, tk.Community)
	}
	return names, st.Epoch()
}

// backup copies the hub's database with the hub stopped and running; the
// copy opens as a hub; restoring an older copy beside the epoch record
// gives a new epoch (so devices push again what it lacks).
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, "enroll", "--data", dir, "--community", "示例社区"); code != 0 {
		t.Fatal(stderr)
	}
	out := t.TempDir()
	stopped := filepath.Join(out, "stopped.db")
	if o, stderr, code := runCLI(t, "backup", "--data", dir, "--out", stopped); code != 0 || !strings.Contains(o, "bytes") {
		t.Fatalf("backup stopped: %d %q %q", code, o, stderr)
	}
	if _, stderr, code := runCLI(t, "backup", "--data", dir); code != 1 || !strings.Contains(stderr, "--out") {
		t.Errorf("backup without --out: %d %q", code, stderr)
	}

	stop := startHub(t, dir)
	st0, _ := communitiesIn(t, stopped, "")
	if strings.Join(st0, ",") != "示例社区" {
		t.Errorf("stopped copy has tokens of %v", st0)
	}
	if _, stderr, code := runCLI(t, "enroll", "--data", dir, "--community", "东风社区"); code != 0 {
		t.Fatal(stderr)
	}
	running := filepath.Join(out, "running.db")
	if _, stderr, code := runCLI(t, "backup", "--data", dir, "--out", running); code != 0 {
		t.Fatalf("backup running: %q", stderr)
	}
	if _, stderr, code := runCLI(t, "backup", "--data", dir, "--out", running); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("backup over a file: %d %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "backup", "--data", dir, "--out", running, "--force"); code != 0 {
		t.Fatalf("backup --force: %q", stderr)
	}
	stop()
	got, _ := communitiesIn(t, running, "")
	if strings.Join(got, ",") != "示例社区,东风社区" && strings.Join(got, ",") != "东风社区,示例社区" {
		t.Errorf("running copy has tokens of %v", got)
	}
	if names, _ := filepath.Glob(filepath.Join(out, ".*")); len(names) != 0 {
		t.Errorf("left %v behind", names)
	}

	// Restore the older copy in place, epoch record kept: a new epoch.
	_, epoch := communitiesIn(t, filepath.Join(dir, hubbolt.DBFile), dir)
	restored, newEpoch := communitiesIn(t, stopped, dir)
	if strings.Join(restored, ",") != "示例社区" {
		t.Errorf("restored copy has tokens of %v", restored)
	}
	if newEpoch == epoch || newEpoch == "" {
		t.Errorf("restored from an older copy kept epoch %q", epoch)
	}
}
