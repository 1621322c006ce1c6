package locks

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/deque"
	"github.com/goasyncio/goasyncio/task"
)

// A Lock is a mutual-exclusion lock for tasks on one loop (asyncio.Lock).
// It is not owned by the task that acquired it: any task may release it.
//
// Waiters acquire it in the order they started waiting, and there is no
// barging: once a waiter has been woken, a task calling Acquire before
// that waiter runs queues up behind it, although Locked reports false in
// between.
//
// The zero value is an unlocked lock. A Lock is bound to the loop of the
// first task that waits on it. Its methods must be called on that loop's
// goroutine. It must not be copied after first use.
type Lock struct {
	binding
	waiters deque.Deque[waiter]
	locked  bool
}

// Locked reports whether the lock is held (asyncio's locked()).
func (m *Lock) Locked() bool { return m.locked }

// Acquire takes the lock, waiting until it is released if it is held or
// other tasks wait for it (asyncio's acquire()). It returns the
// CancelledError if the task is cancelled while waiting; the lock is then
// not held, and the next waiter is woken if the lock is free. Must be
// called in the body that received c.
func (m *Lock) Acquire(c *task.Coro) error {
	if !m.locked && m.allWaitersGone() {
		m.locked = true
		return nil
	}
	// wait leaves the line before a cancellation is handled, so that
	// wakeUpFirst does not pick this waiter again. A waiter woken and then
	// abandoned (its loop closed) just leaves: the lock stays free.
	if _, err := m.wait(c, "Lock", &m.waiters, nil); err != nil {
		if future.IsCancelled(err) && !m.locked {
			m.wakeUpFirst()
		}
		return err
	}
	m.locked = true
	return nil
}

// allWaitersGone reports whether no waiter competes for the lock: each is
// cancelled or dead (asyncio's all(w.cancelled() for w in self._waiters)).
func (m *Lock) allWaitersGone() bool {
	for i := range m.waiters.Len() {
		if !gone(m.waiters.At(i)) {
			return false
		}
	}
	return true
}

// Release unlocks the lock and wakes the first waiter, if any (asyncio's
// release()). It returns ErrNotLocked if the lock is not held.
func (m *Lock) Release() error {
	if !m.locked {
		return ErrNotLocked
	}
	m.locked = false
	m.wakeUpFirst()
	return nil
}

// wakeUpFirst is asyncio's _wake_up_first: wake the first waiter unless it
// was woken already (a woken waiter either takes the lock or, cancelled,
// wakes the next one itself) or is dead (see wakeable).
func (m *Lock) wakeUpFirst() {
	if m.waiters.Len() == 0 {
		return
	}
	if fut := m.waiters.At(0); wakeable(fut) {
		fut.SetResult(struct{}{})
	}
}

// With runs fn holding the lock (asyncio's `async with lock:`): it
// acquires the lock, calls fn, and releases the lock however fn returns,
// panics included. It returns Acquire's error (fn does not run then), else
// fn's, else the release's (ErrNotLocked if fn released the lock itself).
// Must be called in the body that received c.
func (m *Lock) With(c *task.Coro, fn func() error) error {
	if err := m.Acquire(c); err != nil {
		return err
	}
	return withHeld(fn, m.Release)
}

// withHeld calls fn, then release even if fn panics, and returns fn's
// error or else release's (asyncio's __aexit__).
func withHeld(fn func() error, release func() error) (err error) {
	defer func() {
		if rerr := release(); err == nil {
			err = rerr
		}
	}()
	return fn()
}
