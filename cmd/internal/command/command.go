// Package command is the command-line plumbing the two commands share
// (casebook and casebook-district): running a cobra command tree with one
// error line on stderr and an exit code, command groups, and output that
// never sends a control character to the terminal. Each command file
// builds its cobra commands; this package runs them the same way in both.
package command

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"casebook/casebook"
)

// Exit codes.
const (
	ExitOK    = 0 // the command did everything it was asked
	ExitError = 1 // it did nothing (bad input, a refused step, a locked file…): one line on stderr says why
)

// Run builds the command tree with build (given the outputs the commands
// must print to), executes it on args and returns the exit code. A failure
// prints one line: "NAME: SUBCOMMAND: what went wrong".
//
// Everything printed passes through SafeOutput: a control character stored
// in a casebook or hub (from a sheet, a peer, an old version) or typed in
// an argument is shown escaped, never sent to the terminal raw.
func Run(args []string, stdout, stderr io.Writer, build func(stdout, stderr io.Writer) *cobra.Command) int {
	so, se := SafeOutput(stdout), SafeOutput(stderr)
	defer so.Flush()
	defer se.Flush()
	root := build(so, se)
	root.SetArgs(args)
	root.SetOut(so)
	root.SetErr(se)
	root.SilenceErrors, root.SilenceUsage = true, true
	cmd, err := root.ExecuteC()
	if err != nil {
		fmt.Fprintln(se, ErrorLine(cmd, err))
		return ExitError
	}
	return ExitOK
}

// ErrorLine formats an error as one line, prefixed with the command path:
// "casebook: case add: …".
func ErrorLine(cmd *cobra.Command, err error) string {
	prefix := "?"
	if cmd != nil {
		prefix = cmd.Root().Name()
		if p := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()); strings.TrimSpace(p) != "" {
			prefix += ":" + p
		}
	}
	return prefix + ": " + strings.Join(strings.Fields(err.Error()), " ")
}

// Group makes a command that only holds subcommands: without one it shows
// its help, and an unknown one is an error (cobra would show the help and
// succeed).
func Group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q (see %s --help)", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	c.AddCommand(subs...)
	return c
}

// Escaper is a writer that shows control characters escaped
// (casebook.EscapeControls). A character split across two writes is held
// back until the rest arrives, so it is not mistaken for invalid UTF-8.
type Escaper struct {
	w    io.Writer
	held []byte
}

// SafeOutput wraps w in an Escaper; Flush it when done.
func SafeOutput(w io.Writer) *Escaper { return &Escaper{w: w} }

func (e *Escaper) Write(p []byte) (int, error) {
	buf := append(e.held, p...)
	cut := len(buf)
	// Hold back an incomplete last character (at most 3 bytes).
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	e.held = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(e.w, casebook.EscapeControls(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is held back.
func (e *Escaper) Flush() {
	if len(e.held) > 0 {
		_, _ = io.WriteString(e.w, casebook.EscapeControls(string(e.held)))
		e.held = nil
	}
}
