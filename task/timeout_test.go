package task_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// whenStr prints a deadline as the Python twins print cm.when(): None, or
// how far ahead it is.
func whenStr(s *task.TimeoutScope, now time.Time) string {
	if s.When().IsZero() {
		return "None"
	}
	return fmt.Sprintf("in %dms", s.When().Sub(now).Milliseconds())
}

func TestTimeout(t *testing.T) {
	runCombTable(t, []combCase{{
		name: "no_expiry",
		main: func(c *task.Coro, r *combRec) error {
			var cm *task.TimeoutScope
			err := task.Timeout(c, 100*ms, func(s *task.TimeoutScope) error {
				cm = s
				return c.Sleep(30 * ms)
			})
			r.log("main: expired=%t cancelling=%d", cm.Expired(), c.Task().Cancelling())
			if err := c.Sleep(200 * ms); err != nil {
				return err
			}
			r.log("main: the old deadline did not fire")
			return err
		},
		want: []string{
			"30ms main: expired=false cancelling=0",
			"230ms main: the old deadline did not fire",
		},
	}, {
		name: "expiry",
		main: func(c *task.Coro, r *combRec) error {
			var cm *task.TimeoutScope
			err := task.Timeout(c, 50*ms, func(s *task.TimeoutScope) error {
				cm = s
				err := c.Sleep(time.Second)
				r.log("body: %s", fmtErr(err))
				return err
			})
			r.log("main: %s expired=%t cancelling=%d", fmtErr(err), cm.Expired(), c.Task().Cancelling())
			return nil
		},
		want: []string{
			"50ms body: Cancelled",
			"50ms main: Timeout(cause=Cancelled) expired=true cancelling=0",
		},
	}, {
		name: "body_swallows",
		main: func(c *task.Coro, r *combRec) error {
			var cm *task.TimeoutScope
			err := task.Timeout(c, 50*ms, func(s *task.TimeoutScope) error {
				cm = s
				if err := c.Sleep(time.Second); err != nil {
					r.log("body: swallowed")
				}
				if err := c.Sleep(10 * ms); err != nil {
					return err
				}
				r.log("body: goes on")
				return nil
			})
			r.log("main: expired=%t cancelling=%d", cm.Expired(), c.Task().Cancelling())
			return err
		},
		want: []string{
			"50ms body: swallowed",
			"60ms body: goes on",
			"60ms main: expired=true cancelling=0",
		},
	}, {
		name: "nested_inner_fires",
		main: func(c *task.Coro, r *combRec) error {
			err := task.Timeout(c, 300*ms, func(outer *task.TimeoutScope) error {
				var inner *task.TimeoutScope
				err := task.Timeout(c, 50*ms, func(s *task.TimeoutScope) error {
					inner = s
					return c.Sleep(time.Second)
				})
				r.log("outer body: %s inner=%t outer=%t", fmtErr(err), inner.Expired(), outer.Expired())
				return nil
			})
			r.log("main: done")
			return err
		},
		want: []string{
			"50ms outer body: Timeout(cause=Cancelled) inner=true outer=false",
			"50ms main: done",
		},
	}, {
		name: "nested_outer_fires",
		main: func(c *task.Coro, r *combRec) error {
			var outer *task.TimeoutScope
			err := task.Timeout(c, 50*ms, func(s *task.TimeoutScope) error {
				outer = s
				var inner *task.TimeoutScope
				err := task.Timeout(c, 300*ms, func(s *task.TimeoutScope) error {
					inner = s
					return c.Sleep(time.Second)
				})
				r.log("outer body: %s inner=%t", fmtErr(err), inner.Expired())
				return err
			})
			r.log("main: %s outer=%t", fmtErr(err), outer.Expired())
			return nil
		},
		want: []string{
			"50ms outer body: Cancelled inner=false",
			"50ms main: Timeout(cause=Cancelled) outer=true",
		},
	}, {
		// Both fire: the inner one sees a second pending cancellation (the
		// outer's) and lets the CancelledError through; the outer converts.
		name: "nested_same_deadline",
		main: func(c *task.Coro, r *combRec) error {
			when := c.Loop().Time().Add(50 * ms)
			err := task.TimeoutAt(c, when, func(outer *task.TimeoutScope) error {
				var inner *task.TimeoutScope
				err := task.TimeoutAt(c, when, func(s *task.TimeoutScope) error {
					inner = s
					return c.Sleep(time.Second)
				})
				r.log("outer body: %s inner=%t outer=%t", fmtErr(err), inner.Expired(), outer.Expired())
				return err
			})
			r.log("main: %s cancelling=%d", fmtErr(err), c.Task().Cancelling())
			return nil
		},
		want: []string{
			"50ms outer body: Cancelled inner=true outer=true",
			"50ms main: Timeout(cause=Cancelled) cancelling=0",
		},
	}, {
		// A foreign cancel in the same iteration as the expiry: two
		// requests, one withdrawn, so the cancellation propagates.
		name: "foreign_cancel_with_expiry",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			var cm *task.TimeoutScope
			err := task.Timeout(c, 10*time.Second, func(s *task.TimeoutScope) error {
				cm = s
				s.Reschedule(c.Loop().Time())
				me.Cancel("foreign")
				return c.Yield()
			})
			r.log("main: %s expired=%t cancelling=%d", fmtErr(err), cm.Expired(), me.Cancelling())
			me.Uncancel()
			return nil
		},
		want: []string{"0ms main: Cancelled expired=true cancelling=1"},
	}, {
		name: "foreign_cancel_without_expiry",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			c.Loop().CallLater(10*ms, func() { me.Cancel("foreign") })
			var cm *task.TimeoutScope
			err := task.Timeout(c, time.Second, func(s *task.TimeoutScope) error {
				cm = s
				return c.Sleep(500 * ms)
			})
			r.log("main: %s expired=%t cancelling=%d", fmtErr(err), cm.Expired(), me.Cancelling())
			me.Uncancel()
			return nil
		},
		want: []string{"10ms main: Cancelled(foreign) expired=false cancelling=1"},
	}, {
		// Entered with a cancellation already pending (caught, never
		// uncancelled): 3.11.7 compares with the count on entry, so the
		// scope still converts its own expiry.
		name: "entered_while_cancelling",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			me.Cancel()
			if err := c.Yield(); err != nil {
				r.log("main: caught, cancelling=%d", me.Cancelling())
			}
			err := task.Timeout(c, 20*ms, func(*task.TimeoutScope) error { return c.Sleep(time.Second) })
			r.log("main: %s cancelling=%d", fmtErr(err), me.Cancelling())
			return nil
		},
		want: []string{
			"0ms main: caught, cancelling=1",
			"20ms main: Timeout(cause=Cancelled) cancelling=1",
		},
	}, {
		name: "reschedule",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			err := task.Timeout(c, 50*ms, func(cm *task.TimeoutScope) error {
				cm.Reschedule(l.Time().Add(100 * ms))
				if err := c.Sleep(80 * ms); err != nil {
					return err
				}
				r.log("body: survived the old deadline, when %s", whenStr(cm, l.Time()))
				cm.Reschedule(time.Time{})
				if err := c.Sleep(200 * ms); err != nil {
					return err
				}
				r.log("body: no deadline, when=%s", whenStr(cm, l.Time()))
				cm.Reschedule(l.Time().Add(10 * ms))
				err := c.Sleep(time.Second)
				if err != nil {
					r.log("body: expired at the new deadline")
					if rerr := cm.Reschedule(time.Time{}); rerr != nil {
						r.log("body: reschedule while expiring: %v", rerr)
					}
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
			r.log("main: NOT REACHED")
			return nil
		},
		want: []string{
			"80ms body: survived the old deadline, when in 20ms",
			"280ms body: no deadline, when=None",
			"290ms body: expired at the new deadline",
			"290ms body: reschedule while expiring: task: cannot change state of expiring Timeout",
			"290ms main: Timeout(cause=Cancelled)",
		},
	}, {
		name: "reschedule_after_exit",
		main: func(c *task.Coro, r *combRec) error {
			var cm *task.TimeoutScope
			task.Timeout(c, time.Second, func(s *task.TimeoutScope) error { cm = s; return nil })
			r.log("main: %v", cm.Reschedule(time.Time{}))
			task.Timeout(c, 0, func(s *task.TimeoutScope) error { cm = s; return c.Yield() })
			r.log("main: %v", cm.Reschedule(time.Time{}))
			r.log("main: %v", new(task.TimeoutScope).Reschedule(time.Time{}))
			return nil
		},
		want: []string{
			"0ms main: task: cannot change state of finished Timeout",
			"0ms main: task: cannot change state of expired Timeout",
			"0ms main: task: Timeout has not been entered",
		},
	}, {
		name: "zero_delay",
		main: func(c *task.Coro, r *combRec) error {
			err := task.Timeout(c, 0, func(*task.TimeoutScope) error {
				r.log("body: runs up to the first await")
				if err := c.Yield(); err != nil {
					return err
				}
				r.log("body: NOT REACHED")
				return nil
			})
			r.log("main: %s", fmtErr(err))
			err = task.Timeout(c, -time.Second, func(*task.TimeoutScope) error { return c.Yield() })
			r.log("main: negative: %s", fmtErr(err))
			return nil
		},
		want: []string{
			"0ms body: runs up to the first await",
			"0ms main: Timeout(cause=Cancelled)",
			"0ms main: negative: Timeout(cause=Cancelled)",
		},
	}, {
		name: "body_error_after_expiry",
		main: func(c *task.Coro, r *combRec) error {
			var cm *task.TimeoutScope
			err := task.Timeout(c, 10*ms, func(s *task.TimeoutScope) error {
				cm = s
				if err := c.Sleep(time.Second); err != nil {
					return valueError("instead")
				}
				return nil
			})
			r.log("main: %s expired=%t cancelling=%d", fmtErr(err), cm.Expired(), c.Task().Cancelling())
			return nil
		},
		want: []string{"10ms main: ValueError(instead) expired=true cancelling=0"},
	}, {
		// A wrapped cancellation is still the scope's to convert.
		name: "wrapped_cancellation",
		main: func(c *task.Coro, r *combRec) error {
			err := task.Timeout(c, 10*ms, func(*task.TimeoutScope) error {
				if err := c.Sleep(time.Second); err != nil {
					return fmt.Errorf("reading: %w", err)
				}
				return nil
			})
			var te *future.TimeoutError
			if errors.As(err, &te) {
				r.log("main: timeout caused by %q", te.Cause)
			}
			return nil
		},
		want: []string{`10ms main: timeout caused by "reading: cancelled"`},
	}, {
		// A panicking body leaves the scope: its timer must not cancel the
		// task later.
		name: "panic_leaves_the_scope",
		main: func(c *task.Coro, r *combRec) error {
			func() {
				defer func() { r.log("main: recovered %v", recover()) }()
				task.Timeout(c, 10*ms, func(*task.TimeoutScope) error { panic("boom") })
			}()
			if err := c.Sleep(50 * ms); err != nil {
				return err
			}
			r.log("main: not cancelled, cancelling=%d", c.Task().Cancelling())
			return nil
		},
		want: []string{
			"0ms main: recovered boom",
			"50ms main: not cancelled, cancelling=0",
		},
	}})
}

