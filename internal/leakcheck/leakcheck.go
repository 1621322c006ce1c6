// Package leakcheck fails tests that leave goroutines behind: a loop that
// closed must have stopped every task coroutine and worker it started.
package leakcheck

import (
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// TB is the part of testing.TB that leakcheck uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Check records the goroutines running now and, when the test ends, fails
// it if others are still running (after giving exiting goroutines a moment
// to finish). Tests that use it must not run in parallel with others.
func Check(t TB) {
	t.Helper()
	before := ids()
	t.Cleanup(func() {
		t.Helper()
		if extra := Extra(before); len(extra) > 0 {
			t.Errorf("leakcheck: %d goroutine(s) left behind:\n%s", len(extra), strings.Join(extra, "\n\n"))
		}
	})
}

// Main is for TestMain: it runs the tests, then fails the binary if
// goroutines other than the test runner's own are left.
func Main(m *testing.M) int {
	code := m.Run()
	if code != 0 {
		return code
	}
	if extra := Extra(nil); len(extra) > 0 {
		println("leakcheck: goroutines left behind after all tests:\n" + strings.Join(extra, "\n\n"))
		return 1
	}
	return 0
}

// Extra returns the stacks of goroutines that are not in before and are not
// the runtime's or the testing package's own, waiting up to a second for
// goroutines that are on their way out.
func Extra(before map[string]bool) []string {
	deadline := time.Now().Add(time.Second)
	for {
		var extra []string
		for id, stack := range stacks() {
			if before[id] || benign(stack) {
				continue
			}
			extra = append(extra, stack)
		}
		if len(extra) == 0 || time.Now().After(deadline) {
			sort.Strings(extra)
			return extra
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func ids() map[string]bool {
	m := map[string]bool{}
	for id := range stacks() {
		m[id] = true
	}
	return m
}

func stacks() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	m := map[string]string{}
	self := ""
	for i, g := range strings.Split(string(buf), "\n\n") {
		id, _, _ := strings.Cut(g, " [")
		if i == 0 {
			self = id // the goroutine calling stacks
			continue
		}
		m[id] = g
	}
	delete(m, self)
	return m
}

func benign(stack string) bool {
	for _, s := range []string{
		"testing.(*T).Run(",
		"testing.(*M).",
		"testing.tRunner(",
		"testing.runFuzzing(",
		"os/signal.signal_recv",
		"runtime.ensureSigM",
		"created by runtime.gc",
		"runtime.MHeap_Scavenger",
		"testing.(*F).Fuzz",
	} {
		if strings.Contains(stack, s) && !strings.Contains(stack, "goasyncio") {
			return true
		}
	}
	return false
}
