package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// The benchmarks run on a casebook of 100,000 cases (a street office's
// scale), built once per run of the test binary. Set CASEBOOK_BENCH_DB to a
// path to keep the file between runs (it is built there if missing), so
// that a second run measures memory without the build.
//
//	go test -run '^$' -bench 100k -benchmem ./casebook/store/

const benchCases = 100_000

// benchNow is the "as of" time of the fixture: the end of June 2026.
var benchNow = time.Date(2026, 6, 30, 18, 0, 0, 0, casebook.Shanghai)

var bench100k struct {
	once sync.Once
	path string
	err  error
}

var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		_ = os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// fixture100k returns the path of the 100,000-case casebook.
func fixture100k(b *testing.B) string {
	b.Helper()
	bench100k.once.Do(func() {
		path := os.Getenv("CASEBOOK_BENCH_DB")
		if path != "" {
			if _, err := os.Stat(path); err == nil {
				bench100k.path = path
				return
			}
		} else {
			dir, err := os.MkdirTemp("", "casebook-bench-")
			if err != nil {
				bench100k.err = err
				return
			}
			benchDir = dir
			path = filepath.Join(dir, "100k.db")
		}
		start := time.Now()
		bench100k.err = buildBench(path, benchCases)
		bench100k.path = path
		fi, _ := os.Stat(path)
		if fi != nil {
			fmt.Fprintf(os.Stderr, "built %d-case casebook in %v: %.0f MB\n", benchCases, time.Since(start).Round(time.Millisecond), float64(fi.Size())/(1<<20))
		}
	})
	if bench100k.err != nil {
		b.Fatal(bench100k.err)
	}
	return bench100k.path
}

var benchSummaries = []string{"顶层漏水", "楼下乱停车", "夜间施工噪音", "垃圾清运不及时", "电动车楼道充电", "群租扰民",
	"树木遮挡采光", "消防通道被占", "老年餐桌菜价", "下水道堵塞", "电梯故障", "路灯不亮"}

// buildBench writes n cases spread over the two years before benchNow,
// in batches of 1,000 creations with their steps: most are signed for,
// many resolved, told and evaluated, about half closed out.
func buildBench(path string, n int) error {
	s, err := OpenBolt(path, withNoSync())
	if err != nil {
		return err
	}
	defer s.Close()
	now := func() time.Time { return benchNow }
	a := casebook.Author{Origin: s.Device(), Actor: "王书记", Clock: casebook.NewClock(now), Now: now}
	rng := rand.New(rand.NewPCG(2026, 6))
	first := benchNow.AddDate(-2, 0, 0)
	span := benchNow.Sub(first) - 30*24*time.Hour
	daySeq := map[string]int{}
	channels := casebook.Channels()
	types := casebook.Types()
	ops := make([]casebook.Op, 0, 6000)
	for i := range n {
		received := first.Add(time.Duration(float64(span) * float64(i) / float64(n))).Add(time.Duration(rng.IntN(3600)) * time.Second)
		day := dayPrefix(received)
		daySeq[day]++
		in := casebook.CaseInput{
			Number:      fmt.Sprintf("%s-%03d", day, daySeq[day]),
			Received:    received,
			Channel:     string(pick(rng, channels...)),
			Type:        string(pick(rng, types...)),
			Category:    pick(rng, casebook.DefaultCategories...),
			Building:    fmt.Sprintf("%d号楼", 1+rng.IntN(40)),
			Unit:        fmt.Sprintf("%d单元%d", 1+rng.IntN(4), 101+rng.IntN(600)),
			Summary:     pick(rng, benchSummaries...) + fmt.Sprintf("（第%d件）", i),
			Complainant: "居民",
			Phone:       "13800000000",
			Urgency:     pick(rng, "general", "general", "general", "complex", "utility"),
		}
		if in.Channel == string(casebook.Channel12345) {
			in.WorkOrder = fmt.Sprintf("WO%09d", i)
		}
		create, err := a.Create(in, nil)
		if err != nil {
			return err
		}
		c := casebook.NewCase(create.Entity)
		_, _ = c.Apply(&create)
		ops = append(ops, create)
		at := received
		step := func(st casebook.Step, hours int) error {
			at = at.Add(time.Duration(1+rng.IntN(hours)) * time.Hour)
			st.At = at
			op, err := a.Step(c, st)
			if err != nil {
				return err
			}
			_, _ = c.Apply(&op)
			ops = append(ops, op)
			return nil
		}
		r := rng.IntN(100)
		var errs []error
		if r < 92 {
			errs = append(errs, step(casebook.Step{Action: casebook.ActRespond}, 30))
		}
		if r < 80 {
			errs = append(errs, step(casebook.Step{Action: casebook.ActResolve}, 24*9))
			errs = append(errs, step(casebook.Step{Action: casebook.ActFeedback}, 24))
		}
		if r < 70 {
			errs = append(errs, step(casebook.Step{Action: casebook.ActEvaluate,
				Solved:       pick(rng, casebook.SolvedYes, casebook.SolvedYes, casebook.SolvedYes, casebook.SolvedPartly, casebook.SolvedNo),
				Satisfaction: pick(rng, casebook.Satisfied, casebook.Satisfied, casebook.BasicSatisfied, casebook.NotSatisfied)}, 48))
		}
		if r < 50 {
			errs = append(errs, step(casebook.Step{Action: casebook.ActClose}, 48))
		}
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		if (i+1)%1000 == 0 || i == n-1 {
			if _, err := s.Apply(ops...); err != nil {
				return err
			}
			ops = ops[:0]
		}
	}
	return nil
}

