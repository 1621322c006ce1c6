package gather

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// A ReturnWhen tells Wait when to return (asyncio.wait's return_when).
type ReturnWhen int

const (
	// AllCompleted returns when every awaitable is done
	// (asyncio.ALL_COMPLETED, the default there).
	AllCompleted ReturnWhen = iota
	// FirstCompleted returns when any awaitable is done
	// (asyncio.FIRST_COMPLETED).
	FirstCompleted
	// FirstException returns when any awaitable fails with an error other
	// than its cancellation, or when every awaitable is done
	// (asyncio.FIRST_EXCEPTION).
	FirstException
)

// String returns the constant's Go name.
func (w ReturnWhen) String() string {
	switch w {
	case AllCompleted:
		return "AllCompleted"
	case FirstCompleted:
		return "FirstCompleted"
	case FirstException:
		return "FirstException"
	}
	return fmt.Sprintf("ReturnWhen(%d)", int(w))
}

// Wait waits until the awaitables reach the condition when (asyncio.wait)
// and returns those that are done and those still pending. Each slice
// keeps the argument order; an awaitable given twice appears once (asyncio
// returns sets). Everything done by the time the task resumes is in done,
// which can be more than one awaitable with FirstCompleted.
//
// WithTimeout bounds the wait: when it expires Wait returns normally, and
// nothing is cancelled — the pending awaitables keep running. Wait itself
// never fails because of an awaitable's error; read each one's outcome.
//
// Argument errors, returned before anything is waited for: ErrEmpty for no
// awaitables, ErrReturnWhen for a value that is not one of the constants,
// ErrNil for a nil awaitable and future.ErrOtherLoop for one of another
// loop. If the calling task is cancelled while waiting, Wait returns the
// *future.CancelledError and cancels none of the awaitables.
//
// Must be called in the body that received c.
func Wait[A future.Awaitable](c *task.Coro, aws []A, when ReturnWhen, opts ...Option) (done, pending []A, err error) {
	if len(aws) == 0 {
		return nil, nil, ErrEmpty
	}
	if when < AllCompleted || when > FirstException {
		return nil, nil, fmt.Errorf("%w: %v", ErrReturnWhen, when)
	}
	if err := check(c.Loop(), aws); err != nil {
		return nil, nil, err
	}
	fs := future.Distinct(aws)
	if err := wait(c, fs, when, collect(opts)); err != nil {
		return nil, nil, err
	}
	for _, f := range fs {
		if f.Done() {
			done = append(done, f)
		} else {
			pending = append(pending, f)
		}
	}
	return done, pending, nil
}

// wait is asyncio's _wait, statement for statement: one done-callback per
// awaitable counts completions and releases a waiter future, which the
// task awaits; a timer releases it too. The callbacks and the timer are
// removed whatever the outcome.
func wait[A future.Awaitable](c *task.Coro, fs []A, when ReturnWhen, o options) error {
	l := c.Loop()
	waiter := future.New[struct{}](l)
	var timeoutHandle *loop.TimerHandle
	if o.hasTimeout {
		timeoutHandle = l.CallLater(o.timeout, func() { releaseWaiter(waiter) })
	}
	counter := len(fs)

	onCompletion := func(f future.Awaitable) {
		counter--
		if counter <= 0 ||
			when == FirstCompleted ||
			when == FirstException && (!f.Cancelled() && f.Err() != nil) {
			if timeoutHandle != nil {
				timeoutHandle.Cancel()
			}
			if !waiter.Done() {
				waiter.SetResult(struct{}{})
			}
		}
	}

	ids := make([]future.CallbackID, len(fs))
	for i, f := range fs {
		ids[i] = f.AddDoneCallback(func() { onCompletion(f) })
	}

	err := c.Await(waiter)
	if timeoutHandle != nil {
		timeoutHandle.Cancel()
	}
	for i, f := range fs {
		f.RemoveDoneCallback(ids[i])
	}
	return err
}

// releaseWaiter is asyncio's _release_waiter.
func releaseWaiter(waiter *future.Future[struct{}]) {
	if !waiter.Done() {
		waiter.SetResult(struct{}{})
	}
}
