package main

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casebook/sync/client"
)

// The failover test needs a primary with a synchronous standby and a way to
// kill the one and promote the other: .ci/failover.sh test sets these up.
const (
	envFailoverURL     = "CASEBOOK_FAILOVER_URL"     // multi-host, target_session_attrs=read-write
	envFailoverCmd     = "CASEBOOK_FAILOVER_CMD"     // kills the primary, promotes the standby
	envRequireFailover = "CASEBOOK_REQUIRE_FAILOVER" // a missing setup fails rather than skips
)

// The primary dies in the middle of syncs from six devices through two hub
// processes (behind one address), and the standby is promoted: the hubs
// find the new primary through their multi-host connection string, every
// device's sync finishes without an error, the devices converge, and the
// hub's log holds every operation exactly once, with no gap in the
// sequence; the views catch up.
//
//	bash .ci/failover.sh test
func TestFailover(t *testing.T) {
	storeURL, failCmd := os.Getenv(envFailoverURL), os.Getenv(envFailoverCmd)
	if storeURL == "" || failCmd == "" {
		if os.Getenv(envRequireFailover) != "" {
			t.Fatalf("%s is set but %s or %s is not", envRequireFailover, envFailoverURL, envFailoverCmd)
		}
		t.Skip("failover not tested: run bash .ci/failover.sh test")
	}
	if _, stderr, code := runCLI(t, "tokens", "--store", storeURL); code != 0 { // make the tables
		t.Fatal(stderr)
	}
	hubs := []*hubProc{serveProcess(t, 0, storeURL), serveProcess(t, 1, storeURL)}
	lb := newBalancer(t, hubs)
	devs := newDevices(t, storeURL, []string{"东风社区", "西湖社区", "南山社区"}, 300)
	total := 0
	for _, d := range devs {
		total += len(d.opIDs(t))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// Kill the primary once the hub holds a third of the operations.
	type failover struct {
		held int64     // operations on the hub when the primary was killed
		at   time.Time // when the standby was promoted
	}
	failed := make(chan failover, 1)
	go func() {
		conn, err := pgx.Connect(ctx, storeURL)
		if err != nil {
			t.Error(err)
			failed <- failover{}
			return
		}
		var held int64
		for held*3 < int64(total) && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
			_ = conn.QueryRow(ctx, `SELECT coalesce(sum(head), 0) FROM hub_communities`).Scan(&held)
		}
		_ = conn.Close(context.Background())
		out, err := exec.CommandContext(ctx, "sh", "-c", failCmd).CombinedOutput()
		if err != nil {
			t.Errorf("failover: %v: %s", err, out)
		}
		failed <- failover{held, time.Now()}
	}()
	var wg sync.WaitGroup
	errs := make([]error, len(devs))
	ends := make([]time.Time, len(devs))
	for i, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Small batches: many requests, some in flight when the primary dies.
			_, errs[i] = client.Sync(ctx, d.book, lb.url, d.token, client.WithBatch(100))
			ends[i] = time.Now()
		}()
	}
	wg.Wait()
	fo := <-failed
	for i, err := range errs {
		if err != nil {
			t.Errorf("device %s: %v", devs[i].name, err)
		}
	}
	running := 0
	for _, e := range ends {
		if e.After(fo.at) {
			running++
		}
	}
	t.Logf("primary killed with %d of %d operations on the hub, %d of %d syncs still running; requests per hub: %d %d",
		fo.held, total, running, len(devs), lb.hits[0].Load(), lb.hits[1].Load())
	if fo.held >= int64(total) || running == 0 {
		t.Error("the primary was not killed in the middle of the syncs")
	}
	if t.Failed() {
		t.FailNow()
	}
	// Everything reaches everyone, through the new primary.
	syncAll(t, ctx, devs, lb.url)
	syncAll(t, ctx, devs, lb.url)
	logs := converged(t, devs)
	hubsCaughtUp(t, storeURL, logs, devs)
}
