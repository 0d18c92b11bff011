package store

import (
	"fmt"
	"testing"
	"time"

	"casebook/casebook"
)

// TestSimilar: the walk's case. 29 appeals about 消防通道被占 in other
// buildings or none, long closed, and one open and overdue; a resident
// reports 14号楼东侧消防通道被占: the open one is found first, the old
// closed ones are not looked at, and an unrelated open appeal is not
// matched.
func TestSimilar(t *testing.T) {
	b, err := NewBook(NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	add := func(summary, building string, received time.Time) *casebook.Case {
		c, err := b.AddCase(casebook.CaseInput{Channel: "walk-in", Type: "complaint", Category: "消防安全",
			Building: building, Summary: summary, Received: received})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for i := range 29 {
		c := add("消防通道被占", fmt.Sprintf("%d号楼", 1+i%20), now.AddDate(0, -6, -i))
		for _, st := range []casebook.Step{{Action: casebook.ActRespond}, {Action: casebook.ActResolve}, {Action: casebook.ActFeedback},
			{Action: casebook.ActEvaluate, Solved: casebook.SolvedYes, Satisfaction: casebook.Satisfied}, {Action: casebook.ActClose}} {
			if _, err := b.Step(c.ID, st); err != nil {
				t.Fatal(err)
			}
		}
	}
	open := add("小区南门消防通道被车辆堵塞", "", now.AddDate(0, 0, -20))
	add("3号楼路灯不亮", "3号楼", now.AddDate(0, 0, -2))
	got := b.Similar("14号楼东侧消防通道被占", SimilarOptions{Now: now, Recent: 30 * 24 * time.Hour, Min: 0.3})
	if len(got) != 1 || got[0].Summary.ID != open.ID {
		t.Fatalf("matches %v", got)
	}
	// Looking back a year, the closed ones come in too, the most alike first.
	got = b.Similar("14号楼东侧消防通道被占", SimilarOptions{Now: now, Recent: 365 * 24 * time.Hour, Min: 0.3, Limit: 50})
	if len(got) != 30 || got[0].Score < got[len(got)-1].Score || got[0].Summary.Summary != "消防通道被占" {
		t.Fatalf("%d matches, first %v", len(got), got[0])
	}
	if b.Similar("，，", SimilarOptions{Now: now}) != nil {
		t.Error("an empty query matched")
	}
}

// BenchmarkSimilar100k: the duplicate check of the new-appeal form on
// every keystroke, over the 100,000-appeal casebook: its open appeals and
// those of the last 30 days (the target is under 20 ms).
func BenchmarkSimilar100k(b *testing.B) {
	bk := openBenchBook(b, fixture100k(b))
	opts := SimilarOptions{Now: benchNow, Recent: 30 * 24 * time.Hour, Min: 0.4}
	// The first search after opening reads every candidate's pairs once;
	// the keystrokes after it use them.
	cold := time.Now()
	n := len(bk.Similar("消防通道", opts))
	first := time.Since(cold)
	// The process's CPU time per search, beside the wall time: on a machine
	// shared with other work the wall time counts the waiting too.
	cpu0 := cpuTime()
	for b.Loop() {
		n = len(bk.Similar("14号楼东侧消防通道被占用，车辆进不来", opts))
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(first.Milliseconds()), "first-ms")
	b.ReportMetric(float64(n), "matches")
}
