package future

import (
	"fmt"

	"github.com/goasyncio/goasyncio/loop"
)

// An Awaitable is anything a task can wait for: a Future of any result type,
// a Task, a gather. It is the non-generic view combinators use to mix result
// types. Only types embedding a Future implement it.
//
// Its methods must be called on the loop's goroutine.
type Awaitable interface {
	// Loop returns the loop the awaitable belongs to.
	Loop() *loop.Loop
	// Done reports whether it finished, failed or was cancelled.
	Done() bool
	// Cancelled reports whether it was cancelled.
	Cancelled() bool
	// Cancel cancels it (for a task: requests cancellation), with an
	// optional message; it reports whether anything was done.
	Cancel(msg ...string) bool
	// Err returns its error once done (nil on success), a CancelledError
	// if cancelled, or an InvalidStateError while pending.
	Err() error
	// AddDoneCallback schedules fn on the loop when it is done.
	AddDoneCallback(fn func()) CallbackID
	// RemoveDoneCallback unregisters callbacks that have not been scheduled.
	RemoveDoneCallback(ids ...CallbackID) int

	base() *Base
}

// A Typed awaitable also yields a result of type T.
type Typed[T any] interface {
	Awaitable
	// Result returns the value, or the error of a failed or cancelled
	// awaitable, or an InvalidStateError while pending.
	Result() (T, error)
}

// A CallbackID identifies one registration of a done-callback; Go funcs are
// not comparable, so RemoveDoneCallback takes ids instead of functions.
type CallbackID uint64

type state uint8

const (
	pending state = iota
	cancelled
	finished
)

type callback struct {
	id CallbackID
	fn func()
}

// Base is the part of a Future that does not depend on the result type. It
// is exported only so that other packages can embed Future; use Future.
//
// Its fields are ordered to keep it small (a suspended task holds one, and
// usually a future it waits on): the flags share a word.
type Base struct {
	l            *loop.Loop
	err          error   // the failure; once cancelled, what the body of a task returned
	cancelMsg    *string // the message given to Cancel, if any
	callbacks    []callback
	cb0          [1]callback // inline storage for the common single callback
	owner        any         // what error reports name: the Future or the Task
	lastID       uint32      // of the last CallbackID handed out
	state        state
	logTraceback bool
	isTask       bool // report "Task exception was never retrieved"
	seen         bool // set only while Distinct runs
}

// A Future is a result that will exist later (asyncio.Future): pending until
// SetResult, SetException or Cancel; done-callbacks then run on the loop, in
// registration order, never synchronously.
//
// A Future's methods must be called on the loop's goroutine (or while the
// loop is not running); use loop.CallSoonThreadsafe from other goroutines.
type Future[T any] struct {
	Base
	result T
}

// New returns a pending future attached to l (asyncio's loop.create_future).
func New[T any](l *loop.Loop) *Future[T] {
	f := &Future[T]{}
	f.Init(l, f, false)
	return f
}

// Init prepares a Future embedded in another type, such as a task. owner is
// the embedding value that error reports name; isTask selects "Task" over
// "Future" in the never-retrieved report. Other code should use New.
func (f *Future[T]) Init(l *loop.Loop, owner any, isTask bool) {
	f.l = l
	f.owner = owner
	f.isTask = isTask
	f.callbacks = f.cb0[:0]
}

func (b *Base) base() *Base { return b }

// Loop returns the loop the future is attached to (asyncio's get_loop).
func (b *Base) Loop() *loop.Loop { return b.l }

// Done reports whether the future has a result, an error, or was cancelled.
func (b *Base) Done() bool { return b.state != pending }

// Cancelled reports whether the future was cancelled.
func (b *Base) Cancelled() bool { return b.state == cancelled }

// Err returns the future's error (asyncio's exception()): nil if it has a
// result, the error given to SetException, a CancelledError if cancelled, or
// an InvalidStateError while pending. It marks the error as retrieved.
func (b *Base) Err() error {
	switch b.state {
	case pending:
		return &InvalidStateError{Msg: "Exception is not set."}
	case cancelled:
		return b.makeCancelledError()
	}
	b.retrieved()
	return b.err
}

// Cancel cancels a pending future and schedules its callbacks, with an
// optional message that the CancelledError carries. It returns false if the
// future was already done.
func (b *Base) Cancel(msg ...string) bool {
	b.retrieved()
	if b.state != pending {
		return false
	}
	b.state = cancelled
	if len(msg) > 0 {
		m := msg[0]
		b.cancelMsg = &m
	}
	b.scheduleCallbacks()
	return true
}

// CancelWithError cancels the future recording err as the error the next
// Result or Err returns; a task uses it when its body returns a cancellation
// (asyncio keeps the CancelledError the coroutine raised). It returns false
// if the future was already done.
func (b *Base) CancelWithError(err error) bool {
	if !b.Cancel() {
		return false
	}
	b.err = err // a cancelled future has no failure of its own
	return true
}

