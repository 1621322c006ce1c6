package aqueue

import (
	"fmt"
	"strings"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/deque"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

type kind uint8

const (
	fifo kind = iota
	lifo
	priority
)

var kindNames = [...]string{fifo: "Queue", lifo: "LifoQueue", priority: "PriorityQueue"}

// A waiter is the future a blocked Get or Put awaits.
type waiter = *future.Future[struct{}]

// A Queue is a queue of items of type T for tasks on one loop
// (asyncio.Queue, LifoQueue and PriorityQueue): FIFO, LIFO or priority
// order, optionally bounded, with Join waiting until every item put has
// been marked done with TaskDone.
//
// Blocked getters and putters are woken in the order they started
// waiting. A woken task takes its item (or slot) only when it runs; if a
// TryGet (TryPut) takes it first, the woken task goes back to the end of
// the line. A task cancelled while blocked loses no item and takes no
// slot: an item or slot it had been woken for passes to the next waiter.
//
// The zero value is an unbounded FIFO queue. A Queue is bound to the loop
// of the first task that blocks on it. Its methods must be called on that
// loop's goroutine. It must not be copied after first use.
type Queue[T any] struct {
	l       *loop.Loop
	maxsize int
	kind    kind
	items   deque.Deque[T] // FIFO and LIFO
	heap    []T            // priority
	less    func(a, b T) bool

	getters, putters deque.Deque[waiter]
	unfinished       int
	finished         locks.Event // set when unfinished drops to zero
	shutdown         bool
}

// New returns a FIFO queue holding at most maxsize items (asyncio.Queue).
// A maxsize of zero or less means unbounded, as in asyncio.
func New[T any](maxsize int) *Queue[T] {
	return &Queue[T]{maxsize: maxsize}
}

// NewLIFO returns a queue that gets the most recently put item first
// (asyncio.LifoQueue). A maxsize of zero or less means unbounded.
func NewLIFO[T any](maxsize int) *Queue[T] {
	return &Queue[T]{maxsize: maxsize, kind: lifo}
}

// NewPriority returns a queue that gets the least item first, as ordered
// by less (asyncio.PriorityQueue). A maxsize of zero or less means
// unbounded. It panics if less is nil.
//
// Items that less does not order either way come out in the order
// CPython's heapq gives them, which is not their insertion order. Python
// programs break such ties with the next field of a tuple, such as an
// insertion counter; do the same in less when the order of ties matters.
func NewPriority[T any](maxsize int, less func(a, b T) bool) *Queue[T] {
	if less == nil {
		panic("aqueue: NewPriority with a nil less function")
	}
	return &Queue[T]{maxsize: maxsize, kind: priority, less: less}
}

// put, get and size are the overridable _put, _get and qsize of asyncio's
// queue classes.
func (q *Queue[T]) put(v T) {
	if q.kind == priority {
		q.heap = heapPush(q.heap, v, q.less)
		return
	}
	q.items.PushBack(v)
}

func (q *Queue[T]) get() T {
	switch q.kind {
	case fifo:
		return q.items.PopFront()
	case lifo:
		return q.items.PopBack()
	}
	v, h := heapPop(q.heap, q.less)
	q.heap = h
	return v
}

// Len returns the number of items in the queue (asyncio's qsize()).
func (q *Queue[T]) Len() int {
	if q.kind == priority {
		return len(q.heap)
	}
	return q.items.Len()
}

// MaxSize returns the number of items the queue may hold; zero or less
// means unbounded (asyncio's maxsize).
func (q *Queue[T]) MaxSize() int { return q.maxsize }

// Empty reports whether the queue holds no item (asyncio's empty()).
func (q *Queue[T]) Empty() bool { return q.Len() == 0 }

// Full reports whether the queue holds MaxSize items; an unbounded queue
// is never full (asyncio's full()).
func (q *Queue[T]) Full() bool {
	return q.maxsize > 0 && q.Len() >= q.maxsize
}

// Unfinished returns the number of items put and not yet marked done with
// TaskDone (asyncio's _unfinished_tasks).
func (q *Queue[T]) Unfinished() int { return q.unfinished }

// bind returns c's loop, which must be the queue's (asyncio's _get_loop).
func (q *Queue[T]) bind(c *task.Coro) (*loop.Loop, error) {
	l := c.Loop()
	if q.l == nil {
		q.l = l
	}
	if q.l != l {
		return nil, fmt.Errorf("aqueue: %s is bound to a different event loop (%w)", kindNames[q.kind], future.ErrOtherLoop)
	}
	return l, nil
}

// wakeupNext wakes the first waiter that is not done yet (asyncio's
// _wakeup_next); it leaves the line either way. A dead waiter is not woken.
func wakeupNext(waiters *deque.Deque[waiter]) {
	for waiters.Len() > 0 {
		if w := waiters.PopFront(); !w.Done() && !dead(w) {
			w.SetResult(struct{}{})
			return
		}
	}
}

// dead reports whether w's loop is closed: its task's body is being (or
// was) unwound and will never take what it waited for. Waking it would
// schedule its task on the closed loop, which panics; its body's deferred
// cleanup takes it out of the line (see wait). A body unwound first can
// meet the waiters of the bodies unwound after it, as when a deferred
// TryPut runs while a getter of the same loop still waits.
func dead(w waiter) bool { return w.Loop().IsClosed() }

// wait appends a new waiter on l to line and awaits it: the try/except
// around `await getter` (putter) in asyncio's get and put. blocked reports
// whether the task would still have to wait: the queue is empty (full).
//
// If the await fails (the task is cancelled), the except clause runs: the
// waiter is cancelled if not done yet and leaves the line, and a wake-up
// it received for an item (slot) this task will not take now passes to
// the next waiter.
//
// If the loop closes under the task, package task unwinds the body from
// the await with a panic and wait does not return. asyncio's bare except
// also runs then (on GeneratorExit), but only its first part applies: the
// deferred call takes the waiter out of the line. It neither cancels the
// waiter nor wakes the next in line: both would schedule callbacks on the
// closed loop, and every other waiter in line belongs to that loop too
// (the queue is bound to one loop), so none can take the item or slot.
// That stays in the queue for later calls.
func wait(c *task.Coro, l *loop.Loop, line *deque.Deque[waiter], blocked func() bool) error {
	w := future.New[struct{}](l)
	line.PushBack(w)
	returned := false
	defer func() {
		if !returned { // abandoned
			remove(line, w)
		}
	}()
	err := c.Await(w)
	returned = true
	if err != nil {
		w.Cancel() // in case it is not done yet
		remove(line, w)
		if !blocked() && !w.Cancelled() {
			// Woken for an item or slot this task will not take: pass it on.
			wakeupNext(line)
		}
	}
	return err
}

// remove takes w out of the line if it is still there.
func remove(waiters *deque.Deque[waiter], w waiter) {
	for i := range waiters.Len() {
		if waiters.At(i) == w {
			waiters.RemoveAt(i)
			return
		}
	}
}

// Put puts v into the queue, waiting for a free slot while it is full
// (asyncio's put()). It returns ErrShutDown if the queue is shut down
// (before or while waiting), and the CancelledError if the task is
// cancelled while waiting: v is not put then. Must be called in the body
// that received c.
func (q *Queue[T]) Put(c *task.Coro, v T) error {
	for q.Full() {
		if q.shutdown {
			return ErrShutDown
		}
		l, err := q.bind(c)
		if err != nil {
			return err
		}
		if err := wait(c, l, &q.putters, q.Full); err != nil {
			return err
		}
	}
	return q.TryPut(v)
}

// TryPut puts v into the queue if it is not full, and wakes the first
// blocked getter (asyncio's put_nowait()). It returns ErrFull if the queue
// is full and ErrShutDown if it is shut down.
func (q *Queue[T]) TryPut(v T) error {
	if q.shutdown {
		return ErrShutDown
	}
	if q.Full() {
		return ErrFull
	}
	q.put(v)
	q.unfinished++
	q.finished.Clear()
	wakeupNext(&q.getters)
	return nil
}

// Get removes and returns an item, waiting for one while the queue is
// empty (asyncio's get()). It returns ErrShutDown if the queue is shut
// down and empty (before or while waiting), and the CancelledError if the
// task is cancelled while waiting: no item is taken then. Must be called
// in the body that received c.
func (q *Queue[T]) Get(c *task.Coro) (T, error) {
	for q.Empty() {
		if q.shutdown {
			var zero T
			return zero, ErrShutDown
		}
		l, err := q.bind(c)
		if err != nil {
			var zero T
			return zero, err
		}
		if err := wait(c, l, &q.getters, q.Empty); err != nil {
			var zero T
			return zero, err
		}
	}
	return q.TryGet()
}

// TryGet removes and returns an item if one is available, and wakes the
// first blocked putter (asyncio's get_nowait()). It returns ErrEmpty if
// the queue is empty, or ErrShutDown if it is also shut down.
func (q *Queue[T]) TryGet() (T, error) {
	if q.Empty() {
		var zero T
		if q.shutdown {
			return zero, ErrShutDown
		}
		return zero, ErrEmpty
	}
	v := q.get()
	wakeupNext(&q.putters)
	return v, nil
}

// TaskDone marks one item taken from the queue as processed (asyncio's
// task_done()); when every item put has been marked, Join returns. It
// returns ErrTooManyTaskDone if there is no unfinished item.
func (q *Queue[T]) TaskDone() error {
	if q.unfinished <= 0 {
		return ErrTooManyTaskDone
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.finished.Set()
	}
	return nil
}

// Join waits until every item put into the queue has been marked done with
// TaskDone (asyncio's join()); it returns at once if none is unfinished.
// It returns the CancelledError if the task is cancelled while waiting.
// Must be called in the body that received c.
func (q *Queue[T]) Join(c *task.Coro) error {
	if q.unfinished > 0 {
		return q.finished.Wait(c)
	}
	return nil
}

// A ShutdownOption configures Shutdown.
type ShutdownOption func(*shutdownOptions)

type shutdownOptions struct {
	immediate bool
}

// Immediate makes Shutdown drop the items left in the queue, marking each
// done as TaskDone would, so that gets fail at once and Join may return
// (asyncio's shutdown(immediate=True)).
func Immediate() ShutdownOption { return func(o *shutdownOptions) { o.immediate = true } }

// Shutdown shuts the queue down (asyncio's shutdown(), new in Python
// 3.13): puts fail with ErrShutDown from now on, and gets once the queue is
// empty. Every blocked getter and putter is woken to see it. With
// Immediate, the items left are dropped first.
func (q *Queue[T]) Shutdown(opts ...ShutdownOption) {
	var o shutdownOptions
	for _, opt := range opts {
		opt(&o)
	}
	q.shutdown = true
	if o.immediate {
		for !q.Empty() {
			q.get()
			if q.unfinished > 0 {
				q.unfinished--
			}
		}
		if q.unfinished == 0 {
			q.finished.Set()
		}
	}
	// Every blocked task must re-check the queue and see the shutdown.
	wakeAll(&q.getters)
	wakeAll(&q.putters)
}

// wakeAll empties line, waking every waiter that is not done or dead.
func wakeAll(line *deque.Deque[waiter]) {
	for line.Len() > 0 {
		if w := line.PopFront(); !w.Done() && !dead(w) {
			w.SetResult(struct{}{})
		}
	}
}

// IsShutDown reports whether Shutdown was called.
func (q *Queue[T]) IsShutDown() bool { return q.shutdown }

// String describes the queue like asyncio's str(queue):
// <Queue maxsize=2 _queue=[1 2] _getters[1] tasks=2>.
func (q *Queue[T]) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<%s maxsize=%d", kindNames[q.kind], q.maxsize)
	if !q.Empty() {
		items := q.heap
		if q.kind != priority {
			items = q.items.Items()
		}
		fmt.Fprintf(&b, " _queue=%v", items)
	}
	if n := q.getters.Len(); n > 0 {
		fmt.Fprintf(&b, " _getters[%d]", n)
	}
	if n := q.putters.Len(); n > 0 {
		fmt.Fprintf(&b, " _putters[%d]", n)
	}
	if q.unfinished > 0 {
		fmt.Fprintf(&b, " tasks=%d", q.unfinished)
	}
	if q.shutdown {
		b.WriteString(" shutdown")
	}
	b.WriteString(">")
	return b.String()
}
