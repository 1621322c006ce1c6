// Package future provides Future[T], a result that will exist later
// (asyncio.Future), the Awaitable interface that tasks and combinators wait
// on, and the errors every goasyncio package shares.
//
// A future is attached to one loop. When it completes (SetResult,
// SetException, Cancel) its done-callbacks are scheduled on the loop in
// registration order, never called synchronously — the rule that gives
// asyncio its ordering.
//
// # Goroutines
//
// A Future's methods must be called on its loop's goroutine (or while the
// loop is not running). Complete a future from another goroutine by posting
// to the loop: l.CallSoonThreadsafe(func() { f.SetResult(v) }).
//
// # Errors
//
// Cancellation is a *CancelledError (errors.Is(err, context.Canceled));
// a timeout a *TimeoutError (errors.Is(err, context.DeadlineExceeded)); an
// operation in the wrong state an *InvalidStateError (errors.Is(err,
// ErrInvalidState)). An error nobody retrieved is reported to the loop's
// exception handler when the loop closes ("Future exception was never
// retrieved"), not at garbage collection as in CPython: Go gives no
// deterministic moment for that.
//
// # asyncio mapping
//
//	loop.create_future()              New[T](l)
//	fut.result() / exception()        f.Result() / f.Err()
//	fut.set_result / set_exception    f.SetResult(v) / f.SetException(err)
//	fut.cancel(msg) / cancelled()     f.Cancel(msg...) / f.Cancelled()
//	fut.done() / get_loop()           f.Done() / f.Loop()
//	fut.add_done_callback(cb)         id := f.AddDoneCallback(func() {...})
//	fut.remove_done_callback(cb)      f.RemoveDoneCallback(ids...)
//	loop.run_until_complete(fut)      RunUntilComplete(l, f)
//	set(fs) (one per future)          Distinct(fs), in first-appearance order
//	asyncio.CancelledError            *CancelledError
//	asyncio.TimeoutError              *TimeoutError
//	asyncio.InvalidStateError         *InvalidStateError
package future
