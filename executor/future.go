package executor

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// state is a Future's state, as in concurrent.futures (CANCELLED and
// CANCELLED_AND_NOTIFIED are one state here: nothing waits on the
// difference).
type state uint8

const (
	pending state = iota
	running
	cancelled
	finished
)

var stateNames = [...]string{pending: "pending", running: "running", cancelled: "cancelled", finished: "finished"}

// closedChan is the channel DoneChan returns for a future that completed
// before anyone asked for a channel.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// A Future is the outcome of work running on another goroutine
// (concurrent.futures.Future): pending, then running, then finished with a
// value or an error, or cancelled before it ran. Unlike future.Future, it
// belongs to no loop: all its methods are safe for concurrent use, and the
// blocking ones (Result, Err, Wait) may be called from any goroutine except
// a loop's (a loop that blocks runs nothing; await a Wrap of it instead).
//
// Futures are made by Submit and RunCoroutineThreadsafe.
type Future[T any] struct {
	mu        sync.Mutex
	state     state
	value     T
	err       error
	done      chan struct{} // made on demand, closed when the future is done
	callbacks []func(*Future[T])
	cb0       [1]func(*Future[T]) // inline storage for the common single callback

	// The work, while it is queued or running in a pool.
	pool   *Pool
	fn     func(context.Context) (T, error)
	parent context.Context    // the parent of the work's context
	stop   context.CancelFunc // cancels the work's context once it runs
	node   node               // the pool's bookkeeping (guarded by pool.mu)
}

// Done reports whether the future finished or was cancelled
// (concurrent.futures' done()).
func (f *Future[T]) Done() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state >= cancelled
}

// Running reports whether the work is executing now (running()).
func (f *Future[T]) Running() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state == running
}

// Cancelled reports whether the future was cancelled (cancelled()).
func (f *Future[T]) Cancelled() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state == cancelled
}

// Cancel cancels the future if its work has not started
// (concurrent.futures' cancel()): the work will never run, waiters wake with
// a *future.CancelledError, and the done-callbacks run at once on the
// calling goroutine. It reports whether the future is cancelled.
//
// Cancel of work that is already running returns false, as in Python, but
// unlike Python it also cancels the context.Context the work received:
// work that honours it stops early, and its future completes with whatever
// the work returns then (ctx.Err(), usually, which satisfies
// errors.Is(err, context.Canceled)). A finished future is left alone.
func (f *Future[T]) Cancel() bool {
	f.mu.Lock()
	switch f.state {
	case running:
		stop := f.stop
		f.mu.Unlock()
		if stop != nil {
			stop()
		}
		return false
	case finished:
		f.mu.Unlock()
		return false
	case cancelled:
		f.mu.Unlock()
		return true
	}
	f.state = cancelled
	f.complete() // unlocks
	return true
}

// Result waits until the future is done and returns its value, or the
// error the work returned (a *loop.PanicError if it panicked), or a
// *future.CancelledError if it was cancelled (result()).
func (f *Future[T]) Result() (T, error) {
	f.wait(context.Background())
	return f.outcome()
}

// Err waits until the future is done and returns its error: nil on
// success, a *future.CancelledError if it was cancelled (exception()).
func (f *Future[T]) Err() error {
	_, err := f.Result()
	return err
}

// Wait waits until the future is done or ctx is done, whichever comes
// first. It returns nil once the future is done (Result then returns at
// once), else ctx.Err().
func (f *Future[T]) Wait(ctx context.Context) error {
	return f.wait(ctx)
}

// WaitTimeout is Wait bounded by d instead of a context (result(timeout)):
// it returns nil once the future is done, or a *future.TimeoutError
// (errors.Is(err, context.DeadlineExceeded)) if d passes first.
func (f *Future[T]) WaitTimeout(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := f.wait(ctx); err != nil {
		return &future.TimeoutError{}
	}
	return nil
}

// DoneChan returns a channel that is closed when the future is done, for
// select statements. Every call returns the same channel.
func (f *Future[T]) DoneChan() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.doneChanLocked()
}

