package task_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func TestWaitFor(t *testing.T) {
	runCombTable(t, []combCase{{
		name: "completes_first",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			fut := future.New[string](l)
			l.CallLater(30*ms, func() { fut.SetResult("v") })
			v, err := task.WaitFor(c, time.Hour, fut)
			r.log("main: -> %s", v)
			return err
		},
		want: []string{"30ms main: -> v"},
	}, {
		name: "timeout_waits_for_cleanup",
		main: func(c *task.Coro, r *combRec) error {
			it := task.Spawn(c.Loop(), func(c *task.Coro) (any, error) {
				err := c.Sleep(time.Second)
				r.log("inner: %s, cleaning up", fmtErr(err))
				c.Sleep(20 * ms)
				r.log("inner: cleaned up")
				return nil, err
			})
			_, err := task.WaitFor(c, 100*ms, it)
			r.log("main: %s inner cancelled=%t", fmtErr(err), it.Cancelled())
			return nil
		},
		want: []string{
			"100ms inner: Cancelled, cleaning up",
			"120ms inner: cleaned up",
			"120ms main: Timeout(cause=Cancelled) inner cancelled=true",
		},
	}, {
		name: "inner_swallows_cancel",
		main: func(c *task.Coro, r *combRec) error {
			v, err := task.WaitForFunc(c, 50*ms, func(c *task.Coro) (string, error) {
				if err := c.Sleep(time.Second); err != nil {
					r.log("inner: swallowing the cancellation")
					return "kept", nil
				}
				return "", nil
			})
			r.log("main: -> %s", v)
			r.log("main: cancelling=%d", c.Task().Cancelling())
			return err
		},
		want: []string{
			"50ms inner: swallowing the cancellation",
			"50ms main: -> kept",
			"50ms main: cancelling=0",
		},
	}, {
		name: "inner_fails_while_cancelled",
		main: func(c *task.Coro, r *combRec) error {
			_, err := task.WaitForFunc(c, 50*ms, func(c *task.Coro) (any, error) {
				if err := c.Sleep(time.Second); err != nil {
					return nil, valueError("cleanup failed")
				}
				return nil, nil
			})
			return err
		},
		want: []string{"50ms main: ValueError(cleanup failed)"},
	}, {
		name: "outer_cancelled_while_waiting",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			it := task.Spawn(l, func(c *task.Coro) (any, error) {
				err := c.Sleep(time.Second)
				r.log("inner: %s", fmtErr(err))
				c.Sleep(10 * ms)
				r.log("inner: cleaned up")
				return nil, err
			})
			w := task.Spawn(l, func(c *task.Coro) (any, error) { return task.WaitFor(c, 500*ms, it) })
			c.Sleep(20 * ms)
			r.log("main: cancel waiter")
			w.Cancel("outer")
			err := c.Await(w)
			r.log("main: waiter %s inner cancelled=%t", fmtErr(err), it.Cancelled())
			return nil
		},
		want: []string{
			"20ms main: cancel waiter",
			"20ms inner: Cancelled",
			"30ms inner: cleaned up",
			"30ms main: waiter Cancelled(outer) inner cancelled=true",
		},
	}, {
		// 3.11's wait_for loses the cancellation when the inner future is
		// done by the time the waiting task wakes up.
		name: "outer_cancelled_inner_done_same_iteration",
		main: func(c *task.Coro, r *combRec) error {
			fut := future.New[int](c.Loop())
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { return task.WaitFor(c, 10*time.Second, fut) })
			c.Yield()
			fut.SetResult(1)
			w.Cancel()
			v, err := task.Await(c, w)
			if err != nil {
				return err
			}
			r.log("main: waiter -> %d cancelled=%t cancelling=%d", v, w.Cancelled(), w.Cancelling())
			return nil
		},
		want: []string{"0ms main: waiter -> 1 cancelled=false cancelling=1"},
	}, {
		// Task names differ from CPython's (Task-26 there: its counter is
		// per process, ours per loop).
		name: "timeout_none_runs_inline",
		main: func(c *task.Coro, r *combRec) error {
			c.Task().SetName("main")
			v, err := task.WaitForFunc(c, task.NoTimeout, func(c *task.Coro) (string, error) {
				r.log("body: in %s", c.Task().Name())
				return "inline", c.Sleep(10 * ms)
			})
			if err != nil {
				return err
			}
			r.log("main: -> %s", v)
			v, err = task.WaitForFunc(c, time.Second, func(c *task.Coro) (string, error) {
				r.log("body: in %s", c.Task().Name())
				return "task", nil
			})
			r.log("main: -> %s", v)
			return err
		},
		want: []string{
			"0ms body: in main",
			"10ms main: -> inline",
			"10ms body: in Task-2",
			"10ms main: -> task",
		},
	}, {
		name: "zero_timeout",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			for _, d := range []time.Duration{0, -time.Second} {
				_, err := task.WaitForFunc(c, d, func(c *task.Coro) (any, error) {
					r.log("body: RAN")
					return nil, nil
				})
				r.log("main: coroutine d=%d: %s", d/time.Second, fmtErr(err))
			}
			failed := future.New[int](l)
			failed.SetException(valueError("early"))
			_, err := task.WaitFor(c, 0, failed)
			r.log("main: failed future: %s", fmtErr(err))
			gone := future.New[int](l)
			gone.Cancel("gone")
			_, err = task.WaitFor(c, 0, gone)
			r.log("main: cancelled future: %s", fmtErr(err))
			pending := future.New[int](l)
			_, err = task.WaitFor(c, 0, pending)
			r.log("main: pending future: %s cancelled=%t", fmtErr(err), pending.Cancelled())
			return nil
		},
		want: []string{
			"0ms main: coroutine d=0: Timeout(cause=Cancelled)",
			"0ms main: coroutine d=-1: Timeout(cause=Cancelled)",
			"0ms main: failed future: ValueError(early)",
			"0ms main: cancelled future: Cancelled(gone)",
			"0ms main: pending future: Timeout(cause=Cancelled) cancelled=true",
		},
	}, {
		// Cancelled by someone else, the inner's cancellation is not
		// turned into a timeout.
		name: "inner_cancelled_by_other",
		main: func(c *task.Coro, r *combRec) error {
			fut := future.New[int](c.Loop())
			c.Loop().CallLater(10*ms, func() { fut.Cancel("other") })
			_, err := task.WaitFor(c, time.Second, fut)
			return err
		},
		want: []string{"10ms main: Cancelled(other)"},
	}, {
		// Cancelled inside _cancel_and_wait, wait_for stops waiting: the
		// inner task's clean-up goes on after wait_for returned.
		name: "outer_cancelled_during_cancel_and_wait",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			it := task.Spawn(l, func(c *task.Coro) (any, error) {
				err := c.Sleep(time.Second)
				r.log("inner: cleanup starts")
				if err := c.Sleep(50 * ms); err != nil {
					r.log("inner: cleanup cancelled again?")
					return nil, err
				}
				r.log("inner: cleanup done")
				return nil, err
			})
			w := task.Spawn(l, func(c *task.Coro) (any, error) { return task.WaitFor(c, 10*ms, it) })
			c.Sleep(20 * ms)
			r.log("main: cancel waiter during the clean-up")
			w.Cancel()
			err := c.Await(w)
			r.log("main: waiter %s inner done=%t", fmtErr(err), it.Done())
			c.Sleep(100 * ms)
			r.log("main: inner done=%t cancelled=%t", it.Done(), it.Cancelled())
			return nil
		},
		want: []string{
			"10ms inner: cleanup starts",
			"20ms main: cancel waiter during the clean-up",
			"20ms main: waiter Cancelled inner done=false",
			"60ms inner: cleanup done",
			"120ms main: inner done=true cancelled=true",
		},
	}, {
		// A one-hour timeout elapses at once on virtual time.
		name: "one_hour_timeout",
		main: func(c *task.Coro, r *combRec) error {
			_, err := task.WaitForFunc(c, time.Hour, func(c *task.Coro) (any, error) {
				return nil, c.Sleep(10 * time.Hour)
			})
			return err
		},
		want: []string{"3600000ms main: Timeout(cause=Cancelled)"},
	}})
}

