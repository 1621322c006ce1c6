package locks

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/deque"
	"github.com/goasyncio/goasyncio/task"
)

// A Condition lets tasks wait until another task notifies them, under a
// Lock (asyncio.Condition). Notify wakes the longest waiters first; a
// woken task returns from Wait only once it holds the lock again, after
// the notifier released it.
//
// The zero value is a condition with a lock of its own; NewCondition
// shares an existing lock. A Condition is bound to the loop of the first
// task that waits on it. Its methods must be called on that loop's
// goroutine. It must not be copied after first use.
type Condition struct {
	binding
	lock    *Lock
	own     Lock
	waiters deque.Deque[waiter]
}

// NewCondition returns a condition on lock, or on a new lock if lock is
// nil (asyncio's Condition(lock=None)).
func NewCondition(lock *Lock) *Condition {
	return &Condition{lock: lock}
}

// L returns the condition's lock.
func (c *Condition) L() *Lock {
	if c.lock == nil {
		c.lock = &c.own
	}
	return c.lock
}

// Locked reports whether the condition's lock is held (asyncio's
// locked()).
func (c *Condition) Locked() bool { return c.L().Locked() }

// Acquire takes the condition's lock (asyncio's acquire(); see
// Lock.Acquire). Must be called in the body that received co.
func (c *Condition) Acquire(co *task.Coro) error { return c.L().Acquire(co) }

// Release releases the condition's lock (asyncio's release(); see
// Lock.Release).
func (c *Condition) Release() error { return c.L().Release() }

// With runs fn holding the condition's lock (asyncio's `async with
// cond:`); see Lock.With. fn may call Wait, Notify and NotifyAll. Must be
// called in the body that received co.
func (c *Condition) With(co *task.Coro, fn func() error) error { return c.L().With(co, fn) }

// Wait releases the lock, waits until notified, and takes the lock again
// before returning (asyncio's wait()). The lock must be held: Wait returns
// an error matching ErrNotLocked otherwise.
//
// Wait holds the lock when it returns, even when the task was cancelled
// while waiting (asyncio re-acquires in a finally block): it then returns
// the CancelledError. A task cancelled while re-acquiring keeps trying,
// and Wait returns a new CancelledError once it holds the lock. Must be
// called in the body that received co.
func (c *Condition) Wait(co *task.Coro) (err error) {
	if !c.Locked() {
		return errWaitNotLocked
	}
	c.Release()
	// The finally block of asyncio's wait, deferred so that it also runs
	// when the loop closes under the task and its body is unwound from the
	// await: the lock is then taken again if it is free, so that the
	// body's deferred Release (With's) finds it held.
	defer func() { err = c.reacquire(co, err) }()
	_, err = c.wait(co, "Condition", &c.waiters, nil)
	return err
}

// reacquire takes the lock again after a Wait that returned err, whatever
// happened, cancellations included, and returns Wait's error.
func (c *Condition) reacquire(co *task.Coro, err error) error {
	cancelled := false
	for {
		aerr := c.Acquire(co)
		if aerr == nil {
			break
		}
		if !future.IsCancelled(aerr) {
			// The task cannot wait at all: its loop closed (an await
			// returns task.ErrAbandoned while the body unwinds).
			return aerr
		}
		cancelled = true
	}
	if cancelled {
		return future.NewCancelledError()
	}
	return err
}

// WaitFor waits until pred returns true (asyncio's wait_for(predicate)):
// it checks pred first, then after each wake-up, always holding the lock.
// It returns Wait's error, if any. Must be called in the body that
// received co, with the lock held.
func (c *Condition) WaitFor(co *task.Coro, pred func() bool) error {
	for !pred() {
		if err := c.Wait(co); err != nil {
			return err
		}
	}
	return nil
}

// Notify wakes up to n of the tasks waiting on the condition, longest
// waiting first (asyncio's notify(n)); they return from Wait once they
// re-acquire the lock, which the caller still holds. The lock must be
// held: Notify returns an error matching ErrNotLocked otherwise.
func (c *Condition) Notify(n int) error {
	if !c.Locked() {
		return errNotifyNotLocked
	}
	woken := 0
	for i := range c.waiters.Len() {
		if woken >= n {
			break
		}
		if fut := c.waiters.At(i); wakeable(fut) {
			woken++
			fut.SetResult(struct{}{})
		}
	}
	return nil
}

// NotifyAll wakes every task waiting on the condition (asyncio's
// notify_all()). The lock must be held, as for Notify.
func (c *Condition) NotifyAll() error { return c.Notify(c.waiters.Len()) }
