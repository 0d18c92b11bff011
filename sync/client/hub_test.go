package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/client"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/wire"
)

// bbolt only (see forStores). A hub restored from an older backup (hub.db
// copied back) gets a new
// epoch, and the devices give it back everything it lost. So does a hub
// whose whole data folder was restored (the epoch cannot tell; the devices'
// anchors do).
func TestHubRestoredFromBackup(t *testing.T) {
	for _, whole := range []bool{false, true} {
		name := "database"
		if whole {
			name = "folder"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			th := startBoltHub(t, dir)
			tokA, tokB := th.enroll("示例社区", false), th.enroll("示例社区", false)
			a, b := newBook(t, true), newBook(t, false)
			addCase(t, a, "一")
			doSync(t, a, th, tokA)
			doSync(t, b, th, tokB)
			backup := filepath.Join(t.TempDir(), "hub.db.bak")
			f, _ := os.Create(backup)
			if _, err := th.bolt().Backup(f, nil); err != nil {
				t.Fatal(err)
			}
			_ = f.Close()
			copyFile(t, filepath.Join(dir, hubbolt.EpochFile), backup+".epoch")
			oldEpoch := th.st.Epoch()
			// Work after the backup, synced to the hub: the hub will lose it.
			addCase(t, a, "二")
			c := addCase(t, b, "三")
			doSync(t, a, th, tokA)
			doSync(t, b, th, tokB)
			doSync(t, a, th, tokA)
			th.kill()
			copyFile(t, backup, filepath.Join(dir, hubbolt.DBFile))
			if whole {
				copyFile(t, backup+".epoch", filepath.Join(dir, hubbolt.EpochFile))
			}
			th.start(th.addr)
			if (th.st.Epoch() != oldEpoch) == whole {
				t.Fatalf("epoch after restore of the %s: %s (was %s)", name, th.st.Epoch(), oldEpoch)
			}
			if n := len(th.logIDs("示例社区")); n >= len(allOps(t, a)) {
				t.Fatalf("restored hub has %d ops, no loss to test", n)
			}
			// A device that did nothing since still gives back what it has.
			r := doSync(t, a, th, tokA)
			if !r.Reset || r.Pushed == 0 {
				t.Errorf("A after restore: %+v", r)
			}
			if _, err := b.Step(c.ID, casebook.Step{Action: casebook.ActRespond}); err != nil {
				t.Fatal(err)
			}
			doSync(t, b, th, tokB)
			doSync(t, a, th, tokA)
			fresh := newBook(t, false)
			doSync(t, fresh, th, th.enroll("示例社区", true))
			exactlyOnce(t, th, "示例社区", a, b, fresh)
		})
	}
}

// The hub restarts and keeps everything; devices carry on without starting
// over.
func TestHubRestartKeepsEverything(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tok := th.enroll("示例社区", false)
		a := newBook(t, true)
		for i := range 30 {
			addCase(t, a, "事"+string(rune('a'+i)))
		}
		doSync(t, a, th, tok)
		epoch, before := th.st.Epoch(), th.logIDs("示例社区")
		th.restart()
		if th.st.Epoch() != epoch {
			t.Fatal("epoch changed on a plain restart")
		}
		if after := th.logIDs("示例社区"); len(after) != len(before) {
			t.Fatalf("%d ops before, %d after", len(before), len(after))
		}
		addCase(t, a, "重启后")
		r := doSync(t, a, th, tok)
		if r.Reset || r.Pushed != 1 || r.Duplicates != 0 {
			t.Fatalf("after restart: %+v", r)
		}
		// Tokens survive too.
		b := newBook(t, false)
		doSync(t, b, th, tok)
		sameViews(t, a, b)
	})
}

// raw sends one request as a device would, with its own token.
func raw(t *testing.T, th *testHub, method, path, token string, body any, hdr map[string]string) (*http.Response, *wire.Error) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := wire.EncodeBytes(body, false)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, th.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(wire.HeaderProtocol, fmt.Sprint(wire.Protocol))
	req.Header.Set(wire.HeaderEpoch, th.st.Epoch())
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		e := wire.ReadError(resp)
		resp.Body.Close()
		return resp, e
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, nil
}

