package locks_test

import (
	"errors"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// holder returns a body that takes m, logs, yields once and releases.
func holder(m *locks.Lock, log func(string, ...any), name string) func(c *task.Coro) error {
	return func(c *task.Coro) error {
		return m.With(c, func() error {
			log("%s acquired", name)
			if err := c.Yield(); err != nil {
				return err
			}
			log("%s releases", name)
			return nil
		})
	}
}

func TestLock(t *testing.T) {
	runScenarios(t, []scenario{{
		name: "waiters acquire in FIFO order",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			m.Acquire(c)
			var ts []*task.Task[struct{}]
			for _, n := range []string{"a", "b", "c"} {
				ts = append(ts, spawn(c.Loop(), log, n, holder(&m, log, n)))
			}
			yields(c, 1)
			m.Release()
			for _, t := range ts {
				c.Await(t)
			}
			log("locked=%v", m.Locked())
			return nil
		},
		want: []string{"a acquired", "a releases", "b acquired", "b releases", "c acquired", "c releases", "locked=false"},
	}, {
		name: "no barging: an acquire after a release queues behind the woken waiter",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			m.Acquire(c)
			w := spawn(c.Loop(), log, "w", holder(&m, log, "w"))
			yields(c, 1)
			m.Release()
			log("released, locked=%v", m.Locked())
			m.Acquire(c)
			log("main acquired")
			m.Release()
			return c.Await(w)
		},
		want: []string{"released, locked=false", "w acquired", "w releases", "main acquired"},
	}, {
		name: "a cancelled waiter is skipped",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			m.Acquire(c)
			a := spawn(c.Loop(), log, "a", holder(&m, log, "a"))
			b := spawn(c.Loop(), log, "b", holder(&m, log, "b"))
			yields(c, 1)
			a.Cancel()
			yields(c, 2)
			m.Release()
			return c.Await(b)
		},
		want: []string{"a: cancelled", "b acquired", "b releases"},
	}, {
		name: "a woken waiter cancelled before it runs wakes the next",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			m.Acquire(c)
			a := spawn(c.Loop(), log, "a", holder(&m, log, "a"))
			b := spawn(c.Loop(), log, "b", holder(&m, log, "b"))
			yields(c, 1)
			m.Release() // wakes a
			a.Cancel()  // before a runs
			err := c.Await(b)
			log("a cancelled=%v", a.Cancelled())
			return err
		},
		want: []string{"a: cancelled", "b acquired", "b releases", "a cancelled=true"},
	}, {
		name: "acquire takes a free lock at once when every waiter is cancelled",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			m.Acquire(c)
			a := spawn(c.Loop(), log, "a", holder(&m, log, "a"))
			yields(c, 1)
			a.Cancel()  // its waiter future is cancelled; a has not run yet
			m.Release() // nobody to wake
			log("locked=%v", m.Locked())
			m.Acquire(c)
			log("main acquired")
			return m.Release()
		},
		want: []string{"locked=false", "main acquired", "a: cancelled"},
	}, {
		name: "a woken waiter cancelled before it runs hands the lock on",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			m.Acquire(c)
			a := spawn(c.Loop(), log, "a", holder(&m, log, "a"))
			yields(c, 1)
			m.Release() // wakes a: its waiter is done, not cancellable
			a.Cancel()
			m.Acquire(c) // queues behind a
			log("main acquired")
			return m.Release()
		},
		want: []string{"a: cancelled", "main acquired"},
	}, {
		name: "misuse",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var m locks.Lock
			log("release unlocked: %v", m.Release())
			err := m.With(c, func() error { return m.Release() })
			log("release inside With: %v", err)
			boom := errors.New("boom")
			log("With returns fn's error: %v, locked=%v", m.With(c, func() error { return boom }), m.Locked())
			func() {
				defer func() { log("panic %v, locked=%v", recover(), m.Locked()) }()
				m.With(c, func() error { panic("in fn") })
			}()
			return nil
		},
		want: []string{
			"release unlocked: locks: lock is not acquired",
			"release inside With: locks: lock is not acquired",
			"With returns fn's error: boom, locked=false",
			"panic in fn, locked=false",
		},
	}})
}

func TestBoundToOneLoop(t *testing.T) {
	var m locks.Lock
	var ev locks.Event
	wait := func(l2 bool) {
		task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
			m.Acquire(c)
			w := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
				err := m.Acquire(c)
				if l2 && !errors.Is(err, future.ErrOtherLoop) {
					t.Errorf("Lock.Acquire on a second loop: %v, want ErrOtherLoop", err)
				}
				err = ev.Wait(c)
				if l2 && !errors.Is(err, future.ErrOtherLoop) {
					t.Errorf("Event.Wait on a second loop: %v, want ErrOtherLoop", err)
				}
				return struct{}{}, nil
			})
			if !l2 {
				c.Yield()
				m.Release()
				c.Yield()
				ev.Set()
			}
			c.Await(w)
			if !l2 {
				m.Release()
				ev.Clear()
			}
			return struct{}{}, nil
		})
	}
	wait(false)
	m.Release()
	wait(true)
}

// A loop closed while a task holds a lock in With, with another task
// waiting for it, unwinds both bodies: With's deferred release runs and
// nothing panics out of Close.
func TestLockWithAbandoned(t *testing.T) {
	l := looptest.New()
	var m locks.Lock
	released := false
	task.Spawn(l, func(c *task.Coro) (struct{}, error) {
		return struct{}{}, m.With(c, func() error {
			defer func() { released = true }()
			return c.Sleep(time.Hour)
		})
	})
	task.Spawn(l, func(c *task.Coro) (struct{}, error) {
		return struct{}{}, m.Acquire(c)
	})
	l.CallLater(time.Minute, l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if !released || m.Locked() {
		t.Errorf("after Close: fn unwound %v, locked %v; want true, false", released, m.Locked())
	}
}
