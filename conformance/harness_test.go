package conformance

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A Case is the Go port of one CPython program in testdata/: it prints its
// trace to p.
type Case func(p *P)

var (
	casesMu sync.Mutex
	cases   = map[string]Case{}
)

// register adds the port of testdata/<stem>.py. Each case file calls it from
// an init function.
func register(stem string, c Case) {
	casesMu.Lock()
	defer casesMu.Unlock()
	if _, dup := cases[stem]; dup {
		panic("conformance: case registered twice: " + stem)
	}
	cases[stem] = c
}

var update = flag.Bool("update-go-golden", false, "rewrite testdata/*.go.expected (documented deviations only)")

// TestConformance runs every ported case and compares its trace byte for
// byte with CPython's (testdata/<stem>.expected). A case whose Go trace
// deviates for a documented reason has testdata/<stem>.go.expected and
// testdata/<stem>.deviation (the reason); the Go golden is compared then.
func TestConformance(t *testing.T) {
	stems, err := filepath.Glob("testdata/*.py")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(stems)
	for _, py := range stems {
		stem := strings.TrimSuffix(filepath.Base(py), ".py")
		t.Run(stem, func(t *testing.T) {
			c, ok := cases[stem]
			if !ok {
				t.Fatalf("%s.py has no Go port: add case_%s_test.go", stem, stem[:3])
			}
			golden := "testdata/" + stem + ".expected"
			if _, err := os.Stat("testdata/" + stem + ".go.expected"); err == nil || *update {
				if _, err := os.Stat("testdata/" + stem + ".deviation"); err != nil {
					t.Fatalf("%s.go.expected needs a %s.deviation file giving the reason", stem, stem)
				}
				golden = "testdata/" + stem + ".go.expected"
			}
			p := &P{}
			c(p)
			got := p.out.Bytes()
			if *update && strings.HasSuffix(golden, ".go.expected") {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("trace differs from %s (-want +got):\n%s", golden,
					cmp.Diff(lines(want), lines(got)))
			}
		})
	}
	for stem := range cases {
		if _, err := os.Stat("testdata/" + stem + ".py"); err != nil {
			t.Errorf("case %s has no testdata/%s.py", stem, stem)
		}
	}
}

func lines(b []byte) []string { return strings.SplitAfter(string(b), "\n") }

// P collects a case's trace.
type P struct {
	mu  sync.Mutex
	out bytes.Buffer
}

// Print writes its arguments as Python's print() does: str() of each,
// separated by spaces, then a newline.
func (p *P) Print(args ...any) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = Str(a)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.WriteString(strings.Join(parts, " ") + "\n")
}

// Printf writes a formatted line; the format should end with "\n".
func (p *P) Printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(&p.out, format, args...)
}
