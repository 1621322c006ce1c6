package executor_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/goid"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
)

func mustSubmit[T any](t *testing.T, p *executor.Pool, fn func(context.Context) (T, error)) *executor.Future[T] {
	t.Helper()
	f, err := executor.Submit(p, fn)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// outcome describes a done future for traces.
func outcome[T any](f *executor.Future[T]) string {
	switch v, err := f.Result(); {
	case f.Cancelled():
		return "cancelled"
	case err != nil:
		return "error " + err.Error()
	default:
		_ = v
		return "ok"
	}
}

// Shutdown with CPython's semantics: queued work still runs unless
// CancelFutures, which also asks running work to stop; NoWait returns at
// once. One worker runs A (blocked until released or stopped) while B and
// C wait in the queue. C's done-callback submits more work and gets
// ErrShutdown: callbacks run outside the pool's lock, so even the ones run
// by Shutdown itself do not deadlock.
func TestShutdown(t *testing.T) {
	tests := []struct {
		name    string
		opts    []executor.ShutdownOption
		cancels bool
		want    []string
	}{
		{"wait", nil, false, []string{
			"B ran", "C ran", "C callback: executor: cannot schedule new futures after shutdown",
			"shutdown returned", "A: ok", "B: ok", "C: ok",
		}},
		{"cancel futures", []executor.ShutdownOption{executor.CancelFutures()}, true, []string{
			"C callback: executor: cannot schedule new futures after shutdown",
			"shutdown returned", "A: error context canceled", "B: cancelled", "C: cancelled",
		}},
		{"no wait", []executor.ShutdownOption{executor.NoWait()}, false, []string{
			"shutdown returned", "B ran", "C ran", "C callback: executor: cannot schedule new futures after shutdown",
			"A: ok", "B: ok", "C: ok",
		}},
		{"no wait, cancel futures", []executor.ShutdownOption{executor.NoWait(), executor.CancelFutures()}, true, []string{
			"C callback: executor: cannot schedule new futures after shutdown",
			"shutdown returned", "A: error context canceled", "B: cancelled", "C: cancelled",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leakcheck.Check(t)
			var tr recorder
			p := executor.New(executor.WithMaxWorkers(1))
			started, release := make(chan struct{}), make(chan struct{})
			a := mustSubmit(t, p, func(ctx context.Context) (int, error) {
				close(started)
				select {
				case <-release:
					return 1, nil
				case <-ctx.Done():
					return 0, ctx.Err()
				}
			})
			b := mustSubmit(t, p, func(context.Context) (int, error) { tr.add("B ran"); return 2, nil })
			c := mustSubmit(t, p, func(context.Context) (int, error) { tr.add("C ran"); return 3, nil })
			c.AddDoneCallback(func(*executor.Future[int]) {
				_, err := executor.Submit(p, func(context.Context) (int, error) { return 0, nil })
				tr.add("C callback: %v", err)
			})
			<-started
			waits := tt.name == "wait" || tt.name == "cancel futures"
			if tt.name == "wait" {
				// Refuse new work first, then let A finish, before or
				// after the waiting Shutdown starts waiting.
				p.Shutdown(executor.NoWait())
				go close(release)
			}
			p.Shutdown(tt.opts...)
			tr.add("shutdown returned")
			if waits {
				for name, f := range map[string]*executor.Future[int]{"A": a, "B": b, "C": c} {
					if !f.Done() {
						t.Errorf("%s is not done when a waiting Shutdown returned", name)
					}
				}
			}
			if tt.cancels {
				a.Wait(context.Background()) // stopped by its context; release only now
				close(release)
			} else if !waits {
				close(release)
			}
			p.Shutdown() // idempotent; here it waits for the NoWait cases' workers
			tr.add("A: %s", outcome(a))
			tr.add("B: %s", outcome(b))
			tr.add("C: %s", outcome(c))
			tr.check(t, tt.want)
		})
	}
}

// Submit, Map and RunInExecutor after Shutdown return ErrShutdown and run
// nothing.
func TestSubmitAfterShutdown(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New()
	p.Shutdown()
	ran := false
	work := func(context.Context) (int, error) { ran = true; return 0, nil }
	if _, err := executor.Submit(p, work); !errors.Is(err, executor.ErrShutdown) {
		t.Errorf("Submit: %v, want ErrShutdown", err)
	}
	if _, err := executor.Map(context.Background(), p, []int{1}, func(context.Context, int) (int, error) { ran = true; return 0, nil }); !errors.Is(err, executor.ErrShutdown) {
		t.Errorf("Map: %v, want ErrShutdown", err)
	}
	l := loop.New()
	defer l.Close()
	if _, err := executor.RunInExecutor(l, p, work); !errors.Is(err, executor.ErrShutdown) {
		t.Errorf("RunInExecutor: %v, want ErrShutdown", err)
	}
	if ran {
		t.Error("work ran after shutdown")
	}
}

// A panic in work becomes that future's error, a *loop.PanicError with
// the value and the stack; runtime.Goexit becomes ErrGoexit. The pool goes
// on running work either way.
func TestWorkPanicsAndGoexit(t *testing.T) {
	leakcheck.Check(t)
	errBoom := errors.New("boom")
	tests := []struct {
		name  string
		fn    func(context.Context) (int, error)
		check func(t *testing.T, err error)
	}{
		{"panic with an error", func(context.Context) (int, error) { panic(errBoom) }, func(t *testing.T, err error) {
			var pe *loop.PanicError
			if !errors.As(err, &pe) || !errors.Is(err, errBoom) || len(pe.Stack) == 0 {
				t.Errorf("err = %#v, want a PanicError wrapping errBoom with a stack", err)
			}
		}},
		{"panic with a string", func(context.Context) (int, error) { panic("oops") }, func(t *testing.T, err error) {
			var pe *loop.PanicError
			if !errors.As(err, &pe) || pe.Value != "oops" {
				t.Errorf("err = %#v, want a PanicError of \"oops\"", err)
			}
		}},
		{"Goexit", func(context.Context) (int, error) { runtime.Goexit(); return 0, nil }, func(t *testing.T, err error) {
			if !errors.Is(err, executor.ErrGoexit) {
				t.Errorf("err = %v, want ErrGoexit", err)
			}
		}},
	}
	p := executor.New(executor.WithMaxWorkers(1))
	defer p.Shutdown()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := mustSubmit(t, p, tt.fn)
			next := mustSubmit(t, p, func(context.Context) (int, error) { return 7, nil })
			tt.check(t, bad.Err())
			if v, err := next.Result(); v != 7 || err != nil {
				t.Errorf("work after the failure: %v, %v", v, err)
			}
		})
	}
}

