package locks

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/deque"
	"github.com/goasyncio/goasyncio/task"
)

// A Semaphore is a counter of available units for tasks on one loop
// (asyncio.Semaphore, as in CPython 3.11.7). Acquire takes a unit, waiting
// while there is none; Release returns one.
//
// Waiters are served in the order they started waiting, and there is no
// barging: a unit released while tasks wait goes to the first of them,
// so a task that releases and re-acquires at once queues up behind them.
//
// The zero value is a semaphore with no units. A Semaphore is bound to the
// loop of the first task that waits on it. Its methods must be called on
// that loop's goroutine. It must not be copied after first use.
type Semaphore struct {
	binding
	waiters deque.Deque[waiter]
	value   int
}

// NewSemaphore returns a semaphore with n units (asyncio's Semaphore(n)).
// It panics if n is negative, as asyncio raises ValueError.
func NewSemaphore(n int) *Semaphore {
	if n < 0 {
		panic(fmt.Sprintf("locks: NewSemaphore(%d): initial value must be >= 0", n))
	}
	return &Semaphore{value: n}
}

// Locked reports whether Acquire would wait (asyncio's locked()): no unit
// is free, or tasks that were not cancelled wait for one.
func (s *Semaphore) Locked() bool {
	if s.value == 0 {
		return true
	}
	for i := range s.waiters.Len() {
		if !gone(s.waiters.At(i)) {
			return true
		}
	}
	return false
}

// Acquire takes a unit, waiting for one if Locked (asyncio's acquire()).
// It returns the CancelledError if the task is cancelled while waiting; a
// unit it had been handed is then passed on to the next waiter. Must be
// called in the body that received c.
func (s *Semaphore) Acquire(c *task.Coro) error {
	if !s.Locked() {
		s.value--
		return nil
	}
	fut, err := s.wait(c, "Semaphore", &s.waiters, s.abandoned)
	if err != nil {
		if future.IsCancelled(err) && !fut.Cancelled() {
			// Woken (handed a unit) and then cancelled: give it back.
			s.value++
			s.wakeUpNext()
		}
		return err
	}
	if s.value > 0 {
		s.wakeUpNext()
	}
	return nil
}

// abandoned is Acquire's cleanup when the loop closed under the task (see
// binding.wait): a unit handed to it goes back. Unlike on cancellation, no
// waiter is woken: they all belong to the closed loop. (asyncio 3.11.7
// gives the unit back only on CancelledError, so a closed coroutine keeps
// it.)
func (s *Semaphore) abandoned(fut waiter) {
	if fut.Done() && !fut.Cancelled() {
		s.value++
	}
}

// Release returns a unit and wakes the first waiter, if any (asyncio's
// release()). A plain Semaphore may be released more often than acquired.
func (s *Semaphore) Release() {
	s.value++
	s.wakeUpNext()
}

// wakeUpNext is asyncio 3.11.7's _wake_up_next: hand a unit to the first
// waiter not woken yet (nor dead: see wakeable).
func (s *Semaphore) wakeUpNext() {
	for i := range s.waiters.Len() {
		if fut := s.waiters.At(i); wakeable(fut) {
			s.value--
			fut.SetResult(struct{}{})
			return
		}
	}
}

// With runs fn holding a unit (asyncio's `async with sem:`): Acquire,
// fn, then Release however fn returns. It returns Acquire's error (fn does
// not run then) or fn's. Must be called in the body that received c.
func (s *Semaphore) With(c *task.Coro, fn func() error) error {
	if err := s.Acquire(c); err != nil {
		return err
	}
	return withHeld(fn, func() error { s.Release(); return nil })
}

// A BoundedSemaphore is a Semaphore that refuses to be released above its
// initial value (asyncio.BoundedSemaphore).
//
// The zero value has no units and a bound of zero. Its methods must be
// called on its loop's goroutine. It must not be copied after first use.
type BoundedSemaphore struct {
	sem   Semaphore
	bound int
}

// NewBoundedSemaphore returns a semaphore with n units that may hold at
// most n (asyncio's BoundedSemaphore(n)). It panics if n is negative.
func NewBoundedSemaphore(n int) *BoundedSemaphore {
	if n < 0 {
		panic(fmt.Sprintf("locks: NewBoundedSemaphore(%d): initial value must be >= 0", n))
	}
	return &BoundedSemaphore{sem: Semaphore{value: n}, bound: n}
}

// Locked reports whether Acquire would wait (see Semaphore.Locked).
func (s *BoundedSemaphore) Locked() bool { return s.sem.Locked() }

// Acquire takes a unit (see Semaphore.Acquire). Must be called in the body
// that received c.
func (s *BoundedSemaphore) Acquire(c *task.Coro) error { return s.sem.Acquire(c) }

// Release returns a unit (see Semaphore.Release), or ErrOverRelease if
// that would exceed the initial value.
func (s *BoundedSemaphore) Release() error {
	if s.sem.value >= s.bound {
		return ErrOverRelease
	}
	s.sem.Release()
	return nil
}

// With runs fn holding a unit (asyncio's `async with sem:`). It returns
// Acquire's error (fn does not run then), else fn's, else Release's. Must
// be called in the body that received c.
func (s *BoundedSemaphore) With(c *task.Coro, fn func() error) error {
	if err := s.Acquire(c); err != nil {
		return err
	}
	return withHeld(fn, s.Release)
}
