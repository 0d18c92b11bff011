package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "8fac10d5e1b2c3d4e5f60718293a4b5c6d7e8f90"}
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"installed module", debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{rev}}, "v1.2.0"},
		{"clean checkout", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{rev, {Key: "vcs.modified", Value: "false"}}}, "dev-8fac10d5e1b2"},
		{"edited checkout", debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.modified", Value: "true"}, rev}}, "dev-8fac10d5e1b2-dirty"},
		{"short revision", debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}}, "dev-abc"},
		{"no vcs (-buildvcs=false)", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := fromBuildInfo(&tc.info); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestStampWins(t *testing.T) {
	old := stamp
	defer func() { stamp = old }()
	stamp = " v2.0.1 "
	if got := String(); got != "v2.0.1" {
		t.Errorf("stamped build: got %q", got)
	}
	stamp = ""
	if got := String(); got == "" {
		t.Error("unstamped build: empty version")
	}
}