func TestTimeoutMisuse(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var errs []error
	task.RunOn(l, func(c *task.Coro) (any, error) {
		other := task.Spawn(l, func(c2 *task.Coro) (any, error) {
			// c belongs to the main task, which is not the one running.
			errs = append(errs, task.Timeout(c, time.Second, func(*task.TimeoutScope) error {
				t.Error("body ran under another task's Coro")
				return nil
			}))
			errs = append(errs, task.TimeoutAt(c, time.Time{}, func(*task.TimeoutScope) error {
				t.Error("body ran under another task's Coro")
				return nil
			}))
			return nil, nil
		})
		return nil, c.Await(other)
	})
	for i, err := range errs {
		if !errors.Is(err, task.ErrNotInTask) {
			t.Errorf("misuse %d: err = %v, want ErrNotInTask", i, err)
		}
	}
	if len(errs) != 2 {
		t.Errorf("got %d errors, want 2", len(errs))
	}
	var zero task.TimeoutScope
	if err := zero.Reschedule(time.Time{}); !errors.Is(err, task.ErrTimeoutInactive) {
		t.Errorf("zero scope Reschedule = %v, want ErrTimeoutInactive", err)
	}
	if zero.Expired() || !zero.When().IsZero() {
		t.Error("zero scope: want not expired, no deadline")
	}
}
