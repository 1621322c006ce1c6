package executor

import (
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// RunCoroutineThreadsafe submits body to run as a task on l, which another
// goroutine runs, and returns a Future for the task's outcome
// (asyncio.run_coroutine_threadsafe). The task is spawned by a callback
// posted with CallSoonThreadsafe; opts are Spawn's. Cancelling the Future
// cancels the task (through CallSoonThreadsafe): the task's body receives
// the *future.CancelledError at its current await — at its first one if the
// Future was cancelled before the task was spawned, as in asyncio.
//
// If l closes before the task finishes, the Future fails with
// task.ErrAbandoned instead of leaving its waiters blocked (asyncio's
// future would never complete). A post that l never drained because it was
// closed at that very moment is dropped with the loop's other pending
// callbacks; bound such waits with Wait(ctx).
//
// It returns loop.ErrClosed if l is closed, ErrNilFunc for a nil body.
// Safe for concurrent use; never
// block on the Future on l's own goroutine (the task could not run). On a
// virtual clock, a goroutine blocked on the Future must not hold l
// (loop.Hold) if the task sleeps: the clock would wait for the goroutine,
// and the goroutine for the clock.
func RunCoroutineThreadsafe[T any](l *loop.Loop, body func(c *task.Coro) (T, error), opts ...task.Option) (*Future[T], error) {
	if body == nil {
		return nil, ErrNilFunc
	}
	f := &Future[T]{}
	err := l.CallSoonThreadsafe(func() {
		spawned := false
		defer func() {
			if !spawned { // Spawn panicked: fail the future, then re-panic
				var zero T
				if r := recover(); r != nil {
					f.set(zero, loop.NewPanicError(r))
					panic(r)
				}
			}
		}()
		t := task.Spawn(l, body, opts...) // ensure_future(coro, loop=loop)
		spawned = true
		chainFromLoop(l, t, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// chainFromLoop is futures._chain_future(source, destination) for a task
// of l as the source and a Future as the destination.
func chainFromLoop[T any](l *loop.Loop, t *task.Task[T], f *Future[T]) {
	pend := pendingKey.Get(l)
	pend.add(l, f)
	// _call_check_cancel, on whichever goroutine cancels f: the source
	// belongs to l, so cancel it there.
	f.AddDoneCallback(func(f *Future[T]) {
		if f.Cancelled() {
			l.CallSoonThreadsafe(func() { t.Cancel() })
		}
	})
	// _call_set_state on l: the destination has no loop, so
	// _set_concurrent_future_state runs at once.
	t.AddDoneCallback(func() {
		delete(pend.futures, f)
		if t.Cancelled() {
			f.Cancel()
		}
		if !f.start(nil) { // set_running_or_notify_cancel
			return
		}
		f.set(t.Result())
	})
}

// abandoner is a Future whose task's loop closed before the task finished.
type abandoner interface{ abandon() }

func (f *Future[T]) abandon() {
	var zero T
	f.set(zero, task.ErrAbandoned)
}

// outstanding is the per-loop set of Futures of RunCoroutineThreadsafe whose
// task has not finished; the loop's close fails them.
type outstanding struct {
	futures map[abandoner]struct{}
}

var pendingKey = loop.NewKey[outstanding]("executor: threadsafe futures")

func (p *outstanding) add(l *loop.Loop, a abandoner) {
	if p.futures == nil {
		p.futures = map[abandoner]struct{}{}
		l.AtClose(p.close)
	}
	p.futures[a] = struct{}{}
}

func (p *outstanding) close() {
	for a := range p.futures {
		a.abandon()
	}
	p.futures = nil
}