func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkOpen100k: open the file and have every summary in memory,
// ready to list. file-B/case is the size of the file (built by Apply, a
// thousand cases a transaction) per case; its buckets are told on stderr.
func BenchmarkOpen100k(b *testing.B) {
	path := fixture100k(b)
	bucketSizes(b, path)
	runtime.GC()
	var heap float64
	for b.Loop() {
		s, err := OpenBolt(path)
		if err != nil {
			b.Fatal(err)
		}
		if n := s.Index().Len(); n < benchCases {
			b.Fatalf("%d cases", n)
		}
		b.StopTimer()
		heap = heapMB()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/benchCases, "file-B/case")
	}
}

func openBenchBook(b *testing.B, path string) *Book {
	b.Helper()
	s, err := OpenBolt(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	bk, err := NewBook(s, "王书记", func() time.Time { return benchNow })
	if err != nil {
		b.Fatal(err)
	}
	return bk
}

// BenchmarkFilter100k: the ledger's filter: status, category and a text
// search, newest first.
func BenchmarkFilter100k(b *testing.B) {
	bk := openBenchBook(b, fixture100k(b))
	f := casebook.Filter{
		Statuses:   []casebook.Status{casebook.StatusResponded, casebook.StatusFeedback, casebook.StatusEvaluated, casebook.StatusClosed},
		Categories: []string{"老旧小区改造", "物业管理", "环境卫生"},
		Text:       "漏水 1号楼",
	}
	var n int
	b.Run("status+category+text", func(b *testing.B) {
		for b.Loop() {
			n = len(bk.List(f, benchNow))
		}
		b.ReportMetric(float64(n), "matches")
	})
	open := casebook.Filter{Open: true, Overdue: true}
	b.Run("open+overdue", func(b *testing.B) {
		for b.Loop() {
			n = len(bk.List(open, benchNow))
		}
		b.ReportMetric(float64(n), "matches")
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			n = len(bk.List(casebook.Filter{}, benchNow))
		}
		b.ReportMetric(float64(n), "matches")
	})
}

// BenchmarkMetrics100k: every figure for a ten-month term.
func BenchmarkMetrics100k(b *testing.B) {
	bk := openBenchBook(b, fixture100k(b))
	q := casebook.MetricsQuery{
		From: time.Date(2025, 12, 1, 0, 0, 0, 0, casebook.Shanghai),
		To:   time.Date(2026, 10, 1, 0, 0, 0, 0, casebook.Shanghai),
		Now:  benchNow,
	}
	var m casebook.Metrics
	b.Run("term", func(b *testing.B) {
		for b.Loop() {
			m = bk.Metrics(q)
		}
		b.ReportMetric(float64(m.Cases), "cases")
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			m = bk.Metrics(casebook.MetricsQuery{Now: benchNow})
		}
		b.ReportMetric(float64(m.Cases), "cases")
	})
}

