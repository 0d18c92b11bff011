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
	st, err := hub.OpenBolt(dir, hub.BoltOptions{})
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
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	h.Close()
	_ = st.Close()
	out, _, _ = runCLI(t, "tokens", "--data", dir)
	if !strings.Contains(out, "revoked") || !strings.Contains(out, "东风社区\tro") {
		t.Errorf("tokens after: %q", out)
	}
}
