// Package locks provides asyncio's synchronisation primitives for tasks on
// one event loop: Lock, Event, Condition, Semaphore, BoundedSemaphore and
// Barrier.
//
// It is CPython 3.11's asyncio/locks.py ported statement for statement
// (the Semaphore of 3.11.7), so that fairness and cancellation behave
// exactly as in asyncio: waiters are served first come, first served;
// there is no barging (right after a release, a task that did not wait
// queues up behind the waiter that was woken, though Locked reports false
// in between); a waiter cancelled after it was woken passes its turn on; a
// cancelled Condition.Wait re-acquires the lock before it returns.
//
// Lock, Condition, Semaphore and BoundedSemaphore have With, the `async
// with` statement: it runs a function holding the lock and releases it
// however the function returns, so that a lock cannot be left held by an
// early return or a panic.
//
// # Goroutines
//
// A primitive belongs to one loop: the loop of the first task that waits
// on it (a waiting call from a task of another loop returns an error
// wrapping future.ErrOtherLoop). All methods must be called on that loop's
// goroutine: from task bodies (the methods taking a *task.Coro must be
// called in the body that received it) or loop callbacks. These are not
// sync.Mutex and friends: they do not guard data against other goroutines.
//
// # Closing a loop
//
// A loop closed under tasks blocked in a primitive (a bare loop.Close:
// task.Run cancels its tasks first) unwinds their bodies (see package
// task); their deferred calls run, so With releases what it holds. Each
// blocked call cleans up as asyncio's finally clauses do when a coroutine
// is closed, and wakes nobody: its waiter leaves the line; Condition.Wait
// takes the lock again if it is free, so that With's release finds it
// held; Barrier.Wait counts the task out, so that the barrier does not
// stay draining. A Lock released to a waiter that never ran stays free,
// and a Semaphore unit handed to such a waiter goes back to the semaphore
// (asyncio 3.11.7 gives it back only on cancellation, so a closed
// coroutine keeps it). Until its body has unwound, a waiter of a closed
// loop is dead, and Release, Set and Notify skip it rather than schedule
// its task on the closed loop, which would panic with loop.ErrClosed: a
// release deferred in a body unwound first works too.
//
// A primitive stays bound to the closed loop, as asyncio's stays bound to
// the first loop it waited on. The calls that do not wait keep working,
// from whichever single goroutine uses the primitive now; a call that
// would have to wait returns an error wrapping future.ErrOtherLoop. A lock
// (or semaphore unit) that an unwound body held without a deferred
// release stays held until released.
//
// # asyncio mapping
//
//	asyncio.Lock()                     locks.Lock{} (the zero value)
//	await lock.acquire() / release()   m.Acquire(c) / m.Release()
//	async with lock: ...               m.With(c, func() error { ... })
//	lock.locked()                      m.Locked()
//	asyncio.Event()                    locks.Event{}
//	ev.set() ev.clear() ev.is_set()    e.Set() e.Clear() e.IsSet()
//	await ev.wait()                    e.Wait(c)
//	asyncio.Condition(lock=None)       locks.NewCondition(lock) or locks.Condition{}
//	await cond.wait() / wait_for(p)    cv.Wait(c) / cv.WaitFor(c, p)
//	cond.notify(n) / notify_all()      cv.Notify(n) / cv.NotifyAll()
//	asyncio.Semaphore(n)               locks.NewSemaphore(n)
//	asyncio.BoundedSemaphore(n)        locks.NewBoundedSemaphore(n)
//	asyncio.Barrier(n)                 locks.NewBarrier(n)
//	await b.wait() / reset() / abort() b.Wait(c) / b.Reset(c) / b.Abort(c)
//	b.parties b.n_waiting b.broken     b.Parties() b.Waiting() b.Broken()
//	RuntimeError (release unlocked)    locks.ErrNotLocked
//	ValueError (over-release)          locks.ErrOverRelease
//	ValueError (Semaphore(-1))         NewSemaphore panics
//	BrokenBarrierError                 errors matching locks.ErrBrokenBarrier
package locks