// The timeout error satisfies context.DeadlineExceeded and not
// context.Canceled; its cause is the inner's cancellation.
func TestWaitForTimeoutError(t *testing.T) {
	leakcheck.Check(t)
	_, err := task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		return task.WaitForFunc(c, time.Millisecond, func(c *task.Coro) (int, error) {
			return 0, c.Sleep(time.Second)
		})
	})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Errorf("err = %v: want DeadlineExceeded and not Canceled", err)
	}
	var te *future.TimeoutError
	if !errors.As(err, &te) || !future.IsCancelled(te.Cause) {
		t.Errorf("err = %#v: want a *future.TimeoutError caused by a cancellation", err)
	}
}

func TestWaitForMisuse(t *testing.T) {
	leakcheck.Check(t)
	other := looptest.New()
	defer other.Close()
	foreign := future.New[int](other)
	l := looptest.New()
	var outside *task.Coro
	var errs []error
	task.RunOn(l, func(c *task.Coro) (any, error) {
		_, err := task.WaitFor(c, time.Second, foreign)
		errs = append(errs, err)
		_, err = task.WaitFor(c, 0, foreign)
		errs = append(errs, err)
		other := task.Spawn(l, func(c *task.Coro) (any, error) { outside = c; return nil, c.Sleep(time.Second) })
		c.Yield()
		// Another task's Coro: rejected before anything is scheduled.
		_, err = task.WaitForFunc(outside, time.Second, func(*task.Coro) (int, error) {
			t.Error("body ran from another task's WaitForFunc")
			return 0, nil
		})
		errs = append(errs, err)
		_, err = task.WaitForFunc(outside, task.NoTimeout, func(*task.Coro) (int, error) {
			t.Error("inline body ran from another task's WaitForFunc")
			return 0, nil
		})
		errs = append(errs, err)
		other.Cancel()
		return nil, nil
	})
	want := []error{future.ErrOtherLoop, future.ErrOtherLoop, task.ErrNotInTask, task.ErrNotInTask}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d", len(errs), len(want))
	}
	for i, err := range errs {
		if !errors.Is(err, want[i]) {
			t.Errorf("misuse %d: err = %v, want %v", i, err, want[i])
		}
	}
}
