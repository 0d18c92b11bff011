package hubpg_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casebook/casebook"
	"casebook/sync/hub/hubpg"
	"casebook/sync/hub/hubstore"
	"casebook/sync/internal/fixture"
	"casebook/sync/internal/pgtest"
)

// These tests hold the PostgreSQL store to what several hubs on one
// database, and a failover, need of it; sync/hub/contract_test.go holds it
// to the behaviours it shares with the bbolt store. They need a database
// (CASEBOOK_HUB_PG; see sync/internal/pgtest).

func open(t testing.TB, url string, opts ...hubpg.Option) *hubpg.Store {
	t.Helper()
	st, err := hubpg.Open(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// exec runs SQL on the database at url.
func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
}

// count runs a query that returns one number.
func count(t *testing.T, url, sql string, args ...any) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int64
	if err := conn.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// incoming makes a batch the store takes, as the hub's checkOps does.
func incoming(t testing.TB, ops []casebook.Op) []hubstore.Incoming {
	t.Helper()
	out := make([]hubstore.Incoming, len(ops))
	for i := range ops {
		raw, err := json.Marshal(&ops[i])
		if err != nil {
			t.Fatal(err)
		}
		recs, err := ops[i].Records()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = hubstore.Incoming{Op: &ops[i], Raw: raw, Records: recs}
	}
	return out
}

// catchUp materializes a community until done, waiting out ErrBusy.
func catchUp(t *testing.T, st *hubpg.Store, community string) {
	t.Helper()
	for {
		done, err := st.Materialize(community, 1000)
		if errors.Is(err, hubstore.ErrBusy) {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
	}
}

// A database written by the version 1 layout (testdata/v1.sql) is brought
// to version 2 at open, in one transaction, and reads as it did: tokens,
// communities, epoch, logs, views (the summaries moved to hub_case_sums),
// and a community whose views were halfway catches up. No foreign key is
// left.
func TestMigrateFromVersion1(t *testing.T) {
	url := pgtest.URL(t, "hubv1")
	dump, err := os.ReadFile("testdata/v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	exec(t, url, string(dump))
	epoch := regexp.MustCompile(`\('epoch', '([0-9a-f]+)'\)`).FindSubmatch(dump)
	st := open(t, url)
	if st.Epoch() != string(epoch[1]) {
		t.Errorf("epoch %q, the dump's is %q", st.Epoch(), epoch[1])
	}
	if v := count(t, url, `SELECT value::int FROM hub_meta WHERE key = 'version'`); v != hubpg.Version {
		t.Errorf("version %d after open", v)
	}
	if n := count(t, url, `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`); n != 0 {
		t.Errorf("%d foreign keys left", n)
	}
	if n := count(t, url, `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'hub_case_views' AND column_name = 'summary'`); n != 0 {
		t.Error("hub_case_views still has its summary column")
	}
	toks, err := st.Tokens()
	revoked := 0
	for _, tk := range toks {
		if !tk.Revoked.IsZero() {
			revoked++
		}
	}
	if err != nil || len(toks) != 4 || revoked != 1 {
		t.Errorf("tokens: %d (%d revoked) %v", len(toks), revoked, err)
	}
	want := map[string]int{"东风社区": 12, "示例社区": 8}
	for name, cases := range want {
		ops, _, head, err := st.Since(name, 0, 10000, 1<<30)
		if err != nil || uint64(len(ops)) != head || head == 0 {
			t.Fatalf("%s: log %d ops, head %d, %v", name, len(ops), head, err)
		}
		catchUp(t, st, name)
		set, sums, err := st.Views(name)
		if err != nil || len(sums) != cases || set.Community.Name != name {
			t.Fatalf("%s: %d summaries, settings of %q, %v", name, len(sums), set.Community.Name, err)
		}
		// The migrated views are those a replay from the start makes.
		exec(t, url, `DELETE FROM hub_case_views WHERE community = $1`, name)
		exec(t, url, `DELETE FROM hub_case_sums WHERE community = $1`, name)
		exec(t, url, `UPDATE hub_views SET seq = 0, settings = NULL WHERE community = $1`, name)
		catchUp(t, st, name)
		set2, sums2, err := st.Views(name)
		if err != nil || !reflect.DeepEqual(sums, sums2) || !reflect.DeepEqual(set, set2) {
			t.Errorf("%s: migrated views differ from a replay (%v)", name, err)
		}
	}
	// Opening it again changes nothing.
	if st2 := open(t, url); st2.Epoch() != st.Epoch() {
		t.Error("a second open changed the epoch")
	}
}

// Three stores on one database (three hub processes) materialize the same
// communities at once: every stretch of every log is replayed by exactly
// one of them, and the views are whole. Pending lists what is behind, once
// the log has been quiet long enough.
func TestSharedMaterialize(t *testing.T) {
	url := pgtest.URL(t, "hubshared")
	stores := []*hubpg.Store{open(t, url), open(t, url), open(t, url)}
	now := time.Now()
	names := []string{"甲社区", "乙社区", "丙社区", "丁社区"}
	total := 0
	for i, name := range names {
		if _, err := stores[0].AddCommunity(name, now); err != nil {
			t.Fatal(err)
		}
		ops := fixture.Cases(150, fixture.Options{Seed: uint64(i), Now: now.Add(-time.Hour)})
		total += len(ops)
		for j := 0; j < len(ops); j += 200 {
			if _, err := stores[j/200%3].Append(name, incoming(t, ops[j:min(j+200, len(ops))])); err != nil {
				t.Fatal(err)
			}
		}
	}
	if due, err := stores[1].Pending(time.Hour, 100); err != nil || len(due) != 0 {
		t.Errorf("pending with the logs just written: %v %v", due, err)
	}
	if due, err := stores[1].Pending(0, 100); err != nil || len(due) != len(names) {
		t.Errorf("pending: %v %v", due, err)
	}
	var busy atomic.Int64
	var wg sync.WaitGroup
	for _, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left := len(names); left > 0; {
				left = 0
				for _, name := range names {
					done, err := st.Materialize(name, 40)
					if errors.Is(err, hubstore.ErrBusy) {
						busy.Add(1)
						left++
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					if !done {
						left++
					}
				}
			}
		}()
	}
	wg.Wait()
	replayed := stores[0].Replayed() + stores[1].Replayed() + stores[2].Replayed()
	t.Logf("%d ops replayed by three stores (%d, %d, %d); %d times busy", replayed,
		stores[0].Replayed(), stores[1].Replayed(), stores[2].Replayed(), busy.Load())
	if replayed != uint64(total) {
		t.Errorf("%d ops replayed, the logs hold %d", replayed, total)
	}
	for _, name := range names {
		if _, sums, err := stores[2].Views(name); err != nil || len(sums) != 150 {
			t.Errorf("%s: %d summaries, %v", name, len(sums), err)
		}
	}
	if due, err := stores[1].Pending(0, 100); err != nil || len(due) != 0 {
		t.Errorf("pending after: %v %v", due, err)
	}
}

// The epoch is the database's: deleted (a restored database), the next
// hub to look makes a new one and every hub announces that one.
func TestEpochShared(t *testing.T) {
	url := pgtest.URL(t, "hubepoch")
	a, b := open(t, url), open(t, url)
	old := a.Epoch()
	if b.Epoch() != old {
		t.Fatal("two stores on one database, two epochs")
	}
	exec(t, url, `DELETE FROM hub_meta WHERE key = 'epoch'`)
	time.Sleep(3500 * time.Millisecond) // past epochTTL
	ea, eb := a.Epoch(), b.Epoch()
	if ea == old || ea != eb || ea == "" {
		t.Errorf("after the epoch row was deleted: %q and %q (was %q)", ea, eb, old)
	}
	if c := open(t, url); c.Epoch() != ea {
		t.Errorf("a store opened after: %q, the others %q", c.Epoch(), ea)
	}
}

// The store's connections are cut again and again (pg_terminate_backend,
// as a primary that dies does to them) while it appends, reads and
// materializes: every call succeeds once a connection holds, and every
// operation is in the log exactly once, with no gap in the sequence.
func TestConnectionsCut(t *testing.T) {
	url := pgtest.URL(t, "hubcut")
	app := fmt.Sprintf("hubcut%d", time.Now().UnixNano())
	st := open(t, pgtest.WithParam(url, "application_name", app), hubpg.WithFailoverWait(20*time.Second))
	const community = "示例社区"
	if _, err := st.AddCommunity(community, time.Now()); err != nil {
		t.Fatal(err)
	}
	ops := fixture.Cases(400, fixture.Options{Seed: 9, Now: time.Now().Add(-time.Hour)})
	stop := make(chan struct{})
	cut := make(chan int64)
	go func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Error(err)
			close(cut)
			return
		}
		defer conn.Close(ctx)
		var n int64
		for {
			select {
			case <-stop:
				cut <- n
				return
			case <-time.After(100 * time.Millisecond):
			}
			var k int64
			if err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&k); err == nil {
				n += k
			}
		}
	}()
	for i := 0; i < len(ops); i += 50 {
		part := ops[i:min(i+50, len(ops))]
		res, err := st.Append(community, incoming(t, part))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if res.Accepted+res.Duplicates != len(part) {
			t.Fatalf("append %d: %+v", i, res)
		}
		// Sent again, as a device does whose answer was lost: all duplicates.
		if res, err := st.Append(community, incoming(t, part)); err != nil || res.Duplicates != len(part) {
			t.Fatalf("append %d again: %+v %v", i, res, err)
		}
		if _, _, _, err := st.Since(community, uint64(i), 100, 1<<20); err != nil {
			t.Fatalf("since: %v", err)
		}
		if _, err := st.Materialize(community, 100); err != nil && !errors.Is(err, hubstore.ErrBusy) {
			t.Fatalf("materialize: %v", err)
		}
	}
	close(stop)
	t.Logf("%d connections cut", <-cut)
	if n := count(t, url, `SELECT count(DISTINCT id) FROM hub_ops WHERE community = $1`, community); n != int64(len(ops)) {
		t.Errorf("%d distinct ops in the log, %d appended", n, len(ops))
	}
	if n := count(t, url, `SELECT count(*) FROM hub_ops WHERE community = $1`, community); n != int64(len(ops)) {
		t.Errorf("%d rows in the log, %d ops", n, len(ops))
	}
	if head, err := st.Head(community); err != nil || head != uint64(len(ops)) {
		t.Errorf("head %d (%v), %d ops", head, err, len(ops))
	}
	catchUp(t, st, community)
	if _, sums, err := st.Views(community); err != nil || len(sums) != 400 {
		t.Errorf("views: %d %v", len(sums), err)
	}
}

