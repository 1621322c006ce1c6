package task

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

var (
	// ErrGroupFinished reports SpawnIn on a group that has finished: Group
	// returned, or was returning with no children left (asyncio's
	// RuntimeError "TaskGroup ... is finished").
	ErrGroupFinished = errors.New("task: TaskGroup is finished")

	// ErrGroupShuttingDown reports SpawnIn on a group that is cancelling its
	// children after a failure or a cancellation (asyncio's RuntimeError
	// "TaskGroup ... is shutting down").
	ErrGroupShuttingDown = errors.New("task: TaskGroup is shutting down")
)

// A GroupError collects the errors of a TaskGroup's children, and of its
// body, in the order they happened (asyncio's ExceptionGroup 'unhandled
// errors in a TaskGroup'). errors.Is and errors.As look into every one.
type GroupError struct {
	Errs []error
}

// Error lists the errors.
func (e *GroupError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "task: unhandled errors in a TaskGroup (%d sub-error", len(e.Errs))
	if len(e.Errs) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(")")
	for i, err := range e.Errs {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the collected errors.
func (e *GroupError) Unwrap() []error { return e.Errs }

// A TaskGroup is a set of child tasks that Group waits for
// (asyncio.TaskGroup). Add children with SpawnIn.
//
// Its methods must be called on the loop's goroutine.
type TaskGroup struct {
	l      *loop.Loop
	c      *Coro // the parent task's body, which runs Group
	parent Any

	exiting               bool
	aborting              bool
	parentCancelRequested bool

	head, tail *groupChild // the children not done, in creation order
	n          int
	errs       []error

	onCompleted *future.Future[struct{}] // released when the last child is done
}

// groupChild is one entry of the group's set of children.
type groupChild struct {
	t          Any
	prev, next *groupChild
}

// Group runs body with a new TaskGroup and waits until every child spawned
// in it has finished — including children spawned while Group is already
// waiting (asyncio's `async with asyncio.TaskGroup() as g:`).
//
// The first child that fails (returns an error other than its
// cancellation) cancels all the other children and the calling task, so
// that body is interrupted at its current await; Group withdraws that
// cancellation of the caller when it returns. Group then returns a
// *GroupError with the children's errors in the order they failed, followed
// by body's error if body returned one that is not a cancellation.
//
// If body returns an error (or panics: the panic is recovered as a
// *loop.PanicError), the children are cancelled and waited for. If the
// calling task is cancelled from outside, Group cancels the children, waits
// for them and returns the CancelledError — unless children failed, whose
// GroupError takes precedence.
//
// Must be called in the body that received c; it returns ErrNotInTask
// otherwise, without running body.
func Group(c *Coro, body func(g *TaskGroup) error) error {
	if err := c.inTask(); err != nil {
		return err
	}
	g := &TaskGroup{l: c.Loop(), c: c, parent: c.Task()}
	return g.exit(g.run(body))
}

// run runs body, turning a panic into its error, as an exception in an
// `async with` block reaches __aexit__: the children must not outlive the
// group, even then.
func (g *TaskGroup) run(body func(g *TaskGroup) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abandonSignal); ok {
				panic(r) // the loop is closing: unwind, do not wait
			}
			err = loop.NewPanicError(r)
		}
	}()
	return body(g)
}

// SpawnIn creates a task running body in g (asyncio's TaskGroup.create_task)
// with the options of Spawn. It returns ErrGroupFinished if g is done and
// ErrGroupShuttingDown while g is cancelling its children.
// Must be called on the loop's goroutine.
func SpawnIn[T any](g *TaskGroup, body func(c *Coro) (T, error), opts ...Option) (*Task[T], error) {
	if g.exiting && g.n == 0 {
		return nil, ErrGroupFinished
	}
	if g.aborting {
		return nil, ErrGroupShuttingDown
	}
	var t *Task[T]
	if len(opts) == 0 {
		t = Spawn(g.l, body)
	} else {
		// create_task is called without a name and the name set afterwards,
		// so the Task-N counter advances for named children too, as in
		// asyncio.
		var name string
		opts = append(opts[:len(opts):len(opts)], func(o *options) { name, o.name = o.name, "" })
		t = Spawn(g.l, body, opts...)
		if name != "" {
			t.SetName(name)
		}
	}
	ch := &groupChild{t: t, prev: g.tail}
	if g.tail != nil {
		g.tail.next = ch
	} else {
		g.head = ch
	}
	g.tail = ch
	g.n++
	t.AddDoneCallback(func() { g.onTaskDone(ch) })
	return t, nil
}

