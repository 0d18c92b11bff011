package screentest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// The benchmarks' casebook: 100,000 appeals (a street office's scale),
// authored with casebook.Author and applied 1,000 operations per
// Store.Apply, once per test binary; CASEBOOK_UI_BENCH_DB keeps the Bolt
// copy between runs. A test binary that uses them calls RemoveBenchDir
// from its TestMain.

const BenchCases = 100_000

var benchSummaries = []string{"顶层漏水", "楼下乱停车", "夜间施工噪音", "垃圾清运不及时", "电动车楼道充电", "群租扰民",
	"树木遮挡采光", "消防通道被占", "老年餐桌菜价", "下水道堵塞", "电梯故障", "路灯不亮"}

// BenchOps authors n appeals received over the two years before now, most
// walked some way round the loop, as batches of about 1,000 operations.
func BenchOps(n int, origin string, now time.Time) [][]casebook.Op {
	rng := rand.New(rand.NewPCG(1, 2))
	clock := casebook.NewClock(time.Now)
	au := casebook.Author{Origin: origin, Actor: "王明", Clock: clock, Now: func() time.Time { return now }}
	cats := casebook.DefaultCategories
	span := 2 * 365 * 24 * time.Hour
	var batches [][]casebook.Op
	var batch []casebook.Op
	flush := func() {
		if len(batch) > 0 {
			batches = append(batches, batch)
			batch = nil
		}
	}
	for i := range n {
		recv := now.Add(-time.Duration(float64(span) * float64(n-i) / float64(n))).Add(-time.Duration(rng.IntN(3600)) * time.Second)
		in := casebook.CaseInput{
			Number:   fmt.Sprintf("%s-%05d", recv.In(casebook.Shanghai).Format("20060102"), i),
			Received: recv, Channel: string(casebook.Channels()[rng.IntN(8)]), Type: "complaint",
			Category: cats[rng.IntN(len(cats))], Building: fmt.Sprintf("%d号楼", 1+rng.IntN(30)),
			Summary: benchSummaries[rng.IntN(len(benchSummaries))], Handler: []string{"王明", "李华", "张丽", "陈静"}[rng.IntN(4)],
		}
		if in.Channel == string(casebook.Channel12345) {
			in.WorkOrder = fmt.Sprintf("W%09d", i)
		}
		op, err := au.Create(in, cats)
		if err != nil {
			panic(err)
		}
		c := casebook.NewCase(op.Entity)
		_, _ = c.Apply(&op)
		batch = append(batch, op)
		// Old appeals are mostly done; recent ones still open.
		age := now.Sub(recv)
		steps := []casebook.Step{{Action: casebook.ActRespond}, {Action: casebook.ActResolve}, {Action: casebook.ActFeedback},
			{Action: casebook.ActEvaluate, Solved: casebook.SolvedYes, Satisfaction: casebook.Satisfied}, {Action: casebook.ActClose}}
		k := 5
		switch {
		case age < 3*24*time.Hour:
			k = rng.IntN(2)
		case age < 30*24*time.Hour:
			k = rng.IntN(5)
		case rng.IntN(20) == 0:
			k = rng.IntN(3)
		}
		at := recv
		for _, s := range steps[:k] {
			at = at.Add(time.Duration(1+rng.IntN(40)) * time.Hour)
			if at.After(now) {
				break
			}
			s.At = at
			sop, err := au.Step(c, s)
			if err != nil {
				panic(err)
			}
			_, _ = c.Apply(&sop)
			batch = append(batch, sop)
		}
		if len(batch) >= 1000 {
			flush()
		}
	}
	flush()
	return batches
}

var Bench struct {
	once  sync.Once
	now   time.Time
	mem   *store.Memory
	batch [][]casebook.Op
	build time.Duration

	boltOnce sync.Once
	boltPath string
	boltErr  error
	dir      string
}

// BenchMemory returns the 100,000-case in-memory casebook.
func BenchMemory(b testing.TB) (*store.Memory, time.Time) {
	Bench.once.Do(func() {
		start := time.Now()
		Bench.now = time.Now()
		Bench.mem = store.NewMemory()
		Bench.batch = BenchOps(BenchCases, Bench.mem.Device(), Bench.now)
		for _, ops := range Bench.batch {
			if _, err := Bench.mem.Apply(ops...); err != nil {
				panic(err)
			}
		}
		Bench.build = time.Since(start)
		fmt.Fprintf(os.Stderr, "built %d-case memory casebook in %v\n", Bench.mem.Index().Len(), Bench.build.Round(time.Millisecond))
	})
	return Bench.mem, Bench.now
}

// BenchBolt returns the path of the same casebook as a Bolt file.
func BenchBolt(b *testing.B) string {
	BenchMemory(b)
	Bench.boltOnce.Do(func() {
		path := os.Getenv("CASEBOOK_UI_BENCH_DB")
		if path != "" {
			if _, err := os.Stat(path); err == nil {
				Bench.boltPath = path
				return
			}
		} else {
			dir, err := os.MkdirTemp("", "casebook-ui-bench-")
			if err != nil {
				Bench.boltErr = err
				return
			}
			Bench.dir = dir
			path = filepath.Join(dir, "100k.db")
		}
		start := time.Now()
		bo, err := store.OpenBolt(path)
		if err != nil {
			Bench.boltErr = err
			return
		}
		for _, ops := range Bench.batch {
			if _, err := bo.Apply(ops...); err != nil {
				Bench.boltErr = err
				break
			}
		}
		if err := bo.Close(); err != nil && Bench.boltErr == nil {
			Bench.boltErr = err
		}
		Bench.boltPath = path
		fmt.Fprintf(os.Stderr, "built %d-case Bolt casebook in %v\n", BenchCases, time.Since(start).Round(time.Millisecond))
	})
	if Bench.boltErr != nil {
		b.Fatal(Bench.boltErr)
	}
	return Bench.boltPath
}

// RemoveBenchDir removes the benchmarks' temporary folder, if one was made.
func RemoveBenchDir() {
	if Bench.dir != "" {
		_ = os.RemoveAll(Bench.dir)
	}
}

// BenchNow is the clock the benchmarks' casebook was authored at.
func BenchNow() time.Time { return Bench.now }
