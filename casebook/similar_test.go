package casebook

import (
	"testing"
	"unicode/utf8"
)

func TestTextScore(t *testing.T) {
	q := NewTextQuery("14号楼东侧消防通道被占")
	for _, c := range []struct {
		other    string
		min, max float64
	}{
		{"14号楼东侧消防通道被占", 1, 1},
		{"3号楼东侧消防通道被占", 1, 1}, // another building, the same problem
		{"小区南门消防通道被车辆堵塞", 0.4, 0.8},
		{"２１号楼消防通道被占用", 0.6, 1}, // full-width digits
		{"楼道灯不亮", 0, 0.1},
		{"", 0, 0},
	} {
		if s := q.Score(c.other); s < c.min || s > c.max {
			t.Errorf("%q: %.2f, want %.2f..%.2f", c.other, s, c.min, c.max)
		}
	}
	if !NewTextQuery("，，14号楼").Empty() || NewTextQuery("漏水").Empty() {
		t.Error("Empty")
	}
	// A repeated pair in the other text does not count twice.
	if s := NewTextQuery("漏水").Score("漏水漏水漏水"); s > 0.7 {
		t.Errorf("repeats: %.2f", s)
	}
}

// TestScorePairs: scoring a text by its kept pairs is scoring the text.
func TestScorePairs(t *testing.T) {
	q := NewTextQuery("14号楼东侧消防通道被占")
	for _, o := range []string{"小区南门消防通道被车辆堵塞", "漏水漏水漏水", "", "3号楼东侧消防通道被占"} {
		if a, b := q.Score(o), q.ScorePairs(TextPairs(o)); a != b {
			t.Errorf("%q: Score %v, ScorePairs %v", o, a, b)
		}
	}
}

func TestTextScoreAllocates(t *testing.T) {
	q := NewTextQuery("东门机动车占用消防通道")
	if n := testing.AllocsPerRun(100, func() { q.Score("小区南门消防通道被车辆堵塞，影响通行") }); n != 0 {
		t.Errorf("Score allocates %v times", n)
	}
}

func FuzzTextScore(f *testing.F) {
	for _, s := range []string{"14号楼东侧消防通道被占", "", "１２３号楼", "\xff\xfe", "aAａＡ"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s := NewTextQuery(a).Score(b)
		if s < 0 || s > 1 {
			t.Fatalf("%q vs %q: %v", a, b, s)
		}
		if a == b && !NewTextQuery(a).Empty() && utf8.RuneCountInString(a) < 60 && s < 0.99 {
			t.Fatalf("%q vs itself: %v", a, s)
		}
	})
}
