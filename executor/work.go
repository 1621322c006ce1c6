package executor

import (
	"context"

	"github.com/goasyncio/goasyncio/loop"
)

// execute runs the future's work on the calling goroutine and completes
// the future with its outcome (_WorkItem.run); work whose future was
// cancelled while queued does not run. A panic in the work becomes the
// future's error; so does runtime.Goexit (t.FailNow), which no recover
// stops: the future is completed on the way out so that nobody waits for it
// forever.
func (f *Future[T]) execute() {
	f.mu.Lock()
	fn, parent := f.fn, f.parent
	f.mu.Unlock()
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := context.WithCancel(parent)
	if !f.start(stop) {
		stop()
		return
	}
	returned := false
	defer func() {
		if returned {
			return
		}
		stop()
		var zero T
		if r := recover(); r != nil {
			f.set(zero, loop.NewPanicError(r))
		} else {
			f.set(zero, ErrGoexit)
		}
	}()
	v, err := fn(ctx)
	returned = true
	stop()
	f.set(v, err)
}

// fail completes the future of work that will never run with err.
func (f *Future[T]) fail(err error) {
	var zero T
	f.set(zero, err)
}

// stopWork cancels the context of the future's running work.
func (f *Future[T]) stopWork() {
	f.mu.Lock()
	stop := f.stop
	f.mu.Unlock()
	if stop != nil {
		stop()
	}
}
