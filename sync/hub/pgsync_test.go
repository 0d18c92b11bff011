package hub_test

import (
	"context"
	"net/http/httptest"
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
	"casebook/sync/hub/hubpg"
	"casebook/sync/internal/fixture"
	"casebook/sync/internal/pgtest"
)

// pgStore opens the PostgreSQL store in a schema of its own (dropped
// after; see pgtest.URL), or skips when CASEBOOK_HUB_PG is not set (fails
// under CASEBOOK_REQUIRE_PG). The schema reaches the store only as the URL's
// search_path.
func pgStore(tb testing.TB) *hubpg.Store {
	tb.Helper()
	st, err := hubpg.Open(pgtest.URL(tb, "hubsync"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	return st
}

// Two devices sync through a hub on PostgreSQL, over HTTP, as they do
// through the bbolt hub: the second gets the first's casebook, and the
// hub's views hold every case.
func TestSyncThroughPostgresHub(t *testing.T) {
	st := pgStore(t)
	h := hub.New(st, hub.Options{MaterializeDelay: 10 * time.Millisecond})
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() { srv.Close(); h.Close() })
	const community = "示例社区"
	tokA, _, err := h.Enroll(community, false, "")
	if err != nil {
		t.Fatal(err)
	}
	tokB, _, _ := h.Enroll(community, false, "")
	a, err := store.NewBook(store.NewMemory(), "王", nil)
	if err != nil {
		t.Fatal(err)
	}
	set := a.Settings()
	set.Community.Name = community
	if err := a.UpdateSettings(set, casebook.SettingCommunity); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Merge(fixture.Cases(200, fixture.Options{Seed: 3, Now: time.Now().Add(-time.Hour)})...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := client.Sync(ctx, a, srv.URL, tokA, client.WithBatch(300))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := store.NewBook(store.NewMemory(), "李", nil)
	resB, err := client.Sync(ctx, b, srv.URL, tokB)
	if err != nil || resB.Pulled != res.Pushed {
		t.Fatalf("pull: %+v %v (pushed %d)", resB, err, res.Pushed)
	}
	if b.Settings().Community.Name != community || len(b.Store().Summaries()) != 200 {
		t.Fatalf("device B: %q, %d cases", b.Settings().Community.Name, len(b.Store().Summaries()))
	}
	if err := h.CatchUp(ctx, community); err != nil {
		t.Fatal(err)
	}
	if _, sums, err := st.Views(community); err != nil || len(sums) != 200 {
		t.Fatalf("views: %d %v", len(sums), err)
	}
}

func benchEnvInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchDevice opens a bbolt casebook of n cases of the fixture for the
// sync benchmarks: the file CASEBOOK_BENCH_DEVICE names, made there if it
// is not (so that runs after the first skip the minutes it takes), else a
// new one in a temporary folder. It returns the casebook and its number of
// operations.
func benchDevice(b *testing.B, n int) (*store.Book, int) {
	path := os.Getenv("CASEBOOK_BENCH_DEVICE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "device.db")
	}
	_, statErr := os.Stat(path)
	src, err := store.OpenBolt(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = src.Close() })
	if statErr != nil {
		ops := fixture.Cases(n, fixture.Options{Seed: 1, Now: time.Now().Add(-time.Hour)})
		for i := 0; i < len(ops); i += 5000 {
			if _, err := src.Apply(ops[i:min(i+5000, len(ops))]...); err != nil {
				b.Fatal(err)
			}
		}
	}
	book, err := store.NewBook(src, "王书记", nil)
	if err != nil {
		b.Fatal(err)
	}
	set := book.Settings()
	set.Community.Name = "示例社区"
	if err := book.UpdateSettings(set, casebook.SettingCommunity); err != nil {
		b.Fatal(err)
	}
	if got := len(book.Store().Summaries()); got != n {
		b.Fatalf("%s holds %d cases, not %d (CASEBOOK_BENCH_CASES)", path, got, n)
	}
	nops := 0
	for seq := uint64(0); ; {
		ops, last, err := src.OpsSince(seq, 10000)
		if err != nil {
			b.Fatal(err)
		}
		if len(ops) == 0 {
			break
		}
		nops, seq = nops+len(ops), last
	}
	return book, nops
}

// BenchmarkInitialSync: the first sync of a casebook of N cases (a bbolt
// device file; CASEBOOK_BENCH_CASES, default 20,000) to an empty hub on
// loopback, on each store, so that the two can be compared on one machine
// (sync/client's BenchmarkSync100k is the bbolt hub at 100,000 cases). The
// database should have fsync on (.ci/postgres.sh start --fsync). Besides
// the rate it reports the CPU this process (device and hub) used, and for
// PostgreSQL the CPU of the server processes that served the hub, so that
// a figure taken on a busy machine can be read: on an idle machine of C
// cores, the rate cannot pass C ÷ the CPU seconds per case.
//
//	CASEBOOK_HUB_PG=postgres://… CASEBOOK_BENCH_CASES=100000 CASEBOOK_BENCH_DEVICE=/tmp/device100k.db \
//	  go test -run '^$' -bench InitialSync -benchtime 1x -count 3 ./sync/hub/
func BenchmarkInitialSync(b *testing.B) {
	n := benchEnvInt("CASEBOOK_BENCH_CASES", 20_000)
	book, nops := benchDevice(b, n)
	const app = "casebook-bench"
	var pgURL string
	stores := []struct {
		name string
		open func(b *testing.B) hub.Store
	}{
		{"bolt", func(b *testing.B) hub.Store {
			st, err := hubbolt.Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = st.Close() })
			return st
		}},
		{"postgres", func(b *testing.B) hub.Store {
			pgURL = pgtest.URL(b, "hubsync")
			st, err := hubpg.Open(pgtest.WithParam(pgURL, "application_name", app))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = st.Close() })
			return st
		}},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				st := s.open(b)
				h := hub.New(st, hub.Options{})
				srv := httptest.NewServer(h.Handler())
				tok, _, _ := h.Enroll("示例社区", false, "")
				_ = book.Store().PutLocal("sync/cursor", nil)
				cpu := pgtest.ProcessCPU()
				b.StartTimer()
				res, err := client.Sync(context.Background(), book, srv.URL, tok, client.WithBatch(2000))
				b.StopTimer()
				cpu = pgtest.ProcessCPU() - cpu
				if s.name == "postgres" {
					b.ReportMetric(pgtest.BackendCPU(b, pgURL, app), "pg-cpu-s")
				}
				srv.Close()
				h.Close()
				if err != nil {
					b.Fatal(err)
				}
				if res.Pushed < nops {
					b.Fatalf("pushed %d of %d", res.Pushed, nops)
				}
				b.ReportMetric(float64(res.Pushed)/res.Duration.Seconds(), "ops/s")
				b.ReportMetric(float64(n)/res.Duration.Seconds(), "cases/s")
				b.ReportMetric(cpu, "proc-cpu-s")
			}
		})
	}
}
