package task

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// step runs the body until it suspends or returns: asyncio's Task.__step,
// statement for statement. It is always a loop callback (or the eager start
// inside Spawn).
//
// It is also asyncio's Task.__wakeup: a task whose futWaiter is set is
// suspended on that future, and the only callback that can step it then is
// the one the future scheduled when it completed. Reading the future's
// outcome first is what __wakeup does; one bound function instead of two
// saves an allocation per task.
func (c *core) step() {
	if fw := c.futWaiter; fw != nil {
		// The future's error (or cancellation) is thrown in at the await;
		// reading it also marks it retrieved.
		c.exc = fw.Err()
	}
	if c.fut.Done() {
		panic(&future.InvalidStateError{Msg: "step(): already done: " + c.self.String()})
	}
	exc := c.exc
	c.exc = nil
	if c.mustCancel {
		if !future.IsCancelled(exc) {
			exc = future.NewCancelledError(c.cancelArgs()...)
		}
		c.mustCancel = false
	}
	c.futWaiter = nil

	c.reg.enter(c)
	var finished bool
	if r := c.l.Recorder(); tracing(r) { // trace.go
		finished = c.tracedResume(r, exc)
	} else {
		finished = c.resume(exc)
	}
	c.reg.leave(c)

	if finished {
		c.finish()
		return
	}
	r := c.futWaiter // what the body suspended on
	switch {
	case r == nil: // a bare yield: run again on the next iteration
		c.l.Enqueue(c.stepFn)
	case r.Loop() != c.l:
		c.futWaiter = nil
		c.exc = fmt.Errorf("%w: task %s awaited %v", future.ErrOtherLoop, c.Name(), r)
		c.l.Enqueue(c.stepFn)
	case future.BaseOf(r) == c.fut:
		c.futWaiter = nil
		c.exc = ErrAwaitSelf
		c.l.Enqueue(c.stepFn)
	default:
		r.AddDoneCallback(c.stepFn) // as __wakeup (see step)
		if c.mustCancel && r.Cancel(c.cancelArgs()...) {
			c.mustCancel = false
		}
	}
}

// resume runs the body with exc thrown in at its await (nil: the await
// returns normally) and reports whether the body returned.
func (c *core) resume(exc error) (finished bool) {
	if !c.started {
		c.started = true
		if exc != nil {
			// Throwing into a coroutine that never ran raises at its start:
			// the body never runs.
			c.exc = exc // the body's outcome, for finish
			return true
		}
		c.co = c.reg.getCoroutine()
		c.co.job = c
	}
	c.exc = exc
	return c.co.resume()
}

// finish completes the task from what its body returned.
func (c *core) finish() {
	c.co = nil   // parked in the pool by now, or exited
	err := c.exc // what the body returned
	c.exc = nil
	switch {
	case err == nil:
		if c.mustCancel { // cancelled right before the body returned
			c.mustCancel = false
			c.fut.Cancel(c.cancelArgs()...)
		} else {
			c.self.(runner).setResult()
		}
	case future.IsCancelled(err):
		c.fut.CancelWithError(err)
	default:
		c.fut.SetException(err)
	}
	c.reg.remove(c)
}

// await suspends the body until aw is done. It returns the error thrown in
// at the await (a cancellation), or nil once aw is done.
func (co *Coro) await(aw future.Awaitable) error {
	c := co.t
	if c.abandoned {
		return ErrAbandoned
	}
	if c.reg.current != c || c.fromOtherGoroutine() {
		return ErrNotInTask
	}
	if aw.Done() {
		return nil
	}
	c.futWaiter = aw // step registers the wake-up
	return co.suspend()
}

// suspend gives control back to the loop; it returns the error thrown in
// when the loop resumes the body.
func (co *Coro) suspend() error {
	c := co.t
	if !c.co.suspend() {
		c.abandoned = true
		panic(abandonSignal{})
	}
	err := c.exc
	c.exc = nil
	return err
}

// Await waits for f and returns its result (Python's `await f`). A done f
// returns at once without suspending. If the task is cancelled while
// waiting, f is cancelled too and Await returns the CancelledError.
// Must be called in the body that received c.
func Await[T any](c *Coro, f future.Typed[T]) (T, error) {
	if err := c.await(f); err != nil {
		var zero T
		return zero, err
	}
	return f.Result()
}

// Await waits for aw and returns its error, discarding any result.
// Must be called in the body that received c.
func (co *Coro) Await(aw future.Awaitable) error {
	if err := co.await(aw); err != nil {
		return err
	}
	return aw.Err()
}

// Yield gives the loop one iteration (asyncio.sleep(0)): the body resumes
// after the callbacks already queued. It returns a CancelledError if the task
// was cancelled meanwhile. Must be called in the body that received c.
func (co *Coro) Yield() error {
	c := co.t
	if c.abandoned {
		return ErrAbandoned
	}
	if c.reg.current != c || c.fromOtherGoroutine() {
		return ErrNotInTask
	}
	return co.suspend()
}

// Loop returns the loop the task runs on.
func (co *Coro) Loop() *loop.Loop { return co.t.l }

// Task returns the task whose body received c.
func (co *Coro) Task() Any { return co.t.self }

// Current returns the task whose body is running on l (asyncio's
// current_task), or nil from a plain callback. It returns
// loop.ErrNotRunning if l is not running. Must be called on the loop's
// goroutine.
func Current(l *loop.Loop) (Any, error) {
	if !l.IsRunning() {
		return nil, loop.ErrNotRunning
	}
	reg := registryKey.Lookup(l)
	if reg == nil || reg.current == nil {
		return nil, nil
	}
	return reg.current.self, nil
}

// All returns the tasks of l that are not done (asyncio's all_tasks), in
// the order they were created. Must be called on the loop's goroutine.
func All(l *loop.Loop) []Any {
	reg := registryKey.Lookup(l)
	if reg == nil {
		return nil
	}
	var out []Any
	for c := reg.head; c != nil; c = c.next {
		if !c.fut.Done() {
			out = append(out, c.self)
		}
	}
	// A set in asyncio: its order is open, and perturbed on request.
	loop.ShuffleSet(l, out)
	return out
}
