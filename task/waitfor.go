package task

import (
	"fmt"
	"math"
	"time"

	"github.com/goasyncio/goasyncio/future"
)

// NoTimeout means no timeout at all when given as the duration of WaitFor,
// WaitForFunc or Timeout (Python's timeout=None). It is the largest
// Duration, so code that treats it as a plain duration still waits
// "forever".
const NoTimeout time.Duration = math.MaxInt64

// WaitFor waits for aw, at most d, and returns its result (asyncio.wait_for,
// with the semantics of Python 3.11's tasks.py).
//
//   - aw completing in time: its value or its error, as is.
//   - d running out: aw is cancelled, WaitFor waits until aw has finished
//     (its clean-up included) and returns a *future.TimeoutError whose Cause
//     is aw's cancellation. If aw ignores the cancellation and completes
//     anyway, WaitFor returns that outcome instead.
//   - d <= 0: a done aw returns its outcome at once; otherwise aw is
//     cancelled and waited for, as above.
//   - d == NoTimeout: a plain Await.
//   - the calling task cancelled while waiting: aw is cancelled and waited
//     for, then the CancelledError is returned — unless aw happened to be
//     done already, in which case its outcome is returned and the
//     cancellation is lost (3.11 behaviour, reproduced on purpose).
//
// It returns an error wrapping future.ErrOtherLoop if aw belongs to another
// loop. Must be called in the body that received c.
func WaitFor[T any](c *Coro, d time.Duration, aw future.Typed[T]) (T, error) {
	if d == NoTimeout {
		return Await(c, aw)
	}
	return waitFor(c, d, func() (future.Typed[T], error) {
		if aw.Loop() != c.Loop() { // ensure_future's loop check
			return nil, fmt.Errorf("%w: WaitFor on %v", future.ErrOtherLoop, aw)
		}
		return aw, nil
	})
}

// WaitForFunc runs body with a timeout (asyncio.wait_for on a coroutine).
// With d == NoTimeout, body runs inline, in the calling task, as
// `await coro` does. Otherwise body runs in a new task (asyncio's
// ensure_future), which WaitFor then waits for: with d <= 0 that task is
// cancelled before its first step, so body never runs.
// Must be called in the body that received c.
func WaitForFunc[T any](c *Coro, d time.Duration, body func(c *Coro) (T, error)) (T, error) {
	if d == NoTimeout {
		if err := c.inTask(); err != nil {
			var zero T
			return zero, err
		}
		return body(c)
	}
	return waitFor(c, d, func() (future.Typed[T], error) {
		return Spawn(c.Loop(), body), nil
	})
}

// waitFor is tasks.py's wait_for for a timeout that is not None, statement
// for statement. ensure is ensure_future: called exactly where wait_for
// calls it, because spawning a task queues its first step.
func waitFor[T any](c *Coro, d time.Duration, ensure func() (future.Typed[T], error)) (T, error) {
	var zero T
	if err := c.inTask(); err != nil {
		return zero, err
	}
	l := c.Loop()
	if d <= 0 {
		fut, err := ensure()
		if err != nil {
			return zero, err
		}
		if fut.Done() {
			return fut.Result()
		}
		if err := cancelAndWait(c, fut); err != nil {
			return zero, err
		}
		return timedOutResult(fut)
	}

	waiter := future.New[struct{}](l)
	// One closure serves as both the timer callback and fut's
	// done-callback (tasks.py's two partials of _release_waiter).
	release := func() { releaseWaiter(waiter) }
	timeoutHandle := l.CallLater(d, release)
	defer timeoutHandle.Cancel()

	fut, err := ensure()
	if err != nil {
		return zero, err
	}
	cb := fut.AddDoneCallback(release)

	// Wait until fut completes or the timeout releases the waiter.
	if cancelled := c.Await(waiter); cancelled != nil {
		if !future.IsCancelled(cancelled) {
			return zero, cancelled // the loop closed: nothing to wait for
		}
		// The calling task was cancelled.
		if fut.Done() {
			return fut.Result()
		}
		fut.RemoveDoneCallback(cb)
		// fut must not be running once WaitFor returns (bpo-32751).
		if err := cancelAndWait(c, fut); err != nil {
			return zero, err
		}
		return zero, cancelled
	}
	if fut.Done() {
		return fut.Result()
	}
	fut.RemoveDoneCallback(cb)
	if err := cancelAndWait(c, fut); err != nil {
		return zero, err
	}
	return timedOutResult(fut)
}

// timedOutResult is fut's outcome after wait_for cancelled it on timeout:
// its cancellation becomes a TimeoutError caused by it; anything else (fut
// swallowed the cancellation, or failed while cleaning up, bpo-40607) is
// returned as is.
func timedOutResult[T any](fut future.Typed[T]) (T, error) {
	v, err := fut.Result()
	if future.IsCancelled(err) {
		return v, &future.TimeoutError{Cause: err}
	}
	return v, err
}

// cancelAndWait cancels fut and waits until it is done (tasks.py's
// _cancel_and_wait). It waits on a separate waiter, not on fut itself, so
// that cancelling the waiting task does not cancel fut a second time.
func cancelAndWait(c *Coro, fut future.Awaitable) error {
	waiter := future.New[struct{}](c.Loop())
	cb := fut.AddDoneCallback(func() { releaseWaiter(waiter) })
	defer fut.RemoveDoneCallback(cb)
	fut.Cancel()
	return c.Await(waiter)
}

// releaseWaiter is tasks.py's _release_waiter.
func releaseWaiter(waiter *future.Future[struct{}]) {
	if !waiter.Done() {
		waiter.SetResult(struct{}{})
	}
}

// inTask reports whether the body that received co is the one running now:
// the combinators check it before scheduling anything, so that a misuse
// leaves no timer or task behind.
func (co *Coro) inTask() error {
	c := co.t
	if c.abandoned {
		return ErrAbandoned
	}
	if c.reg.current != c {
		return ErrNotInTask
	}
	return nil
}
