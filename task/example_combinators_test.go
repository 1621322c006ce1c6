package task_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// A TaskGroup whose child fails: the sibling and the body are cancelled,
// and Group returns the failure in a *task.GroupError.
func ExampleGroup() {
	errDisk := errors.New("disk full")
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		err := task.Group(c, func(g *task.TaskGroup) error {
			task.SpawnIn(g, func(c *task.Coro) (any, error) {
				if err := c.Sleep(10 * time.Millisecond); err != nil {
					return nil, err
				}
				return nil, errDisk
			})
			task.SpawnIn(g, func(c *task.Coro) (any, error) {
				err := c.Sleep(time.Hour)
				fmt.Println("sibling:", err)
				return nil, err
			})
			err := c.Sleep(time.Hour)
			fmt.Println("body:", err)
			return err
		})
		fmt.Println("group:", err)
		fmt.Println("errors.Is(err, errDisk):", errors.Is(err, errDisk))
		fmt.Println("still cancelling:", c.Task().Cancelling())
		return nil, nil
	})
	// Output:
	// sibling: cancelled
	// body: cancelled
	// group: task: unhandled errors in a TaskGroup (1 sub-error): disk full
	// errors.Is(err, errDisk): true
	// still cancelling: 0
}

// WaitFor on a body that takes too long: the body is cancelled, allowed to
// clean up, and WaitFor returns a timeout error.
func ExampleWaitForFunc() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		start := c.Loop().Time()
		_, err := task.WaitForFunc(c, time.Second, func(c *task.Coro) (string, error) {
			if err := c.Sleep(time.Minute); err != nil {
				fmt.Println("slow body:", err)
				return "", err
			}
			return "done", nil
		})
		fmt.Println("after", c.Loop().Time().Sub(start), "->", err)
		fmt.Println("deadline exceeded:", errors.Is(err, context.DeadlineExceeded))
		return nil, nil
	})
	// Output:
	// slow body: cancelled
	// after 1s -> timeout
	// deadline exceeded: true
}

// WaitFor on a future that completes in time returns its value; the timer
// is cancelled.
func ExampleWaitFor() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		f := future.New[int](c.Loop())
		c.Loop().CallLater(time.Second, func() { f.SetResult(42) })
		v, err := task.WaitFor(c, time.Hour, f)
		fmt.Println(v, err)
		return nil, nil
	})
	// Output:
	// 42 <nil>
}

// Timeout bounds a block of awaits; the scope reports whether it expired.
func ExampleTimeout() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		var scope *task.TimeoutScope
		err := task.Timeout(c, 50*time.Millisecond, func(s *task.TimeoutScope) error {
			scope = s
			for i := 0; ; i++ {
				if err := c.Sleep(20 * time.Millisecond); err != nil {
					fmt.Println("step", i, "interrupted:", err)
					return err
				}
				fmt.Println("step", i, "done")
			}
		})
		fmt.Println("timeout:", err, "| expired:", scope.Expired())
		return nil, nil
	})
	// Output:
	// step 0 done
	// step 1 done
	// step 2 interrupted: cancelled
	// timeout: timeout | expired: true
}

// Reschedule moves the deadline of the running scope.
func ExampleTimeoutScope_Reschedule() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		err := task.Timeout(c, 10*time.Millisecond, func(s *task.TimeoutScope) error {
			s.Reschedule(s.When().Add(time.Second)) // more time after all
			return c.Sleep(500 * time.Millisecond)
		})
		fmt.Println("err:", err)
		return nil, nil
	})
	// Output:
	// err: <nil>
}

// Shield lets a task be cancelled while the work it waits for goes on.
func ExampleShield() {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		save := task.Spawn(l, func(c *task.Coro) (string, error) {
			if err := c.Sleep(time.Second); err != nil {
				return "", err
			}
			return "saved", nil
		})
		waiter := task.Spawn(l, func(c *task.Coro) (string, error) {
			return task.Await(c, task.Shield(save))
		})
		l.CallLater(10*time.Millisecond, func() { waiter.Cancel() })
		_, err := task.Await(c, waiter)
		fmt.Println("waiter:", err)
		v, err := task.Await(c, save)
		fmt.Println("save:", v, err)
		return nil, nil
	})
	// Output:
	// waiter: cancelled
	// save: saved <nil>
}