// BenchmarkAddCase: add a case to the 100,000-case casebook (a copy of
// it), with fsync, as the app does; reports the median and the 99th
// percentile.
func BenchmarkAddCase(b *testing.B) {
	src := fixture100k(b)
	path := filepath.Join(b.TempDir(), "add.db")
	if err := copyFile(src, path); err != nil {
		b.Fatal(err)
	}
	clk := newFakeClock(benchNow, time.Millisecond)
	s, err := OpenBolt(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	bk, err := NewBook(s, "王书记", clk.Now)
	if err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		in := sampleInput(i)
		i++
		t := time.Now()
		if _, err := bk.AddCase(in); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkPolicyChange100k: a change of the deadline policy recomputes
// and rewrites every summary and its due-date index entry in one
// transaction.
func BenchmarkPolicyChange100k(b *testing.B) {
	src := fixture100k(b)
	path := filepath.Join(b.TempDir(), "policy.db")
	if err := copyFile(src, path); err != nil {
		b.Fatal(err)
	}
	bk := openBenchBook(b, path)
	days := 7
	for b.Loop() {
		days = 12 - days // 7 ↔ 5
		set := bk.Settings()
		set.Policy.Handle[casebook.UrgencyGeneral] = casebook.Limit{Amount: days, Unit: casebook.UnitDays}
		if err := bk.UpdateSettings(set, casebook.SettingPolicy); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck100k: the full consistency check (what a "casebook check"
// command runs).
func BenchmarkCheck100k(b *testing.B) {
	s, err := OpenBolt(fixture100k(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if err := s.Check(); err != nil {
			b.Fatal(err)
		}
	}
}

// bucketSizes tells on stderr what each bucket of a casebook file holds:
// bytes in use and allocated in its pages, per case.
func bucketSizes(b *testing.B, path string) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bbolt.Tx) error {
		fmt.Fprintf(os.Stderr, "%s: %d bytes, %.0f per case\n", path, tx.Size(), float64(tx.Size())/benchCases)
		return tx.ForEach(func(name []byte, bk *bbolt.Bucket) error {
			st := bk.Stats()
			inuse := st.BranchInuse + st.LeafInuse
			alloc := st.BranchAlloc + st.LeafAlloc
			fmt.Fprintf(os.Stderr, "  %-13s %8d keys  %6.0f B/case in use, %6.0f allocated (%.0f%%)\n", name, st.KeyN,
				float64(inuse)/benchCases, float64(alloc)/benchCases, 100*float64(inuse)/float64(max(alloc, 1)))
			return nil
		})
	})
}

// BenchmarkUpgrade100k: open a schema-2 casebook of 100,000 cases made by
// the schema-2 build (CASEBOOK_BENCH_V2DB names it; skipped without), which
// rewrites it as schema 3, and read every summary: the upgrade a street
// office's casebook goes through once. The file is copied first.
func BenchmarkUpgrade100k(b *testing.B) {
	src := os.Getenv("CASEBOOK_BENCH_V2DB")
	if src == "" {
		b.Skip("CASEBOOK_BENCH_V2DB names no schema-2 file")
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "v2.db")
		if err := copyFile(src, path); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, err := OpenBolt(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n := s.Index().Len(); n < benchCases {
			b.Fatalf("%d cases", n)
		}
		_ = s.Close()
		before, _ := os.Stat(path + ".v2.bak")
		after, _ := os.Stat(path)
		b.ReportMetric(float64(before.Size())/benchCases, "v2-B/case")
		b.ReportMetric(float64(after.Size())/benchCases, "v3-B/case")
		bucketSizes(b, path)
		b.StartTimer()
	}
}
