package task_test

import (
	"testing"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// A loop closed with tasks still suspended unwinds their bodies (deferred
// calls run) and leaves no goroutine behind.
func TestCloseAbandonsPendingTasks(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var unwound []string
	var awaitErr error
	for _, name := range []string{"a", "b"} {
		task.Spawn(l, func(c *task.Coro) (int, error) {
			defer func() {
				unwound = append(unwound, name)
				awaitErr = c.Yield() // an await during unwinding fails at once
			}()
			c.Sleep(1e9)
			t.Errorf("task %s resumed after its loop closed", name)
			return 0, nil
		})
	}
	finished := task.Spawn(l, func(c *task.Coro) (int, error) { return 1, nil })
	l.CallLater(1, l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	if !finished.Done() {
		t.Fatal("finished task is not done")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if len(unwound) != 2 {
		t.Errorf("unwound = %v, want both bodies unwound", unwound)
	}
	if awaitErr != task.ErrAbandoned {
		t.Errorf("await while unwinding = %v, want ErrAbandoned", awaitErr)
	}
}
