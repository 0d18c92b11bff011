package hub_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/wire"
)

type env struct {
	t     testing.TB
	st    hub.Store
	h     *hub.Hub
	srv   *httptest.Server
	token string
}

// stores are the hub's stores, each opened fresh for one test; postgres
// skips without CASEBOOK_HUB_PG (pgStore).
var stores = []struct {
	name string
	open func(tb testing.TB) hub.Store
}{
	{"bolt", func(tb testing.TB) hub.Store {
		st, err := hubbolt.Open(tb.TempDir(), hubbolt.WithNoSync())
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = st.Close() })
		return st
	}},
	{"postgres", func(tb testing.TB) hub.Store { return pgStore(tb) }},
}

// newEnv is a hub on st served on 127.0.0.1, with a token of 示例社区.
func newEnv(t testing.TB, st hub.Store) *env {
	t.Helper()
	h := hub.New(st, hub.Options{MaterializeDelay: 10 * time.Millisecond})
	srv := httptest.NewServer(h.Handler()) // 127.0.0.1
	t.Cleanup(func() { srv.Close(); h.Close() })
	tok, _, err := h.Enroll("示例社区", false, "")
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, st: st, h: h, srv: srv, token: tok}
}

// post sends a body as is, with the given headers over the defaults.
func (e *env) post(path string, body []byte, hdr map[string]string) (int, *wire.Error, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set(wire.HeaderProtocol, fmt.Sprint(wire.Protocol))
	req.Header.Set(wire.HeaderEpoch, e.st.Epoch())
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, wire.ReadError(resp), nil
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, nil, buf.Bytes()
}

