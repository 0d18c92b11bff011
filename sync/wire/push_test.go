package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestReadPush(t *testing.T) {
	ops := []json.RawMessage{json.RawMessage(`{"id":"a","fields":{"s":"x]}\"{["}}`), json.RawMessage(`[1,2]`), json.RawMessage(`"s"`), json.RawMessage(`12`)}
	body := AppendPush(nil, "b1", ops)
	for _, enc := range []string{"", "gzip"} {
		in := body
		if enc == "gzip" {
			in = Gzip(body)
		}
		p, err := ReadPush(bytes.NewReader(in), enc)
		if err != nil || p.Batch != "b1" || len(p.Ops) != len(ops) {
			t.Fatalf("%s: %+v %v", enc, p, err)
		}
		for i := range ops {
			if !bytes.Equal(p.Ops[i], ops[i]) {
				t.Errorf("op %d: %s", i, p.Ops[i])
			}
		}
	}
	for _, bad := range []string{``, `[]`, `{"ops":[1,]}`, `{"ops":[}`, `{"ops":{}}`, `{"ops":[],"ops":[]}`, `{"ops":[]} x`, `{"ops":[]`, `{"a"}`, `{"ops":nul}`} {
		if _, err := ReadPush(strings.NewReader(bad), ""); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	many := `{"ops":[` + strings.Repeat(`{},`, MaxBatchOps) + `{}]}`
	if _, err := ReadPush(strings.NewReader(many), ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d ops: %v", MaxBatchOps+1, err)
	}
}

// FuzzReadPush: whatever body arrives, gzipped or not, the push reader
// returns a push within every limit or an error, and what it returns is
// what the body held.
func FuzzReadPush(f *testing.F) {
	f.Add(AppendPush(nil, "1", []json.RawMessage{json.RawMessage(`{"id":"x"}`)}), false)
	f.Add(Gzip(AppendPush(nil, "1", []json.RawMessage{json.RawMessage(`{"id":"x"}`)})), true)
	f.Add(Gzip([]byte(`{"ops":[`+strings.Repeat(`{},`, 6000)+`{}]}`)), true)
	f.Add([]byte(`{"ops":null,"batch":"\u00e9\"x"}`), false)
	f.Add([]byte(`{"ops":[{"a":[{"b":"]"}]}],"x":{"y":[1,2,{"z":"}"}]}}`), false)
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0}, true)
	f.Fuzz(func(t *testing.T, body []byte, gzipped bool) {
		enc := ""
		if gzipped {
			enc = "gzip"
		}
		p, err := ReadPush(bytes.NewReader(body), enc)
		if err != nil {
			return
		}
		if len(p.Ops) > MaxBatchOps {
			t.Fatalf("%d ops", len(p.Ops))
		}
		for _, op := range p.Ops {
			if len(op) == 0 || len(op) > MaxOpBytes {
				t.Fatalf("op of %d bytes", len(op))
			}
		}
		// Written again and read back, the same push.
		again, err := ReadPush(bytes.NewReader(AppendPush(nil, p.Batch, p.Ops)), "")
		if err != nil || len(again.Ops) != len(p.Ops) {
			t.Fatalf("round trip: %v (%d ops, was %d)", err, len(again.Ops), len(p.Ops))
		}
	})
}
