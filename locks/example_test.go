package locks_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// With holds the lock across the awaits inside fn, and releases it however
// fn returns.
func ExampleLock_With() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		var m locks.Lock
		balance := 100
		withdraw := func(name string, amount int) func(*task.Coro) (struct{}, error) {
			return func(c *task.Coro) (struct{}, error) {
				return struct{}{}, m.With(c, func() error {
					b := balance
					if err := c.Sleep(time.Second); err != nil { // a slow check
						return err
					}
					if b < amount {
						fmt.Println(name, "refused")
						return nil
					}
					balance = b - amount
					fmt.Println(name, "took", amount, "left", balance)
					return nil
				})
			}
		}
		a := task.Spawn(c.Loop(), withdraw("a", 70))
		b := task.Spawn(c.Loop(), withdraw("b", 70))
		c.Await(a)
		c.Await(b)
		return struct{}{}, nil
	})
	// Output:
	// a took 70 left 30
	// b refused
}

func ExampleLock_Release() {
	var m locks.Lock
	err := m.Release()
	fmt.Println(err, errors.Is(err, locks.ErrNotLocked))
	// Output:
	// locks: lock is not acquired true
}

func ExampleEvent() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		var ready locks.Event
		for _, name := range []string{"a", "b"} {
			task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
				if err := ready.Wait(c); err != nil {
					return struct{}{}, err
				}
				fmt.Println(name, "goes")
				return struct{}{}, nil
			})
		}
		c.Sleep(time.Second)
		fmt.Println("set")
		ready.Set()
		return struct{}{}, c.Yield()
	})
	// Output:
	// set
	// a goes
	// b goes
}

// A consumer waits on a Condition until the producer has made an item.
func ExampleCondition() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		var cv locks.Condition
		var items []string
		consumer := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
			return struct{}{}, cv.With(c, func() error {
				if err := cv.WaitFor(c, func() bool { return len(items) > 0 }); err != nil {
					return err
				}
				fmt.Println("consumed", items[0])
				return nil
			})
		})
		c.Sleep(time.Second)
		cv.With(c, func() error {
			items = append(items, "bread")
			fmt.Println("produced bread")
			return cv.Notify(1)
		})
		c.Await(consumer)
		return struct{}{}, nil
	})
	// Output:
	// produced bread
	// consumed bread
}

// A semaphore of 2 lets two of the four downloads run at a time.
func ExampleSemaphore() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		sem := locks.NewSemaphore(2)
		start := l.Time()
		var ts []*task.Task[struct{}]
		for i := range 4 {
			ts = append(ts, task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				return struct{}{}, sem.With(c, func() error {
					fmt.Printf("t=%v download %d\n", l.Time().Sub(start), i)
					return c.Sleep(time.Second)
				})
			}))
		}
		for _, t := range ts {
			c.Await(t)
		}
		return struct{}{}, nil
	})
	// Output:
	// t=0s download 0
	// t=0s download 1
	// t=1s download 2
	// t=1s download 3
}

func ExampleBoundedSemaphore() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		sem := locks.NewBoundedSemaphore(1)
		sem.Acquire(c)
		fmt.Println(sem.Release())
		fmt.Println(sem.Release())
		return struct{}{}, nil
	})
	// Output:
	// <nil>
	// locks: BoundedSemaphore released too many times
}

// Three tasks meet at a barrier; each gets its arrival index.
func ExampleBarrier() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		b := locks.NewBarrier(3)
		var ts []*task.Task[struct{}]
		for i, d := range []time.Duration{3, 1, 2} {
			ts = append(ts, task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
				c.Sleep(d * time.Second)
				fmt.Println("party", i, "arrives")
				idx, err := b.Wait(c)
				fmt.Println("party", i, "passes with index", idx, err)
				return struct{}{}, err
			}))
		}
		for _, t := range ts {
			c.Await(t)
		}
		return struct{}{}, nil
	})
	// Output:
	// party 1 arrives
	// party 2 arrives
	// party 0 arrives
	// party 0 passes with index 2 <nil>
	// party 1 passes with index 0 <nil>
	// party 2 passes with index 1 <nil>
}
