package hub_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"casebook/sync/wire"
)

// emptyOpsBomb is a push of n empty operations, gzipped: 15 million make a
// 43 KB body that unpacks to 45 MB.
func emptyOpsBomb(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"ops":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("{}")
	}
	b.WriteString("]}")
	return gz(b.Bytes())
}

// A small gzip push that unpacks to millions of empty operations is refused
// having decoded only the first few thousand: it took 13.5 s and 1.27 GB.
// The figure checked is what the hub allocated for it (no timing: a hang
// fails at go test's timeout).
func TestPushBombStopsAtTheLimit(t *testing.T) {
	e := newEnv(t, stores[0].open(t))
	bomb := emptyOpsBomb(15_000_000)
	t.Logf("bomb: %d KB", len(bomb)>>10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	status, werr, _ := e.post(wire.PathPush, bomb, map[string]string{"Content-Encoding": "gzip"})
	runtime.ReadMemStats(&after)
	if status != http.StatusRequestEntityTooLarge || werr == nil || werr.Code != wire.CodeTooLarge {
		t.Fatalf("bomb: %d %v", status, werr)
	}
	if !strings.Contains(werr.Message, "operations") {
		t.Errorf("message %q does not say why", werr.Message)
	}
	// The client, the server and the test share the process: all of it
	// counts, and it is still a few MB, not the 45 MB body or the 360 MB of
	// 15 million slice headers.
	if alloc := (after.TotalAlloc - before.TotalAlloc) >> 20; alloc > 32 {
		t.Errorf("the hub allocated %d MB for a %d KB bomb", alloc, len(bomb)>>10)
	}
}

// The push reader stops where the first limit is passed, whatever comes
// after: it does not read the rest of the stream.
func TestReadPushStopsReading(t *testing.T) {
	for name, body := range map[string]string{
		"ops":       `{"ops":[` + strings.Repeat(`{},`, 10_000_000) + `{}]}`,
		"one op":    `{"ops":["` + strings.Repeat("x", 40<<20) + `"]}`,
		"other key": `{"x":"` + strings.Repeat("x", 40<<20) + `"}`,
		"batch":     `{"batch":"` + strings.Repeat("x", 40<<20) + `"}`,
	} {
		r := &countingReader{r: strings.NewReader(body)}
		_, err := wire.ReadPush(r, "")
		if err == nil || !strings.Contains(err.Error(), wire.ErrTooLarge.Error()) {
			t.Errorf("%s: %v", name, err)
		}
		if r.n > wire.MaxDecodedBytes+64<<10 {
			t.Errorf("%s: read %d MB", name, r.n>>20)
		}
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// dribble opens a push with the given token that sends its body one byte
// at a time, slowly, until stop is closed; it returns the status the hub
// answered with (0 if it had not answered by then).
func dribble(t *testing.T, addr, token, epoch string, stop <-chan struct{}, status chan<- int) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		status <- -1
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n%s: %d\r\n%s: %s\r\nContent-Length: 1000000\r\n\r\n",
		wire.PathPush, token, wire.HeaderProtocol, wire.Protocol, wire.HeaderEpoch, epoch)
	got := make(chan int, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			got <- 0
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case s := <-got:
			status <- s
			return
		case <-stop:
			status <- 0
			return
		case <-tick.C:
			if _, err := conn.Write([]byte(" ")); err != nil {
				status <- <-got
				return
			}
		}
	}
}

// Eight connections dribbling push bodies with one valid token held every
// worker, and a device of another community waited 58 s (503 after 30 s).
// Now bodies are read before a worker is taken, and one token has at most
// two requests running: the others are refused at once, and another
// community's push goes through.
func TestDribblingDeviceStallsNoOne(t *testing.T) {
	e := newEnv(t, stores[0].open(t))
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	stop := make(chan struct{})
	statuses := make(chan int, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); dribble(t, addr, e.token, e.st.Epoch(), stop, statuses) }()
	}
	// Six are refused at once (503, busy); two keep dribbling.
	for range 6 {
		if s := <-statuses; s != http.StatusServiceUnavailable {
			t.Errorf("a dribbling push beyond the token's limit: %d", s)
		}
	}
	other, _, err := e.h.Enroll("另一个社区", false, "")
	if err != nil {
		t.Fatal(err)
	}
	o := &env{t: t, st: e.st, h: e.h, srv: e.srv, token: other}
	start := time.Now()
	status, werr, _ := o.post(wire.PathPush, gz(pushBody(goodOps(t, 50)...)), map[string]string{"Content-Encoding": "gzip"})
	if status != http.StatusOK {
		t.Fatalf("another community's push while one device dribbles: %d %v", status, werr)
	}
	t.Logf("another community's push took %v", time.Since(start))
	close(stop)
	wg.Wait()
}

// The hub's clip cut Chinese in half at 40 bytes.
func TestErrorsClipAtCharacters(t *testing.T) {
	e := newEnv(t, stores[0].open(t))
	ops := goodOps(t, 1)
	var op map[string]any
	_ = json.Unmarshal(ops[0], &op)
	op["origin"] = strings.Repeat("设备", 10) // 60 bytes, valid for Validate
	op["hlc"] = map[string]any{"w": time.Now().Add(time.Hour).UnixMilli(), "l": 0}
	raw, _ := json.Marshal(op)
	status, werr, _ := e.post(wire.PathPush, pushBody(raw), nil)
	if status == http.StatusOK || werr == nil {
		t.Fatalf("an op an hour ahead: %d", status)
	}
	for _, s := range []string{werr.Message, werr.Origin, werr.Op} {
		// Cut in half, a character arrives as U+FFFD (JSON replaces it).
		if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
			t.Errorf("a character cut in half: %q", s)
		}
	}
}
