// Package gather waits for many awaitables at once: asyncio's gather,
// wait and as_completed, reproduced from CPython 3.11's tasks.py callback
// for callback, so that results, wake-ups and cancellations happen on the
// same loop iterations and in the same order as in asyncio.
//
// # Gathering
//
// All returns a Gathering: a future of one result per argument, in
// argument order, that a task awaits with task.Await and cancels with
// Cancel. The first child error fails it at once, while the other children
// run on; AllSettled (return_exceptions=True) waits for all and returns a
// Result, value or error, per child. Mixed and MixedSettled take
// awaitables of different result types and return []any slots. Spawn and
// SpawnSettled take task bodies and spawn them, in argument order, as
// gather does with coroutines. AllOf and AllSettledOf take a slice of one
// concrete type ([]*task.Task[T]).
//
// Cancelling a Gathering — directly, or by cancelling the task that awaits
// it — cancels every unfinished child with the message; the Gathering then
// fails with a *future.CancelledError (it is not Cancelled(): as in
// asyncio, it is a future that failed with the cancellation).
//
// # Waiting
//
// Wait returns the done and pending awaitables once a ReturnWhen condition
// holds (FirstCompleted, FirstException, AllCompleted), or when its
// WithTimeout expires; it cancels nothing. AsCompleted yields results in
// completion order (3.11's as_completed); Completed yields the awaitables
// themselves (3.13's async for over as_completed). Both are iter.Seq2
// iterators that a task body ranges over.
//
// Sets in asyncio are slices here: Wait's done and pending keep argument
// order, and an awaitable given twice counts once everywhere (gather fills
// both of its slots, as asyncio does).
//
// # Concurrency
//
// Everything here runs on the loop's goroutine. All, AllSettled, AllOf,
// AllSettledOf, Mixed, MixedSettled, Spawn and SpawnSettled must be called
// on it (from a task body or a callback) or before the loop runs; a
// Gathering's methods likewise. Wait must be called, and the iterators of
// AsCompleted and Completed ranged over, in the body of the task whose
// *task.Coro they receive: they suspend that task. Use
// loop.CallSoonThreadsafe to reach the loop from other goroutines.
//
// # Misuse
//
// Errors are values: ErrEmpty and ErrReturnWhen (asyncio's ValueError),
// ErrNil for a nil awaitable or body (TypeError), future.ErrOtherLoop for an
// awaitable of another loop. A Gathering reports them by failing at once;
// Wait returns them; the iterators yield them. A nil *loop.Loop panics.
//
// # asyncio mapping
//
//	asyncio.gather(*aws)                          All(l, aws...), AllOf(l, slice), Mixed(l, aws...)
//	asyncio.gather(*coros)                        Spawn(l, bodies...)
//	asyncio.gather(*aws, return_exceptions=True)  AllSettled, AllSettledOf, MixedSettled, SpawnSettled
//	gather(...).cancel(msg)                       (*Gathering).Cancel(msg)
//	asyncio.wait(aws, timeout=t, return_when=w)   Wait(c, aws, w, WithTimeout(t))
//	asyncio.FIRST_COMPLETED / FIRST_EXCEPTION /   FirstCompleted / FirstException / AllCompleted
//	  ALL_COMPLETED
//	for aw in asyncio.as_completed(aws, timeout=t) (3.11)
//	                                              for v, err := range AsCompleted(c, aws, WithTimeout(t))
//	async for t in asyncio.as_completed(aws) (3.13)
//	                                              for t, err := range Completed(c, aws)
//
// Deliberate differences: argument errors are returned (or fail the
// Gathering) instead of raised; AsCompleted stops after yielding a
// cancellation of the consuming task rather than letting the loop body go
// on awaiting; breaking out of an iterator removes its callbacks and timer.
package gather
