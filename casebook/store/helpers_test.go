package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"casebook/casebook"
)

// fakeClock is a test clock that moves forward by step at every reading.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func newFakeClock(t time.Time, step time.Duration) *fakeClock { return &fakeClock{t: t, step: step} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// t0 is 2026-03-15 09:00 in Shanghai.
var t0 = time.Date(2026, 3, 15, 9, 0, 0, 0, casebook.Shanghai)

func sampleInput(i int) casebook.CaseInput {
	return casebook.CaseInput{
		Channel:     "walk-in",
		Type:        "complaint",
		Category:    "停车管理",
		Building:    fmt.Sprintf("%d号楼", 10+i%5),
		Summary:     fmt.Sprintf("楼下乱停车挡住消防通道 %d", i),
		Complainant: "张三",
		Phone:       "13800000000",
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func fileSum(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func copyTo(t testing.TB, src, dst string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// allOps reads a store's whole log.
func allOps(t testing.TB, s Store) []casebook.Op {
	t.Helper()
	var out []casebook.Op
	var seq uint64
	for {
		ops, last, err := s.OpsSince(seq, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) == 0 {
			return out
		}
		out = append(out, ops...)
		seq = last
	}
}

func openTestBolt(t testing.TB, path string, opts ...Option) *Bolt {
	t.Helper()
	b, err := OpenBolt(path, opts...)
	if err != nil {
		t.Fatalf("OpenBolt: %v", err)
	}
	return b
}

func tempPath(t testing.TB, name string) string { return filepath.Join(t.TempDir(), name) }
