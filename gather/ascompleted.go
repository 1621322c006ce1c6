package gather

import (
	"iter"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// AsCompleted yields the outcomes of aws in the order they complete
// (asyncio.as_completed, 3.11): each iteration waits for the next
// awaitable to finish and yields its result or error. Iteration stops
// after one outcome per distinct awaitable (an awaitable given twice is
// yielded once).
//
//	for v, err := range gather.AsCompleted(c, tasks) {
//		...
//	}
//
// With WithTimeout, once the time is up every remaining iteration yields a
// *future.TimeoutError; the unfinished awaitables are not cancelled and
// keep running. The wait starts when the range loop starts, as asyncio's
// generator sets up on its first step; ranging again starts a new wait.
//
// If the calling task is cancelled while waiting, the iterator yields the
// *future.CancelledError and stops, so a loop body that only logs errors
// cannot lose the cancellation (in asyncio a caller that catches it may
// await the next item). Breaking out of the loop stops listening: nothing
// is cancelled. A nil awaitable or one of another loop is yielded as an
// ErrNil or future.ErrOtherLoop error before anything is waited for.
//
// The iterator must be ranged over in the body that received c.
func AsCompleted[T any, A future.Typed[T]](c *task.Coro, aws []A, opts ...Option) iter.Seq2[T, error] {
	o := collect(opts)
	return func(yield func(T, error) bool) {
		var zero T
		ac, err := startCompletion(c, aws, o)
		if err != nil {
			yield(zero, err)
			return
		}
		defer ac.stop()
		for range len(ac.todo) {
			i, err := ac.waitForOne()
			switch {
			case err != nil:
				yield(zero, err)
				return
			case i < 0:
				if !yield(zero, &future.TimeoutError{}) {
					return
				}
			default:
				if !yield(ac.todo[i].Result()) {
					return
				}
			}
		}
	}
}

// Completed yields the awaitables themselves, done, in the order they
// complete (Python 3.13's `async for t in asyncio.as_completed(aws)`): the
// caller reads each one's outcome, and can tell which one it is. Each
// distinct awaitable is yielded once, with a nil error.
//
// An error ends the iteration, as an exception ends an async for: with
// WithTimeout, when the time is up it yields the zero A and a
// *future.TimeoutError (nothing is cancelled); if the calling task is
// cancelled, the zero A and the *future.CancelledError. Argument errors are
// those of AsCompleted.
//
// The iterator must be ranged over in the body that received c.
func Completed[A future.Awaitable](c *task.Coro, aws []A, opts ...Option) iter.Seq2[A, error] {
	o := collect(opts)
	return func(yield func(A, error) bool) {
		var zero A
		ac, err := startCompletion(c, aws, o)
		if err != nil {
			yield(zero, err)
			return
		}
		defer ac.stop()
		for range len(ac.todo) {
			i, err := ac.waitForOne()
			switch {
			case err != nil:
				yield(zero, err)
				return
			case i < 0:
				yield(zero, &future.TimeoutError{})
				return
			}
			if !yield(ac.todo[i], nil) {
				return
			}
		}
	}
}

// A completion is the state of one as_completed: the distinct awaitables
// (todo, with pending marking those still in asyncio's todo set), the queue
// that receives them as they complete, and the timeout.
type completion[A future.Awaitable] struct {
	c             *task.Coro
	todo          []A
	pending       []bool
	left          int // len(todo) in asyncio: awaitables not yet queued
	ids           []future.CallbackID
	done          doneQueue
	timeoutHandle *loop.TimerHandle
}

// startCompletion is the set-up part of asyncio's as_completed: register
// _on_completion on every distinct awaitable, then the timeout.
func startCompletion[A future.Awaitable](c *task.Coro, aws []A, o options) (*completion[A], error) {
	l := c.Loop()
	if err := check(l, aws); err != nil {
		return nil, err
	}
	todo := future.Distinct(aws)
	ac := &completion[A]{
		c:       c,
		todo:    todo,
		pending: make([]bool, len(todo)),
		left:    len(todo),
		ids:     make([]future.CallbackID, len(todo)),
		done:    doneQueue{l: l},
	}
	for i, f := range todo {
		ac.pending[i] = true
		ac.ids[i] = f.AddDoneCallback(func() { ac.onCompletion(i) })
	}
	if len(todo) > 0 && o.hasTimeout {
		ac.timeoutHandle = l.CallLater(o.timeout, ac.onTimeout)
	}
	return ac, nil
}

// onTimeout is as_completed's _on_timeout: stop listening and queue one
// timeout sentinel per awaitable still pending.
func (ac *completion[A]) onTimeout() {
	for i, f := range ac.todo {
		if !ac.pending[i] {
			continue
		}
		f.RemoveDoneCallback(ac.ids[i])
		ac.pending[i] = false
		ac.done.putNowait(-1)
	}
	ac.left = 0
}

// onCompletion is as_completed's _on_completion for the i-th awaitable.
func (ac *completion[A]) onCompletion(i int) {
	if ac.left == 0 {
		return // onTimeout was here first (or the iteration stopped)
	}
	ac.pending[i] = false
	ac.left--
	ac.done.putNowait(i)
	if ac.left == 0 && ac.timeoutHandle != nil {
		ac.timeoutHandle.Cancel()
	}
}

// waitForOne is the waiting half of as_completed's _wait_for_one: the
// index of the next awaitable to complete, -1 for a timeout sentinel, or
// the error that interrupted the wait.
func (ac *completion[A]) waitForOne() (int, error) {
	return ac.done.get(ac.c)
}

// stop releases what an iteration that ends early still holds: the
// done-callbacks of the pending awaitables and the timer. (asyncio leaves
// them to run into a queue nobody reads, which nobody can observe.)
func (ac *completion[A]) stop() {
	for i, f := range ac.todo {
		if ac.pending[i] {
			f.RemoveDoneCallback(ac.ids[i])
			ac.pending[i] = false
		}
	}
	ac.left = 0
	if ac.timeoutHandle != nil {
		ac.timeoutHandle.Cancel()
	}
}
