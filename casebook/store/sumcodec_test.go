package store

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"casebook/casebook"
)

// codecSample is a summary with every encoded field set.
func codecSample(i int) casebook.Summary {
	now := time.Date(2026, 3, 2, 1, 0, 0, 123, time.UTC)
	return casebook.Summary{ID: casebook.NewID(now), Number: "20260302-001", WorkOrder: "2026112412345678",
		Received: now.Add(time.Duration(i) * time.Minute), Channel: "12345", Type: "complaint", Category: "停车管理",
		Building: "14号楼", Summary: "东门机动车占用消防通道，影响通行", Handler: "王明", Urgency: "general", Status: "closed",
		DispatchedTo: "物业公司", RespondedAt: now.Add(time.Hour), HandledAt: now.Add(2 * time.Hour), ResolvedAt: now.Add(3 * time.Hour),
		FeedbackAt: now.Add(4 * time.Hour), EvaluatedAt: now.Add(5 * time.Hour), ClosedAt: now.Add(6 * time.Hour),
		Solved: "yes", Satisfaction: "satisfied", Escalation: "street", Unresolvable: i%2 == 0, Conflicts: i % 3,
		Linked: []string{casebook.NewID(now), casebook.NewID(now)}}
}

// v1Golden is a summary as the hub's first compact codec wrote it (version
// 1, before the codec moved here), with the summary it holds.
const v1Golden = "011a30314a5830303030303030303030303030303030303030303030f681b5d3c59af0983105313233343509636f6d706c61696e740ce5819ce8bda6e7aea1e79086083134e58fb7e6a5bc0767656e6572616c06636c6f736564037965730973617469736669656406737472656574f681fade8becf1983100000000f681d398ea83fa98310102011a30314a5830303030303030303030303030303030303030303031"

func v1GoldenSummary() casebook.Summary {
	now := time.Date(2026, 3, 2, 1, 0, 0, 123, time.UTC)
	return casebook.Summary{ID: "01JX0000000000000000000000", Received: now, Channel: "12345", Type: "complaint", Category: "停车管理",
		Building: "14号楼", Urgency: "general", Status: "closed", RespondedAt: now.Add(time.Hour), ClosedAt: now.Add(6 * time.Hour),
		Solved: "yes", Satisfaction: "satisfied", Escalation: "street", Unresolvable: true, Conflicts: 2, Linked: []string{"01JX0000000000000000000001"}}
}

// TestSummaryCodec: every form decodes to the summary that was encoded.
func TestSummaryCodec(t *testing.T) {
	d := NewSummaryDecoder()
	for i := range 4 {
		want := codecSample(i)
		var got casebook.Summary
		if err := d.Decode(EncodeSummary(&want), &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("compact: %v\n got %+v\nwant %+v", err, got, want)
		}
		raw, _ := json.Marshal(&want)
		if err := d.Decode(raw, &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("JSON: %v\n got %+v\nwant %+v", err, got, want)
		}
		v1 := want
		v1.Number, v1.WorkOrder, v1.Summary, v1.Handler, v1.DispatchedTo = "", "", "", "", ""
		if err := d.Decode(EncodeSummary(&v1), &got); err != nil || !reflect.DeepEqual(got, v1) {
			t.Errorf("without text: %v\n got %+v\nwant %+v", err, got, v1)
		}
		if EncodeSummary(&want)[0] != sumCompactV2 || EncodeSummary(&v1)[0] != sumCompactV1 {
			t.Errorf("versions: %d %d", EncodeSummary(&want)[0], EncodeSummary(&v1)[0])
		}
	}
	// The fields of the 12345 rules: versions 3 and 4, and JSON.
	for i, rules := range []func(s *casebook.Summary){
		func(s *casebook.Summary) {
			s.Contested, s.Pending = true, casebook.RequestContest|casebook.RequestExtend
		},
		func(s *casebook.Summary) {
			s.MergedInto, s.Callback = casebook.NewID(s.Received), casebook.CallbackRefused
		},
		func(s *casebook.Summary) {
			s.Merged, s.ExtendedTo, s.Away = 3, s.Received.Add(240*time.Hour), 30*time.Hour
		},
		func(s *casebook.Summary) {
			s.Whistle = []casebook.DeptCall{{Dept: "城管", Summoned: s.Received, Arrived: s.Received.Add(time.Hour), Rating: "basic"}, {Dept: "消防", Summoned: s.Received}}
		},
	} {
		want := codecSample(i)
		rules(&want)
		noText := want
		noText.Number, noText.WorkOrder, noText.Summary, noText.Handler, noText.DispatchedTo, noText.Place = "", "", "", "", "", ""
		for _, w := range []casebook.Summary{want, noText} {
			if !hasRuleFields(&w) {
				continue // a place alone, without text: version 1
			}
			var got casebook.Summary
			enc := EncodeSummary(&w)
			if err := d.Decode(enc, &got); err != nil || !reflect.DeepEqual(got, w) || enc[0] < sumCompactV3 {
				t.Errorf("rules %d compact (v%d): %v\n got %+v\nwant %+v", i, enc[0], err, got, w)
			}
			raw, _ := json.Marshal(&w)
			if err := d.Decode(raw, &got); err != nil || !reflect.DeepEqual(got, w) {
				t.Errorf("rules %d JSON: %v\n got %+v\nwant %+v", i, err, got, w)
			}
		}
	}
	// What the hub wrote before reads back, and a summary without text
	// encodes byte for byte as then: hub.db keeps one form.
	old, _ := hex.DecodeString(v1Golden)
	want := v1GoldenSummary()
	var got casebook.Summary
	if err := d.Decode(old, &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("version 1 golden: %v\n got %+v\nwant %+v", err, got, want)
	}
	if enc := EncodeSummary(&want); !bytes.Equal(enc, old) {
		t.Errorf("version 1 not kept for a summary without text: % x", enc)
	}
	empty := casebook.Summary{}
	if err := d.Decode(EncodeSummary(&empty), &got); err != nil || !reflect.DeepEqual(got, empty) {
		t.Errorf("empty: %v %+v", err, got)
	}
	full := EncodeSummary(&casebook.Summary{Summary: "x"})
	for _, bad := range [][]byte{{sumCompactV2}, full[:len(full)-1], append(append([]byte{}, full...), 0), {sumCompactV1, 0xff}} {
		if err := d.Decode(bad, &got); err == nil {
			t.Errorf("decoded % x", bad)
		}
	}
}

