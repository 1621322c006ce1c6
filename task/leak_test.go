package task_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
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

// A loop closed after many tasks finished (more idle coroutines than the
// pool keeps) and with tasks that never started leaves no goroutine behind,
// and the bodies that never started never run.
func TestCloseAfterManyTasksAndUnstarted(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	_, err := task.RunOn(l, func(c *task.Coro) (int, error) {
		var ts []*task.Task[int]
		for range 1000 { // all suspended at once: 1000 coroutines
			ts = append(ts, task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { return 1, c.Yield() }))
		}
		for _, t := range ts {
			if _, err := task.Await(c, t); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}

	l = looptest.New()
	ran := false
	task.Spawn(l, func(c *task.Coro) (int, error) { ran = true; return 0, nil })
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Error("a task that never started ran its body when the loop closed")
	}
}

// A panic in a deferred call of a body being unwound at Close goes to the
// exception handler instead of vanishing; the other bodies are still
// unwound.
func TestPanicWhileUnwoundIsReported(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var reports []string
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		reports = append(reports, fmt.Sprintf("%s: %v", ctx.Message, ctx.Err))
	})
	unwound := false
	task.Spawn(l, func(c *task.Coro) (int, error) {
		defer func() { panic("boom in a deferred call") }()
		return 0, c.Sleep(1e9)
	}, task.WithName("A"))
	task.Spawn(l, func(c *task.Coro) (int, error) {
		defer func() { unwound = true }()
		return 0, c.Sleep(1e9)
	})
	l.CallLater(1, l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"task A: panic while its body was unwound (the loop closed while the task was pending): panic: boom in a deferred call"}
	if diff := cmp.Diff(want, reports); diff != "" {
		t.Errorf("exception handler calls (-want +got):\n%s", diff)
	}
	if !unwound {
		t.Error("the second body was not unwound")
	}
}
