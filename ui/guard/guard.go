// Package guard is the user interface's net under its callbacks: a panic
// in a function the interface hands to Fyne (a button's tap, an entry's
// change, a dialog's answer, a list row's update, work handed back with
// fyne.Do) is caught in that function instead of ending the program and
// taking the screen, and whatever the user typed on it, with it.
//
// The cause is still a bug to fix; the net only keeps a slip from costing
// the user their work. A caught panic is logged with where it was caught,
// the kind of failure and the stack (function names and raw argument
// words, never the panic's own text, which might quote a resident's name
// or phone), and reported to the function set with OnPanic, which the
// application uses to say, in the user's language, that something went
// wrong and that nothing they typed was lost.
//
// Every callback in ui/ goes through Func, Func1, Func2 or Go; a test
// (TestCallbacksGuarded in package ui) reads the source and fails on one
// that does not.
package guard

import (
	"fmt"
	"log"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
)

var (
	mu       sync.Mutex
	reporter func(where string)
	logf     = log.Printf
)

// OnPanic sets the function told, on the goroutine that caught it, where a
// panic was caught (a source location such as "caseform.go:245"); nil
// stops the telling. The function must not panic itself (if it does, that
// panic is logged and dropped).
func OnPanic(f func(where string)) {
	mu.Lock()
	reporter = f
	mu.Unlock()
}

// Func returns fn guarded: a panic in it is caught, logged and reported.
// It returns nil for a nil fn, so that optional callbacks stay optional.
func Func(fn func()) func() {
	if fn == nil {
		return nil
	}
	where := caller()
	return func() {
		defer recovered(where)
		fn()
	}
}

// Func1 is Func for a callback with one argument (an entry's new text, a
// check's state, a selected row, a dialog's answer).
func Func1[T any](fn func(T)) func(T) {
	if fn == nil {
		return nil
	}
	where := caller()
	return func(v T) {
		defer recovered(where)
		fn(v)
	}
}

// Func2 is Func for a callback with two arguments (a list row's update).
func Func2[A, B any](fn func(A, B)) func(A, B) {
	if fn == nil {
		return nil
	}
	where := caller()
	return func(a A, b B) {
		defer recovered(where)
		fn(a, b)
	}
}

// Go runs fn on a new goroutine, guarded: a panic in background work (a
// sync, an import, opening a file) is caught there too.
func Go(fn func()) {
	where := caller()
	go func() {
		defer recovered(where)
		fn()
	}()
}

// caller is the source location of the call to Func, Func1, Func2 or Go.
func caller() string {
	_, file, line, ok := runtime.Caller(2)
	if !ok {
		return "unknown"
	}
	return filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file) + ":" + strconv.Itoa(line)
}

// recovered catches a panic, if any, logs it and reports it.
func recovered(where string) {
	v := recover()
	if v == nil {
		return
	}
	logf("ui: caught a panic in the callback made at %s: %s\n%s", where, describe(v), debug.Stack())
	mu.Lock()
	f := reporter
	mu.Unlock()
	if f != nil {
		func() {
			defer func() {
				if v := recover(); v != nil {
					logf("ui: the panic report itself panicked: %s", describe(v))
				}
			}()
			f(where)
		}()
	}
}

// describe names a panic without quoting what it carries: a runtime error
// (nil dereference, index out of range) says only what went wrong and
// where in memory, so its text is kept; anything else is named by type.
func describe(v any) string {
	if re, ok := v.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("a panic of type %T", v)
}
