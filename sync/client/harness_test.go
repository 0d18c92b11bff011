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
	"casebook/sync/hub/hubbolt"
	"casebook/sync/hub/hubpg"
	"casebook/sync/internal/pgtest"
)

// The end-to-end tests run devices against a real hub on 127.0.0.1, on each
// of the hub's stores: forStores runs a test as subtests bolt and postgres
// (the latter in a schema of its own, through sync/internal/pgtest; skipped
// without CASEBOOK_HUB_PG, failed under CASEBOOK_REQUIRE_PG).
//
// Every test runs on both stores except these, which are bbolt-only:
//   - TestHubRestoredFromBackup: restores hub.db from a bbolt backup file,
//     and the hub.epoch sidecar that detects it (PostgreSQL restores are
//     the DBA's business: see the "Epoch" note in sync/hub/postgres.go);
//   - TestLoad50Devices (build tag loadtest) and BenchmarkSync100k: a hub
//     over a data folder, measured, not a behaviour of the stores
//     (sync/hub's BenchmarkInitialSync compares the two stores).

// hubStore is a kind of store for the test hub.
type hubStore struct {
	name string
	// data makes a new, empty place for a hub's data (cleaned up after the
	// test) and returns how to open it, the same data at every call.
	data func(t testing.TB) func() (hub.Store, error)
}

var (
	boltStore = hubStore{"bolt", func(t testing.TB) func() (hub.Store, error) {
		dir := t.TempDir()
		return func() (hub.Store, error) { return hubbolt.Open(dir, hubbolt.WithNoSync()) }
	}}
	pgStore = hubStore{"postgres", func(t testing.TB) func() (hub.Store, error) {
		url := pgtest.URL(t, "clienttest")
		return func() (hub.Store, error) { return hubpg.Open(url) }
	}}
)

// forStores runs fn as a subtest on each store.
func forStores(t *testing.T, fn func(t *testing.T, s hubStore)) {
	t.Helper()
	for _, s := range []hubStore{boltStore, pgStore} {
		t.Run(s.name, func(t *testing.T) { fn(t, s) })
	}
}

// testHub is a real hub on 127.0.0.1 over a store.
type testHub struct {
	t    testing.TB
	open func() (hub.Store, error)
	dir  string // the data folder of a bbolt hub (startBoltHub)
	addr string
	URL  string
	st   hub.Store
	h    *hub.Hub
	srv  *http.Server
	wrap func(http.Handler) http.Handler
}

// newHub is a hub on a new store of kind s, not started yet (set wrap,
// then start).
func newHub(t testing.TB, s hubStore) *testHub {
	t.Helper()
	return &testHub{t: t, open: s.data(t)}
}

// startHub is a hub on a new store of kind s, serving; it is killed after
// the test.
func startHub(t testing.TB, s hubStore) *testHub {
	t.Helper()
	th := newHub(t, s)
	th.start("127.0.0.1:0")
	t.Cleanup(th.kill)
	return th
}

// startBoltHub is a bbolt hub on the data folder dir, serving.
func startBoltHub(t testing.TB, dir string) *testHub {
	t.Helper()
	th := &testHub{t: t, dir: dir, open: func() (hub.Store, error) { return hubbolt.Open(dir, hubbolt.WithNoSync()) }}
	th.start("127.0.0.1:0")
	t.Cleanup(th.kill)
	return th
}

// bolt is the hub's store of a bbolt hub.
func (th *testHub) bolt() *hubbolt.Store {
	th.t.Helper()
	st, ok := th.st.(*hubbolt.Store)
	if !ok {
		th.t.Fatalf("not a bbolt hub: %T", th.st)
	}
	return st
}

func (th *testHub) start(addr string) {
	th.t.Helper()
	st, err := th.open()
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
	srv := &http.Server{Handler: handler}
	th.srv = srv
	// srv, not th.srv: a kill (th.srv = nil) or a restart may come first.
	go func() { _ = srv.Serve(ln) }()
}

// kill stops the hub abruptly: connections are cut mid-request, the hub and
// its store are closed; whatever the store committed stays, whatever it
// had not is gone.
func (th *testHub) kill() {
	if th.srv == nil {
		return
	}
	_ = th.srv.Close()
	th.h.Close()
	_ = th.st.Close()
	th.srv = nil
}

// restart kills the hub and starts it again on the same data (the same
// folder, or the same PostgreSQL schema) and address.
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
