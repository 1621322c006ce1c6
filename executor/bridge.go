package executor

import (
	"context"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// Wrap returns a future of l that completes with src's outcome
// (asyncio.wrap_future): src's result arrives on l through
// CallSoonThreadsafe, on an iteration after src completed, exactly as
// asyncio's _chain_future delivers it; cancelling the returned future
// cancels src (and, if src's work is running, its context). While src is
// pending, l holds (loop.Hold): a virtual clock does not jump past the
// result on its way. Must be called on l's goroutine.
func Wrap[T any](l *loop.Loop, src *Future[T]) *future.Future[T] {
	dst := future.New[T](l)
	chainToLoop(l, src, dst)
	return dst
}

// chainToLoop is futures._chain_future(source, destination) for a
// concurrent source and a destination future of l.
func chainToLoop[T any](l *loop.Loop, src *Future[T], dst *future.Future[T]) {
	release := l.Hold()
	// _call_check_cancel: the source has no loop, so cancel it directly.
	dst.AddDoneCallback(func() {
		if dst.Cancelled() {
			src.Cancel()
		}
	})
	// _call_set_state, on the goroutine that completes src: post
	// _set_state to l, unless l is closed (then CallSoonThreadsafe drops
	// it). The destination is not read here: it belongs to l's goroutine.
	src.AddDoneCallback(func(src *Future[T]) {
		l.CallSoonThreadsafe(func() { copyState(src, dst) })
		release()
	})
}

// copyState is futures._copy_future_state(source, dest), on dest's loop.
func copyState[T any](src *Future[T], dst *future.Future[T]) {
	if dst.Done() { // cancelled meanwhile (or completed by someone else)
		return
	}
	if src.Cancelled() {
		dst.Cancel()
		return
	}
	v, err := src.outcome()
	if err != nil {
		dst.SetException(err)
		return
	}
	dst.SetResult(v)
}

// RunInExecutor runs fn on p, or on l's default pool if p is nil, and
// returns a future of l for its outcome (loop.run_in_executor: Submit, then
// Wrap). Awaiting it from a task that gets cancelled cancels the work: if
// it is still queued it never runs, if it runs its context is cancelled.
//
// It returns loop.ErrClosed for a closed loop, ErrDefaultShutdown when p is
// nil and the default pool was shut down, ErrShutdown for a shut-down p,
// and ErrNilFunc for a nil fn. Must be called on l's goroutine.
func RunInExecutor[T any](l *loop.Loop, p *Pool, fn func(ctx context.Context) (T, error), opts ...SubmitOption) (*future.Future[T], error) {
	if l.IsClosed() {
		return nil, loop.ErrClosed
	}
	if p == nil {
		d := defaultKey.Get(l)
		if err := d.check(); err != nil {
			return nil, err
		}
		if d.pool == nil {
			d.set(l, New())
		}
		p = d.pool
	}
	src, err := Submit(p, fn, opts...)
	if err != nil {
		return nil, err
	}
	return Wrap(l, src), nil
}

// ToThread runs fn on the default pool of the task's loop and waits for
// its outcome (asyncio.to_thread). Python's to_thread copies the caller's
// contextvars into the thread; a Go caller hands values on explicitly with
// WithContext, whose context becomes the parent of the one fn receives.
// If the task is cancelled while it waits, fn's work is cancelled (see
// RunInExecutor) and ToThread returns the *future.CancelledError.
// Must be called in the body that received c.
func ToThread[T any](c *task.Coro, fn func(ctx context.Context) (T, error), opts ...SubmitOption) (T, error) {
	f, err := RunInExecutor(c.Loop(), nil, fn, opts...)
	if err != nil {
		var zero T
		return zero, err
	}
	return task.Await(c, f)
}
