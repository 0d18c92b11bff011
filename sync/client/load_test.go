//go:build loadtest

package client_test

// The load test: a hub in a second process on 127.0.0.1 and 50 devices
// syncing at once (25 communities, two devices each: a first sync of 1,000
// cases each, then rounds of edits), bounded to a few minutes; it reports
// the hub process's peak memory and fails above 500 MB.
//
//	go test -tags loadtest -run Load50 -v ./sync/client/

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/client"
	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/internal/fixture"
)

const hubEnv = "CASEBOOK_LOADTEST_HUB_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(hubEnv); dir != "" {
		os.Exit(serveChild(dir))
	}
	os.Exit(m.Run())
}

// serveChild is the hub process: it serves until stdin closes.
func serveChild(dir string) int {
	st, err := hubbolt.Open(dir)
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	defer st.Close()
	h := hub.New(st, hub.Options{})
	defer h.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() { _, _ = bufio.NewReader(os.Stdin).ReadString('\n'); stop() }()
	err = h.Serve(ctx, hub.ServeConfig{Addr: "127.0.0.1:0", AdminDir: dir, Ready: func(a net.Addr) { fmt.Println("ADDR", a.String()) }})
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	return 0
}

func rssKB(pid int, field string) int {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, field+":") {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return 0
}

func TestLoad50Devices(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), hubEnv+"="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ADDR ") {
		t.Fatalf("hub process: %q %v", line, err)
	}
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "ADDR "))
	admin, err := hub.DialAdmin(dir)
	if err != nil {
		t.Fatal(err)
	}
	const devices, casesEach, rounds = 50, 1000, 5
	books := make([]*store.Book, devices)
	tokens := make([]string, devices)
	for i := range devices {
		community := fmt.Sprintf("社区%02d", i/2)
		if tokens[i], _, err = admin.Enroll(community, false, ""); err != nil {
			t.Fatal(err)
		}
		b, _ := store.NewBook(store.NewMemory(), "", nil)
		if _, err := b.Store().Apply(fixture.Cases(casesEach, fixture.Options{Seed: uint64(i), Now: time.Now().Add(-time.Hour)})...); err != nil {
			t.Fatal(err)
		}
		books[i] = b
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var peak int
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if kb := rssKB(cmd.Process.Pid, "VmRSS"); kb > peak {
				peak = kb
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var pushed, pulled, syncs int
	var firstErr error
	for i := range devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r <= rounds; r++ {
				if r > 0 {
					sums := books[i].Store().Summaries()
					for j := range 20 {
						_, _ = books[i].SetFields(sums[(r*20+j)%len(sums)].ID, map[string]string{casebook.FieldHandler: fmt.Sprintf("网格员%d", j)})
					}
				}
				res, err := client.Sync(ctx, books[i], url, tokens[i])
				mu.Lock()
				syncs++
				pushed += res.Pushed
				pulled += res.Pulled
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	<-sampled
	hwm := rssKB(cmd.Process.Pid, "VmHWM")
	if firstErr != nil {
		t.Fatalf("sync: %v", firstErr)
	}
	t.Logf("%d devices, %d syncs in %v: %d ops pushed, %d pulled; hub RSS peak %.0f MB (sampled), high-water mark %.0f MB",
		devices, syncs, elapsed.Round(time.Millisecond), pushed, pulled, float64(peak)/1024, float64(hwm)/1024)
	if hwm > 500*1024 {
		t.Errorf("hub memory %d MB, over 500 MB", hwm/1024)
	}
	// Every device of a community ends with the same cases.
	for i := 0; i < devices; i += 2 {
		if _, err := client.Sync(ctx, books[i], url, tokens[i]); err != nil {
			t.Fatal(err)
		}
		if a, b := len(books[i].Store().Summaries()), len(books[i+1].Store().Summaries()); a != b || a != 2*casesEach {
			t.Errorf("community %d: %d and %d cases", i/2, a, b)
		}
	}
}
