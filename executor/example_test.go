package executor_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// Submit work to a pool and handle each outcome in a done-callback, on
// the worker that produced it (executor.submit(...).add_done_callback).
func ExampleSubmit() {
	p := executor.New(executor.WithMaxWorkers(3))
	var mu sync.Mutex
	lengths := map[string]int{}
	for _, word := range []string{"alpha", "beta", "gamma"} {
		f, err := executor.Submit(p, func(context.Context) (int, error) {
			return len(word), nil
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		f.AddDoneCallback(func(f *executor.Future[int]) {
			n, _ := f.Result()
			mu.Lock()
			defer mu.Unlock()
			lengths[word] = n
		})
	}
	p.Shutdown() // waits for the work, done-callbacks included
	fmt.Println(lengths)
	// Output: map[alpha:5 beta:4 gamma:5]
}

// Map yields the outcomes in input order.
func ExampleMap() {
	p := executor.New()
	defer p.Shutdown()
	results, err := executor.Map(context.Background(), p, []string{"a", "bb", "ccc"},
		func(_ context.Context, s string) (string, error) { return strings.ToUpper(s), nil })
	if err != nil {
		fmt.Println(err)
		return
	}
	for s, err := range results {
		fmt.Println(s, err)
	}
	// Output:
	// A <nil>
	// BB <nil>
	// CCC <nil>
}

// A task hands blocking work to a pool and awaits it; the loop runs other
// callbacks meanwhile (loop.run_in_executor).
func ExampleRunInExecutor() {
	p := executor.New(executor.WithMaxWorkers(2))
	defer p.Shutdown()
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		f, err := executor.RunInExecutor(l, p, func(context.Context) (int, error) {
			return 6 * 7, nil // imagine a blocking call here
		})
		if err != nil {
			return struct{}{}, err
		}
		l.CallSoon(func() { fmt.Println("the loop runs on") })
		v, err := task.Await(c, f)
		fmt.Println("result:", v, err)
		return struct{}{}, nil
	})
	// Output:
	// the loop runs on
	// result: 42 <nil>
}

type userKey struct{}

// ToThread runs a function on the loop's default pool; values reach it
// through the context it receives (what contextvars do for
// asyncio.to_thread). Errors come back as they were returned.
func ExampleToThread() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		ctx := context.WithValue(context.Background(), userKey{}, "ada")
		greeting, err := executor.ToThread(c, func(ctx context.Context) (string, error) {
			return "hello, " + ctx.Value(userKey{}).(string), nil
		}, executor.WithContext(ctx))
		fmt.Println(greeting, err)

		errNotFound := errors.New("not found")
		_, err = executor.ToThread(c, func(context.Context) (string, error) { return "", errNotFound })
		fmt.Println(errors.Is(err, errNotFound))
		return struct{}{}, nil
	})
	// Output:
	// hello, ada <nil>
	// true
}

// Another goroutine submits a task body to a running loop and blocks on
// the result (asyncio.run_coroutine_threadsafe).
func ExampleRunCoroutineThreadsafe() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		delivered := future.New[string](l)
		// No loop.Hold here: the goroutine mostly waits for the loop's own
		// virtual time to pass, which a hold would stop.
		go func() {
			f, err := executor.RunCoroutineThreadsafe(l, func(c *task.Coro) (int, error) {
				if err := c.Sleep(1e9); err != nil { // a virtual second
					return 0, err
				}
				return 7, nil
			})
			if err != nil {
				panic(err)
			}
			v, err := f.Result() // blocks this goroutine, not the loop
			l.CallSoonThreadsafe(func() { delivered.SetResult(fmt.Sprint(v, " ", err)) })
		}()
		s, err := task.Await(c, delivered)
		fmt.Println("the other goroutine got:", s, err)
		return struct{}{}, nil
	})
	// Output: the other goroutine got: 7 <nil> <nil>
}

// Cancelling the task that awaits pool work cancels the work's context:
// Go can ask running work to stop, where asyncio could only abandon it.
func ExampleToThread_cancel() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		started := make(chan struct{})
		stopped := make(chan error, 1)
		t := task.Spawn(l, func(c *task.Coro) (int, error) {
			return executor.ToThread(c, func(ctx context.Context) (int, error) {
				close(started)
				<-ctx.Done() // a long computation checking ctx
				stopped <- ctx.Err()
				return 0, ctx.Err()
			})
		})
		c.Yield() // let t submit its work
		<-started
		t.Cancel()
		fmt.Println("task:", c.Await(t))
		fmt.Println("work:", <-stopped)
		return struct{}{}, nil
	})
	// Output:
	// task: cancelled
	// work: context canceled
}

// Each worker prepares itself once, before its first work (a connection,
// a parser: the initializer of ThreadPoolExecutor). An initializer that
// fails breaks the pool: its queued work and every later Submit fail with
// a *BrokenPoolError.
func ExampleWithInitializer() {
	var initialized atomic.Int32 // workers prepared so far
	p := executor.New(executor.WithMaxWorkers(1), executor.WithInitializer(func() error {
		initialized.Add(1)
		return nil
	}))
	f, _ := executor.Submit(p, func(context.Context) (int32, error) { return initialized.Load(), nil })
	fmt.Println(f.Result())
	p.Shutdown()

	broken := executor.New(executor.WithInitializer(func() error { return errors.New("no database") }))
	g, _ := executor.Submit(broken, func(context.Context) (int, error) { return 1, nil })
	_, err := g.Result()
	fmt.Println(errors.Is(err, executor.ErrBrokenPool), err)
	broken.Shutdown()
	// Output:
	// 1 <nil>
	// true executor: a worker's initializer failed; the pool is not usable anymore: no database
}
