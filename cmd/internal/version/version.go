// Package version says which build of Casebook is running, for
// `casebook --version`, `casebook-district --version`, the app's About dialog
// and the 说明 sheet of an exported workbook.
//
// The release script (.ci/release) stamps the version into the binaries:
//
//	go build -ldflags "-X casebook/cmd/internal/version.stamp=v1.2.0" ./cmd/casebook
//
// A plain `go build` or `go run` is not stamped; it then reports the module
// version `go install` recorded, else the commit the Go toolchain recorded
// (dev-<12 hex>[-dirty]), else "dev".
package version

import (
	"runtime/debug"
	"strings"
)

// stamp is set by the linker (-X); empty in an unstamped build.
var stamp string

// String is the version of this build.
func String() string {
	if s := strings.TrimSpace(stamp); s != "" {
		return s
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return fromBuildInfo(info)
}

// fromBuildInfo derives a version from what the Go toolchain recorded: the
// main module's version when it was built as a module (go install
// casebook/cmd/casebook@v1.2.0), else the VCS revision, else "dev".
func fromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev-" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}
