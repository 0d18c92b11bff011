package xlsx

// Benchmarks. Run, for example:
//
//	go test ./casebook/xlsx -run XXX -bench . -benchmem
//	/usr/bin/time -v go test ./casebook/xlsx -run XXX -bench 'Export100k$' -benchtime 1x
//
// Building the 100,000-appeal casebook (a Bolt file) takes a minute or two
// and is done once per run, outside the timings; set CASEBOOK_BENCH_DB to a
// path to keep it between runs.
//
// Memory: live-rise-MB is how far the live heap (as of each garbage
// collection) rose above its level at the start, which is what the export
// itself keeps; go-mem-MB is all the memory the Go runtime held at its
// peak (garbage not yet collected included), go-mem-before-MB the same
// before the benchmark (the casebook open), rss-anon-peak-MB the largest
// resident anonymous memory of the process (RssAnon of /proc/self/status,
// sampled every 4 ms: what the export costs in RAM that cannot be given
// back; the page cache of the file is not in it). Peak RSS from /usr/bin/time
// also counts the Bolt file's pages that the OS maps in for the store.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
	"casebook/casebook/store"
)

var (
	benchOnce sync.Once
	benchPath string      // the 100k casebook file
	benchDir  string      // a temporary folder holding it, removed at the end
	benchBook *store.Book // the file open as the app has it, while a benchmark uses it
)