// BenchmarkAppend: the store alone takes the first push of a community of
// CASEBOOK_BENCH_CASES cases (default 20,000), in batches of 2,000
// operations as the client sends them: what the database and the store's
// statements cost, without HTTP, gzip or the hub's checks. Run it on a
// database with fsync on (.ci/postgres.sh start --fsync).
//
//	CASEBOOK_HUB_PG=postgres://… go test -run '^$' -bench Append -benchtime 1x -count 3 ./sync/hub/hubpg/
func BenchmarkAppend(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("CASEBOOK_BENCH_CASES")); err == nil && v > 0 {
		n = v
	}
	ops := fixture.Cases(n, fixture.Options{Seed: 1, Now: time.Now().Add(-time.Hour)})
	ins := incoming(b, ops)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		url := pgtest.URL(b, "hubappend")
		st := open(b, pgtest.WithParam(url, "application_name", "hubappend"))
		if _, err := st.AddCommunity("示例社区", time.Now()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(ins); i += 2000 {
			if _, err := st.Append("示例社区", ins[i:min(i+2000, len(ins))]); err != nil {
				b.Fatal(err)
			}
		}
		d := time.Since(start)
		b.StopTimer()
		b.ReportMetric(pgtest.BackendCPU(b, url, "hubappend"), "pg-cpu-s")
		b.ReportMetric(float64(n)/d.Seconds(), "cases/s")
		b.ReportMetric(float64(len(ins))/d.Seconds(), "ops/s")
	}
}
