package casebook

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCoreHasNoIO keeps the domain core pure: no Fyne, no database, no
// files or network of its own, so every rule is testable without them.
func TestCoreHasNoIO(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	forbiddenDirect := []string{"os", "io/fs", "io/ioutil", "net", "net/http", "path/filepath", "os/exec", "syscall"}
	for _, imp := range strings.Fields(string(out)) {
		for _, f := range forbiddenDirect {
			if imp == f {
				t.Errorf("casebook imports %s", imp)
			}
		}
	}
	deps, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, d := range strings.Fields(string(deps)) {
		for _, f := range []string{"fyne.io/", "go.etcd.io/bbolt", "github.com/xuri/excelize"} {
			if strings.HasPrefix(d, f) {
				t.Errorf("casebook depends on %s", d)
			}
		}
	}
}
