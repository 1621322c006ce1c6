package locks

import (
	"github.com/goasyncio/goasyncio/internal/deque"
	"github.com/goasyncio/goasyncio/task"
)

// An Event is a flag tasks can wait for (asyncio.Event). Set wakes every
// waiter, in the order they started waiting; the wake-up is decided at Set,
// so a Clear right after it does not stop the woken waiters.
//
// The zero value is a clear event. An Event is bound to the loop of the
// first task that waits on it. Its methods must be called on that loop's
// goroutine. It must not be copied after first use.
type Event struct {
	binding
	waiters deque.Deque[waiter]
	value   bool
}

// IsSet reports whether the flag is set (asyncio's is_set()).
func (e *Event) IsSet() bool { return e.value }

// Set sets the flag and wakes every waiting task (asyncio's set()).
// Setting a set event does nothing.
func (e *Event) Set() {
	if e.value {
		return
	}
	e.value = true
	for i := range e.waiters.Len() {
		if fut := e.waiters.At(i); wakeable(fut) {
			fut.SetResult(struct{}{})
		}
	}
}

// Clear clears the flag (asyncio's clear()): later Waits block until the
// next Set.
func (e *Event) Clear() { e.value = false }

// Wait returns at once if the flag is set, else waits until Set is called
// (asyncio's wait(), which returns True). It returns the CancelledError if
// the task is cancelled while waiting. Must be called in the body that
// received c.
func (e *Event) Wait(c *task.Coro) error {
	if e.value {
		return nil
	}
	_, err := e.wait(c, "Event", &e.waiters, nil)
	return err
}
