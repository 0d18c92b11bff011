package client_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/client"
	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/internal/fixture"
)

// benchCases is the size of the casebook of the sync benchmarks.
var benchCases = envInt("CASEBOOK_BENCH_CASES", 100_000)

// benchBatch is the operations per push of the initial sync.
var benchBatch = envInt("CASEBOOK_BENCH_BATCH", 2000)

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}

// realHub starts a hub with fsync on (as deployed) on 127.0.0.1.
func realHub(b *testing.B) (*hub.Hub, string) {
	b.Helper()
	st, err := hubbolt.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	h := hub.New(st, hub.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h.Handler()}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close(); h.Close(); _ = st.Close() })
	return h, "http://" + ln.Addr().String()
}

// BenchmarkSync100k: the first sync of a 100,000-case casebook (about
// 420,000 operations, a Bolt file with fsync) to an empty hub on loopback;
// then incremental syncs of 100 changes; then the first pull of the whole
// community to a second, empty device.
//
//	go test -run '^$' -bench Sync100k -benchtime 1x ./sync/client/
func BenchmarkSync100k(b *testing.B) {
	dir := b.TempDir()
	src, err := store.OpenBolt(filepath.Join(dir, "device.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	t0 := time.Now()
	ops := fixture.Cases(benchCases, fixture.Options{Seed: 1, Now: time.Now().Add(-time.Hour)})
	for i := 0; i < len(ops); i += 5000 {
		if _, err := src.Apply(ops[i:min(i+5000, len(ops))]...); err != nil {
			b.Fatal(err)
		}
	}
	nops := len(ops)
	ops = nil
	fmt.Fprintf(os.Stderr, "built %d cases, %d ops in %v\n", benchCases, nops, time.Since(t0).Round(time.Millisecond))
	book, err := store.NewBook(src, "王书记", nil)
	if err != nil {
		b.Fatal(err)
	}
	set := book.Settings()
	set.Community.Name = "示例社区"
	_ = book.UpdateSettings(set, casebook.SettingCommunity)

	var h *hub.Hub
	var url, tok string
	parent := b
	b.Run("initial", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			h, url = realHub(parent)
			tok, _, _ = h.Enroll("示例社区", false, "")
			_ = src.PutLocal("sync/cursor", nil)
			b.StartTimer()
			res, err := client.Sync(context.Background(), book, url, tok, client.WithBatch(benchBatch))
			if err != nil {
				b.Fatal(err)
			}
			if res.Pushed < nops {
				b.Fatalf("pushed %d of %d", res.Pushed, nops)
			}
			b.ReportMetric(float64(res.Pushed)/res.Duration.Seconds(), "ops/s")
			b.ReportMetric(float64(benchCases)/res.Duration.Seconds(), "cases/s")
		}
	})
	// The hub of the last initial run stays up for the next two.
	b.Run("incremental100", func(b *testing.B) {
		if h == nil {
			b.Skip("no hub")
		}
		sums := book.Store().Summaries()
		for i := range b.N {
			b.StopTimer()
			for j := range 100 {
				s := sums[(i*100+j)%len(sums)]
				if _, err := book.SetFields(s.ID, map[string]string{casebook.FieldHandler: fmt.Sprintf("网格员%d", j)}); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			res, err := client.Sync(context.Background(), book, url, tok)
			if err != nil || res.Pushed != 100 {
				b.Fatalf("%+v %v", res, err)
			}
		}
	})
	b.Run("pull-initial", func(b *testing.B) {
		if h == nil {
			b.Skip("no hub")
		}
		for range b.N {
			b.StopTimer()
			dev, err := store.OpenBolt(filepath.Join(b.TempDir(), "second.db"))
			if err != nil {
				b.Fatal(err)
			}
			second, _ := store.NewBook(dev, "党委书记", nil)
			t2, _, _ := h.Enroll("示例社区", false, "")
			b.StartTimer()
			res, err := client.Sync(context.Background(), second, url, t2, client.WithBatch(2000))
			b.StopTimer()
			if err != nil || res.Pulled < nops {
				b.Fatalf("%+v %v", res, err)
			}
			b.ReportMetric(float64(res.Pulled)/res.Duration.Seconds(), "ops/s")
			_ = dev.Close()
		}
	})
}
