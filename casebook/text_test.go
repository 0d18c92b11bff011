package casebook

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, tt := range []struct{ in, text, line string }{
		{"东门\x1b]0;pwned\x07停车", "东门]0;pwned停车", "东门]0;pwned停车"},
		{"a\r\nb\rc\nd\te", "a\nb\nc\nd\te", "a b c d e"},
		{"csi\u009b2J", "csi2J", "csi2J"},
		{"del\x7f", "del", "del"},
		{"bad\xffutf8", "badutf8", "badutf8"},
		{"正常的文字", "正常的文字", "正常的文字"},
	} {
		if got := CleanText(tt.in); got != tt.text {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if got := CleanLine(tt.in); got != tt.line {
			t.Errorf("CleanLine(%q) = %q, want %q", tt.in, got, tt.line)
		}
	}
}

func TestEscapeControls(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b]0;x\x07": `\u001b]0;x\u0007`,
		"a\nb\tc":      "a\nb\tc",
		"c1\u009b":     `c1\u009b`,
		"\xff中":        `\xff中`,
		"中文":           "中文",
	} {
		if got := EscapeControls(in); got != want {
			t.Errorf("EscapeControls(%q) = %q, want %q", in, got, want)
		}
	}
}

// Clipping Chinese never cuts a character in half (it did at 40 bytes).
func TestClip(t *testing.T) {
	s := strings.Repeat("诉求", 30) // 3 bytes a character
	for n := 0; n < 50; n++ {
		got := Clip(s, n)
		if !utf8.ValidString(got) || len(got) > n+len("…") {
			t.Fatalf("Clip(%d) = %q", n, got)
		}
	}
	if got := Clip("短", 40); got != "短" {
		t.Errorf("Clip short = %q", got)
	}
	if got := ClipRunes("一二三四", 2); got != "一二" {
		t.Errorf("ClipRunes = %q", got)
	}
}

func FuzzClip(f *testing.F) {
	f.Add(strings.Repeat("诉求", 30), 40)
	f.Add("\x1b]0;x\x07\xff", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		got := Clip(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Clip(%q, %d) = %q: not UTF-8", s, n, got)
		}
		if strings.ContainsFunc(got, func(r rune) bool { return r != '\n' && r != '\t' && isControl(r) }) {
			t.Fatalf("Clip(%q, %d) = %q: a control character", s, n, got)
		}
		c := CleanText(s)
		if !utf8.ValidString(c) || strings.ContainsFunc(c, func(r rune) bool { return r != '\n' && r != '\t' && isControl(r) }) {
			t.Fatalf("CleanText(%q) = %q", s, c)
		}
	})
}

// An appeal received before 1970 panicked in the id generator; now any time
// gives an id, and validation refuses times before 2000 with one line.
func TestOldAndFarTimes(t *testing.T) {
	for _, at := range []time.Time{time.Date(1969, 12, 31, 23, 59, 0, 0, Shanghai), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if id := NewID(at); len(id) != 26 {
			t.Errorf("NewID(%v) = %q", at, id)
		}
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, Shanghai)
	a := &Author{Origin: "dev", Clock: NewClock(func() time.Time { return now }), Now: func() time.Time { return now }}
	in := CaseInput{Channel: "grid", Type: "complaint", Category: "其他", Summary: "漏水", Received: time.Date(1969, 12, 31, 23, 59, 0, 0, Shanghai)}
	_, err := a.Create(in, nil)
	var fe FieldErrors
	if !errors.As(err, &fe) || fe.For(FieldReceived) == nil {
		t.Fatalf("create received 1969: %v", err)
	}
	if err := CheckTime(now.Add(50*time.Hour), now); !errors.Is(err, ErrInvalid) {
		t.Errorf("CheckTime after tomorrow: %v", err)
	}
	if err := CheckTime(now.Add(30*time.Hour), now); err != nil {
		t.Errorf("CheckTime tomorrow: %v", err)
	}
	if err := CheckDate(Date{1999, 12, 31}); !errors.Is(err, ErrInvalid) {
		t.Errorf("CheckDate 1999: %v", err)
	}
}

// 5,000 emoji are 5,000 characters but 20 KB: the form refuses them as
// Op.Validate would, rather than make an operation that fails when applied.
func TestFormLimitIsByteLimitToo(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, Shanghai)
	a := &Author{Origin: "dev", Clock: NewClock(func() time.Time { return now }), Now: func() time.Time { return now }}
	in := CaseInput{Channel: "grid", Type: "complaint", Category: "其他", Summary: "漏水", Details: strings.Repeat("😀", 5000)}
	_, err := a.Create(in, nil)
	var fe FieldErrors
	if !errors.As(err, &fe) || fe.For(FieldDetails) == nil {
		t.Fatalf("create with 20 KB of details: %v", err)
	}
	in.Details = strings.Repeat("😀", 4000)
	op, err := a.Create(in, nil)
	if err != nil {
		t.Fatalf("16 KB of details: %v", err)
	}
	if err := op.Validate(); err != nil {
		t.Fatal(err)
	}
}

// Control characters typed or pasted into a form are not stored.
func TestFormStripsControls(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, Shanghai)
	a := &Author{Origin: "dev", Clock: NewClock(func() time.Time { return now }), Now: func() time.Time { return now }}
	in := CaseInput{Channel: "grid", Type: "complaint", Category: "其他", Summary: "漏水\x1b]0;pwned\x07", Details: "第一行\r\n第二行\x1b[2J",
		Complainant: "张\u009b三"}
	op, err := a.Create(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	for f, v := range op.Fields {
		if strings.ContainsFunc(v, func(r rune) bool { return r != '\n' && isControl(r) }) {
			t.Errorf("field %s = %q", f, v)
		}
	}
	if op.Fields[FieldDetails] != "第一行\n第二行[2J" || op.Fields[FieldComplainant] != "张三" {
		t.Errorf("fields %q", op.Fields)
	}
}
