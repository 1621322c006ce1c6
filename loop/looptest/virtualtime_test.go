package looptest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// realTimeMark starts the doc-comment line of a test that runs on real
// time on purpose.
const realTimeMark = "Real time, on purpose:"

// timedCalls are the calls that make a loop wait for time to pass.
var timedCalls = map[string]bool{
	"Sleep": true, "SleepValue": true, "CallLater": true, "CallAt": true,
	"WaitFor": true, "WaitForFunc": true, "Timeout": true, "TimeoutAt": true,
}

// TestExamplesRunOnVirtualTime enforces the project's rule that examples
// involving time run on virtual time, so that go test ./... never waits on
// the wall clock for them: every Example function of the module that makes
// a timed call (Sleep, CallLater, WaitFor, ...) must use package looptest,
// and so must every golden test under examples/. A test that must run on
// real time (one that drives a real process with a real signal, say) says
// so and why in its doc comment, in a line starting with realTimeMark.
func TestExamplesRunOnVirtualTime(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		underExamples := strings.HasPrefix(filepath.ToSlash(rel), "examples/")
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Recv != nil {
				continue
			}
			golden := underExamples && strings.HasPrefix(fn.Name.Name, "Test") && fn.Name.Name != "TestMain"
			if !strings.HasPrefix(fn.Name.Name, "Example") && !golden || realTime(fn) {
				continue
			}
			timed, virtual := false, false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if timedCalls[n.Sel.Name] {
						timed = true
					}
					if id, ok := n.X.(*ast.Ident); ok && id.Name == "looptest" {
						virtual = true
					}
				}
				return true
			})
			checked++
			if (timed || golden) && !virtual {
				t.Errorf("%s: %s does not run on virtual time (use looptest.New or loop.WithClock(looptest.NewClock()))",
					fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("found no Example functions: is the module root ../..?")
	}
}

// realTime reports whether fn's doc comment has a line starting with
// realTimeMark.
func realTime(fn *ast.FuncDecl) bool {
	if fn.Doc == nil {
		return false
	}
	for _, line := range strings.Split(fn.Doc.Text(), "\n") {
		if strings.HasPrefix(line, realTimeMark) {
			return true
		}
	}
	return false
}
