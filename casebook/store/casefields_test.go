package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
)

// wholeFields is what the partial decode must agree with: the full decode.
func wholeFields(raw []byte, fields []string) ([]string, error) {
	c, err := decodeCase(raw)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = c.Field(f)
	}
	return out, nil
}

// checkFields compares the partial decode of raw with the full decode, and
// reports whether the fast path read it.
func checkFields(t *testing.T, raw []byte, fields []string) bool {
	t.Helper()
	want, err := wholeFields(raw, fields)
	if err != nil {
		return false // the full decode fails: nothing to agree with
	}
	d := newFieldDecoder(fields)
	got := make([]string, len(fields))
	if err := d.values(raw, got); err != nil {
		t.Fatalf("values: %v\n%s", err, raw)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fields %q: partial decode %q, full decode %q\n%s", fields, got, want, raw)
	}
	fast := make([]string, len(fields))
	return d.fast(raw, fast)
}

var fieldSets = [][]string{
	{casebook.FieldUnit, casebook.FieldLocation, casebook.FieldComplainant, casebook.FieldPhone},
	casebook.CaseFields,
	{casebook.FieldPhone, casebook.FieldPhone, "nonexistent"},
	{},
}

// randomCase is a case with registers of random versions: concurrent
// heads, superseded versions, equal timestamps, odd values.
func randomCase(rng *rand.Rand) *casebook.Case {
	plain := []string{"", "张三", "13800000000", "3单元201", "emoji 😀", "示例社区12号楼东侧"}
	// Values json.Marshal escapes, which the fast path leaves to the full decode.
	odd := []string{`"quoted" \ back`, "<a & b>", "tab\there", "line\nbreak", "\u2028"}
	values := append(append(append([]string{}, plain...), plain...), odd...)
	origins := []string{"A", "B", "C"}
	c := casebook.NewCase(casebook.NewID(t0))
	for _, f := range casebook.CaseFields {
		if rng.IntN(5) == 0 {
			continue
		}
		r := &casebook.Register{}
		n := rng.IntN(4)
		for k := range n {
			v := casebook.Version{
				Op:     fmt.Sprintf("op%02d", rng.IntN(6)),
				HLC:    casebook.HLC{Wall: int64(rng.IntN(3)), Logical: uint32(rng.IntN(2))},
				Origin: origins[rng.IntN(len(origins))],
				Value:  values[rng.IntN(len(values))],
			}
			if k > 0 && rng.IntN(2) == 0 {
				v.Bases = append(v.Bases, r.Versions[rng.IntN(k)].Op)
			}
			if rng.IntN(8) == 0 {
				v.Bases = append(v.Bases, v.Op) // cites itself
			}
			r.Versions = append(r.Versions, v)
		}
		c.Registers[f] = r
	}
	c.Timeline = []casebook.Event{{Action: casebook.ActReceive, At: t0, Note: "x \"y\""}}
	return c
}

func TestCaseFieldsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fast := 0
	const n = 3000
	for range n {
		raw, err := json.Marshal(randomCase(rng))
		if err != nil {
			t.Fatal(err)
		}
		for _, fs := range fieldSets {
			if checkFields(t, raw, fs) && len(fs) == 4 {
				fast++
			}
		}
	}
	// Values with escapes (", \, <, &, control characters) go the slow way;
	// most cases must not.
	if fast < n/10 {
		t.Errorf("fast path read %d of %d cases", fast, n)
	}
}

