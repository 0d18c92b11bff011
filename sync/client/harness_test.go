package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/client"
	"casebook/sync/hub"
)

// testHub is a real hub on 127.0.0.1 over a data folder.
type testHub struct {
	t    testing.TB
	dir  string
	addr string
	URL  string
	st   *hub.BoltStore
	h    *hub.Hub
	srv  *http.Server
	wrap func(http.Handler) http.Handler
}

func startHub(t testing.TB, dir string) *testHub {
	t.Helper()
	th := &testHub{t: t, dir: dir}
	th.start("127.0.0.1:0")
	t.Cleanup(th.kill)
	return th
}

func (th *testHub) start(addr string) {
	th.t.Helper()
	st, err := hub.OpenBolt(th.dir, hub.BoltOptions{NoSync: true})
	if err != nil {
		th.t.Fatal(err)
	}
	th.st = st
	th.h = hub.New(st, hub.Options{MaterializeDelay: 20 * time.Millisecond})
	var ln net.Listener
	for i := 0; ; i++ { // the same port again after a restart
		ln, err = net.Listen("tcp", addr)
		if err == nil || i > 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		th.t.Fatal(err)
	}
	th.addr = ln.Addr().String()
	th.URL = "http://" + th.addr
	var handler http.Handler = th.h.Handler()
	if th.wrap != nil {
		handler = th.wrap(handler)
	}
	th.srv = &http.Server{Handler: handler}
	go func() { _ = th.srv.Serve(ln) }()
}

// kill stops the hub abruptly: connections are cut mid-request; whatever
// bbolt committed stays, whatever it had not is gone.
func (th *testHub) kill() {
	if th.srv == nil {
		return
	}
	_ = th.srv.Close()
	th.h.Close()
	_ = th.st.Close()
	th.srv = nil
}

func (th *testHub) restart() {
	th.kill()
	th.start(th.addr)
}

func (th *testHub) enroll(community string, readOnly bool) string {
	th.t.Helper()
	tok, _, err := th.h.Enroll(community, readOnly, "")
	if err != nil {
		th.t.Fatal(err)
	}
	return tok
}

// logIDs returns the op ids in a community's hub log, in order.
func (th *testHub) logIDs(community string) []string {
	th.t.Helper()
	var ids []string
	for seq := uint64(0); ; {
		raws, last, _, err := th.st.Since(community, seq, 2000, 1<<30)
		if err != nil {
			th.t.Fatal(err)
		}
		if len(raws) == 0 {
			return ids
		}
		for _, r := range raws {
			var op casebook.Op
			if err := json.Unmarshal(r, &op); err != nil {
				th.t.Fatal(err)
			}
			ids = append(ids, op.ID)
		}
		seq = last
	}
}

var testNow = time.Date(2026, 6, 30, 10, 0, 0, 0, casebook.Shanghai)

func newBook(t testing.TB, bolt bool) *store.Book {
	t.Helper()
	var s store.Store = store.NewMemory()
	if bolt {
		var err error
		if s, err = store.OpenBolt(filepath.Join(t.TempDir(), "cb.db")); err != nil {
			t.Fatal(err)
		}
	}
	b, err := store.NewBook(s, "王书记", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func addCase(t testing.TB, b *store.Book, summary string) *casebook.Case {
	t.Helper()
	c, err := b.AddCase(casebook.CaseInput{Received: time.Now().Add(-time.Hour), Channel: "walk-in", Type: "complaint",
		Category: "停车管理", Building: "3号楼", Summary: summary})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func doSync(t testing.TB, b *store.Book, th *testHub, token string) client.Result {
	t.Helper()
	res, err := client.Sync(context.Background(), b, th.URL, token)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

// allOps returns every op id in a casebook's log, sorted.
func allOps(t testing.TB, b *store.Book) []string {
	t.Helper()
	var ids []string
	for seq := uint64(0); ; {
		ops, last, err := b.Store().OpsSince(seq, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) == 0 {
			break
		}
		for _, op := range ops {
			ids = append(ids, op.ID)
		}
		seq = last
	}
	sort.Strings(ids)
	return ids
}

// views returns every case view of a casebook as JSON, by id.
func views(t testing.TB, b *store.Book) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range b.Store().Summaries() {
		c, err := b.Store().Case(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(c)
		out[s.ID] = string(raw)
	}
	return out
}

func sameViews(t testing.TB, a, b *store.Book) {
	t.Helper()
	va, vb := views(t, a), views(t, b)
	if len(va) != len(vb) {
		t.Fatalf("%d cases vs %d", len(va), len(vb))
	}
	for id, x := range va {
		if vb[id] != x {
			t.Fatalf("case %s differs:\n%s\n%s", id, x, vb[id])
		}
	}
	if sa, sb := a.Settings(), b.Settings(); sa.Community.Name != sb.Community.Name {
		t.Fatalf("community %q vs %q", sa.Community.Name, sb.Community.Name)
	}
}

func isCode(err error, target error) bool { return errors.Is(err, target) }

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}
