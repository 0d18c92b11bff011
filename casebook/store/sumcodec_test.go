package store

import (
	"bytes"
	"encoding/binary"
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

// encodeV1 is the compact form the hub wrote before version 2, kept here
// so that Decode is tested against it.
func encodeV1(s *casebook.Summary) []byte {
	b := []byte{sumCompactV1}
	str := func(v string) { b = append(binary.AppendUvarint(b, uint64(len(v))), v...) }
	str(s.ID)
	b = appendTime(b, s.Received)
	for _, v := range []string{string(s.Channel), string(s.Type), s.Category, s.Building, string(s.Urgency), string(s.Status),
		string(s.Solved), string(s.Satisfaction), string(s.Escalation)} {
		str(v)
	}
	for _, t := range []time.Time{s.RespondedAt, s.HandledAt, s.ResolvedAt, s.FeedbackAt, s.EvaluatedAt, s.ClosedAt} {
		b = appendTime(b, t)
	}
	flags := uint64(0)
	if s.Unresolvable {
		flags = 1
	}
	b = binary.AppendUvarint(b, flags)
	b = binary.AppendUvarint(b, uint64(s.Conflicts))
	b = binary.AppendUvarint(b, uint64(len(s.Linked)))
	for _, l := range s.Linked {
		str(l)
	}
	return b
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
		if err := d.Decode(encodeV1(&want), &got); err != nil || !reflect.DeepEqual(got, v1) {
			t.Errorf("version 1: %v\n got %+v\nwant %+v", err, got, v1)
		}
		// Without text, the encoding is version 1, byte for byte as the hub
		// wrote it before: hub.db keeps one form.
		if enc := EncodeSummary(&v1); !bytes.Equal(enc, encodeV1(&v1)) || EncodeSummary(&want)[0] != sumCompactV2 {
			t.Errorf("version 1 not kept for a summary without text: % x", enc)
		}
	}
	empty := casebook.Summary{}
	var got casebook.Summary
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
	for _, b := range [][]byte{EncodeSummary(&s), encodeV1(&s), raw, {sumCompactV2}, {}, []byte(`{"linked":null}`), []byte(`{"id":"\u00e9"}`)} {
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
