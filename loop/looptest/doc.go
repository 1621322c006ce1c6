// Package looptest runs event loops on virtual time, for tests and examples
// whose timers should fire instantly and in a deterministic order.
//
// A loop made by New reads a Clock that jumps to the next timer whenever
// nothing is ready, unless work on other goroutines is outstanding
// (loop.Hold): a one-hour timeout elapses in microseconds of real time.
// The loop itself keeps its usual rule: its methods are called on its own
// goroutine; the Clock's methods are safe for concurrent use.
package looptest
