package command

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestRun: success is exit 0; a failure is exit 1 and one line naming the
// command path; a group without a known subcommand fails; control
// characters never reach the terminal.
func TestRun(t *testing.T) {
	tree := func(so, se io.Writer) *cobra.Command {
		root := &cobra.Command{Use: "tool"}
		ok := &cobra.Command{Use: "ok", RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := so.Write([]byte("名字\x1b[31m\n"))
			return err
		}}
		bad := &cobra.Command{Use: "bad", RunE: func(*cobra.Command, []string) error {
			return errors.New("first line\n  second\tline")
		}}
		root.AddCommand(Group("grp", "a group", ok, bad))
		return root
	}
	for _, c := range []struct {
		args       []string
		code       int
		out, errln string
	}{
		{[]string{"grp", "ok"}, ExitOK, `名字\u001b[31m` + "\n", ""},
		{[]string{"grp", "bad"}, ExitError, "", "tool: grp bad: first line second line\n"},
		{[]string{"grp", "nope"}, ExitError, "", `tool: grp: unknown command "nope" (see tool grp --help)` + "\n"},
	} {
		var out, errb bytes.Buffer
		code := Run(c.args, &out, &errb, func(so, se io.Writer) *cobra.Command { return tree(so, se) })
		if code != c.code || out.String() != c.out || errb.String() != c.errln {
			t.Errorf("%v: %d %q %q", c.args, code, out.String(), errb.String())
		}
	}
	var b bytes.Buffer
	e := SafeOutput(&b)
	full := []byte("甲\x07乙")
	for _, p := range [][]byte{full[:1], full[1:5], full[5:]} { // 甲 split across writes
		_, _ = e.Write(p)
	}
	e.Flush()
	if !strings.Contains(b.String(), "甲") || strings.ContainsRune(b.String(), '\a') {
		t.Errorf("escaped %q", b.String())
	}
}