func (f *Future[T]) doneChanLocked() chan struct{} {
	if f.done == nil {
		if f.state >= cancelled {
			f.done = closedChan
		} else {
			f.done = make(chan struct{})
		}
	}
	return f.done
}

// AddDoneCallback registers fn to be called with f when f is done
// (add_done_callback). Callbacks run in registration order on the goroutine
// that completes f — the worker that ran the work, or the goroutine that
// called Cancel — or at once on the calling goroutine if f is already done.
// A panic in fn is logged with log/slog and the next callback runs.
//
// Callbacks run on a pool's worker hold it meanwhile; keep them short.
// To get back onto a loop, post with loop.CallSoonThreadsafe, or use Wrap.
func (f *Future[T]) AddDoneCallback(fn func(f *Future[T])) {
	f.mu.Lock()
	if f.state < cancelled {
		if f.callbacks == nil {
			f.callbacks = f.cb0[:0]
		}
		f.callbacks = append(f.callbacks, fn)
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.invoke(fn)
}

// String describes the future's state, like concurrent.futures' repr.
func (f *Future[T]) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.state == finished && f.err != nil:
		return fmt.Sprintf("<Future state=finished raised %T>", f.err)
	case f.state == finished:
		return fmt.Sprintf("<Future state=finished returned %T>", f.value)
	}
	return "<Future state=" + stateNames[f.state] + ">"
}

// wait blocks until f is done or ctx is done. A worker of the
// pool that would run f, waiting for f while f is still queued, runs f
// itself instead (see Pool: nested waits cannot deadlock).
func (f *Future[T]) wait(ctx context.Context) error {
	f.mu.Lock()
	if f.state >= cancelled {
		f.mu.Unlock()
		return nil
	}
	p := f.pool
	helpable := f.state == pending && p != nil
	done := f.doneChanLocked()
	f.mu.Unlock()
	if helpable && p.help(&f.node) {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// outcome reads a done future's result.
func (f *Future[T]) outcome() (T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == cancelled {
		var zero T
		return zero, future.NewCancelledError()
	}
	return f.value, f.err
}

// start is set_running_or_notify_cancel: it moves a pending future to
// running and reports true, or reports false for a cancelled one, whose
// work must not run. Any other state is a bug in this package.
func (f *Future[T]) start(stop context.CancelFunc) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.state {
	case pending:
		f.state = running
		f.stop = stop
		return true
	case cancelled:
		return false
	}
	panic("executor: future in unexpected state " + stateNames[f.state])
}

// set completes a running (or pending) future with a value or an error. It
// reports false, changing nothing, if the future is already done
// (concurrent.futures raises InvalidStateError there; only this package
// completes futures, and it checks).
func (f *Future[T]) set(v T, err error) bool {
	f.mu.Lock()
	if f.state >= cancelled {
		f.mu.Unlock()
		return false
	}
	f.value, f.err = v, err
	f.state = finished
	f.stop = nil
	f.complete()
	return true
}

// complete wakes the waiters and runs the done-callbacks of a future whose
// state was just set to done. It is called with f.mu held and releases it:
// callbacks run unlocked, so that they may use f (or submit more work).
func (f *Future[T]) complete() {
	if f.done != nil {
		close(f.done)
	} else {
		f.done = closedChan
	}
	cbs := f.callbacks
	f.callbacks = nil
	f.fn, f.parent = nil, nil
	f.mu.Unlock()
	for i, cb := range cbs {
		cbs[i] = nil // drop the reference (cbs may be f.cb0)
		f.invoke(cb)
	}
}

// invoke calls one done-callback; a panic is logged, as
// concurrent.futures logs an exception raised by a callback.
func (f *Future[T]) invoke(cb func(*Future[T])) {
	defer func() {
		if r := recover(); r != nil {
			pe := loop.NewPanicError(r)
			slog.Error(fmt.Sprintf("executor: panic calling callback %s for %v", loop.FuncName(cb), f),
				"error", pe.Error(), "stack", string(pe.Stack))
		}
	}()
	cb(f)
}
