// Package aqueue provides asyncio's queues for tasks on one event loop:
// Queue[T] in FIFO, LIFO and priority order, optionally bounded, with
// TaskDone and Join to wait until every item put has been processed.
//
// It is CPython 3.11's asyncio/queues.py ported statement for statement,
// so that programs see the same order of events: blocked getters and
// putters wait in lines of futures and are woken first come, first served;
// a woken task takes its item (or slot) only when it runs, so a TryGet in
// between can take it and send the woken task back to the end of the line
// (asyncio's barging); a task cancelled while blocked neither loses nor
// duplicates an item, and passes on a wake-up it can no longer use. As an
// extra, Shutdown is Python 3.13's queue shutdown.
//
// # Goroutines
//
// A Queue belongs to one loop: the loop of the first task that blocks on
// it (a blocking call from a task of another loop returns an error
// wrapping future.ErrOtherLoop). All of its methods must be called on that
// loop's goroutine: from task bodies (Put, Get and Join must be called in
// the body that received the *task.Coro) or loop callbacks. To feed a
// queue from another goroutine, post the TryPut with
// loop.CallSoonThreadsafe.
//
// # Closing a loop
//
// A loop closed under tasks blocked in Get, Put or Join (a bare
// loop.Close: task.Run cancels its tasks first) unwinds their bodies (see
// package task). Each blocked call takes its waiter out of the queue's
// line as the body unwinds, as the except clauses of asyncio's get and put
// do when a coroutine is closed, but wakes nobody: an item or slot a
// waiter had been woken for stays in the queue. Until its body has
// unwound, a waiter of a closed loop is dead, and the calls that wake
// waiters (TryPut, TryGet, TaskDone, Shutdown) skip it rather than
// schedule its task on the closed loop, which would panic with
// loop.ErrClosed: a TryPut or TaskDone deferred in a body unwound first
// works too.
//
// The queue stays bound to the closed loop, as asyncio's stays bound to
// the first loop it waited on. The calls that do not wait keep working,
// from whichever single goroutine uses the queue now; a Put, Get or Join
// that would have to wait returns an error wrapping future.ErrOtherLoop.
//
// # asyncio mapping
//
//	asyncio.Queue(maxsize)            aqueue.New[T](maxsize)
//	asyncio.LifoQueue(maxsize)        aqueue.NewLIFO[T](maxsize)
//	asyncio.PriorityQueue(maxsize)    aqueue.NewPriority(maxsize, less)
//	await q.put(v) / q.put_nowait(v)  q.Put(c, v) / q.TryPut(v)
//	await q.get() / q.get_nowait()    q.Get(c) / q.TryGet()
//	q.qsize() q.empty() q.full()      q.Len() q.Empty() q.Full()
//	q.maxsize                         q.MaxSize()
//	q.task_done() / await q.join()    q.TaskDone() / q.Join(c)
//	q.shutdown(immediate=False)       q.Shutdown() / q.Shutdown(aqueue.Immediate())
//	QueueFull / QueueEmpty            aqueue.ErrFull / aqueue.ErrEmpty
//	QueueShutDown                     aqueue.ErrShutDown
//	ValueError from task_done()       aqueue.ErrTooManyTaskDone
//
// As in asyncio, a maxsize of zero or less means unbounded. A priority
// queue pops the least item according to the less function it was made
// with; items less does not order either way come out in the order
// CPython's heapq would give them, not in insertion order, so break ties
// in less (Python programs put a counter in their tuples) when that order
// matters.
package aqueue
