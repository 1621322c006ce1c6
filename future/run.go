package future

import (
	"fmt"

	"github.com/goasyncio/goasyncio/loop"
)

// RunUntilComplete runs l until f is done and returns f's result (asyncio's
// loop.run_until_complete). The loop stops from a done-callback of f, so
// callbacks queued in the same iteration still run, exactly as in asyncio.
// It returns loop.ErrClosed, loop.ErrRunning, ErrOtherLoop if f belongs to
// another loop, and ErrStoppedEarly if something else stopped the loop
// first. Must not be called while l is running.
func RunUntilComplete[T any](l *loop.Loop, f Typed[T]) (T, error) {
	var zero T
	if f.Loop() != l {
		return zero, fmt.Errorf("%w: RunUntilComplete on another loop's future", ErrOtherLoop)
	}
	if l.IsClosed() {
		return zero, loop.ErrClosed
	}
	if l.IsRunning() {
		return zero, loop.ErrRunning
	}
	id := f.AddDoneCallback(func() {
		if !f.Cancelled() {
			f.Err() // the outcome counts as retrieved, as in asyncio
		}
		l.Stop()
	})
	err := l.RunForever()
	f.RemoveDoneCallback(id)
	if err != nil {
		return zero, err
	}
	if !f.Done() {
		return zero, ErrStoppedEarly
	}
	return f.Result()
}