// CancelMessage returns the message given to Cancel and whether there was
// one.
func (b *Base) CancelMessage() (string, bool) {
	if b.cancelMsg == nil {
		return "", false
	}
	return *b.cancelMsg, true
}

// makeCancelledError is asyncio's _make_cancelled_error: the error a task's
// body returned the first time, a fresh CancelledError with the message
// after that.
func (b *Base) makeCancelledError() error {
	if err := b.err; err != nil {
		b.err = nil
		return err
	}
	if b.cancelMsg != nil {
		return NewCancelledError(*b.cancelMsg)
	}
	return NewCancelledError()
}

// SetException marks the future failed with err and schedules its
// callbacks. It returns an InvalidStateError if the future is done and
// ErrNilError if err is nil.
func (b *Base) SetException(err error) error {
	if b.state != pending {
		return &InvalidStateError{Msg: "invalid state"}
	}
	if err == nil {
		return ErrNilError
	}
	b.err = err
	b.state = finished
	b.scheduleCallbacks()
	b.logTraceback = true
	trackUnretrieved(b)
	return nil
}

// AddDoneCallback registers fn to be scheduled on the loop (with
// loop.Enqueue) when the future is done; if it is done already, fn is
// scheduled at once. Callbacks run in registration order. The returned id
// removes the registration.
func (b *Base) AddDoneCallback(fn func()) CallbackID {
	b.lastID++
	id := CallbackID(b.lastID)
	if b.state != pending {
		b.l.Enqueue(fn)
		return id
	}
	b.callbacks = append(b.callbacks, callback{id: id, fn: fn})
	return id
}

// RemoveDoneCallback unregisters the callbacks with the given ids that have
// not been scheduled yet and returns how many it removed (asyncio's
// remove_done_callback; once the future is done it removes nothing).
func (b *Base) RemoveDoneCallback(ids ...CallbackID) int {
	kept := b.callbacks[:0]
	for _, cb := range b.callbacks {
		drop := false
		for _, id := range ids {
			if cb.id == id {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, cb)
		}
	}
	removed := len(b.callbacks) - len(kept)
	clear(b.callbacks[len(kept):])
	b.callbacks = kept
	return removed
}

// scheduleCallbacks queues every registered callback, in order.
func (b *Base) scheduleCallbacks() {
	cbs := b.callbacks
	for i, cb := range cbs {
		b.l.Enqueue(cb.fn)
		cbs[i] = callback{}
	}
	b.callbacks = cbs[:0]
}

// MarkRetrieved marks the future's error as retrieved without reading it,
// so it is not reported as never retrieved (a task's Cancel does this).
func (b *Base) MarkRetrieved() { b.retrieved() }

func (b *Base) retrieved() {
	if b.logTraceback {
		b.logTraceback = false
		untrack(b)
	}
}

// Result returns the future's value (asyncio's result()): the error given
// to SetException, a CancelledError if it was cancelled, or an
// InvalidStateError while pending. It marks an error as retrieved.
func (f *Future[T]) Result() (T, error) {
	var zero T
	switch f.state {
	case pending:
		return zero, &InvalidStateError{Msg: "Result is not set."}
	case cancelled:
		return zero, f.makeCancelledError()
	}
	f.retrieved()
	if f.err != nil {
		return zero, f.err
	}
	return f.result, nil
}

// SetResult marks the future done with value v and schedules its callbacks.
// It returns an InvalidStateError if the future is already done.
func (f *Future[T]) SetResult(v T) error {
	if f.state != pending {
		return &InvalidStateError{Msg: "invalid state"}
	}
	f.result = v
	f.state = finished
	f.scheduleCallbacks()
	return nil
}

// String describes the future's state, like asyncio's repr.
func (f *Future[T]) String() string {
	switch f.state {
	case pending:
		return "<Future pending>"
	case cancelled:
		return "<Future cancelled>"
	}
	if f.err != nil {
		return fmt.Sprintf("<Future finished exception=%v>", f.err)
	}
	return fmt.Sprintf("<Future finished result=%v>", f.result)
}

// BaseOf returns the shared core of an awaitable; combinators use it to
// compare identities. (Two awaitables are the same future exactly when their
// bases are the same.)
func BaseOf(a Awaitable) *Base { return a.base() }

// Distinct returns the distinct futures of aws in the order of their first
// appearance (asyncio's set(fs), with an order): two awaitables are the
// same future when they share a Base, as a Task does seen as an Awaitable
// and as a Typed. gather, wait and as_completed use it to register one
// done-callback per future. It marks each Base while it runs instead of
// hashing, so it must be called on the futures' loop goroutine.
func Distinct[A Awaitable](aws []A) []A {
	out := make([]A, 0, len(aws))
	defer func() { // also when a nil awaitable panics: no mark may stay
		for _, aw := range out {
			aw.base().seen = false
		}
	}()
	for _, aw := range aws {
		if b := aw.base(); !b.seen {
			b.seen = true
			out = append(out, aw)
		}
	}
	return out
}
