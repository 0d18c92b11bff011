package guard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// A site is a function handed to Fyne without the net: the source range
// of the function expression and the wrapper it needs.
type site struct {
	file       string
	start, end int // byte offsets of the expression
	wrap       string
	line       int
}

// listed is what go list says of a package.
type listed struct {
	ImportPath, Dir, Export string
	GoFiles                 []string
}

// uiPackages type-checks every package under ui/ from source, its imports
// from the compiler's export data (go list -export), and calls visit on
// each.
func uiPackages(t *testing.T, visit func(fset *token.FileSet, files []*ast.File, info *types.Info)) {
	t.Helper()
	cmd := exec.Command("go", "list", "-export", "-deps", "-json=ImportPath,Dir,Export,GoFiles", "casebook/ui/...")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	exports := map[string]string{}
	var ours []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		exports[p.ImportPath] = p.Export
		if (p.ImportPath == "casebook/ui" || strings.HasPrefix(p.ImportPath, "casebook/ui/")) && p.ImportPath != "casebook/ui/guard" {
			ours = append(ours, p)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if e := exports[path]; e != "" {
			return os.Open(e)
		}
		return nil, fmt.Errorf("no export data for %s", path)
	})
	for _, p := range ours {
		var files []*ast.File
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		conf := types.Config{Importer: imp.(types.ImporterFrom)}
		if _, err := conf.Check(p.ImportPath, fset, files, info); err != nil {
			t.Fatalf("type-checking %s: %v", p.ImportPath, err)
		}
		visit(fset, files, info)
	}
}

// fromFyne reports whether obj belongs to a Fyne package.
func fromFyne(obj types.Object) bool {
	return obj != nil && obj.Pkg() != nil && strings.HasPrefix(obj.Pkg().Path(), "fyne.io/")
}

// unguarded returns the wrapper a function expression handed to Fyne
// needs, or "" if it needs none: it is nil, already guarded, or returns
// values (a list's length and row makers build, they do not act).
func unguarded(e ast.Expr, info *types.Info) string {
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return ""
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "guard" {
				return ""
			}
		}
		if ix, ok := call.Fun.(*ast.IndexExpr); ok { // guard.Func1[T](…)
			if sel, ok := ix.X.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "guard" {
					return ""
				}
			}
		}
	}
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil {
		return ""
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() > 0 {
		return ""
	}
	switch sig.Params().Len() {
	case 0:
		return "guard.Func"
	case 1:
		return "guard.Func1"
	case 2:
		return "guard.Func2"
	}
	return "guard.Func?" // none today; add a wrapper when one comes
}

// findSites lists the functions under ui/ handed to Fyne unguarded: as an
// argument of a Fyne function or method, as a value of a Fyne type's field
// (assigned or in a composite literal), and every go statement.
func findSites(t *testing.T) []site {
	var sites []site
	uiPackages(t, func(fset *token.FileSet, files []*ast.File, info *types.Info) {
		add := func(e ast.Expr, wrap string) {
			p, q := fset.Position(e.Pos()), fset.Position(e.End())
			sites = append(sites, site{file: p.Filename, start: p.Offset, end: q.Offset, wrap: wrap, line: p.Line})
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					var obj types.Object
					switch fn := n.Fun.(type) {
					case *ast.SelectorExpr:
						obj = info.Uses[fn.Sel]
					case *ast.Ident:
						obj = info.Uses[fn]
					}
					if fromFyne(obj) {
						for _, arg := range n.Args {
							if w := unguarded(arg, info); w != "" {
								add(arg, w)
							}
						}
					}
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						sel, ok := lhs.(*ast.SelectorExpr)
						if !ok || i >= len(n.Rhs) {
							continue
						}
						if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal && fromFyne(s.Obj()) {
							if w := unguarded(n.Rhs[i], info); w != "" {
								add(n.Rhs[i], w)
							}
						}
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && fromFyne(info.Uses[k]) {
						if w := unguarded(n.Value, info); w != "" {
							add(n.Value, w)
						}
					}
				case *ast.GoStmt:
					p, q := fset.Position(n.Pos()), fset.Position(n.End())
					sites = append(sites, site{file: p.Filename, start: p.Offset, end: q.Offset, wrap: "go", line: p.Line})
				}
				return true
			})
		}
	})
	return sites
}

// TestCallbacksGuarded fails on a function handed to Fyne without the net.
// With CASEBOOK_GUARD_FIX=1 it wraps them instead (and adds the import).
func TestCallbacksGuarded(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks every ui package")
	}
	sites := findSites(t)
	if os.Getenv("CASEBOOK_GUARD_FIX") == "1" {
		fix(t, sites)
		return
	}
	for _, s := range sites {
		if s.wrap == "go" {
			t.Errorf("%s:%d: a go statement: use guard.Go", s.file, s.line)
		} else {
			t.Errorf("%s:%d: a callback handed to Fyne unguarded: wrap it in %s", s.file, s.line, s.wrap)
		}
	}
}

// fix rewrites the files. Each site becomes an insertion at its start and
// one at its end (a go statement also loses its "go " and, for a function
// literal called at once, the call's "()"); they are applied from the end
// of the file backwards so that offsets stay valid, and at one offset the
// outer site's opening goes before the inner's, the inner's closing before
// the outer's.
func fix(t *testing.T, sites []site) {
	type edit struct {
		at, del int
		text    string
		order   int // at equal offsets, higher is applied first (ends up last)
	}
	byFile := map[string][]edit{}
	for _, s := range sites {
		if s.wrap == "go" {
			byFile[s.file] = append(byFile[s.file], edit{at: s.start, del: 3, text: "guard.Go(", order: -s.end})
			continue
		}
		byFile[s.file] = append(byFile[s.file],
			edit{at: s.start, text: s.wrap + "(", order: -s.end},
			edit{at: s.end, text: ")", order: s.start})
	}
	for file, edits := range byFile {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// The ends of go statements depend on their text.
		for _, s := range sites {
			if s.file != file || s.wrap != "go" {
				continue
			}
			body := string(src[s.start+3 : s.end])
			if strings.HasPrefix(body, "func() {") && strings.HasSuffix(body, "}()") {
				edits = append(edits, edit{at: s.end - 2, del: 2, text: ")", order: s.start})
			} else {
				edits = append(edits, edit{at: s.start + 3, text: "func() { ", order: -s.end - 1}, edit{at: s.end, text: " })", order: s.start})
			}
		}
		sort.SliceStable(edits, func(i, j int) bool {
			if edits[i].at != edits[j].at {
				return edits[i].at > edits[j].at
			}
			return edits[i].order > edits[j].order
		})
		out := append([]byte(nil), src...)
		for _, e := range edits {
			out = append(out[:e.at:e.at], append([]byte(e.text), out[e.at+e.del:]...)...)
		}
		s := string(out)
		s = addGuardImport(s)
		formatted, err := format.Source([]byte(s))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := os.WriteFile(file, formatted, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d edits", file, len(edits))
	}
}

// addGuardImport adds the guard package to a file's imports, in the group
// of the project's own packages (made if missing).
func addGuardImport(s string) string {
	const line = "\t\"casebook/ui/guard\"\n"
	if strings.Contains(s, line) {
		return s
	}
	if i := strings.Index(s, "\t\"casebook/"); i >= 0 {
		return s[:i] + line + s[i:]
	}
	start := strings.Index(s, "import (\n")
	end := start + strings.Index(s[start:], "\n)\n")
	return s[:end] + "\n\n" + line[:len(line)-1] + s[end:]
}
