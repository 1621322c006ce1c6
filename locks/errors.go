package locks

import "errors"

var (
	// ErrNotLocked reports a release, wait or notify that needs the lock
	// held while it is not (asyncio raises RuntimeError: "Lock is not
	// acquired.", "cannot wait on un-acquired lock", "cannot notify on
	// un-acquired lock"). The errors returned for Condition wrap it.
	ErrNotLocked = errors.New("locks: lock is not acquired")

	// ErrOverRelease reports a BoundedSemaphore released more times than
	// it was acquired (asyncio's ValueError "BoundedSemaphore released too
	// many times").
	ErrOverRelease = errors.New("locks: BoundedSemaphore released too many times")

	// ErrBrokenBarrier is matched (errors.Is) by the errors a broken,
	// aborted or reset Barrier returns (asyncio.BrokenBarrierError).
	ErrBrokenBarrier = errors.New("locks: broken barrier")
)

// reasonError is a sentinel error with a more specific message.
type reasonError struct {
	sentinel error
	msg      string
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.sentinel }

var (
	errWaitNotLocked   = &reasonError{ErrNotLocked, "locks: cannot wait on un-acquired lock"}
	errNotifyNotLocked = &reasonError{ErrNotLocked, "locks: cannot notify on un-acquired lock"}
	errBarrierAborted  = &reasonError{ErrBrokenBarrier, "locks: barrier aborted"}
	errBarrierReset    = &reasonError{ErrBrokenBarrier, "locks: barrier aborted or reset while waiting"}
)
