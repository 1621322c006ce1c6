package conformance

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("053_condition", case053) }

func case053(p *P) {
	waiter := func(cond *locks.Condition, name string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			return nil, cond.With(c, func() error {
				p.Printf("%s: waiting\n", name)
				if err := cond.Wait(c); err != nil {
					return err
				}
				p.Printf("%s: woke, holds lock = %s\n", name, Repr(cond.Locked()))
				return nil
			})
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		cond := locks.NewCondition(nil)
		var ws []future.Awaitable
		for i := range 5 {
			ws = append(ws, task.Spawn(l, waiter(cond, fmt.Sprintf("w%d", i))))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		err := cond.With(c, func() error {
			p.Print("main: notify(2)")
			cond.Notify(2)
			if err := c.Yield(); err != nil {
				return err
			}
			p.Print("main: still holding the lock; nobody woke yet")
			return nil
		})
		if err != nil {
			return nil, err
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		err = cond.With(c, func() error {
			p.Print("main: notify_all()")
			return cond.NotifyAll()
		})
		if err != nil {
			return nil, err
		}
		if err := gatherAll(c, false, ws...); err != nil {
			return nil, err
		}

		n := 0
		pred := func() bool {
			p.Print("  predicate checked at n =", n)
			return n >= 3
		}
		t := task.Spawn(l, func(c *task.Coro) (any, error) {
			return nil, cond.With(c, func() error {
				if err := cond.WaitFor(c, pred); err != nil {
					return err
				}
				p.Print("wait_for returned", true)
				return nil
			})
		})
		for range 3 {
			if err := c.Yield(); err != nil {
				return nil, err
			}
			err := cond.With(c, func() error {
				n++
				p.Print("main: n =", n, "-> notify()")
				return cond.Notify(1)
			})
			if err != nil {
				return nil, err
			}
		}
		return nil, c.Await(t)
	})
}
