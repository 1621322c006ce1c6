package executor_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder collects an event trace from any goroutine.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

func (r *recorder) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// check compares the trace with want.
func (r *recorder) check(t *testing.T, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, r.get()); diff != "" {
		t.Errorf("trace differs (-want +got):\n%s", diff)
	}
}
