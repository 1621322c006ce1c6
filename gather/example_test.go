package gather_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// fetch stands for an operation that takes d and returns v, or fails.
func fetch(name string, d time.Duration, fail bool) func(*task.Coro) (string, error) {
	return func(c *task.Coro) (string, error) {
		if err := c.Sleep(d); err != nil {
			return "", err
		}
		if fail {
			return "", fmt.Errorf("%s: not found", name)
		}
		return name, nil
	}
}

// Gathering with errors: All fails with the first error while the other
// children run on; AllSettled returns every child's value or error.
func ExampleAll() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		a := task.Spawn(l, fetch("a", 30*time.Millisecond, false))
		b := task.Spawn(l, fetch("b", 10*time.Millisecond, true))
		_, err := task.Await(c, gather.All(l, a, b))
		fmt.Println("All:", err, "- a still running:", !a.Done())

		rs, _ := task.Await(c, gather.AllSettled(l, a, b))
		for i, r := range rs {
			fmt.Printf("slot %d: value=%q err=%v\n", i, r.Value, r.Err)
		}
		return nil, nil
	})
	// Output:
	// All: b: not found - a still running: true
	// slot 0: value="a" err=<nil>
	// slot 1: value="" err=b: not found
}

// Spawn starts one task per body and gathers the results in argument
// order, whatever the order they finish in.
func ExampleSpawn() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		vs, err := task.Await(c, gather.Spawn(c.Loop(),
			fetch("slow", 30*time.Millisecond, false),
			fetch("fast", 10*time.Millisecond, false),
		))
		fmt.Println(vs, err)
		return nil, nil
	})
	// Output:
	// [slow fast] <nil>
}

// Cancelling a Gathering cancels its unfinished children, with the message.
func ExampleGathering_Cancel() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		g := gather.Spawn(l, fetch("x", time.Hour, false), fetch("y", time.Hour, false))
		if err := c.Sleep(time.Millisecond); err != nil {
			return nil, err
		}
		fmt.Println("cancel:", g.Cancel("shutting down"))
		_, err := task.Await(c, g)
		fmt.Println(err)
		return nil, nil
	})
	// Output:
	// cancel: true
	// cancelled: shutting down
}

// Wait with FirstCompleted returns as soon as one task is done; the others
// keep running.
func ExampleWait() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		ts := []*task.Task[string]{
			task.Spawn(l, fetch("slow", time.Second, false), task.WithName("slow")),
			task.Spawn(l, fetch("fast", time.Millisecond, false), task.WithName("fast")),
		}
		done, pending, err := gather.Wait(c, ts, gather.FirstCompleted)
		if err != nil {
			return nil, err
		}
		for _, t := range done {
			v, err := t.Result()
			fmt.Println("done:", t.Name(), v, err)
		}
		for _, t := range pending {
			fmt.Println("pending:", t.Name())
		}
		return nil, nil
	})
	// Output:
	// done: fast fast <nil>
	// pending: slow
}

// Wait's argument errors are values.
func ExampleWait_errors() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		_, _, err := gather.Wait(c, []*task.Task[int]{}, gather.AllCompleted)
		fmt.Println(errors.Is(err, gather.ErrEmpty), err)
		return nil, nil
	})
	// Output:
	// true gather: set of awaitables is empty
}

// AsCompleted yields results in the order they arrive; after the timeout
// the rest yield a TimeoutError, and their tasks keep running.
func ExampleAsCompleted() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		ts := []*task.Task[string]{
			task.Spawn(l, fetch("c", 300*time.Millisecond, false)),
			task.Spawn(l, fetch("a", 100*time.Millisecond, false)),
			task.Spawn(l, fetch("b", 200*time.Millisecond, true)),
		}
		for v, err := range gather.AsCompleted(c, ts, gather.WithTimeout(250*time.Millisecond)) {
			fmt.Printf("%q %v\n", v, err)
		}
		return nil, nil
	})
	// Output:
	// "a" <nil>
	// "" b: not found
	// "" timeout
}

// Completed yields the tasks themselves as they finish (Python 3.13's
// async for over as_completed).
func ExampleCompleted() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		ts := []*task.Task[string]{
			task.Spawn(l, fetch("second", 20*time.Millisecond, false), task.WithName("t2")),
			task.Spawn(l, fetch("first", 10*time.Millisecond, false), task.WithName("t1")),
		}
		for t, err := range gather.Completed(c, ts) {
			if err != nil {
				return nil, err
			}
			v, _ := t.Result()
			fmt.Println(t.Name(), v)
		}
		return nil, nil
	})
	// Output:
	// t1 first
	// t2 second
}