// exit is TaskGroup.__aexit__; err is what body returned.
func (g *TaskGroup) exit(err error) error {
	g.exiting = true

	var propagateCancel error
	if future.IsCancelled(err) {
		propagateCancel = err
	}
	if g.parentCancelRequested {
		// The group cancelled its parent: withdraw that request, and if it
		// was the only one, the cancellation is not the caller's to see.
		if g.parent.Uncancel() == 0 {
			propagateCancel = nil
		}
	}
	if err != nil && !g.aborting {
		// The parent was cancelled, or body failed: stop the children.
		g.abort()
	}

	// A loop, because the wait can be cancelled several times when the
	// parent is cancelled repeatedly.
	for g.n > 0 {
		if g.onCompleted == nil {
			g.onCompleted = future.New[struct{}](g.l)
		}
		if werr := g.c.Await(g.onCompleted); werr != nil {
			if !future.IsCancelled(werr) {
				return werr // the loop closed
			}
			if !g.aborting {
				// The parent is cancelled while only waiting for children.
				propagateCancel = werr
				g.abort()
			}
		}
		g.onCompleted = nil
	}

	// A cancellation propagates, unless children failed: those errors win.
	if propagateCancel != nil && len(g.errs) == 0 {
		return propagateCancel
	}
	if err != nil && !future.IsCancelled(err) {
		g.errs = append(g.errs, err)
	}
	if len(g.errs) > 0 {
		ge := &GroupError{Errs: g.errs}
		g.errs = nil
		return ge
	}
	return nil
}

// abort is TaskGroup._abort: cancel every child not done yet.
func (g *TaskGroup) abort() {
	g.aborting = true
	for ch := g.head; ch != nil; ch = ch.next {
		if !ch.t.Done() {
			ch.t.Cancel()
		}
	}
}

// onTaskDone is TaskGroup._on_task_done, a done-callback of every child.
func (g *TaskGroup) onTaskDone(ch *groupChild) {
	g.remove(ch)
	if g.onCompleted != nil && g.n == 0 && !g.onCompleted.Done() {
		g.onCompleted.SetResult(struct{}{})
	}
	t := ch.t
	if t.Cancelled() {
		return
	}
	err := t.Err()
	if err == nil {
		return
	}
	g.errs = append(g.errs, err)
	if g.parent.Done() {
		// Cannot happen while Group waits; kept from asyncio for safety.
		g.l.CallExceptionHandler(loop.ExceptionContext{
			Message: fmt.Sprintf("Task %v has errored out but its parent task %v is already completed", t, g.parent),
			Err:     err,
			Task:    t,
		})
		return
	}
	if !g.aborting && !g.parentCancelRequested {
		// Interrupt whatever the parent is awaiting in body; exit withdraws
		// this cancellation again.
		g.abort()
		g.parentCancelRequested = true
		g.parent.Cancel()
	}
}

func (g *TaskGroup) remove(ch *groupChild) {
	if ch.prev != nil {
		ch.prev.next = ch.next
	} else {
		g.head = ch.next
	}
	if ch.next != nil {
		ch.next.prev = ch.prev
	} else {
		g.tail = ch.prev
	}
	ch.prev, ch.next = nil, nil
	g.n--
}

// String describes the group like asyncio's repr: <TaskGroup tasks=2
// errors=1 cancelling>.
func (g *TaskGroup) String() string {
	var b strings.Builder
	b.WriteString("<TaskGroup")
	if g.n > 0 {
		fmt.Fprintf(&b, " tasks=%d", g.n)
	}
	if len(g.errs) > 0 {
		fmt.Fprintf(&b, " errors=%d", len(g.errs))
	}
	if g.aborting {
		b.WriteString(" cancelling")
	} else {
		b.WriteString(" entered")
	}
	b.WriteString(">")
	return b.String()
}
