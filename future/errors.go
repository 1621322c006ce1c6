package future

import (
	"context"
	"errors"
)

// A CancelledError is what a cancelled future or task returns, and what an
// await receives when the waiting task is cancelled (asyncio.CancelledError).
// errors.Is(err, context.Canceled) holds for it.
type CancelledError struct {
	// Msg is the message given to Cancel, if HasMsg.
	Msg    string
	HasMsg bool
}

// NewCancelledError returns a CancelledError with the optional message.
func NewCancelledError(msg ...string) *CancelledError {
	if len(msg) == 0 {
		return &CancelledError{}
	}
	return &CancelledError{Msg: msg[0], HasMsg: true}
}

// Error returns "cancelled" followed by the message, if any.
func (e *CancelledError) Error() string {
	if e.HasMsg {
		return "cancelled: " + e.Msg
	}
	return "cancelled"
}

// Is reports whether target is context.Canceled.
func (e *CancelledError) Is(target error) bool { return target == context.Canceled }

// IsCancelled reports whether err is, or wraps, a CancelledError: the
// outcome of a cancellation inside the loop (a plain context.Canceled from
// elsewhere is not one).
func IsCancelled(err error) bool {
	var ce *CancelledError
	return errors.As(err, &ce)
}

// ErrInvalidState is matched by every InvalidStateError (errors.Is).
var ErrInvalidState = errors.New("invalid state")

// An InvalidStateError reports an operation not allowed in the future's
// state (asyncio.InvalidStateError): reading the result of a pending future,
// completing a done one.
type InvalidStateError struct {
	Msg string
}

// Error returns the message.
func (e *InvalidStateError) Error() string { return "future: " + e.Msg }

// Is reports whether target is ErrInvalidState.
func (e *InvalidStateError) Is(target error) bool { return target == ErrInvalidState }

// A TimeoutError reports that an operation ran out of time (asyncio's
// TimeoutError). errors.Is(err, context.DeadlineExceeded) holds for it.
//
// Cause is the cancellation that the timeout turned into this error
// (Python's __cause__). It is deliberately not returned by Unwrap: a timed
// out operation must not also look cancelled to errors.Is(err,
// context.Canceled), or callers could not tell the two apart.
type TimeoutError struct {
	Cause error
}

// Error returns "timeout".
func (e *TimeoutError) Error() string { return "timeout" }

// Is reports whether target is context.DeadlineExceeded.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

var (
	// ErrNilError is returned by SetException(nil): a nil error cannot be
	// a failure (asyncio raises TypeError for an invalid exception).
	ErrNilError = errors.New("future: SetException with a nil error")

	// ErrStoppedEarly is returned by RunUntilComplete when the loop stopped
	// before the future completed.
	ErrStoppedEarly = errors.New("future: event loop stopped before future completed")

	// ErrOtherLoop reports a future attached to a different loop than the
	// one that runs the operation.
	ErrOtherLoop = errors.New("future: attached to a different loop")
)
