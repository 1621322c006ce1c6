package loop

import "time"

// A Handle is a callback scheduled with CallSoon (asyncio.Handle). It can be
// cancelled until it runs.
//
// A Handle's methods must be called on the loop's goroutine.
type Handle struct {
	fn        func()
	cancelled bool
	timer     bool // a TimerHandle's: trace events call its run "timer"
}

// Cancel prevents the callback from running if it has not run yet. As in
// asyncio, cancelling a handle whose callback already ran only marks it
// cancelled. Cancel is idempotent.
func (h *Handle) Cancel() {
	h.cancelled = true
	h.fn = nil // release what the callback holds, as asyncio does
}

// Cancelled reports whether Cancel was called.
func (h *Handle) Cancelled() bool { return h.cancelled }

// A TimerHandle is a callback scheduled with CallLater or CallAt
// (asyncio.TimerHandle).
//
// A TimerHandle's methods must be called on the loop's goroutine.
type TimerHandle struct {
	Handle
	l         *Loop
	when      int64  // loop time in nanoseconds since the loop's epoch
	seq       uint64 // insertion order, for the stable timer order
	scheduled bool   // in the loop's heap
}

// Cancel prevents the callback from running if it has not run yet.
func (h *TimerHandle) Cancel() {
	if !h.cancelled && h.scheduled {
		h.l.timerCancelledCount++
	}
	h.Handle.Cancel()
}

// When returns the time at which the callback is scheduled to run, on the
// loop's clock.
func (h *TimerHandle) When() time.Time { return h.l.epoch.Add(time.Duration(h.when)) }
