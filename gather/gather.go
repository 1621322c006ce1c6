package gather

import (
	"fmt"
	"reflect"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// A Gathering is the future that All and its siblings return (asyncio's
// _GatheringFuture): it completes with one slot per argument, in argument
// order, once every child is done. It is a future.Typed[[]E], so a task
// awaits it with task.Await and a done-callback can watch it; Cancel cancels
// the children rather than the Gathering itself.
//
// How it completes depends on the function that made it:
//   - All, Mixed and Spawn fail with the first child error as soon as it
//     arrives (a cancelled child counts as failing with its
//     CancelledError); the other children keep running, and their later
//     errors are marked retrieved.
//   - AllSettled, MixedSettled and SpawnSettled wait for every child and
//     put each child's value or error in its slot.
//
// Either way, if Cancel cancelled at least one child, the Gathering fails
// with a *future.CancelledError once the children are done. Note that a
// cancelled Gathering is not Cancelled(): like asyncio's, it is a future
// that failed with a CancelledError, which a task awaiting it receives.
//
// A Gathering's methods must be called on the loop's goroutine.
type Gathering[E any] struct {
	future.Future[[]E]
	children        []future.Awaitable // one per argument, duplicates included
	nfuts           int                // distinct children
	nfinished       int                // distinct children done so far
	returnErrors    bool               // gather's return_exceptions
	cancelRequested bool               // _cancel_requested
	slot            func(child future.Awaitable, err error) E
}

// newGathering is asyncio.gather: register one done-callback per distinct
// child (arg_to_fut) and return the outer future. slot turns a finished
// child and its error (nil on success) into its result slot.
func newGathering[E any, A future.Awaitable](l *loop.Loop, aws []A, returnErrors bool,
	slot func(child future.Awaitable, err error) E) *Gathering[E] {
	g := newOuter[E](l)
	g.returnErrors, g.slot = returnErrors, slot
	if len(aws) == 0 {
		g.SetResult([]E{})
		return g
	}
	// asyncio raises from gather() itself when an argument is not
	// awaitable or belongs to another loop; here the Gathering fails at
	// once and registers nothing, so the caller gets the error where it
	// awaits.
	if err := check(l, aws); err != nil {
		return failed[E](l, err)
	}
	g.children = make([]future.Awaitable, len(aws))
	for i, aw := range aws {
		g.children[i] = aw
	}
	distinct := future.Distinct(g.children)
	g.nfuts = len(distinct)
	for _, child := range distinct {
		child.AddDoneCallback(func() { g.childDone(child) })
	}
	return g
}

// newOuter returns a pending Gathering without children.
func newOuter[E any](l *loop.Loop) *Gathering[E] {
	if l == nil {
		panic("gather: nil *loop.Loop")
	}
	g := &Gathering[E]{}
	g.Future.Init(l, g, false)
	return g
}

// failed returns a Gathering that already failed with err.
func failed[E any](l *loop.Loop, err error) *Gathering[E] {
	g := newOuter[E](l)
	g.SetException(err)
	return g
}

// childDone is gather's _done_callback, statement for statement.
func (g *Gathering[E]) childDone(fut future.Awaitable) {
	g.nfinished++

	if g.Done() {
		if !fut.Cancelled() {
			fut.Err() // mark the error retrieved
		}
		return
	}

	if !g.returnErrors {
		if fut.Cancelled() {
			// A cancelled future's Err is _make_cancelled_error(): the
			// CancelledError its task's body returned, if any.
			g.SetException(fut.Err())
			return
		}
		if err := fut.Err(); err != nil {
			g.SetException(err)
			return
		}
	}

	if g.nfinished == g.nfuts {
		// Every child is done: build the results in argument order.
		results := make([]E, len(g.children))
		for i, child := range g.children {
			var err error
			if child.Cancelled() {
				// As asyncio does, a fresh CancelledError carrying the
				// cancel message, '' when there was none; Err is not
				// called, so the error a task's body returned is kept
				// for _make_cancelled_error below.
				msg, _ := future.BaseOf(child).CancelMessage()
				err = &future.CancelledError{Msg: msg, HasMsg: true}
			} else {
				err = child.Err()
			}
			results[i] = g.slot(child, err)
			fut = child // asyncio's loop rebinds fut: the last child below
		}
		if g.cancelRequested {
			// Cancel cancelled a child: propagate the cancellation even
			// with return_exceptions (bpo-32684).
			g.SetException(makeCancelledError(fut))
		} else {
			g.SetResult(results)
		}
	}
}

// Cancel cancels every child, passing msg on, and reports whether it
// cancelled any (asyncio's _GatheringFuture.cancel). It returns false once
// the Gathering is done: after a child error has propagated, Cancel cancels
// nothing. The Gathering itself completes when the children do, with a
// *future.CancelledError if Cancel returned true. A child given twice is
// cancelled twice (which, for a task, counts two cancellation requests),
// as in asyncio.
func (g *Gathering[E]) Cancel(msg ...string) bool {
	if g.Done() {
		return false
	}
	ret := false
	for _, child := range g.children {
		if child.Cancel(msg...) {
			ret = true
		}
	}
	if ret {
		g.cancelRequested = true
	}
	return ret
}

// makeCancelledError is fut._make_cancelled_error(). For a cancelled
// future it is what Err returns; a future that was not cancelled has
// neither a saved error nor a message, so it is a plain CancelledError.
func makeCancelledError(fut future.Awaitable) error {
	if fut.Cancelled() {
		return fut.Err()
	}
	return future.NewCancelledError()
}

// check rejects nil awaitables and awaitables of another loop, which
// asyncio rejects with TypeError and ValueError.
func check[A future.Awaitable](l *loop.Loop, aws []A) error {
	for i, aw := range aws {
		if isNil(aw) {
			return fmt.Errorf("%w (argument %d)", ErrNil, i)
		}
		if aw.Loop() != l {
			return fmt.Errorf("%w (gather: argument %d)", future.ErrOtherLoop, i)
		}
	}
	return nil
}

// isNil reports whether aw is a nil interface or a nil pointer (a nil
// *task.Task, say), whose methods would panic.
func isNil(aw future.Awaitable) bool {
	if aw == nil {
		return true
	}
	v := reflect.ValueOf(aw)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