// goodOps makes n valid operations of new cases.
func goodOps(t testing.TB, n int) []json.RawMessage {
	t.Helper()
	b, err := store.NewBook(store.NewMemory(), "王", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := b.AddCase(casebook.CaseInput{Received: time.Now().Add(-time.Hour), Channel: "walk-in", Type: "help", Category: "其他", Summary: "事" + string(rune('a'+i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	ops, _, _ := b.Store().OpsSince(0, n)
	out := make([]json.RawMessage, len(ops))
	for i := range ops {
		out[i], _ = json.Marshal(ops[i])
	}
	return out
}

func pushBody(ops ...json.RawMessage) []byte {
	b, _ := json.Marshal(wire.Push{Ops: ops})
	return b
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

// Malformed, oversized and replayed payloads are refused without harm: the
// whole batch, with a clear code, and the log is as before.
func TestMalformedPayloadsRefused(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) { testMalformedPayloads(t, newEnv(t, s.open(t))) })
	}
}

func testMalformedPayloads(t *testing.T, e *env) {
	ops := goodOps(t, 3)
	head := func() uint64 { h, _ := e.st.Head("示例社区"); return h }
	bigOp := json.RawMessage(`{"id":"` + strings.Repeat("A", casebook.MaxOpBytes) + `"}`)
	var future casebook.Op
	_ = json.Unmarshal(ops[0], &future)
	future.HLC.Wall = time.Now().Add(3 * time.Hour).UnixMilli()
	future.ID = casebook.NewID(time.Now())
	futureRaw, _ := json.Marshal(future)
	var lower casebook.Op
	_ = json.Unmarshal(ops[1], &lower)
	lower.ID = strings.ToLower(lower.ID)
	lowerRaw, _ := json.Marshal(lower)
	var badEntity casebook.Op
	_ = json.Unmarshal(ops[1], &badEntity)
	badEntity.ID, badEntity.Entity = casebook.NewID(time.Now()), "other-entity"
	badEntityRaw, _ := json.Marshal(badEntity)
	many := make([]json.RawMessage, wire.MaxBatchOps+1)
	for i := range many {
		many[i] = ops[0]
	}
	bomb := gz([]byte(`{"ops":["` + strings.Repeat("0", wire.MaxDecodedBytes+10) + `"]}`))
	cases := []struct {
		name   string
		body   []byte
		hdr    map[string]string
		status int
		code   string
	}{
		{"no protocol", pushBody(ops...), map[string]string{wire.HeaderProtocol: ""}, 426, wire.CodeUpgradeRequired},
		{"old protocol", pushBody(ops...), map[string]string{wire.HeaderProtocol: fmt.Sprint(wire.MinProtocol - 1)}, 426, wire.CodeUpgradeRequired},
		{"newer protocol", pushBody(ops...), map[string]string{wire.HeaderProtocol: "99"}, 400, wire.CodeBadRequest},
		{"no token", pushBody(ops...), map[string]string{"Authorization": ""}, 401, wire.CodeUnauthorized},
		{"other epoch", pushBody(ops...), map[string]string{wire.HeaderEpoch: "stale"}, 409, wire.CodeEpochChanged},
		{"not json", []byte("hello"), nil, 400, wire.CodeBadRequest},
		{"trailing data", append(pushBody(ops...), []byte(`{"x":1}`)...), nil, 400, wire.CodeBadRequest},
		{"not gzip", pushBody(ops...), map[string]string{"Content-Encoding": "gzip"}, 400, wire.CodeBadRequest},
		{"unknown encoding", pushBody(ops...), map[string]string{"Content-Encoding": "br"}, 400, wire.CodeBadRequest},
		{"oversized body", bytes.Repeat([]byte(" "), wire.MaxBodyBytes+1), nil, 413, wire.CodeTooLarge},
		{"gzip bomb", bomb, map[string]string{"Content-Encoding": "gzip"}, 413, wire.CodeTooLarge},
		{"too many ops", pushBody(many...), nil, 413, wire.CodeTooLarge},
		{"oversized op", pushBody(ops[0], bigOp), nil, 413, wire.CodeTooLarge},
		{"not an op", pushBody(ops[0], json.RawMessage(`{"id":"x","kind":"case.set"}`)), nil, 422, wire.CodeInvalidOp},
		{"op of wrong type", pushBody(json.RawMessage(`[1,2]`)), nil, 422, wire.CodeInvalidOp},
		{"id not canonical", pushBody(ops[0], lowerRaw), nil, 422, wire.CodeInvalidOp},
		{"record not an id", pushBody(ops[0], badEntityRaw), nil, 422, wire.CodeInvalidOp},
		{"clock far ahead", pushBody(ops[0], futureRaw), nil, 422, wire.CodeClockSkew},
	}
	for _, c := range cases {
		status, werr, _ := e.post(wire.PathPush, c.body, c.hdr)
		if status != c.status || werr == nil || werr.Code != c.code {
			t.Errorf("%s: got %d %v, want %d %s", c.name, status, werr, c.status, c.code)
		}
		if head() != 0 {
			t.Fatalf("%s: the log changed", c.name)
		}
	}
	// A valid batch, then replayed: taken once.
	for i := range 2 {
		status, werr, body := e.post(wire.PathPush, gz(pushBody(ops...)), map[string]string{"Content-Encoding": "gzip"})
		var res wire.PushResult
		_ = json.Unmarshal(body, &res)
		if status != 200 || werr != nil || res.Head != 3 || res.Accepted+res.Duplicates != 3 || (i == 1 && res.Accepted != 0) {
			t.Fatalf("push %d: %d %v %+v", i, status, werr, res)
		}
	}
	// Pull parameters.
	req, _ := http.NewRequest("GET", e.srv.URL+wire.PathPull+"?since=abc", nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set(wire.HeaderProtocol, fmt.Sprint(wire.Protocol))
	req.Header.Set(wire.HeaderEpoch, e.st.Epoch())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("pull since=abc: %d", resp.StatusCode)
	}
	// Health.
	resp, err = http.Get(e.srv.URL + wire.PathHealth)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", err, resp)
	}
	resp.Body.Close()
}

// FuzzPushBody throws arbitrary bodies at the push endpoint: the hub never
// panics, answers with a defined status, and takes only valid operations.
func FuzzPushBody(f *testing.F) {
	ops := goodOps(f, 2)
	f.Add(pushBody(ops...), false)
	f.Add(gz(pushBody(ops...)), true)
	f.Add([]byte(`{"ops":[{"id":"01J00000000000000000000000","kind":"case.create"}]}`), false)
	f.Add([]byte(`{"ops":null}`), false)
	f.Add([]byte(`{"ops":[{}]}`), false)
	f.Add([]byte{0x1f, 0x8b, 0, 0}, true)
	f.Add(emptyOpsBomb(6000), true) // past the batch limit, as the 15-million-op bomb
	f.Add(gz([]byte(`{"ops":["`+strings.Repeat("0", 70<<10)+`"]}`)), true)
	st, err := hubbolt.Open(f.TempDir(), hubbolt.WithNoSync())
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	h := hub.New(st, hub.Options{})
	defer h.Close()
	tok, _, _ := h.Enroll("示例社区", false, "")
	handler := h.Handler()
	f.Fuzz(func(t *testing.T, body []byte, gzipped bool) {
		req := httptest.NewRequest("POST", wire.PathPush, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set(wire.HeaderProtocol, fmt.Sprint(wire.Protocol))
		req.Header.Set(wire.HeaderEpoch, st.Epoch())
		if gzipped {
			req.Header.Set("Content-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 403, 413, 422:
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		if rec.Code != 200 {
			var e wire.Error
			if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code == "" {
				t.Fatalf("error body %q", rec.Body.String())
			}
		}
		// Whatever was taken is valid.
		raws, _, _, err := st.Since("示例社区", 0, 100000, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range raws {
			var op casebook.Op
			if json.Unmarshal(r, &op) != nil || op.Validate() != nil {
				t.Fatalf("invalid op stored: %s", r)
			}
		}
	})
}

// failingTokens is a store whose token lookups fail, as one whose
// database is away longer than it waits.
type failingTokens struct{ hub.Store }

func (failingTokens) TokenByHash(string) (hub.Token, error) {
	return hub.Token{}, errors.New("database unavailable")
}

// A token the store could not look up is not an unknown token: the device
// is told to try again (503), never that its token is unknown (401, which
// it would show its user as a bad token).
func TestTokenLookupFails(t *testing.T) {
	st, err := hubbolt.Open(t.TempDir(), hubbolt.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e := newEnv(t, failingTokens{st})
	code, we, _ := e.post(wire.PathHello, []byte(`{}`), nil)
	if code != http.StatusServiceUnavailable || we == nil || we.Code != wire.CodeBusy {
		t.Errorf("hello with the store failing: %d %+v", code, we)
	}
}
