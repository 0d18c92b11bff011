package guard

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// capture replaces the log and the reporter for one test.
func capture(t *testing.T) (logged *strings.Builder, reported *[]string) {
	t.Helper()
	logged = &strings.Builder{}
	reported = &[]string{}
	old := logf
	logf = func(format string, args ...any) { fmt.Fprintf(logged, format, args...) }
	OnPanic(func(where string) { *reported = append(*reported, where) })
	t.Cleanup(func() { logf = old; OnPanic(nil) })
	return logged, reported
}

func TestFuncCatches(t *testing.T) {
	logged, reported := capture(t)
	var m map[string]int
	ran := false
	Func(func() { ran = true; m["x"] = 1 })() // a nil map write: a runtime error
	if !ran || len(*reported) != 1 || !strings.HasPrefix((*reported)[0], "guard/guard_test.go:") {
		t.Fatalf("ran %v, reported %v", ran, *reported)
	}
	if !strings.Contains(logged.String(), "assignment to entry in nil map") || !strings.Contains(logged.String(), "goroutine") {
		t.Fatalf("log: %s", logged)
	}
}

// TestNoPersonalDataLogged: a panic carrying a resident's phone number or
// name is logged by its type, never by its text.
func TestNoPersonalDataLogged(t *testing.T) {
	logged, reported := capture(t)
	Func1(func(s string) { panic("电话 13812345678 张三 " + s) })("x")
	Func2(func(a, b int) { panic(errors.New("张三 13812345678")) })(1, 2)
	if len(*reported) != 2 {
		t.Fatalf("reported %v", *reported)
	}
	for _, secret := range []string{"13812345678", "张三"} {
		if strings.Contains(logged.String(), secret) {
			t.Fatalf("the log quotes %q: %s", secret, logged)
		}
	}
	if !strings.Contains(logged.String(), "a panic of type string") || !strings.Contains(logged.String(), "*errors.errorString") {
		t.Fatalf("log: %s", logged)
	}
}

func TestNilStaysNil(t *testing.T) {
	if Func(nil) != nil || Func1[string](nil) != nil || Func2[int, int](nil) != nil {
		t.Fatal("a nil callback was wrapped")
	}
}

func TestGoCatches(t *testing.T) {
	_, _ = capture(t)
	done := make(chan string, 1)
	OnPanic(func(where string) { done <- where })
	Go(func() { panic("boom") })
	if where := <-done; !strings.HasPrefix(where, "guard/guard_test.go:") {
		t.Fatalf("where %q", where)
	}
}

func TestReporterPanicDropped(t *testing.T) {
	logged, _ := capture(t)
	OnPanic(func(string) { panic("again") })
	Func(func() { panic("once") })()
	if !strings.Contains(logged.String(), "the panic report itself panicked") {
		t.Fatalf("log: %s", logged)
	}
}
