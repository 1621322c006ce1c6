package executor_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// run runs main on a virtual-time loop with task.RunOn and fails the test
// on an error.
func run(t *testing.T, main func(c *task.Coro) (struct{}, error)) {
	t.Helper()
	if _, err := task.RunOn(looptest.New(), main); err != nil {
		t.Fatal(err)
	}
}

// The outcome of RunInExecutor reaches the loop as in CPython: through
// call_soon_threadsafe, then the future's done-callbacks in registration
// order, the waiting tasks' wake-ups among them. A task awaiting a queued
// job that gets cancelled cancels the job, which then never runs. The
// trace is CPython 3.11's for the same program (threading.Event gates).
func TestRunInExecutorOrderAndCancel(t *testing.T) {
	leakcheck.Check(t)
	var tr recorder
	run(t, func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		pool := executor.New(executor.WithMaxWorkers(1))
		defer pool.Shutdown()
		gate := make(chan struct{})
		f, err := executor.RunInExecutor(l, pool, func(context.Context) (int, error) { <-gate; return 42, nil })
		if err != nil {
			return struct{}{}, err
		}
		f.AddDoneCallback(func() { tr.add("done-callback 1") })
		other := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			tr.add("other awaits")
			v, err := task.Await(c, f)
			tr.add("other got %d", v)
			return struct{}{}, err
		})
		f.AddDoneCallback(func() { tr.add("done-callback 2") })
		l.CallSoon(func() { tr.add("soon") })
		if err := c.Yield(); err != nil {
			return struct{}{}, err
		}
		close(gate)
		v, err := task.Await(c, f)
		if err != nil {
			return struct{}{}, err
		}
		tr.add("main got %d", v)
		if err := c.Await(other); err != nil {
			return struct{}{}, err
		}

		gate2 := make(chan struct{})
		blocker, _ := executor.RunInExecutor(l, pool, func(context.Context) (int, error) { <-gate2; return 0, nil })
		ran := false
		queued, _ := executor.RunInExecutor(l, pool, func(context.Context) (int, error) { ran = true; return 0, nil })
		waiter := task.Spawn(l, func(c *task.Coro) (int, error) {
			v, err := task.Await(c, queued)
			if future.IsCancelled(err) {
				tr.add("waiter cancelled")
			}
			return v, err
		})
		if err := c.Yield(); err != nil {
			return struct{}{}, err
		}
		waiter.Cancel()
		if err := c.Await(waiter); future.IsCancelled(err) {
			tr.add("main: waiter is cancelled")
		}
		tr.add("queued cancelled: %v", queued.Cancelled())
		close(gate2)
		if err := c.Await(blocker); err != nil {
			return struct{}{}, err
		}
		pool.Shutdown()
		tr.add("queued ran: %v", ran)
		return struct{}{}, nil
	})
	tr.check(t, []string{
		"other awaits",
		"soon",
		"done-callback 1",
		"done-callback 2",
		"other got 42",
		"main got 42",
		"waiter cancelled",
		"main: waiter is cancelled",
		"queued cancelled: true",
		"queued ran: false",
	})
}

// Cancelling the task that awaits running work cancels the context the
// work received: the work stops, though asyncio could only abandon it.
func TestCancelReachesRunningWork(t *testing.T) {
	leakcheck.Check(t)
	var tr recorder
	run(t, func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		started := make(chan struct{})
		stopped := make(chan error, 1)
		waiter := task.Spawn(l, func(c *task.Coro) (int, error) {
			return executor.ToThread(c, func(ctx context.Context) (int, error) {
				close(started)
				<-ctx.Done()
				stopped <- ctx.Err()
				return 0, ctx.Err()
			})
		})
		if err := c.Yield(); err != nil { // waiter submits the work
			return struct{}{}, err
		}
		<-started
		waiter.Cancel("enough")
		err := c.Await(waiter)
		tr.add("waiter: %v", err)
		tr.add("work saw: %v", <-stopped)
		return struct{}{}, nil
	})
	tr.check(t, []string{
		"waiter: cancelled: enough",
		"work saw: context canceled",
	})
}

// The work's error (or panic) is what the awaiting task receives, the same
// value, usable with errors.Is/As.
func TestRunInExecutorErrors(t *testing.T) {
	leakcheck.Check(t)
	errBoom := errors.New("boom")
	tests := []struct {
		name  string
		fn    func(context.Context) (int, error)
		check func(error) bool
	}{
		{"error", func(context.Context) (int, error) { return 0, errBoom },
			func(err error) bool { return err == errBoom }},
		{"panic", func(context.Context) (int, error) { panic(errBoom) },
			func(err error) bool {
				var pe *loop.PanicError
				return errors.As(err, &pe) && errors.Is(err, errBoom)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run(t, func(c *task.Coro) (struct{}, error) {
				_, err := executor.ToThread(c, tt.fn)
				if !tt.check(err) {
					t.Errorf("ToThread error = %v", err)
				}
				return struct{}{}, nil
			})
		})
	}
}

