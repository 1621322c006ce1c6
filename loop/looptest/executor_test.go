package looptest_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// TestExecutorHoldsVirtualTime: work handed to an executor counts as busy,
// so a one-second timeout on virtual time does not fire while a minute of
// (bubble) real work is under way: the executor's bridge holds the loop.
func TestExecutorHoldsVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := looptest.NewT(t)
		start := l.Time()
		v, err := task.RunOn(l, func(c *task.Coro) (string, error) {
			return task.WaitForFunc(c, time.Second, func(c *task.Coro) (string, error) {
				return executor.ToThread(c, func(context.Context) (string, error) {
					time.Sleep(time.Minute) // slow work on a pool goroutine
					return "done", nil
				})
			})
		})
		if v != "done" || err != nil {
			t.Errorf("ToThread under a 1s timeout = %q, %v; want done, nil", v, err)
		}
		if got := l.Time().Sub(start); got != 0 {
			t.Errorf("loop time advanced by %v while the work was out, want 0", got)
		}
	})
}
