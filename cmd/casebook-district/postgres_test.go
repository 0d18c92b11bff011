package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
)

// --store is checked, and backup refuses it (pg_dump's job), before any
// connection is tried.
func TestStoreFlagChecks(t *testing.T) {
	if _, stderr, code := runCLI(t, "tokens", "--store", t.TempDir()); code != 1 || !strings.Contains(stderr, "postgres://") {
		t.Errorf("--store with a folder: %d %q", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	_, stderr, code := runCLI(t, "backup", "--store", "postgres://nobody@127.0.0.1:1/none", "--out", out)
	if code != 1 || !strings.Contains(stderr, "pg_dump") {
		t.Errorf("backup --store: %d %q", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("backup --store wrote %s", out)
	}
}

// pgStoreURL is CASEBOOK_HUB_PG with a fresh schema as its search_path
// (dropped after the test), or a skip. It is casebook/sync/internal/pgtest's
// URL, copied: Go's internal rule keeps cmd/ from importing sync/internal.
// Keep the two alike.
func pgStoreURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("CASEBOOK_HUB_PG")
	if base == "" {
		if os.Getenv("CASEBOOK_REQUIRE_PG") != "" {
			t.Fatal("CASEBOOK_REQUIRE_PG is set but CASEBOOK_HUB_PG is not")
		}
		t.Skip("set CASEBOOK_HUB_PG to a PostgreSQL connection string to test --store")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "clitest_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, base); err == nil {
			_, _ = conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
			_ = conn.Close(ctx)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// The admin commands and serve on PostgreSQL: admin commands reach the
// database directly, hub running or not; with --data beside --store, the
// running hub also answers on its admin socket.
func TestPostgresStoreCommands(t *testing.T) {
	store := pgStoreURL(t)
	out, stderr, code := runCLI(t, "enroll", "--store", store, "--community", "示例社区")
	if code != 0 || !strings.HasPrefix(out, hub.TokenPrefix) {
		t.Fatalf("enroll: %d %q %q", code, out, stderr)
	}
	tok := strings.TrimSpace(out)

	dir := t.TempDir()
	done := make(chan int, 1)
	var serveErr strings.Builder
	go func() {
		var o strings.Builder
		done <- run([]string{"serve", "--store", store, "--data", dir, "--addr", "127.0.0.1:0"}, &o, &serveErr)
	}()
	sock := filepath.Join(dir, hub.AdminSocket)
	for i := 0; ; i++ {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatal("the hub did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if out, stderr, code := runCLI(t, "enroll", "--store", store, "--community", "东风社区", "--read-only"); code != 0 || !strings.HasPrefix(out, hub.TokenPrefix) {
		t.Fatalf("enroll while running: %d %q", code, stderr)
	}
	// Through the socket: --data only, and no hub.db is made there.
	if out, stderr, code := runCLI(t, "revoke", "--data", dir, tok); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke through the socket: %q %q", out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, hubbolt.DBFile)); err == nil {
		t.Fatal("an admin command made a bbolt hub beside the PostgreSQL one")
	}
	xl := filepath.Join(t.TempDir(), "rollup.xlsx")
	if _, stderr, code := runCLI(t, "export", "--store", store, "--out", xl); code != 0 {
		t.Fatalf("export: %q", stderr)
	}
	out, _, _ = runCLI(t, "tokens", "--store", store)
	if !strings.Contains(out, "revoked") || !strings.Contains(out, "东风社区\tro") {
		t.Errorf("tokens: %q", out)
	}
	// serve stops on SIGTERM (its signal handler is in place: it is serving).
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve: %d %s", code, serveErr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(sock); err == nil {
		t.Error("the admin socket outlived the hub")
	}
}