// The default pool is made on first use and shut down by task.Run (its
// workers are gone when Run returns); a closed loop refuses new work, and
// a loop closed without task.Run shuts its default pool down too.
func TestDefaultPoolLifecycle(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	_, err := task.RunOn(l, func(c *task.Coro) (int, error) {
		return executor.ToThread(c, func(context.Context) (int, error) { return 1, nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := executor.RunInExecutor(l, nil, func(context.Context) (int, error) { return 0, nil }); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("RunInExecutor on a closed loop: %v, want loop.ErrClosed", err)
	}

	l2 := looptest.New()
	f, err := executor.RunInExecutor(l2, nil, func(context.Context) (int, error) { return 2, nil })
	if err != nil {
		t.Fatal(err)
	}
	if v, err := future.RunUntilComplete[int](l2, f); v != 2 || err != nil {
		t.Errorf("RunUntilComplete = %v, %v", v, err)
	}
	l2.Close()
	if _, err := executor.RunInExecutor(l2, nil, func(context.Context) (int, error) { return 0, nil }); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("after Close: %v, want loop.ErrClosed", err)
	}
}

// Once task.Run has shut the default pool down, RunInExecutor with a nil
// pool returns ErrDefaultShutdown, as asyncio raises 'Executor shutdown has
// been called'. (A second shutdown hook, registered after the executor's,
// is the last code that can still run on the loop.)
func TestDefaultPoolRefusesAfterShutdown(t *testing.T) {
	leakcheck.Check(t)
	var got error
	run(t, func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		executor.SetDefault(l, executor.New(executor.WithMaxWorkers(1)))
		task.AtShutdown(l, func(c *task.Coro) error { // runs after the executor's hook
			_, got = executor.RunInExecutor(l, nil, func(context.Context) (int, error) { return 0, nil })
			return nil
		})
		return struct{}{}, nil
	})
	if !errors.Is(got, executor.ErrDefaultShutdown) {
		t.Errorf("RunInExecutor after the default pool's shutdown: %v, want ErrDefaultShutdown", got)
	}
}

// Wrap of a future that is already done still delivers through the loop,
// on a later iteration: the done-callbacks never run synchronously.
func TestWrapDoneFuture(t *testing.T) {
	leakcheck.Check(t)
	var tr recorder
	pool := executor.New()
	defer pool.Shutdown()
	src, err := executor.Submit(pool, func(context.Context) (string, error) { return "v", nil })
	if err != nil {
		t.Fatal(err)
	}
	src.Wait(context.Background())
	run(t, func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		f := executor.Wrap(l, src)
		tr.add("wrapped, done: %v", f.Done())
		l.CallSoon(func() { tr.add("soon") })
		v, err := task.Await(c, f)
		tr.add("got %s", v)
		return struct{}{}, err
	})
	tr.check(t, []string{"wrapped, done: false", "soon", "got v"})
}

// Cancelling the Future of RunCoroutineThreadsafe cancels the task, which
// receives the CancelledError at its await, even when the Future was
// cancelled before the task existed (CPython 3.11's trace for the same
// program).
func TestRunCoroutineThreadsafeCancel(t *testing.T) {
	leakcheck.Check(t)
	var tr recorder
	run(t, func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		done := future.New[struct{}](l)
		release := l.Hold()
		var seen []string // by the other goroutine, read after done
		go func() {
			defer release()
			entered := make(chan struct{})
			cf, _ := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) {
				close(entered)
				err := c.Sleep(3600e9)
				tr.add("body: %v", err)
				return 0, err
			})
			<-entered
			seen = append(seen, fmt.Sprintf("Cancel: %v", cf.Cancel()))
			_, err := cf.Result()
			seen = append(seen, fmt.Sprintf("Result: %v, cancelled %v", err, cf.Cancelled()))
			l.CallSoonThreadsafe(func() { done.SetResult(struct{}{}) })
		}()
		if err := c.Await(done); err != nil {
			return struct{}{}, err
		}
		for _, s := range seen {
			tr.add("%s", s)
		}

		// Cancelled before the loop spawns the task: as in CPython, the
		// cancellation is posted after the task's first step, so the body
		// starts and receives it at its first await.
		var ran []int
		cf, err := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) {
			ran = append(ran, 1)
			if err := c.Yield(); err != nil {
				return 0, err
			}
			ran = append(ran, 2)
			return 1, nil
		})
		if err != nil {
			return struct{}{}, err
		}
		tr.add("early Cancel: %v", cf.Cancel())
		for range 5 {
			c.Yield()
		}
		tr.add("body ran: %v", ran)
		return struct{}{}, nil
	})
	tr.check(t, []string{
		"body: cancelled",
		"Cancel: true",
		"Result: cancelled, cancelled true",
		"early Cancel: true",
		"body ran: [1]",
	})
}

// The Future of RunCoroutineThreadsafe completes with the task's value or
// error; a task whose loop closes before it finishes fails it with
// task.ErrAbandoned instead of leaving waiters blocked forever.
func TestRunCoroutineThreadsafeOutcomes(t *testing.T) {
	leakcheck.Check(t)
	errBoom := errors.New("boom")
	l := looptest.New()
	ok, _ := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) { return 7, nil })
	failed, _ := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) { return 0, errBoom })
	stuck, _ := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) {
		return 0, c.Sleep(3600e9)
	})
	l.CallLater(1e9, l.Stop)
	l.RunForever()
	if v, err := ok.Result(); v != 7 || err != nil {
		t.Errorf("ok: %v, %v", v, err)
	}
	if _, err := failed.Result(); err != errBoom {
		t.Errorf("failed: %v, want errBoom", err)
	}
	if stuck.Done() {
		t.Fatal("stuck is done before the loop closed")
	}
	l.Close()
	if _, err := stuck.Result(); !errors.Is(err, task.ErrAbandoned) {
		t.Errorf("stuck after Close: %v, want task.ErrAbandoned", err)
	}
	if _, err := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) { return 0, nil }); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("on a closed loop: %v, want loop.ErrClosed", err)
	}
}