// bench100kFile is a Bolt file of 100,000 appeals, made once per run (or
// kept in CASEBOOK_BENCH_DB between runs), and closed: as the command line
// finds it.
func bench100kFile(b *testing.B) string {
	benchOnce.Do(func() {
		path := os.Getenv("CASEBOOK_BENCH_DB")
		if path == "" {
			dir, err := os.MkdirTemp("", "casebook-xlsx-bench-")
			if err != nil {
				b.Fatal(err)
			}
			benchDir = dir
			path = filepath.Join(dir, "bench.casebook")
		}
		if _, err := os.Stat(path); err != nil {
			s, err := store.OpenBolt(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := syntheticBook(b, s, 100_000, testNow()).Close(); err != nil {
				b.Fatal(err)
			}
		}
		benchPath = path
	})
	if benchBook != nil { // the file lock is exclusive
		_ = benchBook.Close()
		benchBook = nil
	}
	return benchPath
}

// bench100k is the 100,000-appeal casebook open as the app would have it
// (summaries in memory).
func bench100k(b *testing.B) *store.Book {
	if benchBook != nil {
		return benchBook
	}
	path := bench100kFile(b)
	s, err := store.OpenBolt(path)
	if err != nil {
		b.Fatal(err)
	}
	if benchBook, err = store.NewBook(s, "王明", nil); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	return benchBook
}

// peakHeap samples memory every millisecond until stop is called and
// returns, in MB: the largest rise of the live heap (as measured by the
// last garbage collection) above its level at the start, which is what the
// export itself keeps; the largest memory the Go runtime held from the OS
// in all (heap with its garbage, stacks, buffers; the pages of the Bolt
// file that the store maps are not in it); and that figure at the start
// (the casebook already open).
func peakHeap() (stop func() (liveRise, footprint, baseFootprint float64)) {
	var peakLive, peakTotal atomic.Uint64
	anonStart := rssAnon()
	peakAnon.Store(anonStart)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	newSamples := func() []metrics.Sample {
		return []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"},
			{Name: "/memory/classes/heap/released:bytes"}}
	}
	read := func(s []metrics.Sample) (live, total uint64) {
		metrics.Read(s)
		return s[0].Value.Uint64(), s[1].Value.Uint64() - s[2].Value.Uint64()
	}
	base, baseTotal := read(newSamples())
	go func() {
		defer wg.Done()
		samples := newSamples()
		n := 0
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			live, tot := read(samples)
			if live > peakLive.Load() {
				peakLive.Store(live)
			}
			if tot > peakTotal.Load() {
				peakTotal.Store(tot)
			}
			if n++; n%4 == 0 { // reading /proc costs about 20 µs
				if a := rssAnon(); a > peakAnon.Load() {
					peakAnon.Store(a)
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() (float64, float64, float64) {
		close(done)
		wg.Wait()
		rise := 0.0
		if p := peakLive.Load(); p > base {
			rise = float64(p-base) / (1 << 20)
		}
		return rise, float64(peakTotal.Load()) / (1 << 20), float64(baseTotal) / (1 << 20)
	}
}

// peakAnon is the largest RssAnon seen by the last peakHeap.
var peakAnon atomic.Uint64

// rssAnon is the process's resident anonymous memory (RssAnon in
// /proc/self/status: heap, stacks, the Go runtime's own; not the pages of
// mapped files such as the casebook, which the kernel can drop and read
// again), in bytes; 0 where /proc is not there.
func rssAnon() uint64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(raw)) {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// report adds the memory metrics of peakHeap.
func report(b *testing.B, stop func() (float64, float64, float64)) {
	rise, total, base := stop()
	b.ReportMetric(float64(peakAnon.Load())/(1<<20), "rss-anon-peak-MB")
	b.ReportMetric(rise, "live-rise-MB")
	b.ReportMetric(total, "go-mem-MB")
	b.ReportMetric(base, "go-mem-before-MB")
}

// BenchmarkExport100k is the whole workbook (every sheet, both charts) of
// 100,000 appeals from a casebook open in the app (its summaries in memory).
func BenchmarkExport100k(b *testing.B) {
	book := bench100k(b)
	now := testNow()
	runtime.GC()
	b.ResetTimer()
	stop := peakHeap()
	var size int64
	for b.Loop() {
		cw := &countWriter{}
		if err := Export(cw, book, ExportOptions{Now: now, Version: "bench"}); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	report(b, stop)
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

// BenchmarkExport100kReader is what `casebook export` does: open the
// 100,000-appeal file with a store.Reader (summaries left on disk) and
// write the whole workbook.
func BenchmarkExport100kReader(b *testing.B) {
	path := bench100kFile(b)
	now := testNow()
	runtime.GC()
	b.ResetTimer()
	stop := peakHeap()
	var size int64
	for b.Loop() {
		r, err := store.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		cw := &countWriter{}
		if err := Export(cw, r, ExportOptions{Now: now, Version: "bench"}); err != nil {
			b.Fatal(err)
		}
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	report(b, stop)
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// ledgerRows are the ledger's rows of the 100k casebook, built once, for
// comparing the two ways of writing them.
func ledgerRows(b *testing.B) [][]any {
	book := bench100k(b)
	x := &exporter{src: book, opts: ExportOptions{Now: testNow()}, set: book.Settings()}
	var rows [][]any
	for r := range x.ledgerTable(casebook.NewMetricsTally(&x.set, casebook.MetricsQuery{Now: x.opts.Now})).Rows {
		rows = append(rows, append([]any(nil), r...))
	}
	return rows
}

var (
	rowsOnce  sync.Once
	benchRows [][]any
)

// BenchmarkLedgerStream writes the ledger rows as Export does (StreamWriter,
// styled columns, frozen header, auto-filter).
func BenchmarkLedgerStream(b *testing.B) {
	rowsOnce.Do(func() { benchRows = ledgerRows(b) })
	rows := benchRows
	b.ResetTimer()
	stop := peakHeap()
	for b.Loop() {
		x := &exporter{f: excelize.NewFile(), dims: dimensions{}}
		if err := x.makeStyles(); err != nil {
			b.Fatal(err)
		}
		_ = x.f.SetSheetName("Sheet1", SheetLedger)
		t := Table{Name: SheetLedger, Columns: ledgerColumns, Len: len(rows), Rows: func(yield func([]any) bool) {
			for _, r := range rows {
				if !yield(r) {
					return
				}
			}
		}}
		if err := x.writeTable(t); err != nil {
			b.Fatal(err)
		}
		if _, err := x.f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		_ = x.f.Close()
	}
	report(b, stop)
}

// BenchmarkLedgerSetCellValue writes the same rows with a plain loop of
// SetCellValue (no styles): the baseline the streamed export is compared with.
func BenchmarkLedgerSetCellValue(b *testing.B) {
	rowsOnce.Do(func() { benchRows = ledgerRows(b) })
	rows := benchRows
	b.ResetTimer()
	stop := peakHeap()
	for b.Loop() {
		f := excelize.NewFile()
		for i, h := range ledgerColumns {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			_ = f.SetCellValue("Sheet1", cell, h.Header)
		}
		for r, row := range rows {
			for c, v := range row {
				if v = cellValue(v); v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				if err := f.SetCellValue("Sheet1", cell, v); err != nil {
					b.Fatal(err)
				}
			}
		}
		if _, err := f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		_ = f.Close()
	}
	report(b, stop)
}

// workOrderSheet50k is a 12345 work-order sheet of 50,000 rows.
func workOrderSheet50k(b *testing.B) []byte {
	rows := make([][]any, 0, 50_000)
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, casebook.Shanghai)
	cats := []string{"城乡建设/物业管理/物业服务", "交通管理/停车管理", "环境保护/噪声污染", "市容环卫/垃圾清运", "其他事项/其他"}
	for i := 0; i < 50_000; i++ {
		rec := start.Add(time.Duration(i) * 7 * time.Minute)
		rows = append(rows, []any{
			fmt.Sprintf("26%011d", i), ExcelSerial(rec), "投诉", cats[i%len(cats)],
			fmt.Sprintf("%d号楼%d单元楼道灯不亮，夜间出行不便，请尽快维修。", 1+i%30, 1+i%6),
			"张先生", fmt.Sprintf("138%08d", i), fmt.Sprintf("示例社区%d号楼", 1+i%30), "7个工作日",
		})
	}
	return buildSheet(b, []sheetSpec{{name: "派单", title: "12345派单明细", header: []string{"工单编号", "受理时间", "诉求类型", "问题分类", "诉求内容", "诉求人", "联系电话", "诉求地址", "办理时限"}, rows: rows, dateCols: []int{2}}})
}

// BenchmarkImport50k is a dry run of a 50,000-row work-order sheet into an
// empty casebook: reading, checking and authoring every operation (all but
// the final transaction). BenchmarkImportApply50k includes it.
func BenchmarkImport50k(b *testing.B) {
	data := workOrderSheet50k(b)
	now := testNow()
	b.ResetTimer()
	stop := peakHeap()
	for b.Loop() {
		book, err := store.NewBook(store.NewMemory(), "王明", nil)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Import(bytes.NewReader(data), int64(len(data)), book, ImportOptions{DryRun: true, Now: now, MaxRows: 50_000})
		if err != nil || rep.New != 50_000 {
			b.Fatalf("new %d: %v (%v)", rep.New, err, firstProblems(rep))
		}
	}
	report(b, stop)
}

// BenchmarkImportApply50k imports a 50,000-row sheet into a new Bolt
// casebook, the transaction included.
func BenchmarkImportApply50k(b *testing.B) {
	data := workOrderSheet50k(b)
	now := testNow()
	dir := b.TempDir()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n++
		b.StopTimer()
		s, err := store.OpenBolt(filepath.Join(dir, fmt.Sprintf("import%d.casebook", n)))
		if err != nil {
			b.Fatal(err)
		}
		book, err := store.NewBook(s, "王明", nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := Import(bytes.NewReader(data), int64(len(data)), book, ImportOptions{Now: now, MaxRows: 50_000})
		if err != nil || rep.New != 50_000 {
			b.Fatalf("new %d: %v", rep.New, err)
		}
		b.StopTimer()
		_ = book.Close()
		b.StartTimer()
	}
}

func firstProblems(r ImportReport) []Problem {
	return r.Problems[:min(5, len(r.Problems))]
}

// TestMain removes the benchmarks' casebook file when they made one.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchBook != nil {
		_ = benchBook.Close()
	}
	if benchDir != "" {
		_ = os.RemoveAll(benchDir)
	}
	os.Exit(code)
}
