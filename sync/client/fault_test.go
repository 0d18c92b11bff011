package client_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"casebook/casebook/store"
	"casebook/sync/client"
	"casebook/sync/internal/fixture"
	"casebook/sync/wire"
)

// faulty cuts the network between device and hub at random: a request lost
// before the hub sees it, a response lost after the hub committed, a
// request delivered twice, and an older request delivered again after
// newer ones (reordered).
type faulty struct {
	inner http.Handler
	mu    sync.Mutex
	rng   *rand.Rand
	p     float64
	old   []*http.Request
	olds  [][]byte
	count map[string]int
}

func (f *faulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	clone := func(src *http.Request, b []byte) *http.Request {
		c := src.Clone(context.Background())
		c.Body = io.NopCloser(bytes.NewReader(b))
		return c
	}
	f.mu.Lock()
	fault := "none"
	if f.rng.Float64() < f.p {
		fault = []string{"lost-request", "lost-response", "duplicate", "reorder"}[f.rng.IntN(4)]
	}
	var replay *http.Request
	if fault == "reorder" && len(f.old) > 0 {
		i := f.rng.IntN(len(f.old))
		replay = clone(f.old[i], f.olds[i])
	}
	if r.URL.Path == wire.PathPush {
		f.old = append(f.old, r)
		f.olds = append(f.olds, body)
	}
	f.count[fault]++
	f.mu.Unlock()
	cut := func() {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	}
	switch fault {
	case "lost-request":
		cut()
	case "lost-response":
		f.inner.ServeHTTP(httptest.NewRecorder(), clone(r, body))
		cut()
	case "duplicate":
		f.inner.ServeHTTP(httptest.NewRecorder(), clone(r, body))
		f.inner.ServeHTTP(w, clone(r, body))
	case "reorder":
		if replay != nil {
			f.inner.ServeHTTP(httptest.NewRecorder(), replay)
		}
		f.inner.ServeHTTP(w, clone(r, body))
	default:
		f.inner.ServeHTTP(w, clone(r, body))
	}
}

// syncUntil reruns a sync cut by faults until it completes.
func syncUntil(t *testing.T, b *store.Book, url, token string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		_, err := client.Sync(context.Background(), b, url, token, client.WithBatch(100), client.WithRetries(0))
		if err == nil {
			return
		}
	}
	t.Fatal("sync never completed")
}

func exactlyOnce(t *testing.T, th *testHub, community string, books ...*store.Book) {
	t.Helper()
	ids := th.logIDs(community)
	uniq := slices.Clone(ids)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	if len(uniq) != len(ids) {
		t.Fatalf("hub log has %d ops but %d distinct", len(ids), len(uniq))
	}
	for i, b := range books {
		if got := allOps(t, b); !slices.Equal(got, uniq) {
			t.Fatalf("device %d has %d ops, hub %d", i, len(got), len(uniq))
		}
	}
	for i := 1; i < len(books); i++ {
		sameViews(t, books[0], books[i])
	}
}

// A sync cut at random points, then rerun, ends with every operation
// exactly once on the hub and on every device.
func TestSyncCutAtRandom(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		for seed := uint64(1); seed <= 4; seed++ {
			th := newHub(t, hs)
			f := &faulty{rng: rand.New(rand.NewPCG(seed, 7)), p: 0.35, count: map[string]int{}}
			th.wrap = func(h http.Handler) http.Handler { f.inner = h; return f }
			th.start("127.0.0.1:0")
			t.Cleanup(th.kill)
			tokA, tokB := th.enroll("示例社区", false), th.enroll("示例社区", false)
			a, b := newBook(t, true), newBook(t, false)
			if _, err := a.Store().Apply(fixture.Cases(300, fixture.Options{Seed: seed, Now: time.Now().Add(-time.Hour)})...); err != nil {
				t.Fatal(err)
			}
			syncUntil(t, a, th.URL, tokA)
			syncUntil(t, b, th.URL, tokB)
			for i := range 20 {
				addCase(t, a, "甲"+string(rune('a'+i)))
				addCase(t, b, "乙"+string(rune('a'+i)))
			}
			syncUntil(t, a, th.URL, tokA)
			syncUntil(t, b, th.URL, tokB)
			syncUntil(t, a, th.URL, tokA)
			f.p = 0
			doSync(t, a, th, tokA)
			doSync(t, b, th, tokB)
			exactlyOnce(t, th, "示例社区", a, b)
			t.Logf("seed %d faults: %v", seed, f.count)
		}
	})
}

// The hub killed in the middle of a sync (connections cut, the process
// gone) and restarted: the rerun resumes and ends with every op once.
func TestHubKilledMidSync(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tok := th.enroll("示例社区", false)
		a := newBook(t, true)
		if _, err := a.Store().Apply(fixture.Cases(1500, fixture.Options{Seed: 9, Now: time.Now().Add(-time.Hour)})...); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 3))
		for round := 0; round < 6; round++ {
			done := make(chan error, 1)
			url := th.URL // restart rewrites th.URL (to the same address) while the sync runs
			go func() {
				_, err := client.Sync(context.Background(), a, url, tok, client.WithBatch(200), client.WithRetries(0))
				done <- err
			}()
			time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
			th.restart()
			<-done
			if round%2 == 1 {
				addCase(t, a, "新增")
			}
		}
		doSync(t, a, th, tok)
		b := newBook(t, false)
		doSync(t, b, th, th.enroll("示例社区", false))
		exactlyOnce(t, th, "示例社区", a, b)
	})
}
