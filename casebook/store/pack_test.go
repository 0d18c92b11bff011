package store

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// fixtureValues are every value of the JSON buckets of the v2 fixtures.
func fixtureValues(t testing.TB) [][]byte {
	var out [][]byte
	for _, path := range []string{fixtureV1, fixtureV2, fixtureV2Demo} {
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		_ = db.View(func(tx *bbolt.Tx) error {
			for _, name := range [][]byte{bucketOps, bucketCases, bucketSummaries, bucketSettings, bucketDisputes} {
				if bk := tx.Bucket(name); bk != nil {
					_ = bk.ForEach(func(_, v []byte) error {
						out = append(out, bytes.Clone(v))
						return nil
					})
				}
			}
			return nil
		})
		_ = db.Close()
	}
	return out
}

// TestPackRoundTrip: every stored JSON value of the fixtures packs and
// unpacks to the same bytes, and packs small.
func TestPackRoundTrip(t *testing.T) {
	p, u := newPacker(), &unpacker{}
	in, packed := 0, 0
	vals := fixtureValues(t)
	if len(vals) < 500 {
		t.Fatalf("%d values", len(vals))
	}
	for _, v := range vals {
		enc, ok := p.pack(nil, v)
		if !ok {
			t.Fatalf("does not pack: %s", v)
		}
		dec, err := u.unpack(nil, enc)
		if err != nil || !bytes.Equal(dec, v) {
			t.Fatalf("round trip: %v\n%s\n%s", err, v, dec)
		}
		in, packed = in+len(v), packed+len(enc)
	}
	t.Logf("%d values, %d bytes of JSON packed to %d (%.0f%%)", len(vals), in, packed, 100*float64(packed)/float64(in))
	if packed*2 > in { // the demo's long Chinese texts pack little; a bench case packs to a quarter
		t.Errorf("packed to %d of %d bytes: more than half", packed, in)
	}
}

func TestPackEdges(t *testing.T) {
	p, u := newPacker(), &unpacker{}
	for _, v := range []string{
		`null`, `true`, `[]`, `{}`, `""`, `0`, `-0`, `-12`, `1.5e3`, `123456789012345678901`, `"a\"b\\c\u00e9"`,
		`"2026-03-02T06:30:00Z"`, `"2026-03-02T06:30:00.250Z"`, `"2026-02-30T06:30:00Z"`, `"0001-01-01T00:00:00Z"`,
		`"01KWBZHA80YPJTBV6HBWSGQTGS"`, `"01kwbzha80ypjtbv6hbwsgqtgs"`, `"81KWBZHA80YPJTBV6HBWSGQTGS"`,
		`[{"w":1,"l":2},{"w":1,"l":2},[{"w":1,"l":2}],{"a":[{"w":1,"l":2}]},{"a":[{"w":1,"l":2}]}]`,
		`{"x":"abcd","abcd":"abcd","y":["abcd",{"abcd":1}],"z":["abcd",{"abcd":1}]}`,
		` { "spaced" : [ 1 , 2 ] } `,
	} {
		enc, ok := p.pack(nil, []byte(v))
		if !ok {
			t.Fatalf("does not pack: %s", v)
		}
		dec, err := u.unpack(nil, enc)
		var want bytes.Buffer
		_ = json.Compact(&want, []byte(v))
		if err != nil || !bytes.Equal(dec, want.Bytes()) {
			t.Fatalf("round trip of %s: %v, %s", v, err, dec)
		}
	}
	for _, v := range []string{``, `{`, `[1,]`, `{"a"}`, `{"a":1,}`, `tru`, `"abc`, `1 2`, `{1:2}`, "\"a\x01\""} {
		if _, ok := p.pack(nil, []byte(v)); ok {
			t.Errorf("packed %q", v)
		}
	}
	// Damage is refused, never a panic nor unbounded output.
	bomb := []byte{pkArray, pkString, 4, 'a', 'b', 'c', 'd', pkEnd}
	for i := range 40 {
		bomb = append([]byte{pkArray}, append(bomb, pkRef, byte(i), pkEnd)...)
	}
	for _, v := range [][]byte{{}, {pkEnd}, {pkObject}, {pkObject, pkInt, 2, pkInt, 2, pkEnd}, {pkRef, 0}, {pkWord, 0xff, 0xff, 0x7f},
		{pkString, 10, 'a'}, {pkULID, 1, 2}, {pkTime, 2, 12, 0}, {pkArray, pkEnd, pkNull}, {0x0e}, {pkRef0 + 3}, {pkObject, pkArray, pkEnd, pkInt, 2, pkEnd}, bomb} {
		if out, err := u.unpack(nil, v); err == nil {
			t.Errorf("unpacked %x to %s", v, out)
		}
	}
}

// FuzzPack: whatever the bytes, unpacking does not panic and stays bounded;
// whatever JSON is packed comes back as its compact form.
func FuzzPack(f *testing.F) {
	for _, v := range fixtureValues(f)[:40] {
		f.Add(v)
	}
	f.Add([]byte(`[{"w":1,"l":2},{"w":1,"l":2},"2026-03-02T06:30:00.25Z"]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, u := newPacker(), &unpacker{}
		if out, err := u.unpack(nil, in); err == nil && len(out) > maxUnpacked*2 {
			t.Fatalf("unpacked to %d bytes", len(out))
		}
		enc, ok := p.pack(nil, in)
		if !ok {
			return
		}
		dec, err := u.unpack(nil, enc)
		if err != nil {
			t.Fatalf("packed %q does not unpack: %v", in, err)
		}
		var want bytes.Buffer
		if json.Valid(in) {
			_ = json.Compact(&want, in)
			if !bytes.Equal(dec, want.Bytes()) {
				t.Fatalf("%q came back as %q", in, dec)
			}
		}
	})
}

// BenchmarkPack packs and unpacks every JSON value of the fixtures.
func BenchmarkPack(b *testing.B) {
	vals := fixtureValues(b)
	p, u := newPacker(), &unpacker{}
	n := 0
	for _, v := range vals {
		n += len(v)
	}
	var enc [][]byte
	for _, v := range vals {
		e, _ := p.pack(nil, v)
		enc = append(enc, e)
	}
	b.Run("pack", func(b *testing.B) {
		b.SetBytes(int64(n))
		var buf []byte
		for b.Loop() {
			for _, v := range vals {
				buf, _ = p.pack(buf[:0], v)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vals)), "ns/value")
	})
	b.Run("unpack", func(b *testing.B) {
		b.SetBytes(int64(n))
		var buf []byte
		for b.Loop() {
			for _, e := range enc {
				buf, _ = u.unpack(buf[:0], e)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vals)), "ns/value")
	})
}