// Cancel of pending work cancels it for good (it never runs; done-callbacks
// run on the cancelling goroutine); of running work, it returns false, as
// in Python, but cancels the work's context; of finished work, it does
// nothing.
func TestFutureCancel(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New(executor.WithMaxWorkers(1))
	defer p.Shutdown()
	started, release := make(chan struct{}), make(chan struct{})
	running := mustSubmit(t, p, func(ctx context.Context) (string, error) {
		close(started)
		<-ctx.Done()
		<-release
		return "stopped", ctx.Err()
	})
	ran := false
	queued := mustSubmit(t, p, func(context.Context) (string, error) { ran = true; return "", nil })
	<-started

	me := goid.Get()
	var cbGoroutine uint64
	queued.AddDoneCallback(func(*executor.Future[string]) { cbGoroutine = goid.Get() })
	if !queued.Cancel() {
		t.Error("Cancel of queued work = false, want true")
	}
	if !queued.Cancel() {
		t.Error("second Cancel of cancelled work = false, want true")
	}
	if cbGoroutine != me {
		t.Error("done-callback of Cancel did not run on the cancelling goroutine")
	}
	if _, err := queued.Result(); !future.IsCancelled(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("Result of cancelled work: %v, want a *future.CancelledError", err)
	}

	if running.Cancel() {
		t.Error("Cancel of running work = true, want false")
	}
	if running.Cancelled() || !running.Running() {
		t.Error("running work looks cancelled or not running")
	}
	close(release)
	if v, err := running.Result(); v != "stopped" || !errors.Is(err, context.Canceled) {
		t.Errorf("running work: %q, %v; want its own outcome after its context was cancelled", v, err)
	}
	if running.Cancel() || running.Cancelled() {
		t.Error("Cancel of finished work changed it")
	}
	p.Shutdown()
	if ran {
		t.Error("cancelled work ran")
	}
}

// Work that submits more work to its own pool never deadlocks, even on a
// saturated pool of one worker: Submit does not block, and a worker that
// waits for still-queued work of its pool runs it itself.
func TestNestedSubmission(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New(executor.WithMaxWorkers(1))
	defer p.Shutdown()
	var depth func(ctx context.Context, n int) (int, error)
	depth = func(ctx context.Context, n int) (int, error) {
		if n == 0 {
			return 0, nil
		}
		f, err := executor.Submit(p, func(ctx context.Context) (int, error) { return depth(ctx, n-1) })
		if err != nil {
			return 0, err
		}
		v, err := f.Result() // blocks a worker on work queued behind it
		return v + 1, err
	}
	top := mustSubmit(t, p, func(ctx context.Context) (int, error) { return depth(ctx, 5) })
	if v, err := top.Result(); v != 5 || err != nil {
		t.Errorf("nested result = %v, %v; want 5", v, err)
	}

	// Chained through done-callbacks, with no waiting at all.
	var tr recorder
	done := make(chan struct{})
	var chain func(n int)
	chain = func(n int) {
		f, err := executor.Submit(p, func(context.Context) (int, error) { return n, nil })
		if err != nil {
			t.Error(err)
			return
		}
		f.AddDoneCallback(func(f *executor.Future[int]) {
			v, _ := f.Result()
			tr.add("link %d", v)
			if v == 3 {
				close(done)
				return
			}
			chain(v + 1)
		})
	}
	chain(1)
	<-done
	tr.check(t, []string{"link 1", "link 2", "link 3"})
}

