// Package looptest runs event loops on virtual time, for tests and examples
// whose timers should fire instantly and in a deterministic order, and
// helps tests check the order in which things ran (like net/http/httptest
// for HTTP).
//
// # Virtual time
//
// A loop made by New or NewT reads a Clock that jumps straight to the next
// timer's deadline whenever the loop has nothing ready to run (Trio's
// autojump clock): a task that sleeps for an hour, or waits for a one-hour
// timeout, resumes at once in real time, with loop time exactly one hour
// later. NewManualClock makes a clock that moves only when Advance is
// called.
//
// The rule that keeps virtual time honest: time never jumps while work on
// another goroutine may still post a callback to the loop. Such work must
// be announced with loop.Hold, and the hold released after its last
// CallSoonThreadsafe:
//
//	release := l.Hold()
//	go func() {
//		defer release()
//		v := compute() // real work, any duration
//		l.CallSoonThreadsafe(func() { f.SetResult(v) })
//	}()
//
// While a hold is outstanding the clock waits (on channels only) for the
// post instead of jumping. Package executor's bridges (RunInExecutor,
// ToThread, Wrap) hold the loop from the moment they hand work out until
// its result is posted back, so code that uses them needs nothing more;
// code that starts its own goroutines must call Hold itself. A goroutine
// that posts without a hold races the clock: a timeout may fire "before" a
// result that was already on its way. Conversely, a goroutine that holds
// the loop while it waits for the loop (for a timer, say) deadlocks it.
//
// # Tests
//
// NewT binds such a loop to a *testing.T: it is closed when the test ends,
// and the test fails on leaked goroutines and on calls of the loop's
// exception handler (a panic in a callback, an error nobody retrieved).
// CheckTrace compares the events of a loop.Recorder with a golden list;
// ForSeeds runs a test under many seeds of loop.WithPerturbation.
//
// Loops made here also work inside testing/synctest bubbles: the idle wait
// blocks on channels only (never a system call), so it is durable, and
// synctest.Wait returns while the loop waits for work.
//
// # Asyncio mapping
//
// asyncio has no public virtual clock; tests commonly patch loop.time or
// use a TestLoop from asyncio's own test suite (test_utils.TestLoop, whose
// advance_time is Advance here). Trio's MockClock(autojump_threshold=0) is
// the model for the auto-jump clock.
//
// # Goroutines
//
// The loop keeps its usual rule: its methods are called on its own
// goroutine. A Clock's methods are safe for concurrent use. NewT,
// CheckTrace and ForSeeds are called on the test's goroutine.
package looptest
