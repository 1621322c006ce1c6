package task

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/goid"
	"github.com/goasyncio/goasyncio/internal/looplink"
	"github.com/goasyncio/goasyncio/loop"
)

var (
	// ErrNotInTask reports an await made outside the body of the task that
	// owns the Coro: from a callback, from another goroutine, or after the
	// task finished.
	ErrNotInTask = errors.New("task: await outside the running task's body")

	// ErrAwaitSelf reports a task awaiting its own completion.
	ErrAwaitSelf = errors.New("task: a task cannot await on itself")

	// ErrAbandoned is what an await returns in a body whose loop was closed
	// while the task was still pending: the body should return.
	ErrAbandoned = errors.New("task: the loop closed while the task was pending")

	// ErrSetResult reports SetResult or SetException called on a task,
	// whose outcome only its body decides.
	ErrSetResult = errors.New("task: Task does not support SetResult or SetException")
)

// abandonSignal is the panic value that unwinds a body whose loop closed.
type abandonSignal struct{}

// An Any is a task of any result type, as Current and All return it.
type Any interface {
	future.Awaitable
	// Name returns the task's name.
	Name() string
	// SetName renames the task.
	SetName(name string)
	// Cancelling returns the number of pending cancellation requests.
	Cancelling() int
	// Uncancel decrements the number of pending cancellation requests and
	// returns the new number.
	Uncancel() int
	// String describes the task, like asyncio's repr.
	String() string
}

// A Task runs a coroutine body on its loop (asyncio.Task). It is a
// Future[T] whose outcome is the body's return: a value, an error, or a
// cancellation.
//
// A Task's methods must be called on the loop's goroutine.
type Task[T any] struct {
	future.Future[T]
	core
	body  func(*Coro) (T, error)
	value T // the body's result, until the step that saw it return stores it
}

// core is the part of a task that does not depend on its result type.
type core struct {
	l      *loop.Loop
	reg    *registry
	self   Any
	fut    *future.Base
	name   string
	number int // for the default name, Task-<number>

	coro       Coro
	co         *coroutine // nil before the first step and after the last
	started    bool
	abandoned  bool
	mustCancel bool
	cancelMsg  *string // the message of the last Cancel, if it had one
	// futWaiter is what the suspended task waits for (asyncio's
	// _fut_waiter). The body sets it when it suspends on a future (nil: a
	// bare yield), and step checks it before registering the wake-up.
	futWaiter  future.Awaitable
	numCancels int

	// exc is the error the next step throws in at the body's await
	// (asyncio's __step(exc)); the resumed body takes it from there. When
	// the body returns, it is the body's error (or its panic) until finish
	// completes the task with it.
	exc error

	stepFn func() // step, bound once: scheduling allocates nothing

	prev, next *core // the registry's list of live tasks
	goroutine  uint64
}

// A Coro is a task body's handle on its task: the only way to suspend.
// It must be used only inside that body.
type Coro struct {
	t *core
}

// An Option configures Spawn.
type Option func(*options)

type options struct {
	name  string
	eager bool
}

// WithName names the task (default "Task-N", counted per loop).
func WithName(name string) Option { return func(o *options) { o.name = name } }

// Eager starts the task's body at once inside Spawn, when the loop is
// running, instead of on the next iteration (Python 3.12's eager_start): a
// body that finishes without suspending never costs a loop iteration.
func Eager() Option { return func(o *options) { o.eager = true } }

// Spawn creates a task that runs body on l (asyncio's create_task): its
// first step is queued with CallSoon, so the body starts on a later
// iteration, after the callbacks already queued. Must be called on the
// loop's goroutine (or before it runs); panics with loop.ErrClosed if l is
// closed.
func Spawn[T any](l *loop.Loop, body func(c *Coro) (T, error), opts ...Option) *Task[T] {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	t := &Task[T]{body: body}
	t.Future.Init(l, t, true)
	c := &t.core
	c.l = l
	c.reg = registryKey.Get(l)
	c.self = t
	c.fut = &t.Future.Base
	c.coro.t = c
	c.stepFn = c.step
	c.reg.init(l)
	if o.name != "" {
		c.name = o.name
	} else {
		c.reg.counter++
		c.number = c.reg.counter // named "Task-N" when first asked
	}
	if o.eager && l.IsRunning() {
		// Registered during its eager step, as 3.12 lists eager tasks in
		// all_tasks(); finish unregisters it if the body returns at once.
		c.reg.add(c)
		prev := c.reg.current
		c.reg.current = nil
		c.step()
		c.reg.current = prev
		return t
	}
	l.Enqueue(c.stepFn)
	c.reg.add(c)
	return t
}

// Name returns the task's name.
func (c *core) Name() string {
	if c.name == "" {
		c.name = "Task-" + strconv.Itoa(c.number)
	}
	return c.name
}

