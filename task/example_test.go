package task_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// Run is asyncio.run: it runs main on a new loop (here on virtual time, so
// the sleeps take no real time) and closes the loop after it.
func ExampleRun() {
	v, err := task.Run(func(c *task.Coro) (string, error) {
		start := c.Loop().Time()
		if err := c.Sleep(5 * time.Second); err != nil {
			return "", err
		}
		return fmt.Sprint("slept ", c.Loop().Time().Sub(start)), nil
	}, loop.WithClock(looptest.NewClock()))
	fmt.Println(v, err)
	// Output:
	// slept 5s <nil>
}

// Tasks run concurrently on one goroutine, switching only where they
// await.
func ExampleSpawn() {
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		worker := func(name string, steps int) func(*task.Coro) (string, error) {
			return func(c *task.Coro) (string, error) {
				for i := range steps {
					fmt.Println(name, "step", i)
					if err := c.Yield(); err != nil {
						return "", err
					}
				}
				return name + " done", nil
			}
		}
		a := task.Spawn(c.Loop(), worker("a", 2))
		b := task.Spawn(c.Loop(), worker("b", 3), task.WithName("bee"))
		ra, _ := task.Await(c, a)
		rb, _ := task.Await(c, b)
		fmt.Println(ra, "/", rb, "/", b.Name())
		return 0, nil
	})
	// Output:
	// a step 0
	// b step 0
	// a step 1
	// b step 1
	// b step 2
	// a done / b done / bee
}

// Cancel requests cancellation: the body receives a CancelledError at its
// current await and decides what to do with it.
func ExampleTask_Cancel() {
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		t := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
			err := c.Sleep(time.Hour)
			fmt.Println("worker got:", err)
			return 0, err // propagate: the task ends cancelled
		})
		c.Yield() // let the worker start sleeping
		t.Cancel("shutting down")
		_, err := task.Await(c, t)
		fmt.Println("cancelled:", t.Cancelled(), future.IsCancelled(err))
		return 0, nil
	})
	// Output:
	// worker got: cancelled: shutting down
	// cancelled: true true
}

// A panic in a body becomes the task's error.
func ExampleTask_panic() {
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		t := task.Spawn(c.Loop(), func(*task.Coro) (int, error) { panic("bad input") })
		_, err := task.Await(c, t)
		var pe *loop.PanicError
		fmt.Println(errors.As(err, &pe), pe.Value)
		return 0, nil
	})
	// Output:
	// true bad input
}

func ExampleSleepValue() {
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		v, err := task.SleepValue(c, time.Minute, "a minute later")
		fmt.Println(v, err)
		return 0, nil
	})
	// Output:
	// a minute later <nil>
}

// An eager task runs its body inside Spawn, up to its first suspension.
func ExampleEager() {
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		t := task.Spawn(c.Loop(), func(*task.Coro) (int, error) {
			fmt.Println("body runs inside Spawn")
			return 42, nil
		}, task.Eager())
		fmt.Println("after Spawn: done =", t.Done())
		v, _ := task.Await(c, t)
		fmt.Println(v)
		return 0, nil
	})
	// Output:
	// body runs inside Spawn
	// after Spawn: done = true
	// 42
}

func ExampleCurrent() {
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		l := c.Loop()
		cur, _ := task.Current(l)
		fmt.Println("in main:", cur.Name())
		l.CallSoon(func() {
			cur, _ := task.Current(l)
			fmt.Println("in a callback:", cur)
		})
		return 0, c.Yield()
	})
	// Output:
	// in main: Task-1
	// in a callback: <nil>
}

// A Runner is asyncio.Runner: several bodies run one after another on the
// same loop, and a task one of them leaves pending runs on meanwhile;
// Close cancels what is left and closes the loop.
func ExampleRunner() {
	r := task.NewRunnerOn(looptest.New())
	defer r.Close()
	ticks := 0
	v, err := task.RunWith(r, func(c *task.Coro) (string, error) {
		task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
			for {
				if err := c.Sleep(time.Second); err != nil {
					return 0, err
				}
				ticks++
			}
		})
		return "started", nil
	})
	fmt.Println(v, err)
	v, err = task.RunWith(r, func(c *task.Coro) (string, error) {
		err := c.Sleep(3500 * time.Millisecond)
		return fmt.Sprint("ticks meanwhile: ", ticks), err
	})
	fmt.Println(v, err)
	// Output:
	// started <nil>
	// ticks meanwhile: 3 <nil>
}
