package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/sync/client"
	"casebook/sync/hub/hubpg"
)

// A city's hub: several `casebook-district serve` processes on one
// PostgreSQL database. The processes are this test binary run again as
// the real command (TestMain, childEnv), each listening on 127.0.0.1.

// childEnv holds the JSON command line of a child process that runs the
// command instead of the tests.
const childEnv = "CASEBOOK_DISTRICT_CHILD_ARGS"

func TestMain(m *testing.M) {
	if raw := os.Getenv(childEnv); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(run(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// stretch is a stretch of a community's log a hub replayed into views, as
// its log says ("views brought up to date").
type stretch struct {
	hub       int
	community string
	from, to  uint64
}

// hubProc is a running hub process.
type hubProc struct {
	n   int
	cmd *exec.Cmd
	url string

	mu        sync.Mutex
	stretches []stretch
	tail      []string // its last log lines, for a failure's message
}

// serveProcess starts `casebook-district serve --store STORE` on a free port
// and waits until it listens; it is stopped (SIGTERM) when the test ends.
func serveProcess(t *testing.T, n int, storeURL string) *hubProc {
	t.Helper()
	args, _ := json.Marshal([]string{"serve", "--store", storeURL, "--addr", "127.0.0.1:0", "--log-format", "json"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(args))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &hubProc{n: n, cmd: cmd}
	ready := make(chan string, 1)
	go p.read(stderr, ready)
	t.Cleanup(func() { p.stop(t) })
	select {
	case addr := <-ready:
		if addr == "" {
			t.Fatalf("hub %d did not start: %s", n, p.lastLines())
		}
		p.url = "http://" + addr
	case <-time.After(time.Minute):
		t.Fatalf("hub %d did not start within a minute: %s", n, p.lastLines())
	}
	return p
}

// read follows the hub's JSON log: its address, the stretches it replays.
func (p *hubProc) read(r interface{ Read([]byte) (int, error) }, ready chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sent := false
	for sc.Scan() {
		var l struct {
			Msg       string `json:"msg"`
			Addr      string `json:"addr"`
			Community string `json:"community"`
			From, To  uint64
		}
		_ = json.Unmarshal(sc.Bytes(), &l)
		p.mu.Lock()
		p.tail = append(p.tail, sc.Text())
		if len(p.tail) > 20 {
			p.tail = p.tail[1:]
		}
		if l.Msg == "views brought up to date" {
			p.stretches = append(p.stretches, stretch{p.n, l.Community, l.From, l.To})
		}
		p.mu.Unlock()
		if l.Msg == "hub listening" && !sent {
			ready <- l.Addr
			sent = true
		}
	}
	if !sent {
		ready <- ""
	}
}

func (p *hubProc) lastLines() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

func (p *hubProc) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("hub %d: %v\n%s", p.n, err, p.lastLines())
		}
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("hub %d did not stop on SIGTERM", p.n)
	}
}

// device is one casebook syncing to the hub.
type device struct {
	name, community, token string
	book                   *store.Book
}

// newDevices enrolls two devices for each community through the admin
// command (straight to the database, hubs running); the first of each
// holds a demo casebook of cases appeals, the second starts empty.
func newDevices(t *testing.T, storeURL string, communities []string, cases int) []*device {
	t.Helper()
	var out []*device
	for i, c := range communities {
		for j := range 2 {
			tok, stderr, code := runCLI(t, "enroll", "--store", storeURL, "--community", c, "--note", fmt.Sprintf("设备%d", j+1))
			if code != 0 {
				t.Fatalf("enroll: %s", stderr)
			}
			book, err := store.NewBook(store.NewMemory(), fmt.Sprintf("书记%d", j+1), nil)
			if err != nil {
				t.Fatal(err)
			}
			if j == 0 {
				if _, err := demo.Generate(book, demo.Options{Community: c, Seed: int64(i + 1), Cases: cases, Now: time.Now().Add(-time.Minute)}); err != nil {
					t.Fatal(err)
				}
			}
			out = append(out, &device{name: fmt.Sprintf("%s/%d", c, j+1), community: c, token: strings.TrimSpace(tok), book: book})
		}
	}
	return out
}

// edit makes a few edits on the device, as its user would between syncs.
func (d *device) edit(round int) {
	sums := d.book.Store().Summaries()
	for k := range min(5, len(sums)) {
		s := sums[(round*7+k*13)%len(sums)]
		_, _ = d.book.SetFields(s.ID, map[string]string{casebook.FieldHandler: fmt.Sprintf("网格员%d-%s", round, d.name)})
	}
}

// rawLog is the device's operation log, as its store holds it.
func (d *device) opIDs(t *testing.T) []string {
	t.Helper()
	rr, ok := d.book.Store().(interface {
		RawOpsSince(seq uint64, limit int) ([]json.RawMessage, uint64, error)
	})
	if !ok {
		t.Fatal("the device's store has no raw log")
	}
	var ids []string
	for seq := uint64(0); ; {
		raws, last, err := rr.RawOpsSince(seq, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(raws) == 0 {
			break
		}
		for _, raw := range raws {
			var h struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(raw, &h)
			ids = append(ids, h.ID)
		}
		seq = last
	}
	slices.Sort(ids)
	return ids
}

// summaries is the device's case list, as JSON, in id order.
func (d *device) summaries(t *testing.T) string {
	sums := d.book.Store().Summaries()
	slices.SortFunc(sums, func(a, b *casebook.Summary) int { return strings.Compare(a.ID, b.ID) })
	raw, err := json.Marshal(sums)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// balancer is what a district puts in front of its hub processes: one
// address, each request sent to the next hub in turn, so that one sync's
// hello, pushes and pulls land on different hubs. (A device keys its sync
// state by the hub's address: behind one address it keeps its cursor
// whichever process answers.)
type balancer struct {
	url  string
	next atomic.Uint64
	hits []atomic.Int64
}

func newBalancer(t *testing.T, hubs []*hubProc) *balancer {
	t.Helper()
	lb := &balancer{hits: make([]atomic.Int64, len(hubs))}
	targets := make([]*url.URL, len(hubs))
	for i, h := range hubs {
		u, err := url.Parse(h.url)
		if err != nil {
			t.Fatal(err)
		}
		targets[i] = u
	}
	srv := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		n := int(lb.next.Add(1) % uint64(len(targets)))
		lb.hits[n].Add(1)
		r.SetURL(targets[n])
	}})
	t.Cleanup(srv.Close)
	lb.url = srv.URL
	return lb
}

