package conformance

import (
	"errors"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("013_future_states", case013)
	// SetException(nil) is Go's invalid exception, as set_exception of a
	// StopIteration is Python's: both are rejected with a TypeError.
	errTypes = append(errTypes, func(err error) (string, Tuple, bool) {
		if errors.Is(err, future.ErrNilError) {
			return "TypeError", Tuple{err.Error()}, true
		}
		return "", nil, false
	})
}

// attempt is the Python attempt(): call fn and print what it returned or
// raised. An error stands for the exception fn raised.
func attempt(p *P, label string, fn func() (any, error), showMsg ...bool) {
	r, err := fn()
	switch {
	case err == nil:
		p.Printf("%s: returned %s\n", label, Repr(r))
	case future.IsCancelled(err):
		p.Printf("%s: CancelledError%s\n", label, ExcArgs(err))
	case len(showMsg) > 0 && showMsg[0]:
		p.Printf("%s: %s %s\n", label, ExcName(err), Str(err))
	default:
		p.Printf("%s: %s\n", label, ExcName(err))
	}
}

func case013(p *P) {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		f := future.New[any](l)
		attempt(p, "pending result()", f.Result, true)
		attempt(p, "pending exception()", func() (any, error) { return nil, f.Err() }, true)
		p.Print("pending done/cancelled:", f.Done(), f.Cancelled())
		attempt(p, "cancel()", func() (any, error) { return f.Cancel(), nil })
		attempt(p, "cancel() again", func() (any, error) { return f.Cancel(), nil })
		p.Print("cancelled done/cancelled:", f.Done(), f.Cancelled())
		attempt(p, "cancelled result()", f.Result)
		attempt(p, "cancelled exception()", func() (any, error) { return nil, f.Err() })
		attempt(p, "cancelled set_result()", func() (any, error) { return nil, f.SetResult(1) })

		g := future.New[any](l)
		g.SetException(Exc("ValueError")) // Python instantiates the class
		attempt(p, "exception() after set_exception(ValueError)", func() (any, error) { return g.Err(), nil })
		attempt(p, "result() after set_exception", g.Result)
		attempt(p, "set_result() on finished", func() (any, error) { return nil, g.SetResult(2) })
		attempt(p, "cancel() on finished", func() (any, error) { return g.Cancel(), nil })

		h := future.New[any](l)
		attempt(p, "set_exception(StopIteration())", func() (any, error) { return nil, h.SetException(nil) })
		p.Print("h still pending:", !h.Done())
		h.SetResult(nil)
		attempt(p, "result() of None-result future", h.Result)
		attempt(p, "exception() of successful future", func() (any, error) { return h.Err(), nil })
		return nil, nil
	})
}
