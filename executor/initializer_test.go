package executor_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// Every worker runs the initializer once, before any work.
func TestInitializerRunsOncePerWorker(t *testing.T) {
	leakcheck.Check(t)
	const workers = 3
	var inits atomic.Int32
	p := executor.New(executor.WithMaxWorkers(workers), executor.WithInitializer(func() error {
		inits.Add(1)
		return nil
	}))
	// workers jobs that wait for each other: each needs a worker of its own.
	var all sync.WaitGroup
	all.Add(workers)
	var fs []*executor.Future[int32]
	for range workers {
		fs = append(fs, mustSubmit(t, p, func(context.Context) (int32, error) {
			all.Done()
			all.Wait()
			return inits.Load(), nil
		}))
	}
	for range 10 { // more work on the same workers: no more initializers
		fs = append(fs, mustSubmit(t, p, func(context.Context) (int32, error) { return inits.Load(), nil }))
	}
	for i, f := range fs {
		if n, err := f.Result(); err != nil || n < 1 {
			t.Errorf("work %d: initializers run before it = %d, %v; want ≥ 1, nil", i, n, err)
		}
	}
	p.Shutdown()
	if n := inits.Load(); n != workers {
		t.Errorf("initializer ran %d times, want once per worker (%d)", n, workers)
	}
}

// A failed initializer breaks the pool (ThreadPoolExecutor's
// BrokenThreadPool): the work queued then fails, Submit fails from then
// on, and Shutdown still returns.
func TestInitializerFailureBreaksPool(t *testing.T) {
	errInit := errors.New("no database")
	tests := []struct {
		name    string
		init    func() error
		wantErr func(error) bool
	}{
		{"error", func() error { return errInit }, func(err error) bool { return errors.Is(err, errInit) }},
		{"panic", func() error { panic("boom") }, func(err error) bool {
			var pe *loop.PanicError
			return errors.As(err, &pe) && pe.Value == "boom"
		}},
		{"Goexit", func() error { runtime.Goexit(); return nil }, func(err error) bool { return errors.Is(err, executor.ErrGoexit) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leakcheck.Check(t)
			release := make(chan struct{})
			p := executor.New(executor.WithMaxWorkers(1), executor.WithInitializer(func() error {
				<-release // both jobs are queued before the initializer fails
				return tt.init()
			}))
			ran := false
			work := func(context.Context) (int, error) { ran = true; return 1, nil }
			f1, f2 := mustSubmit(t, p, work), mustSubmit(t, p, work)
			close(release)
			for i, f := range []*executor.Future[int]{f1, f2} {
				_, err := f.Result()
				var be *executor.BrokenPoolError
				if !errors.Is(err, executor.ErrBrokenPool) || !errors.As(err, &be) || !tt.wantErr(be.Err) {
					t.Errorf("queued work %d: err = %v, want a BrokenPoolError of the initializer's failure", i+1, err)
				}
			}
			if _, err := executor.Submit(p, work); !errors.Is(err, executor.ErrBrokenPool) || !tt.wantErr(err) {
				t.Errorf("Submit on the broken pool: err = %v, want a BrokenPoolError of the initializer's failure", err)
			}
			p.Shutdown()
			if ran {
				t.Error("work ran on a broken pool")
			}
		})
	}
}

// Work running on a healthy worker when another worker's initializer fails
// finishes normally; the work queued behind it fails.
func TestInitializerFailureLeavesRunningWork(t *testing.T) {
	leakcheck.Check(t)
	var calls atomic.Int32
	errInit := errors.New("second worker cannot start")
	p := executor.New(executor.WithMaxWorkers(2), executor.WithInitializer(func() error {
		if calls.Add(1) == 2 {
			return errInit
		}
		return nil
	}))
	started, finish := make(chan struct{}), make(chan struct{})
	running := mustSubmit(t, p, func(context.Context) (int, error) {
		close(started)
		<-finish
		return 1, nil
	})
	<-started // the first worker is busy: the next Submit starts the second
	queued := mustSubmit(t, p, func(context.Context) (int, error) { return 2, nil })
	if _, err := queued.Result(); !errors.Is(err, errInit) {
		t.Errorf("work queued when the second worker's initializer failed: err = %v, want %v", err, errInit)
	}
	close(finish)
	if v, err := running.Result(); v != 1 || err != nil {
		t.Errorf("running work = %d, %v; want 1, nil", v, err)
	}
	p.Shutdown()
}

// RunInExecutor on a pool that breaks: the loop future of the queued work
// fails with the BrokenPoolError (and the loop's virtual clock is not held
// forever); a later RunInExecutor returns it.
func TestRunInExecutorOnBrokenPool(t *testing.T) {
	leakcheck.Check(t)
	errInit := errors.New("no database")
	p := executor.New(executor.WithMaxWorkers(1), executor.WithInitializer(func() error { return errInit }))
	defer p.Shutdown()
	_, err := task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		f, err := executor.RunInExecutor(c.Loop(), p, func(context.Context) (int, error) { return 1, nil })
		if err != nil {
			return 0, err
		}
		if _, err := task.Await(c, f); !errors.Is(err, errInit) {
			t.Errorf("await: err = %v, want the broken pool's error", err)
		}
		_, err = executor.RunInExecutor(c.Loop(), p, func(context.Context) (int, error) { return 1, nil })
		if !errors.Is(err, executor.ErrBrokenPool) {
			t.Errorf("RunInExecutor on the broken pool: err = %v, want ErrBrokenPool", err)
		}
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
