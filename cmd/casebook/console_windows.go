//go:build windows

package main

import (
	"os"
	"syscall"
)

// The Windows build is a GUI program (linked with -H windowsgui), so that
// the Start-menu shortcut opens the window and no console beside it. Such a
// program has no console of its own: started with a subcommand from cmd.exe
// or PowerShell, it attaches to the console it was started from, so that
// what it prints and its errors show there. Output redirected to a file or
// a pipe already has a handle and is left alone.
func init() {
	if len(os.Args) < 2 {
		return
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return // started without a console (Explorer, a shortcut)
	}
	if noHandle(syscall.Stdout) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if noHandle(syscall.Stderr) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
}

func noHandle(h syscall.Handle) bool { return h == 0 || h == syscall.InvalidHandle }
