package store

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
)

const crashEnv = "CASEBOOK_CRASH_CHILD_DB"

// TestCrashChild is the child of TestCrash: it writes to a casebook in a
// loop and prints the ids of each batch's ops after Apply returns, until it
// is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestCrash")
	}
	s, err := OpenBolt(path, WithTimeout(5*time.Second))
	if err != nil {
		fmt.Println("open-error", err)
		os.Exit(3)
	}
	a := casebook.Author{Origin: s.Device(), Actor: "child", Clock: casebook.NewClock(nil)}
	if err := a.Clock.Observe(s.LastHLC()); err != nil {
		os.Exit(4)
	}
	out := bufio.NewWriter(os.Stdout)
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
	for i := 0; ; i++ {
		in := sampleInput(i)
		in.Details = strings.Repeat("详细情况。", rng.IntN(200))
		create, err := a.Create(in, nil)
		if err != nil {
			os.Exit(5)
		}
		batch := []casebook.Op{create}
		c := casebook.NewCase(create.Entity)
		_, _ = c.Apply(&create)
		for _, act := range []casebook.Action{casebook.ActRespond, casebook.ActDispatch, casebook.ActResolve}[:rng.IntN(4)] {
			op, err := a.Step(c, casebook.Step{Action: act, To: "物业"})
			if err != nil {
				os.Exit(6)
			}
			_, _ = c.Apply(&op)
			batch = append(batch, op)
		}
		if _, err := s.Apply(batch...); err != nil {
			fmt.Fprintln(out, "apply-error", err)
			out.Flush()
			os.Exit(7)
		}
		for _, op := range batch {
			fmt.Fprintln(out, "op", op.ID)
		}
		out.Flush()
	}
}

// TestCrash kills a writing child with SIGKILL at random moments, then
// checks that the file opens, passes Check, and holds exactly the batches
// the child reported committed (plus at most the one batch it committed
// but was killed before reporting).
func TestCrash(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "js" {
		t.Skip("needs SIGKILL and a re-executable test binary")
	}
	path := tempPath(t, "crash.db")
	rng := rand.New(rand.NewPCG(99, 1))
	var log []string // the op ids in the file after the last round
	rounds := 6
	if testing.Short() {
		rounds = 3
	}
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for the child to have written something, then a random while.
		lines := make(chan string, 1<<16)
		done := make(chan error, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
			done <- sc.Err()
		}()
		var reported []string
		first := true
		deadline := time.After(20 * time.Second)
	wait:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break wait
				}
				if !strings.HasPrefix(l, "op ") {
					t.Fatalf("child: %s", l)
				}
				reported = append(reported, strings.TrimPrefix(l, "op "))
				if first {
					first = false
					time.AfterFunc(time.Duration(10+rng.IntN(250))*time.Millisecond, func() { _ = cmd.Process.Kill() })
				}
			case <-deadline:
				_ = cmd.Process.Kill()
				t.Fatal("child wrote nothing")
			}
		}
		<-done
		_ = cmd.Wait()
		_, _ = io.Copy(io.Discard, stdout)

		s := openTestBolt(t, path)
		if err := s.Check(); err != nil {
			t.Fatalf("round %d: check after kill: %v", round, err)
		}
		var got []string
		for _, op := range allOps(t, s) {
			got = append(got, op.ID)
		}
		s.Close()
		// got = previous log + reported + at most one unreported batch.
		want := append(append([]string{}, log...), reported...)
		if len(got) < len(want) || strings.Join(got[:len(want)], ",") != strings.Join(want, ",") {
			t.Fatalf("round %d: the log (%d ops) does not begin with the %d ops committed before", round, len(got), len(want))
		}
		if extra := len(got) - len(want); extra > 4 {
			t.Fatalf("round %d: %d ops in the log that the child never reported", round, extra)
		}
		t.Logf("round %d: %d ops reported, %d in the log", round, len(reported), len(got))
		log = got
	}
}