// Workers start lazily, one per Submit that finds none idle, never more
// than the maximum. No goroutine outlives Shutdown (leakcheck).
func TestWorkersLazyAndBounded(t *testing.T) {
	leakcheck.Check(t)
	before := runtime.NumGoroutine()
	p := executor.New(executor.WithMaxWorkers(3))
	if n := runtime.NumGoroutine(); n != before {
		t.Errorf("New started %d goroutines, want none", n-before)
	}

	// Concurrent blocking work: the first three block until all three
	// run at once, on three workers; never more run at once.
	var now, peak atomic.Int32
	var mu sync.Mutex
	released, release := false, make(chan struct{})
	var fs []*executor.Future[uint64]
	for range 10 {
		fs = append(fs, mustSubmit(t, p, func(context.Context) (uint64, error) {
			n := now.Add(1)
			mu.Lock()
			if n > peak.Load() {
				peak.Store(n)
			}
			if n == 3 && !released {
				released = true
				close(release)
			}
			mu.Unlock()
			<-release
			now.Add(-1)
			return goid.Get(), nil
		}))
	}
	ids := map[uint64]bool{}
	for _, f := range fs {
		id, _ := f.Result()
		ids[id] = true
	}
	if peak.Load() > 3 || len(ids) != 3 {
		t.Errorf("peak concurrency %d on %d goroutines, want at most 3 on 3", peak.Load(), len(ids))
	}
	p.Shutdown()
}

// New panics for a non-positive maximum, as ThreadPoolExecutor raises
// ValueError; the default is CPython's.
func TestNewMaxWorkers(t *testing.T) {
	for _, n := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(WithMaxWorkers(%d)) did not panic", n)
				}
			}()
			executor.New(executor.WithMaxWorkers(n))
		}()
	}
	if got, want := executor.New().MaxWorkers(), min(32, runtime.NumCPU()+4); got != want {
		t.Errorf("default MaxWorkers = %d, want %d", got, want)
	}
}

// A waiting Shutdown from inside the pool's own work cannot wait for
// itself: it shuts the pool down and panics with ErrWaitInWorker, which
// becomes the work's error; NoWait is fine there.
func TestShutdownWaitInWorker(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New(executor.WithMaxWorkers(2))
	f := mustSubmit(t, p, func(context.Context) (int, error) { p.Shutdown(); return 0, nil })
	if err := f.Err(); !errors.Is(err, executor.ErrWaitInWorker) {
		t.Errorf("err = %v, want ErrWaitInWorker", err)
	}
	if _, err := executor.Submit(p, func(context.Context) (int, error) { return 0, nil }); !errors.Is(err, executor.ErrShutdown) {
		t.Errorf("Submit after the in-worker Shutdown: %v, want ErrShutdown", err)
	}
	q := executor.New()
	g := mustSubmit(t, q, func(context.Context) (int, error) { q.Shutdown(executor.NoWait()); return 1, nil })
	if v, err := g.Result(); v != 1 || err != nil {
		t.Errorf("NoWait Shutdown in work: %v, %v", v, err)
	}
	p.Shutdown()
	q.Shutdown()
}

// The zero Pool works, with the default number of workers.
func TestZeroPool(t *testing.T) {
	leakcheck.Check(t)
	var p executor.Pool
	if got, want := p.MaxWorkers(), executor.DefaultMaxWorkers(); got != want {
		t.Errorf("MaxWorkers = %d, want %d", got, want)
	}
	f := mustSubmit(t, &p, func(context.Context) (int, error) { return 1, nil })
	if v, err := f.Result(); v != 1 || err != nil {
		t.Errorf("Result = %v, %v", v, err)
	}
	p.Shutdown()
	var q executor.Pool
	q.Shutdown() // never used: nothing to wait for
}

// A nil function is refused with ErrNilFunc wherever work is handed over.
func TestNilFunc(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New()
	defer p.Shutdown()
	l := loop.New()
	defer l.Close()
	calls := map[string]func() error{
		"Submit": func() error { _, err := executor.Submit[int](p, nil); return err },
		"Map": func() error {
			_, err := executor.Map[int, int](context.Background(), p, []int{1}, nil)
			return err
		},
		"RunInExecutor": func() error { _, err := executor.RunInExecutor[int](l, p, nil); return err },
		"RunCoroutineThreadsafe": func() error {
			_, err := executor.RunCoroutineThreadsafe[int](l, nil)
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, executor.ErrNilFunc) {
			t.Errorf("%s(nil) = %v, want ErrNilFunc", name, err)
		}
	}
}
