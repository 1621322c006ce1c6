package locks_test

import (
	"errors"
	"testing"

	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/task"
)

func TestCondition(t *testing.T) {
	waiter := func(cv *locks.Condition, log func(string, ...any), name string) func(*task.Coro) error {
		return func(c *task.Coro) error {
			return cv.With(c, func() error {
				err := cv.Wait(c)
				log("%s: Wait returned %v, locked=%v", name, err, cv.Locked())
				return err
			})
		}
	}
	runScenarios(t, []scenario{{
		name: "notify(n) wakes the n longest waiters; each returns holding the lock",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var cv locks.Condition
			var ts []*task.Task[struct{}]
			for _, n := range []string{"a", "b", "c"} {
				ts = append(ts, spawn(c.Loop(), log, n, waiter(&cv, log, n)))
			}
			yields(c, 1)
			cv.With(c, func() error {
				log("notify(2)")
				cv.Notify(2)
				yields(c, 2)
				log("main releases")
				return nil
			})
			yields(c, 3)
			cv.With(c, func() error { return cv.NotifyAll() })
			for _, t := range ts {
				c.Await(t)
			}
			return nil
		},
		want: []string{
			"notify(2)", "main releases",
			"a: Wait returned <nil>, locked=true",
			"b: Wait returned <nil>, locked=true",
			"c: Wait returned <nil>, locked=true",
		},
	}, {
		name: "a waiter cancelled while waiting re-acquires the lock before returning",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var cv locks.Condition
			a := spawn(c.Loop(), log, "a", waiter(&cv, log, "a"))
			yields(c, 1)
			cv.Acquire(c)
			a.Cancel("stop")
			yields(c, 3)
			log("main still holds the lock; a has not returned: %v", !a.Done())
			cv.Release()
			c.Await(a)
			log("a cancelled=%v, locked=%v", a.Cancelled(), cv.Locked())
			return nil
		},
		want: []string{
			"main still holds the lock; a has not returned: true",
			"a: Wait returned cancelled: stop, locked=true",
			"a: cancelled: stop",
			"a cancelled=true, locked=false",
		},
	}, {
		name: "cancelled again while re-acquiring: Wait keeps trying, returns a new cancellation",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var cv locks.Condition
			a := spawn(c.Loop(), log, "a", waiter(&cv, log, "a"))
			yields(c, 1)
			cv.Acquire(c)
			cv.Notify(1)
			yields(c, 2) // a woke and waits for the lock
			a.Cancel("first")
			yields(c, 2)
			log("a still waiting: %v", !a.Done())
			cv.Release()
			c.Await(a)
			return nil
		},
		want: []string{
			"a still waiting: true",
			"a: Wait returned cancelled, locked=true",
			"a: cancelled",
		},
	}, {
		name: "wait_for re-checks its predicate after each wake-up",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var cv locks.Condition
			n := 0
			w := spawn(c.Loop(), log, "w", func(c *task.Coro) error {
				return cv.With(c, func() error {
					err := cv.WaitFor(c, func() bool { log("pred n=%d", n); return n >= 2 })
					log("WaitFor: %v", err)
					return err
				})
			})
			for range 2 {
				yields(c, 1)
				cv.With(c, func() error { n++; return cv.Notify(1) })
			}
			return c.Await(w)
		},
		want: []string{"pred n=0", "pred n=1", "pred n=2", "WaitFor: <nil>"},
	}, {
		name: "misuse",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			cv := locks.NewCondition(&m)
			err := cv.Wait(c)
			log("Wait unlocked: %v, Is ErrNotLocked: %v", err, errors.Is(err, locks.ErrNotLocked))
			err = cv.Notify(1)
			log("Notify unlocked: %v, Is ErrNotLocked: %v", err, errors.Is(err, locks.ErrNotLocked))
			m.Acquire(c)
			log("shared lock: cond locked=%v, L is m: %v", cv.Locked(), cv.L() == &m)
			return nil
		},
		want: []string{
			"Wait unlocked: locks: cannot wait on un-acquired lock, Is ErrNotLocked: true",
			"Notify unlocked: locks: cannot notify on un-acquired lock, Is ErrNotLocked: true",
			"shared lock: cond locked=true, L is m: true",
		},
	}})
}