// FuzzSummaryCodec: no input panics the decoder, and what decodes encodes
// and decodes again to the same summary.
func FuzzSummaryCodec(f *testing.F) {
	s := codecSample(1)
	raw, _ := json.Marshal(&s)
	old, _ := hex.DecodeString(v1Golden)
	r := s
	r.Contested, r.MergedInto, r.ExtendedTo, r.Whistle = true, "x", s.Received, []casebook.DeptCall{{Dept: "城管"}}
	for _, b := range [][]byte{EncodeSummary(&s), EncodeSummary(&r), old, raw, {sumCompactV2}, {}, []byte(`{"linked":null}`), []byte(`{"id":"\u00e9"}`)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewSummaryDecoder()
		var s1, s2 casebook.Summary
		if d.Decode(b, &s1) != nil {
			return
		}
		s1.RespondDue, s1.HandleDue = time.Time{}, time.Time{}
		if err := d.Decode(EncodeSummary(&s1), &s2); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if len(s1.Linked) == 0 {
			s1.Linked = nil // [] and null encode alike
		}
		if !reflect.DeepEqual(s1.Received.UnixNano(), s2.Received.UnixNano()) || s1.ID != s2.ID || s1.Status != s2.Status ||
			s1.Summary != s2.Summary || len(s1.Linked) != len(s2.Linked) {
			t.Fatalf("round trip:\n%+v\n%+v", s1, s2)
		}
	})
}

// BenchmarkSummaryCodec compares the compact form with JSON for 5,000
// summaries, the figures cited in sumcodec.go.
//
//	go test -run '^$' -bench SummaryCodec -benchmem ./casebook/store/
func BenchmarkSummaryCodec(b *testing.B) {
	sums := make([]casebook.Summary, 5000)
	compact, js := make([][]byte, len(sums)), make([][]byte, len(sums))
	cn, jn := 0, 0
	for i := range sums {
		sums[i] = codecSample(i)
		compact[i] = EncodeSummary(&sums[i])
		js[i], _ = json.Marshal(&sums[i])
		cn, jn = cn+len(compact[i]), jn+len(js[i])
	}
	decode := func(raws [][]byte) func(b *testing.B) {
		return func(b *testing.B) {
			d := NewSummaryDecoder()
			var s casebook.Summary
			for range b.N {
				for _, r := range raws {
					if err := d.Decode(r, &s); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	b.Run("decode/compact", decode(compact))
	b.Run("decode/json", decode(js))
	b.Run("encode/compact", func(b *testing.B) {
		for range b.N {
			for i := range sums {
				_ = EncodeSummary(&sums[i])
			}
		}
		b.ReportMetric(float64(cn)/float64(len(sums)), "bytes/summary")
	})
	b.Run("encode/json", func(b *testing.B) {
		for range b.N {
			for i := range sums {
				_, _ = json.Marshal(&sums[i])
			}
		}
		b.ReportMetric(float64(jn)/float64(len(sums)), "bytes/summary")
	})
}
