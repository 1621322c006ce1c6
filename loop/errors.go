package loop

import (
	"errors"
	"fmt"
	"runtime/debug"
)

var (
	// ErrClosed reports use of a closed loop (asyncio: "Event loop is
	// closed").
	ErrClosed = errors.New("loop: event loop is closed")

	// ErrRunning reports an attempt to run a loop that is already running,
	// or to close a running loop.
	ErrRunning = errors.New("loop: event loop is already running")

	// ErrNotRunning reports a call that needs a running loop (asyncio:
	// "no running event loop").
	ErrNotRunning = errors.New("loop: no running event loop")

	// ErrWrongGoroutine reports a loop-only call made from another goroutine.
	ErrWrongGoroutine = errors.New("loop: called from a goroutine other than the loop's; use CallSoonThreadsafe")
)

// A PanicError is a recovered panic turned into an error: a panic in a
// callback (reported to the exception handler) or in a task body (the task's
// error). It keeps the panic value and the stack of the panicking goroutine.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the stack trace where the panic was recovered
}

// NewPanicError returns a PanicError for the recovered value v with the
// current goroutine's stack. Call it from the deferred function that
// recovered v, so that the stack still shows where the panic happened.
func NewPanicError(v any) *PanicError {
	return &PanicError{Value: v, Stack: debug.Stack()}
}

// Error returns "panic: " and the panic value.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value if it is an error, so errors.Is and
// errors.As see through the panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
