package leakcheck

import (
	"os"
	"strings"
	"testing"
)

// fakeTB records errors and runs cleanups on demand.
type fakeTB struct {
	testing.TB
	errs     []string
	cleanups []func()
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Cleanup(fn func())              { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, a ...any) { f.errs = append(f.errs, format) }
func (f *fakeTB) Skipf(format string, a ...any)  { panic("skip") }
func (f *fakeTB) finish() {
	for _, fn := range f.cleanups {
		fn()
	}
}

// TestCheckFDs shows that CheckFDs reports a descriptor left open and is
// quiet once it is closed.
func TestCheckFDs(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	leaky := &fakeTB{}
	CheckFDs(leaky)
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	leaky.finish()
	if len(leaky.errs) != 1 || !strings.Contains(leaky.errs[0], "left open") {
		t.Errorf("CheckFDs with a file left open reported %q, want one descriptor", leaky.errs)
	}
	f.Close()

	clean := &fakeTB{}
	CheckFDs(clean)
	g, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	g.Close()
	clean.finish()
	if len(clean.errs) != 0 {
		t.Errorf("CheckFDs after closing reported %q", clean.errs)
	}
}