// syncAll syncs every device once at the same time, through hubURL, and
// fails the test on any error.
func syncAll(t *testing.T, ctx context.Context, devs []*device, hubURL string, opts ...client.Option) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(devs))
	for i, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = client.Sync(ctx, d.book, hubURL, d.token, opts...)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("device %s: %v", devs[i].name, err)
		}
	}
}

// converged checks that both devices of each community hold the same log
// and the same cases, and returns each community's op ids.
func converged(t *testing.T, devs []*device) map[string][]string {
	t.Helper()
	logs := map[string][]string{}
	for i := 0; i < len(devs); i += 2 {
		a, b := devs[i], devs[i+1]
		ia, ib := a.opIDs(t), b.opIDs(t)
		if !slices.Equal(ia, ib) {
			t.Errorf("%s: the two devices hold %d and %d operations", a.community, len(ia), len(ib))
		}
		if a.summaries(t) != b.summaries(t) {
			t.Errorf("%s: the two devices show different cases", a.community)
		}
		logs[a.community] = ia
	}
	return logs
}

// hubsCaughtUp waits (at most two minutes) until no community's views are
// behind its log, then checks the hub's log and views against the
// devices': every operation once, every case in the views.
func hubsCaughtUp(t *testing.T, storeURL string, logs map[string][]string, devs []*device) {
	t.Helper()
	st, err := hubpg.Open(storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		due, err := st.Pending(0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("views still behind after two minutes: %v", due)
		}
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for c, ids := range logs {
		rows, _ := conn.Query(ctx, `SELECT id FROM hub_ops WHERE community = $1 ORDER BY id`, c)
		hubIDs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		head, err := st.Head(c)
		if err != nil || head != uint64(len(hubIDs)) || !slices.Equal(hubIDs, ids) {
			t.Errorf("%s: the hub's log has %d rows (head %d, %v), the devices %d operations; same ids: %v",
				c, len(hubIDs), head, err, len(ids), slices.Equal(hubIDs, ids))
		}
		_, sums, err := st.Views(c)
		var want int
		for _, d := range devs {
			if d.community == c {
				want = len(d.book.Store().Summaries())
			}
		}
		if err != nil || len(sums) != want {
			t.Errorf("%s: the hub's views hold %d cases (%v), the devices %d", c, len(sums), err, want)
		}
	}
}

// tiled checks that the hubs replayed each community's log exactly once:
// the stretches they logged follow on from 0 to the head, none twice.
func tiled(t *testing.T, hubs []*hubProc, logs map[string][]string) {
	t.Helper()
	byCommunity := map[string][]stretch{}
	perHub := make([]int, len(hubs))
	for _, h := range hubs {
		h.mu.Lock()
		for _, s := range h.stretches {
			byCommunity[s.community] = append(byCommunity[s.community], s)
			perHub[h.n] += int(s.to - s.from)
		}
		h.mu.Unlock()
	}
	for c, ids := range logs {
		ss := byCommunity[c]
		slices.SortFunc(ss, func(a, b stretch) int { return int(a.from) - int(b.from) })
		at := uint64(0)
		for _, s := range ss {
			if s.from != at {
				t.Errorf("%s: hub %d replayed %d..%d, after %d: a stretch replayed twice or skipped", c, s.hub, s.from, s.to, at)
			}
			at = s.to
		}
		if at != uint64(len(ids)) {
			t.Errorf("%s: replayed up to %d of %d", c, at, len(ids))
		}
	}
	t.Logf("operations replayed into views by each hub: %v", perHub)
}

// Three hub processes serve one database behind one address that sends
// each request to the next: six devices of three communities sync at once,
// with edits in between, and converge; the hub's log holds every operation
// once and its views every case, each stretch of each log replayed by
// exactly one hub. An enrollment made while the hubs run holds at every
// hub, and so does a revocation, at once; an epoch made anew is announced
// by every hub.
func TestThreeHubsOneDatabase(t *testing.T) {
	storeURL := pgStoreURL(t)
	if _, stderr, code := runCLI(t, "tokens", "--store", storeURL); code != 0 { // make the tables
		t.Fatal(stderr)
	}
	hubs := []*hubProc{serveProcess(t, 0, storeURL), serveProcess(t, 1, storeURL), serveProcess(t, 2, storeURL)}
	lb := newBalancer(t, hubs)
	devs := newDevices(t, storeURL, []string{"东风社区", "西湖社区", "南山社区"}, 120)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	for round := range 4 {
		if round > 0 {
			for _, d := range devs {
				d.edit(round)
			}
		}
		syncAll(t, ctx, devs, lb.url, client.WithBatch(200))
	}
	// Two more rounds: everything reaches everyone.
	syncAll(t, ctx, devs, lb.url)
	syncAll(t, ctx, devs, lb.url)
	t.Logf("requests per hub: %d %d %d", lb.hits[0].Load(), lb.hits[1].Load(), lb.hits[2].Load())
	logs := converged(t, devs)
	hubsCaughtUp(t, storeURL, logs, devs)
	tiled(t, hubs, logs)

	// A revocation holds at every hub at once.
	if _, stderr, code := runCLI(t, "revoke", "--store", storeURL, devs[1].token); code != 0 {
		t.Fatal(stderr)
	}
	for _, h := range hubs {
		if _, err := client.Sync(ctx, devs[1].book, h.url, devs[1].token); !errors.Is(err, client.ErrRevoked) {
			t.Errorf("revoked device through hub %d: %v", h.n, err)
		}
	}
	// A new epoch (a restored database): every hub announces the same one,
	// so a device sends everything again once, not at each hub it meets.
	conn, err := pgx.Connect(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM hub_meta WHERE key = 'epoch'`); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close(ctx)
	time.Sleep(3500 * time.Millisecond) // the hubs read the epoch again every 3 s
	var epoch string
	for i := range 4 {
		res, err := client.Sync(ctx, devs[2].book, lb.url, devs[2].token)
		if err != nil {
			t.Fatalf("sync %d after the new epoch: %v", i, err)
		}
		if i == 0 {
			epoch = res.Epoch
			if !res.Reset {
				t.Error("the first sync after a new epoch did not send everything again")
			}
		} else if res.Epoch != epoch || res.Reset {
			t.Errorf("sync %d: epoch %s (reset %v), the first was told %s", i, res.Epoch, res.Reset, epoch)
		}
	}
}
