// Package loop is goasyncio's event loop: it decides *when* each callback
// runs, in exactly the order CPython 3.11's asyncio runs them.
//
// A Loop keeps a FIFO of ready callbacks, a heap of timers and an inbox for
// callbacks posted from other goroutines. Each iteration (CPython's
// BaseEventLoop._run_once, reproduced step for step in runOnce) drops
// cancelled timers, waits for work if there is none, moves the posted
// callbacks and then the due timers to the back of the ready queue, and runs
// the callbacks that were ready when the iteration began; callbacks they
// schedule run on the next iteration. Timers with equal deadlines pop in
// the order CPython's heapq pops them (WithStableTimerOrder makes it FIFO).
//
// The loop knows nothing of futures or tasks: those are callbacks to it
// (packages future and task build on Enqueue, AtClose and Key).
//
// # Goroutines
//
// A loop runs on the goroutine that calls RunForever, and task bodies run on
// coroutines that the loop resumes from that goroutine, one at a time. Its
// methods must be called from there — from callbacks and task bodies — or
// while the loop is not running, except those documented as safe for
// concurrent use: CallSoonThreadsafe, Hold, IsRunning, IsClosed and Time
// (for a clock that is). A loop-only call from another goroutine while the
// loop waits for work panics with ErrWrongGoroutine; in debug mode
// (WithDebug) every loop-only call compares goroutine identities, as
// asyncio's debug mode checks threads.
//
// # Errors
//
// A panic in a callback is recovered and reported to the exception handler
// (default: log/slog) as a *PanicError with the stack; the loop runs on.
//
// # asyncio mapping
//
//	asyncio.new_event_loop()          New(opts...)
//	loop.call_soon(cb)                l.CallSoon(fn) *Handle
//	loop.call_later / call_at         l.CallLater(d, fn) / l.CallAt(t, fn) *TimerHandle
//	loop.call_soon_threadsafe(cb)     l.CallSoonThreadsafe(fn) error
//	loop.time()                       l.Time()
//	loop.run_forever() / stop()       l.RunForever() / l.Stop()
//	loop.close() / is_closed()        l.Close() / l.IsClosed()
//	loop.is_running()                 l.IsRunning()
//	set_exception_handler & co.       l.SetExceptionHandler / l.CallExceptionHandler
//	loop.set_debug(True)              WithDebug(true), l.SetDebug(true)
//	loop.slow_callback_duration       WithSlowCallbackDuration(d)
//	Handle.cancel() / cancelled()     h.Cancel() / h.Cancelled()
//	TimerHandle.when()                h.When()
package loop
