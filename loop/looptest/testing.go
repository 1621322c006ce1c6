package looptest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
)

// NewT returns a loop on a new auto-jumping virtual clock (New) that belongs
// to the test t:
//
//   - the loop is closed in t.Cleanup (closing it earlier, as task.RunOn
//     does, is fine);
//   - the test fails if the loop's exception handler was called: a panic in
//     a callback, a task or future error nobody retrieved (reported when
//     the loop closes), an error during shutdown. A test that expects such
//     a call installs its own handler with SetExceptionHandler;
//   - the test fails if goroutines started after NewT outlive it (task
//     bodies, executor workers): tests using NewT must not call t.Parallel;
//   - if the test fails and the loop perturbs its order
//     (loop.WithPerturbation), the seed is logged, to replay the run.
//
// opts are applied after the virtual clock, so loop.WithClock can replace it
// (with a NewManualClock, say). NewT works inside testing/synctest bubbles.
// Call it on the test's goroutine.
func NewT(t testing.TB, opts ...loop.Option) *loop.Loop {
	t.Helper()
	leakcheck.Check(t) // registered first, so it runs after the loop is closed
	l := New(opts...)
	var reports []loop.ExceptionContext
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		reports = append(reports, ctx)
	})
	t.Cleanup(func() {
		t.Helper()
		if err := l.Close(); err != nil {
			t.Errorf("looptest: closing the test's loop: %v", err)
		}
		for _, ctx := range reports {
			t.Errorf("looptest: exception handler called: %s", describe(ctx))
		}
		if seed, ok := l.PerturbationSeed(); ok && t.Failed() {
			t.Logf("looptest: the loop ran with loop.WithPerturbation(%d); the same seed replays the same order", seed)
		}
	})
	return l
}

// describe formats an exception context on one line.
func describe(ctx loop.ExceptionContext) string {
	parts := []string{ctx.Message}
	if ctx.Err != nil {
		parts = append(parts, "error: "+ctx.Err.Error())
	}
	if ctx.Task != nil {
		parts = append(parts, fmt.Sprint("task: ", ctx.Task))
	}
	if ctx.Future != nil {
		parts = append(parts, fmt.Sprint("future: ", ctx.Future))
	}
	return strings.Join(parts, "; ")
}

// CheckTrace compares the events r recorded with want, a golden list of
// lines in the form Event.String prints ("1s worker await sleep 1s"). On a
// mismatch it fails the test with a cmp.Diff and the whole trace, numbered,
// and returns false. Call it after the loop has stopped.
func CheckTrace(t testing.TB, r *loop.Recorder, want []string) bool {
	t.Helper()
	if diff := cmp.Diff(want, r.Lines()); diff != "" {
		t.Errorf("trace differs (-want +got):\n%s\nfull trace:\n%s", diff, r)
		return false
	}
	return true
}

// ForSeeds runs fn as the subtests "seed=0", "seed=1", ... "seed=n-1", each
// with its seed for loop.WithPerturbation. A failing subtest names its
// seed, and `go test -run 'TestName/seed=17$'` replays it exactly.
func ForSeeds(t *testing.T, n int, fn func(t *testing.T, seed uint64)) {
	t.Helper()
	for i := range n {
		seed := uint64(i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { fn(t, seed) })
	}
}
