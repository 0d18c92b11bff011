package store

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"casebook/casebook"
)

// TestIndexModel checks the index against a brute-force model after random
// single and bulk puts.
func TestIndexModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := NewIndex()
	model := map[string]*casebook.Summary{}
	ids := make([]string, 300)
	for i := range ids {
		ids[i] = casebook.NewID(t0.Add(time.Duration(i) * time.Minute))
	}
	mk := func() *casebook.Summary {
		id := pick(rng, ids...)
		day := t0.Add(time.Duration(rng.IntN(5)) * 24 * time.Hour)
		s := &casebook.Summary{
			ID:       id,
			Received: day.Add(time.Duration(rng.IntN(3)) * time.Hour), // many ties
			Number:   fmt.Sprintf("%s-%03d", dayPrefix(day), 1+rng.IntN(20)),
		}
		if rng.IntN(3) == 0 {
			s.WorkOrder = fmt.Sprintf("WO%d", rng.IntN(10))
		}
		return s
	}
	for round := range 200 {
		var batch []*casebook.Summary
		n := 1 + rng.IntN(4)
		if round%10 == 0 {
			n = 65 + rng.IntN(100) // the bulk path
		}
		for range n {
			s := mk()
			batch = append(batch, s)
			model[s.ID] = s
		}
		x.put(batch...)

		var want []*casebook.Summary
		for _, s := range model {
			want = append(want, s)
		}
		sort.Slice(want, func(i, j int) bool { return newer(want[i], want[j]) })
		if got := x.Snapshot(); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: order differs", round)
		}
		if x.Len() != len(model) {
			t.Fatalf("round %d: len", round)
		}
		byNum, byWO, maxSeq := map[string]int{}, map[string]int{}, map[string]int{}
		for _, s := range model {
			byNum[s.Number]++
			if s.WorkOrder != "" {
				byWO[s.WorkOrder]++
			}
		}
		for num, c := range byNum {
			got := x.ByNumber(num)
			if len(got) != c {
				t.Fatalf("round %d: number %s: %d, want %d", round, num, len(got), c)
			}
			for i := 1; i < len(got); i++ {
				if newer(got[i-1], got[i]) {
					t.Fatal("ByNumber is not oldest first")
				}
			}
		}
		for wo, c := range byWO {
			if got := x.ByWorkOrder(wo); len(got) != c {
				t.Fatalf("round %d: work order %s: %d, want %d", round, wo, len(got), c)
			}
		}
		_ = maxSeq
		if got, ok := x.Get(ids[0]); ok != (model[ids[0]] != nil) || (ok && got != model[ids[0]]) {
			t.Fatal("Get")
		}
	}
	// Numbers only grow: the next number is past every number seen that day.
	if n := x.NextNumber(t0); n <= fmt.Sprintf("%s-%03d", dayPrefix(t0), 1) {
		t.Fatalf("next number %s", n)
	}
	x.reset(x.Snapshot())
	if x.Len() != len(model) {
		t.Fatal("reset")
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]int{"20260315-007": 7, "20260315-1234": 1234, "20260315-": -1, "2026031-001": -1, "x0260315-001": -1, "20260315-0a1": -1, "": -1} {
		_, seq, ok := parseNumber(in)
		if (want < 0) == ok || (ok && seq != want) {
			t.Errorf("%q: %d %v", in, seq, ok)
		}
	}
}

// TestSummaryDecoder: the fast reader gives exactly what encoding/json
// gives, or defers to it.
func TestSummaryDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := casebook.DefaultPolicy()
	dec := NewSummaryDecoder()
	fastN := 0
	for i := range 2000 {
		s := casebook.Summary{
			ID: casebook.NewID(t0), Number: fmt.Sprintf("20260315-%03d", i), Received: t0.Add(time.Duration(rng.IntN(1e9)) * time.Millisecond),
			Channel: pick(rng, casebook.Channels()...), Type: casebook.TypeHelp, Category: pick(rng, casebook.DefaultCategories...),
			Summary: pick(rng, "漏水", `he said "hi" <b> & \ `, "tab\there", "", "\u2028", "emoji 😀"), Status: casebook.StatusFeedback,
			Urgency: casebook.UrgencyComplex, Conflicts: rng.IntN(3), Unresolvable: rng.IntN(2) == 0,
		}
		if rng.IntN(2) == 0 {
			s.RespondedAt = time.Date(2026, 3, 15, 10, 0, 0, rng.IntN(1e9), time.UTC)
			s.Linked = []string{casebook.NewID(t0), casebook.NewID(t0)}
			s.WorkOrder = "WO1"
		}
		if rng.IntN(4) == 0 {
			s.ClosedAt = time.Date(2026, 3, 16, 10, 0, 0, 0, casebook.Shanghai) // an offset, not Z
		}
		s.SetDeadlines(&p)
		raw, _ := json.Marshal(&s)
		var want, got casebook.Summary
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if dec.fast(raw, &got) {
			fastN++
		}
		if err := dec.Decode(raw, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", raw, got, want)
		}
	}
	if fastN < 800 {
		t.Fatalf("fast path taken %d times of 2000", fastN)
	}
}

func FuzzSummaryDecoder(f *testing.F) {
	p := casebook.DefaultPolicy()
	s := casebook.Summary{ID: "01KKQFHAP0KQW256FAQ0ZAGTQH", Number: "20260315-001", Received: t0, Linked: []string{"a"}, Conflicts: 2}
	s.SetDeadlines(&p)
	raw, _ := json.Marshal(&s)
	f.Add(raw)
	f.Add([]byte(`{"id":"x","received":"2026-02-31T00:00:00Z"}`))
	f.Add([]byte(`{"id":"x","linked":[],"unresolvable":true}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want, got casebook.Summary
		if !NewSummaryDecoder().fast(raw, &got) {
			return
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses: %q: %v", raw, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", raw, got, want)
		}
	})
}