// Scope comes from the token: A cannot read or write B, a read-only token
// cannot write, a revoked token gets nothing.
func TestTokenScope(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tokA, tokB := th.enroll("甲社区", false), th.enroll("乙社区", false)
		a, b := newBook(t, false), newBook(t, false)
		ca := addCase(t, a, "甲的诉求")
		doSync(t, a, th, tokA)
		addCase(t, b, "乙的诉求")
		doSync(t, b, th, tokB)
		if len(views(t, a)) != 1 || len(views(t, b)) != 1 {
			t.Fatalf("A sees %d cases, B %d", len(views(t, a)), len(views(t, b)))
		}
		// B writing to A's case, with B's token: refused whole, nothing written.
		if _, err := a.Step(ca.ID, casebook.Step{Action: casebook.ActRespond}); err != nil {
			t.Fatal(err)
		}
		ops, _, _ := a.Store().OpsSince(0, 100)
		last := ops[len(ops)-1]
		rawOp, _ := json.Marshal(last)
		head, headA := len(th.logIDs("乙社区")), len(th.logIDs("甲社区"))
		_, e := raw(t, th, "POST", wire.PathPush, tokB, wire.Push{Ops: []json.RawMessage{rawOp}}, nil)
		if e == nil || e.Code != wire.CodeOutOfScope || e.Status != http.StatusForbidden {
			t.Fatalf("cross-community write: %v", e)
		}
		if len(th.logIDs("乙社区")) != head || len(th.logIDs("甲社区")) != headA {
			t.Fatal("a refused batch left something behind")
		}
		// B's casebook given ops of A by a confused device: the client reports it.
		// A's settings naming A, pushed with B's token: refused.
		for _, op := range ops {
			if op.Kind == casebook.OpSettings {
				r, _ := json.Marshal(op)
				if _, e := raw(t, th, "POST", wire.PathPush, tokB, wire.Push{Ops: []json.RawMessage{r}}, nil); e == nil || e.Code != wire.CodeOutOfScope {
					t.Fatalf("settings of another community: %v", e)
				}
			}
		}
		// Reading: B's token pulls only B's log.
		resp, _ := raw(t, th, "GET", wire.PathPull+"?since=0", tokB, nil, nil)
		var p wire.Pull
		_ = wire.Decode(resp.Body, resp.Header.Get("Content-Encoding"), &p)
		for _, r := range p.Ops {
			var op casebook.Op
			_ = json.Unmarshal(r, &op)
			if op.Entity == ca.ID {
				t.Fatal("B read A's case")
			}
		}
		// Read-only: pulls, never pushes.
		ro := th.enroll("甲社区", true)
		reader := newBook(t, false)
		if r := doSync(t, reader, th, ro); !r.ReadOnly || r.Pulled == 0 {
			t.Fatalf("reader: %+v", r)
		}
		addCase(t, reader, "读者不能写") // stays local
		before := len(th.logIDs("甲社区"))
		doSync(t, reader, th, ro)
		if len(th.logIDs("甲社区")) != before {
			t.Fatal("a read-only device wrote")
		}
		if _, e := raw(t, th, "POST", wire.PathPush, ro, wire.Push{Ops: []json.RawMessage{rawOp}}, nil); e == nil || e.Code != wire.CodeReadOnly {
			t.Fatalf("read-only push: %v", e)
		}
		// Revoked: nothing at all.
		if _, err := th.h.Revoke(tokA); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Sync(context.Background(), a, th.URL, tokA); !isCode(err, client.ErrRevoked) {
			t.Fatalf("revoked sync: %v", err)
		}
		if _, e := raw(t, th, "GET", wire.PathPull+"?since=0", tokA, nil, nil); e == nil || e.Code != wire.CodeRevoked {
			t.Fatalf("revoked pull: %v", e)
		}
		if _, e := raw(t, th, "GET", wire.PathPull+"?since=0", "cbk_nonsense", nil, nil); e == nil || e.Code != wire.CodeUnauthorized {
			t.Fatalf("unknown token: %v", e)
		}
		st, _ := client.Status(a)
		if st.LastError == "" || st.Waiting != 1 {
			t.Errorf("status after a refused sync: %+v", st)
		}
	})
}

// A client on an older protocol gets "upgrade required", and its casebook
// keeps working.
func TestUpgradeRequired(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tok := th.enroll("示例社区", false)
		_, e := raw(t, th, "POST", wire.PathHello, tok, wire.Hello{}, map[string]string{wire.HeaderProtocol: "0"})
		if e == nil || e.Status != http.StatusUpgradeRequired || e.Code != wire.CodeUpgradeRequired {
			t.Fatalf("old protocol: %v", e)
		}
		old := &http.Client{Transport: rewrite{}}
		b := newBook(t, false)
		addCase(t, b, "离线照常")
		_, err := client.Sync(context.Background(), b, th.URL, tok, client.WithHTTPClient(old))
		if !isCode(err, client.ErrUpgradeRequired) {
			t.Fatalf("want upgrade required, got %v", err)
		}
		addCase(t, b, "仍可记录")
		if st, _ := client.Status(b); st.Waiting != 2 || st.LastError == "" {
			t.Errorf("status: %+v", st)
		}
	})
}

type rewrite struct{}

func (rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Header.Set(wire.HeaderProtocol, "0")
	return http.DefaultTransport.RoundTrip(r)
}

// A device whose clock runs hours ahead cannot win every merge: the hub
// refuses its operations, naming the device, until the clock is right; the
// device still receives the others' work.
func TestClockAheadRefused(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tokA, tokB := th.enroll("示例社区", false), th.enroll("示例社区", false)
		a := newBook(t, false)
		c := addCase(t, a, "原始")
		doSync(t, a, th, tokA)
		ahead, err := store.NewBook(store.NewMemory(), "快钟", func() time.Time { return time.Now().Add(3 * time.Hour) })
		if err != nil {
			t.Fatal(err)
		}
		doSync(t, ahead, th, tokB)
		if _, err := ahead.SetFields(c.ID, map[string]string{casebook.FieldHandler: "快钟设备"}); err != nil {
			t.Fatal(err)
		}
		addCase(t, a, "别人的新诉求")
		doSync(t, a, th, tokA)
		res, err := client.Sync(context.Background(), ahead, th.URL, tokB)
		if !isCode(err, client.ErrClockSkew) || !bytes.Contains([]byte(err.Error()), []byte(ahead.Store().Device())) {
			t.Fatalf("want clock skew naming the device, got %v", err)
		}
		if res.Pulled == 0 {
			t.Error("the fast device did not receive the others' work")
		}
		doSync(t, a, th, tokA)
		if got, _ := a.Case(c.ID); got.Handler() == "快钟设备" {
			t.Error("the fast clock won")
		}
	})
}