// SetName renames the task.
func (c *core) SetName(name string) { c.name = name }

// Cancelling returns the number of cancellation requests not yet withdrawn
// with Uncancel (asyncio's cancelling()).
func (c *core) Cancelling() int { return c.numCancels }

// Uncancel withdraws one cancellation request and returns the remaining
// number (asyncio's uncancel()); it never goes below zero.
func (c *core) Uncancel() int {
	if c.numCancels > 0 {
		c.numCancels--
	}
	return c.numCancels
}

// Cancel requests cancellation (asyncio's Task.cancel): the body receives a
// CancelledError, carrying the optional message, at its current or next
// await. It returns false if the task is already done. Cancelled reports
// true only once the body has returned the cancellation.
func (t *Task[T]) Cancel(msg ...string) bool {
	t.fut.MarkRetrieved()
	if t.Done() {
		return false
	}
	if tracing(t.l.Recorder()) {
		t.traceCancel(msg)
	}
	t.numCancels++
	if t.futWaiter != nil && t.futWaiter.Cancel(msg...) {
		// Leave futWaiter set: it may be a task that ignores the
		// cancellation, to be cancelled again later.
		return true
	}
	// The next step is already scheduled; it throws the cancellation in.
	t.mustCancel = true
	t.cancelMsg = nil
	if len(msg) > 0 {
		m := msg[0]
		t.cancelMsg = &m
	}
	return true
}

// SetResult returns ErrSetResult: only the body decides a task's outcome.
func (t *Task[T]) SetResult(T) error { return ErrSetResult }

// SetException returns ErrSetResult: only the body decides a task's outcome.
func (t *Task[T]) SetException(error) error { return ErrSetResult }

// String describes the task, like asyncio's repr.
func (t *Task[T]) String() string {
	switch {
	case !t.Done():
		return fmt.Sprintf("<Task pending name=%q>", t.Name())
	case t.Cancelled():
		return fmt.Sprintf("<Task cancelled name=%q>", t.Name())
	}
	return fmt.Sprintf("<Task finished name=%q>", t.Name())
}

// runBody runs the body on its coroutine and records the outcome in the
// task's result fields; the step that resumed the coroutine completes the
// task from them. A panic becomes a loop.PanicError with the stack.
func (t *Task[T]) runBody() (ok bool) {
	returned := false
	defer func() {
		if returned {
			return
		}
		r := recover()
		switch {
		case t.abandoned:
			ok = false
			if _, unwound := r.(abandonSignal); !unwound && r != nil {
				// A deferred call panicked while the body was unwound:
				// CPython reports an exception raised while a coroutine
				// is closed as unraisable, not silently.
				t.l.CallExceptionHandler(loop.ExceptionContext{
					Message: fmt.Sprintf("task %s: panic while its body was unwound (the loop closed while the task was pending)", t.Name()),
					Err:     loop.NewPanicError(r),
					Task:    t,
				})
			}
		case r == nil:
			// runtime.Goexit (t.FailNow, t.Fatal) in a body: iter.Pull
			// carries it on to the loop's goroutine, which exits too.
			t.l.CallExceptionHandler(loop.ExceptionContext{
				Message: fmt.Sprintf("task %s: body called runtime.Goexit (t.Fatal or t.FailNow?); the loop's goroutine exits with it", t.Name()),
				Task:    t,
			})
		default:
			t.exc = loop.NewPanicError(r)
			ok = true
		}
	}()
	if t.l.Debug() {
		t.goroutine = goid.Get()
		looplink.RegisterCoroutineGoroutine(t.l, t.goroutine, true)
		defer looplink.RegisterCoroutineGoroutine(t.l, t.goroutine, false)
	}
	v, err := t.body(&t.coro)
	returned = true
	t.value, t.exc = v, err
	return !t.abandoned
}

// fromOtherGoroutine reports, in debug mode, an await made on a goroutine
// other than the body's, such as one the body started while it blocks the
// loop: yielding from there would hand the coroutine to that goroutine and
// leave the body running beside the loop. Without debug mode such a call is
// not detected (telling goroutines apart costs a stack trace).
func (c *core) fromOtherGoroutine() bool {
	return c.goroutine != 0 && c.l.Debug() && goid.Get() != c.goroutine
}

// setResult completes the task's future with the body's value.
func (t *Task[T]) setResult() {
	v := t.value
	var zero T
	t.value = zero
	t.Future.SetResult(v)
}

// cancelArgs returns the message of the last Cancel as Cancel's variadic
// argument: none, or the message.
func (c *core) cancelArgs() []string {
	if c.cancelMsg == nil {
		return nil
	}
	return []string{*c.cancelMsg}
}
