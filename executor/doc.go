// Package executor runs work that must leave the event loop — blocking
// calls, CPU-heavy functions — on a bounded pool of goroutines, and bridges
// its results back to a loop, and loop tasks out to other goroutines.
//
// A Pool is Python's concurrent.futures.ThreadPoolExecutor: Submit returns a
// Future that any goroutine may wait on, cancel, or attach done-callbacks
// to. Work receives a context.Context — what Python cannot offer: asyncio
// can abandon a running thread but not stop it, while a Go function can be
// asked to. The context is cancelled when the future is cancelled (even
// once the work runs) or the pool shuts down with CancelFutures.
//
// The bridges port asyncio's own: RunInExecutor is loop.run_in_executor
// (Submit, then Wrap, which is futures.wrap_future/_chain_future: the
// outcome reaches the loop through CallSoonThreadsafe, so a ported program
// sees it on the same iteration as in CPython); ToThread is
// asyncio.to_thread; RunCoroutineThreadsafe is run_coroutine_threadsafe.
// Each loop has a default pool, made on first use and shut down by task.Run
// (as asyncio.run awaits loop.shutdown_default_executor) or by the loop's
// Close.
//
// # Goroutines
//
// Pool, Future, Submit, Map and RunCoroutineThreadsafe are safe for
// concurrent use from any goroutine. Wrap, RunInExecutor and SetDefault
// must be called on the loop's goroutine, ToThread in a task body. Never
// block on a Future on a loop's goroutine: that loop runs nothing
// meanwhile; await a Wrap of it.
//
// Done-callbacks of a Future run on the goroutine that completes it: a
// pool's worker, or the goroutine that called Cancel, or — if the future is
// already done — at once on the goroutine that adds them, as in
// concurrent.futures.
//
// # Virtual time
//
// While a bridged result is on its way to a loop, the loop holds
// (loop.Hold), so a looptest clock does not jump over it: on virtual time,
// work on a pool takes no time at all. Work that waits for the loop's
// virtual time to pass would therefore wait forever.
//
// # asyncio mapping
//
//	concurrent.futures.ThreadPoolExecutor(n)  executor.New(executor.WithMaxWorkers(n))
//	ThreadPoolExecutor(initializer=f)         executor.New(executor.WithInitializer(f))
//	concurrent.futures.thread.BrokenThreadPool  *executor.BrokenPoolError (errors.Is ErrBrokenPool)
//	executor.submit(fn, *args)                executor.Submit(p, func(ctx context.Context) (T, error) {...})
//	executor.map(fn, xs, timeout=t)           executor.Map(ctx, p, xs, fn)  (ctx bounds the wait)
//	executor.shutdown(wait, cancel_futures)   p.Shutdown(), p.Shutdown(executor.NoWait(), executor.CancelFutures())
//	with ThreadPoolExecutor() as p:           p := executor.New(); defer p.Shutdown()
//	fut.result(timeout) / exception()         f.Result() / f.Err(); f.WaitTimeout(d) or f.Wait(ctx) first
//	fut.done() / running() / cancelled()      f.Done() / f.Running() / f.Cancelled(); f.DoneChan() for select
//	fut.cancel()                              f.Cancel() (also cancels running work's context)
//	fut.add_done_callback(fn)                 f.AddDoneCallback(func(f *executor.Future[T]) {...})
//	loop.run_in_executor(p, fn, *args)        executor.RunInExecutor(l, p, fn); p nil: the default pool
//	loop.set_default_executor(p)              executor.SetDefault(l, p)
//	loop.shutdown_default_executor()          done by task.Run (task.AtShutdown)
//	asyncio.wrap_future(cf)                   executor.Wrap(l, f)
//	asyncio.to_thread(fn, *args)              executor.ToThread(c, fn, executor.WithContext(ctx))
//	asyncio.run_coroutine_threadsafe(co, l)   executor.RunCoroutineThreadsafe(l, body)
//	loop.call_soon_threadsafe(fn)             l.CallSoonThreadsafe(fn) (package loop)
//
// Python's positional and keyword arguments become a closure; contextvars
// become context values handed on with WithContext.
package executor
