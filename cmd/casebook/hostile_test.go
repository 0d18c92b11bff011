package main

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/cmd/internal/command"
)

// Times before 1970 panicked in the id generator (a 20-line trace); every
// time outside 2000 … tomorrow is now one line naming the flag.
func TestOutOfRangeTimes(t *testing.T) {
	db := newDB(t)
	id := addCase(t, db, time.Now().Add(-time.Hour))
	add := []string{"case", "add", "--db", db, "--channel", "grid", "--type", "complaint", "--category", "停车管理", "--summary", "s"}
	for _, c := range []struct {
		want string
		args []string
	}{
		{"--received: invalid input: the time 1969-12-31 23:59 is before 2000", append(add, "--received", "1969-12-31 23:59")},
		{"--received: invalid input: the time", append(add, "--received", "0001-01-01 00:00")},
		{"is after tomorrow", append(add, "--received", "9999-12-31 23:59")},
		{"is before 2000", append(add, "--received", "1999-12-31T15:59:59Z")},
		{"--at: invalid input: the time 1969-07-20 20:17 is before 2000", []string{"case", "note", "--db", db, "--id", id, "--note", "n", "--at", "1969-07-20 20:17"}},
		{"--term-start: invalid input: the date 1969-12-31 is not between 2000 and 2100", []string{"settings", "set", "--db", db, "--term-start", "1969-12-31"}},
		{"--from", []string{"case", "list", "--db", db, "--from", "1900-01-01"}},
		{"--to", []string{"metrics", "--db", db, "--to", "9999-12-31"}},
	} {
		fails(t, c.want, c.args...)
	}
	ok(t, "check", "--db", db)
}

// ESC ]0;…BEL in an argument retitled the terminal when the case was
// listed: it is not stored, and what is stored raw (by an older version or
// a peer) is printed escaped.
func TestTerminalEscapes(t *testing.T) {
	db := newDB(t)
	evil := "东门\x1b]0;pwned\x07停车\u009b2J"
	id := addCase(t, db, time.Now().Add(-time.Hour), "--summary", evil, "--complainant", "张\x1b[31m三")
	for _, out := range []string{ok(t, "case", "show", "--db", db, "--id", id), ok(t, "case", "list", "--db", db)} {
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("output holds a control character: %q", out)
		}
		if !strings.Contains(out, "东门]0;pwned停车2J") {
			t.Errorf("output lacks the cleaned summary: %q", out)
		}
	}

	// A case stored with the escapes raw, as a peer's operation may carry.
	s, err := store.OpenBolt(db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	a := &casebook.Author{Origin: "peer", Clock: casebook.NewClock(time.Now), Now: time.Now}
	op, err := a.Create(casebook.CaseInput{Channel: "grid", Type: "complaint", Category: "停车管理", Summary: "x", Received: now.Add(-time.Minute)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	op.Fields[casebook.FieldSummary] = evil
	if _, err := s.Apply(op); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, args := range [][]string{{"case", "show", "--db", db, "--id", op.Entity}, {"case", "show", "--db", db, "--id", op.Entity, "--json"},
		{"case", "list", "--db", db}, {"case", "list", "--db", db, "--json"}} {
		out := ok(t, args...)
		if strings.ContainsAny(out, "\x1b\x07\u009b") || !utf8.ValidString(out) {
			t.Errorf("%v: output holds a control character: %q", args, out)
		}
		if !strings.Contains(out, `\u001b]0;pwned\u0007`) {
			t.Errorf("%v: the stored escape is not shown escaped: %q", args, out)
		}
	}
	// And in an error line: a reference typed with an escape in it.
	_, errs, code := cli(t, "case", "show", "--db", db, "--id", "x\x1b]0;t\x07")
	if code == 0 || strings.ContainsAny(errs, "\x1b\x07") {
		t.Errorf("error line %q", errs)
	}
}

// The escaping writer holds back a character split across two writes.
func TestEscaperSplitsCharacters(t *testing.T) {
	var b strings.Builder
	e := command.SafeOutput(&b)
	s := "诉求\x1b内容"
	for i := 0; i < len(s); i++ {
		_, _ = e.Write([]byte{s[i]})
	}
	e.Flush()
	if b.String() != `诉求\u001b内容` {
		t.Errorf("got %q", b.String())
	}
}

// FuzzPickNumbered: a record reference (a number or an id) picks one of
// the ids given, or is refused with one line that names the flag.
func FuzzPickNumbered(f *testing.F) {
	ids := []string{casebook.NewID(time.Now()), casebook.NewID(time.Now())}
	for _, s := range []string{"1", "2", "3", "0", "-1", ids[0], strings.ToLower(ids[1]), "第1", " 2 ", "99999999999999999999", "x\x1b]0;t\x07", "诉求"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		got, err := pickNumbered("party", "party", ref, ids)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "--party: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		if got != ids[0] && got != ids[1] {
			t.Fatalf("pickNumbered(%q) = %q", ref, got)
		}
	})
}
