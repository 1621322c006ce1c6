package task

import (
	"time"

	"github.com/goasyncio/goasyncio/future"
)

// Sleep suspends the body for d (asyncio.sleep). A zero or negative d is a
// bare yield, like asyncio.sleep(0). It returns a CancelledError if the task
// is cancelled meanwhile. Must be called in the body that received c.
func (co *Coro) Sleep(d time.Duration) error {
	_, err := SleepValue(co, d, struct{}{})
	return err
}

// SleepValue is Sleep returning v when the time is up (asyncio.sleep's
// result argument).
func SleepValue[T any](c *Coro, d time.Duration, v T) (T, error) {
	if d <= 0 {
		if err := c.Yield(); err != nil {
			var zero T
			return zero, err
		}
		return v, nil
	}
	l := c.Loop()
	f := future.New[T](l)
	if r := l.Recorder(); r != nil {
		r.Label(f, "sleep "+d.String()) // what trace events say the task awaits
	}
	h := l.CallLater(d, func() {
		if !f.Done() { // futures._set_result_unless_cancelled
			f.SetResult(v)
		}
	})
	defer h.Cancel()
	return Await(c, f)
}
