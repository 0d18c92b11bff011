package paper

// Benchmarks of the figures issue 14 names: the term report of a
// 100,000-appeal casebook (< 3 s, < 200 MB peak) and a receipt (< 200 ms).
//
//	go test ./casebook/paper -run XXX -bench . -benchtime 3x -count 3
//
// The 100,000-appeal casebook (a Bolt file, demo.Synthetic) is built once
// per run, outside the timings; CASEBOOK_BENCH_DB keeps it between runs
// (the same file casebook/xlsx's benchmarks use). The report reads it as
// the command line does, through store.Reader (summaries streamed, not
// loaded). peak-MB is the most memory the Go runtime held from the OS
// during the run (heap with its garbage, stacks); the peak RSS of the
// command (/usr/bin/time -v casebook report ...) adds the file's mapped
// pages and the binary.

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	rtmetrics "runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"casebook/casebook/demo"
	"casebook/casebook/store"
)

var (
	benchOnce sync.Once
	benchPath string
)

func bench100kFile(b *testing.B) string {
	benchOnce.Do(func() {
		path := os.Getenv("CASEBOOK_BENCH_DB")
		if path == "" {
			path = filepath.Join(os.TempDir(), "casebook-paper-bench.casebook")
		}
		if _, err := os.Stat(path); err != nil {
			s, err := store.OpenBolt(path)
			if err != nil {
				b.Fatal(err)
			}
			bk, err := demo.Synthetic(s, 100_000, testNow())
			if err != nil {
				b.Fatal(err)
			}
			if err := bk.Close(); err != nil {
				b.Fatal(err)
			}
		}
		benchPath = path
	})
	return benchPath
}

// peakMemory samples the Go runtime's memory every millisecond until stop,
// which returns the peak in MB.
func peakMemory() (stop func() float64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []rtmetrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			rtmetrics.Read(s)
			if v := s[0].Value.Uint64() - s[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak.Load()) / (1 << 20)
	}
}

// BenchmarkReport100k writes the term report of 100,000 appeals, read
// from the file as `casebook report` reads it.
func BenchmarkReport100k(b *testing.B) {
	benchReport(b, false)
}

// BenchmarkReportMeeting100k is the report meeting version of the same.
func BenchmarkReportMeeting100k(b *testing.B) {
	benchReport(b, true)
}

func benchReport(b *testing.B, meeting bool) {
	path := bench100kFile(b)
	runtime.GC()
	stop := peakMemory()
	pages := 0
	for b.Loop() {
		r, err := store.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Report(io.Discard, r, ReportOptions{Options: Options{Now: testNow()}, Meeting: meeting})
		if err != nil {
			b.Fatal(err)
		}
		pages = res.Pages
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(stop(), "peak-MB")
	b.ReportMetric(float64(pages), "pages")
}

// BenchmarkReceipt writes one receipt of the demo casebook (the fonts are
// parsed once per process, by the first document).
func BenchmarkReceipt(b *testing.B) {
	bk := demoBook(b)
	c := walkIn(b, bk)
	set := bk.Settings()
	for b.Loop() {
		if _, err := Receipt(io.Discard, c, set, Options{Now: testNow()}); err != nil {
			b.Fatal(err)
		}
	}
}