// TestCaseFieldsAuthored checks cases made through Author, with
// concurrent edits from two devices and a settling edit.
func TestCaseFieldsAuthored(t *testing.T) {
	clk := newFakeClock(t0, time.Second)
	a := casebook.Author{Origin: "DEVA", Actor: "甲", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	b := casebook.Author{Origin: "DEVB", Actor: "乙", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	in := sampleInput(1)
	in.Unit, in.Location = "3单元201", "东门"
	op, err := a.Create(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := casebook.NewCase(op.Entity)
	if _, err := c.Apply(&op); err != nil {
		t.Fatal(err)
	}
	fields := fieldSets[0]
	check := func() {
		t.Helper()
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if !checkFields(t, raw, fields) {
			t.Errorf("fast path gave up on an authored case:\n%s", raw)
		}
	}
	check()
	x, err := a.Set(c, map[string]string{casebook.FieldPhone: "13900000001", casebook.FieldUnit: "4单元"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	y, err := b.Set(c, map[string]string{casebook.FieldPhone: "13700000002"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []casebook.Op{y, x} {
		if _, err := c.Apply(&o); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.Conflicts()) == 0 {
		t.Fatal("no conflict made")
	}
	check()
	z, err := b.Set(c, map[string]string{casebook.FieldPhone: "13600000003", casebook.FieldComplainant: ""}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(&z); err != nil {
		t.Fatal(err)
	}
	check()
}

// FuzzCaseFields: wherever the full decode reads a case, the partial
// decode gives the same values.
func FuzzCaseFields(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		raw, _ := json.Marshal(randomCase(rng))
		f.Add(raw)
	}
	for _, s := range []string{
		`{"id":"x","registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]}}}`,
		`{"id":"x","registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]},"phone":{"v":[]}}}`,
		`{"registers":{"phone":null},"Registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]}}}`,
		`{"registers":{"phone":{"v":[{"op":"a","hlc":{"w":1.0,"l":0},"origin":"o","value":"1"}]}}}`,
		`{"registers":{"phone":{"V":[{"OP":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]}}}`,
		`{"registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1","bases":["a"]}]}}}`,
		`{"registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"\u0031"}]}}}`,
		`{"registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]}},"timeline":[{"x":"}"}]}`,
		`{"registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]}},"timeline":5}`,
		`{"registers":{},"registers":{"phone":{"v":[{"op":"a","hlc":{"w":1,"l":0},"origin":"o","value":"1"}]}}}`,
		`null`, `{}`, ` { "registers" : { } } `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, fs := range fieldSets {
			checkFields(t, raw, fs)
		}
	})
}

// TestStoreCaseFields: both stores and the book give what Case gives, ""
// for missing and not yet created cases, in order, and stop on fn's error.
func TestStoreCaseFields(t *testing.T) {
	for _, mk := range []struct {
		name string
		s    func(t *testing.T) Store
	}{
		{"memory", func(*testing.T) Store { return NewMemory() }},
		{"bolt", func(t *testing.T) Store { return openTestBolt(t, tempPath(t, "c.casebook"), withNoSync()) }},
	} {
		t.Run(mk.name, func(t *testing.T) {
			s := mk.s(t)
			defer s.Close()
			clk := newFakeClock(t0, time.Minute)
			book, err := NewBook(s, "王", clk.Now)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for i := range 2*fieldBlock + 7 {
				in := sampleInput(i)
				in.Unit = fmt.Sprintf("%d单元", i)
				in.Phone = fmt.Sprintf("138%08d", i)
				if i%3 == 0 {
					in.Location = `东门 "旁" <边>`
				}
				c, err := book.AddCase(in)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, c.ID)
			}
			// A case whose creation has not arrived, and one not there at all.
			orphan := casebook.NewID(t0)
			other := casebook.Author{Origin: "OTHER", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
			step, err := other.Step(&casebook.Case{ID: orphan, Registers: map[string]*casebook.Register{}}, casebook.Step{Action: casebook.ActRespond, At: t0})
			if err == nil {
				if _, err := s.Apply(step); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := book.SetFields(ids[5], map[string]string{casebook.FieldPhone: "13999999999"}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, orphan, casebook.NewID(t0))
			rng := rand.New(rand.NewPCG(5, 6))
			rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			fields := fieldSets[0]
			next := 0
			err = book.CaseFields(ids, fields, func(i int, v []string) error {
				if i != next {
					t.Fatalf("row %d after %d", i, next-1)
				}
				next++
				want := make([]string, len(fields))
				if c, err := s.Case(ids[i]); err == nil {
					for j, f := range fields {
						want[j] = c.Field(f)
					}
				}
				if !slices.Equal(v, want) {
					t.Fatalf("case %s: %q, want %q", ids[i], v, want)
				}
				return nil
			})
			if err != nil || next != len(ids) {
				t.Fatalf("%d rows of %d: %v", next, len(ids), err)
			}
			stop := errors.New("stop")
			calls := 0
			err = book.CaseFields(ids, fields, func(i int, v []string) error {
				calls++
				if i == fieldBlock+3 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || calls != fieldBlock+4 {
				t.Fatalf("stopped after %d calls: %v", calls, err)
			}
			// The slow path (a Store without CaseFields) agrees.
			var slow, fast []string
			_ = caseFieldsSlow(s, ids, fields, func(_ int, v []string) error { slow = append(slow, strings.Join(v, "|")); return nil })
			_ = book.CaseFields(ids, fields, func(_ int, v []string) error { fast = append(fast, strings.Join(v, "|")); return nil })
			if !slices.Equal(slow, fast) {
				t.Fatal("slow and fast paths differ")
			}
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			_ = s.Close()
			if err := book.CaseFields(ids, fields, func(int, []string) error { return nil }); !errors.Is(err, ErrClosed) {
				t.Fatalf("after close: %v", err)
			}
		})
	}
}
