package task

import (
	"errors"
	"os"
	"os/signal"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// Run runs main as a task on a new loop made with opts and returns its
// outcome (asyncio.run): a Runner for one body. When main is done, the tasks
// still pending are cancelled and awaited (an error one of them returns
// instead of cancelling goes to the exception handler), the shutdown hooks
// run (the default executor's), and the loop is closed. While main runs,
// SIGINT (Ctrl-C) cancels it, and Run then returns ErrInterrupted, as
// asyncio.run raises KeyboardInterrupt; a second SIGINT ends the program. A
// process that started with SIGINT ignored (a background job of a
// non-interactive shell, nohup) keeps ignoring it, as asyncio.run leaves a
// non-default SIGINT handler alone. Run must not be called from a loop's
// goroutine, nor inside a testing/synctest bubble (os/signal cannot be used
// there): tests use RunOn.
func Run[T any](main func(c *Coro) (T, error), opts ...loop.Option) (T, error) {
	r := NewRunner(opts...)
	defer r.Close()
	return RunWith(r, main)
}

// RunOn is Run on a loop the caller made (a virtual-time loop in tests,
// say); it closes l before returning. Unlike Run it leaves SIGINT alone: a
// test's Ctrl-C still ends the test binary, and RunOn works inside
// testing/synctest bubbles. It returns loop.ErrClosed for a closed l and
// loop.ErrRunning for a running one, leaving l alone.
func RunOn[T any](l *loop.Loop, main func(c *Coro) (T, error)) (T, error) {
	if l.IsRunning() {
		var zero T
		return zero, loop.ErrRunning
	}
	r := NewRunnerOn(l)
	defer r.Close()
	return RunWith(r, main)
}

// A Runner runs task bodies one after another on one loop, and closes it
// at the end (asyncio.Runner): RunWith runs a body to completion, tasks it
// leaves pending go on running during the next RunWith, and Close cancels
// what is left, runs the shutdown hooks and closes the loop. Run and RunOn
// are a Runner used for one body.
//
// A Runner's methods, and RunWith, must be called from the goroutine that
// runs its loop, outside the loop (not from a task body or callback of it).
type Runner struct {
	l           *loop.Loop
	catchSIGINT bool
	closed      bool
	// abandoned is set when RunWith did not return: the goroutine running
	// the loop exits (runtime.Goexit in a body, as t.FailNow does). Close
	// then only closes the loop: running it again to shut down would wait
	// for a body that will never return.
	abandoned bool
}

// NewRunner returns a Runner on a new loop made with opts
// (asyncio.Runner(debug=..., loop_factory=...)). Like Run, its RunWith
// catches SIGINT while a body runs, unless the process ignores SIGINT.
func NewRunner(opts ...loop.Option) *Runner {
	return &Runner{l: loop.New(opts...), catchSIGINT: true}
}

// NewRunnerOn returns a Runner on l, which its Close closes (asyncio.Runner
// with a loop_factory). Like RunOn, it leaves SIGINT alone, so it works in
// tests and inside testing/synctest bubbles.
func NewRunnerOn(l *loop.Loop) *Runner { return &Runner{l: l} }

// Loop returns the runner's loop (Runner.get_loop).
func (r *Runner) Loop() *loop.Loop { return r.l }

// Close ends the runner (Runner.close): the tasks still pending are
// cancelled and awaited, the shutdown hooks run (the default executor's),
// and the loop is closed. It returns loop.ErrRunning, doing nothing, when
// called from the runner's own loop; calling it again does nothing.
func (r *Runner) Close() error {
	if r.l.IsRunning() {
		return loop.ErrRunning
	}
	if r.closed || r.l.IsClosed() {
		r.closed = true
		return nil
	}
	r.closed = true
	if r.abandoned {
		return r.l.Close()
	}
	defer r.l.Close()
	shutdown(r.l)
	return nil
}

// RunWith runs main as a task on r's loop until it is done and returns its
// outcome (Runner.run); tasks main started and left pending stay on the
// loop. It returns loop.ErrClosed once r is closed and loop.ErrRunning when
// called from r's own loop. While main runs, a Runner from NewRunner
// catches SIGINT as Run does.
func RunWith[T any](r *Runner, main func(c *Coro) (T, error)) (T, error) {
	var zero T
	l := r.l
	if r.closed || l.IsClosed() {
		return zero, loop.ErrClosed
	}
	if l.IsRunning() {
		return zero, loop.ErrRunning
	}
	t := Spawn(l, main)
	// asyncio.Runner.run: the first SIGINT cancels the main task; the
	// handler then goes, so that a second one ends the program (Go's
	// default where asyncio raises KeyboardInterrupt).
	interrupted := false
	var sigint *loop.Handle // nil: SIGINT not caught
	if r.catchSIGINT && !signal.Ignored(os.Interrupt) {
		sigint, _ = l.AddSignalHandler(os.Interrupt, func() {
			l.RemoveSignalHandler(os.Interrupt)
			if !t.Done() {
				interrupted = true
				t.Cancel()
			}
		})
	}
	returned := false
	defer func() { r.abandoned = r.abandoned || !returned }()
	v, err := future.RunUntilComplete[T](l, t)
	returned = true
	if sigint != nil && !sigint.Cancelled() { // still ours: main did not replace it
		l.RemoveSignalHandler(os.Interrupt)
	}
	if interrupted && future.IsCancelled(err) && t.Uncancel() == 0 {
		err = ErrInterrupted
	}
	return v, err
}

// ErrInterrupted is what Run returns when SIGINT (Ctrl-C) cancelled the main
// task and the task ended cancelled (asyncio.run raises KeyboardInterrupt).
var ErrInterrupted = errors.New("task: interrupted by SIGINT")

// shutdown is asyncio.Runner.close before loop.close: cancel what is left,
// then the two shutdown awaits (async generators, which Go does not have,
// and the default executor), each a task of its own as in asyncio, so that
// callbacks queued meanwhile get the same iterations to run.
func shutdown(l *loop.Loop) {
	cancelAll(l)
	runSmall(l, func(*Coro) (struct{}, error) { return struct{}{}, nil })
	reg := registryKey.Get(l)
	hooks := reg.shutdown
	reg.shutdown = nil
	runSmall(l, func(c *Coro) (struct{}, error) {
		for _, fn := range hooks {
			if err := fn(c); err != nil {
				l.CallExceptionHandler(loop.ExceptionContext{Message: "error in shutdown hook", Err: err})
			}
		}
		return struct{}{}, nil
	})
}

func runSmall(l *loop.Loop, body func(*Coro) (struct{}, error)) {
	future.RunUntilComplete[struct{}](l, Spawn(l, body))
}

// cancelAll is asyncio.runners._cancel_all_tasks: cancel every pending task,
// wait for all of them as gather(..., return_exceptions=True) would, and
// report those that ended with an error other than their cancellation.
func cancelAll(l *loop.Loop) {
	tasks := All(l)
	if len(tasks) == 0 {
		return
	}
	for _, t := range tasks {
		t.Cancel()
	}
	all := future.New[struct{}](l)
	left := len(tasks)
	for _, t := range tasks {
		t.AddDoneCallback(func() {
			left--
			if left == 0 {
				for _, t := range tasks { // gather reads every outcome
					if !t.Cancelled() {
						t.Err()
					}
				}
				all.SetResult(struct{}{})
			}
		})
	}
	future.RunUntilComplete[struct{}](l, all)
	for _, t := range tasks {
		if t.Cancelled() {
			continue
		}
		if err := t.Err(); err != nil {
			l.CallExceptionHandler(loop.ExceptionContext{
				Message: "unhandled exception during asyncio.run() shutdown",
				Err:     err,
				Task:    t,
			})
		}
	}
}
