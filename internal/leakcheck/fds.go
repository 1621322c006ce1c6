package leakcheck

import (
	"os"
	"testing"
)

// CheckFDs records the process's open file descriptors now and, when the
// test ends, fails it for every descriptor opened since and still open (a
// socket, a loop's epoll or eventfd). It skips the test where
// /proc/self/fd does not exist.
func CheckFDs(t testing.TB) {
	t.Helper()
	before := openFDs(t)
	t.Cleanup(func() {
		for fd := range openFDs(t) {
			if !before[fd] {
				target, _ := os.Readlink("/proc/self/fd/" + fd)
				t.Errorf("leakcheck: descriptor %s (%s) left open", fd, target)
			}
		}
	})
}

func openFDs(t testing.TB) map[string]bool {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	m := map[string]bool{}
	for _, e := range ents {
		m[e.Name()] = true
	}
	return m
}
