package locks_test

import (
	"errors"
	"testing"

	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/task"
)

func TestSemaphore(t *testing.T) {
	acquirer := func(s *locks.Semaphore, log func(string, ...any), name string) func(*task.Coro) error {
		return func(c *task.Coro) error {
			if err := s.Acquire(c); err != nil {
				return err
			}
			log("%s acquired", name)
			return nil
		}
	}
	runScenarios(t, []scenario{{
		name: "a woken waiter cancelled before it runs hands its unit on",
		body: func(c *task.Coro, log func(string, ...any)) error {
			s := locks.NewSemaphore(0)
			a := spawn(c.Loop(), log, "a", acquirer(s, log, "a"))
			b := spawn(c.Loop(), log, "b", acquirer(s, log, "b"))
			yields(c, 1)
			s.Release() // the unit goes to a
			a.Cancel()
			log("locked=%v", s.Locked())
			c.Await(a)
			c.Await(b)
			log("locked=%v", s.Locked())
			return nil
		},
		want: []string{"locked=true", "a: cancelled", "b acquired", "locked=true"},
	}, {
		name: "a cancelled waiter is skipped, yet counts as waiting until it leaves",
		body: func(c *task.Coro, log func(string, ...any)) error {
			s := locks.NewSemaphore(0)
			a := spawn(c.Loop(), log, "a", acquirer(s, log, "a"))
			b := spawn(c.Loop(), log, "b", acquirer(s, log, "b"))
			yields(c, 1)
			a.Cancel()
			log("locked with a cancelled waiter=%v", s.Locked())
			yields(c, 1)
			log("locked=%v", s.Locked())
			s.Release()
			return c.Await(b)
		},
		want: []string{"locked with a cancelled waiter=true", "a: cancelled", "locked=true", "b acquired"},
	}, {
		name: "no barging: release then acquire queues behind the waiters",
		body: func(c *task.Coro, log func(string, ...any)) error {
			s := locks.NewSemaphore(1)
			s.Acquire(c)
			a := spawn(c.Loop(), log, "a", func(c *task.Coro) error {
				return s.With(c, func() error { log("a acquired"); return nil })
			})
			yields(c, 1)
			s.Release()
			log("released: locked=%v", s.Locked())
			s.Acquire(c)
			log("main acquired")
			return c.Await(a)
		},
		want: []string{"released: locked=true", "a acquired", "main acquired"},
	}, {
		name: "With and BoundedSemaphore",
		body: func(c *task.Coro, log func(string, ...any)) error {
			s := locks.NewSemaphore(2)
			s.With(c, func() error { log("in With: locked=%v", s.Locked()); return nil })
			s.Release() // a plain semaphore may grow
			b := locks.NewBoundedSemaphore(1)
			b.With(c, func() error { log("bounded in With: locked=%v", b.Locked()); return nil })
			err := b.Release()
			log("over-release: %v, Is ErrOverRelease: %v", err, errors.Is(err, locks.ErrOverRelease))
			err = b.With(c, func() error { return b.Release() })
			log("release inside With, then With's release: %v", err)
			return nil
		},
		want: []string{
			"in With: locked=false",
			"bounded in With: locked=true",
			"over-release: locks: BoundedSemaphore released too many times, Is ErrOverRelease: true",
			"release inside With, then With's release: locks: BoundedSemaphore released too many times",
		},
	}})
}

func TestConstructorPanics(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		fn         func()
	}{
		{"NewSemaphore(-1)", "locks: NewSemaphore(-1): initial value must be >= 0", func() { locks.NewSemaphore(-1) }},
		{"NewBoundedSemaphore(-1)", "locks: NewBoundedSemaphore(-1): initial value must be >= 0", func() { locks.NewBoundedSemaphore(-1) }},
		{"NewBarrier(0)", "locks: NewBarrier(0): parties must be > 0", func() { locks.NewBarrier(0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("panic %v, want %q", r, tc.want)
				}
			}()
			tc.fn()
		})
	}
}
