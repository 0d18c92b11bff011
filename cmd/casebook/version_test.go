package main

import (
	"bytes"
	"testing"

	"casebook/cmd/internal/version"
)

// TestVersionFlag: --version prints the build's version (the release
// script stamps it; .ci/release-check checks the stamped binaries).
func TestVersionFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--version"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if want := "casebook version " + version.String() + "\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
