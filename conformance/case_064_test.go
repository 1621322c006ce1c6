package conformance

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/internal/goid"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("064_run_in_executor", case064) }

// runningClock is virtual time that keeps running while work on other
// goroutines is outstanding: it jumps to the next timer whenever the loop
// is idle, ignoring loop.Hold. The Python program's point is that the loop
// ticks on while workers block; on looptest's clock, which stands still
// while a result is on its way, the ticker could not tick.
type runningClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *runningClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *runningClock) Sleep(deadline time.Time, wake <-chan struct{}, _ bool) {
	if deadline.IsZero() {
		<-wake
		return
	}
	select {
	case <-wake:
	default:
		c.mu.Lock()
		if deadline.After(c.now) {
			c.now = deadline
		}
		c.mu.Unlock()
	}
}

func case064(p *P) {
	type squared struct {
		n        int
		onLoopGo bool
	}
	loopG := goid.Get() // RunOn runs the loop on this goroutine: Python's main thread
	l := loop.New(loop.WithClock(&runningClock{now: looptest.Epoch}))
	task.RunOn(l, func(c *task.Coro) (any, error) {
		// time.sleep(delay) in the workers becomes "block until the loop
		// has ticked four times": the workers block for as long as it takes
		// the loop to prove it runs meanwhile, on no wall clock.
		fourTicks := make(chan struct{})
		blocking := func(n int) func(context.Context) (squared, error) {
			return func(context.Context) (squared, error) {
				<-fourTicks
				return squared{n * n, goid.Get() == loopG}, nil
			}
		}
		var stop locks.Event
		t := task.Spawn(l, func(c *task.Coro) (any, error) {
			ticks := 0
			for !stop.IsSet() {
				ticks++
				if ticks == 4 {
					close(fourTicks)
				}
				if err := c.Sleep(10 * time.Millisecond); err != nil {
					return nil, err
				}
			}
			p.Print("ticker ran while workers blocked:", ticks > 3)
			return nil, nil
		})

		pool := executor.New(executor.WithMaxWorkers(3))
		var futs []future.Typed[squared]
		allFutures := true
		for n := range 6 {
			f, err := executor.RunInExecutor(l, pool, blocking(n))
			if err != nil {
				return nil, err
			}
			_, isFuture := any(f).(future.Awaitable)
			allFutures = allFutures && isFuture
			futs = append(futs, f)
		}
		p.Print("future type is asyncio:", allFutures)
		results, err := task.Await(c, gather.All(l, futs...))
		pool.Shutdown() // leaving the with block
		if err != nil {
			return nil, err
		}
		var squares []int
		anyOnLoop := false
		for _, r := range results {
			squares = append(squares, r.n)
			anyOnLoop = anyOnLoop || r.onLoopGo
		}
		p.Print("results:", squares)
		p.Print("any ran on the main thread:", anyOnLoop)

		// functools.partial(sorted, [3, 1, 2], reverse=True) is a closure.
		f, err := executor.RunInExecutor(l, nil, func(context.Context) ([]int, error) {
			s := []int{3, 1, 2}
			slices.Sort(s)
			slices.Reverse(s)
			return s, nil
		})
		if err != nil {
			return nil, err
		}
		kw, err := task.Await(c, f)
		if err != nil {
			return nil, err
		}
		p.Print("default executor + partial:", kw)
		stop.Set()
		return nil, c.Await(t)
	})
}
