package conformance

import (
	"fmt"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("047_queue_fairness", case047) }

func case047(p *P) {
	getter := func(q *aqueue.Queue[string], name string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			item, err := q.Get(c)
			if err != nil {
				return nil, err
			}
			p.Printf("%s got %s\n", name, item)
			return nil, nil
		}
	}
	putter := func(q *aqueue.Queue[string], name string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			if err := q.Put(c, name); err != nil {
				return nil, err
			}
			p.Printf("%s put done\n", name)
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		q := aqueue.New[string](0)
		var gs []future.Awaitable
		for i := range 4 {
			gs = append(gs, task.Spawn(l, getter(q, fmt.Sprintf("g%d", i))))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		for _, item := range []string{"x", "y", "z"} {
			q.TryPut(item)
		}
		p.Print("main: put x y z")
		if err := c.Yield(); err != nil {
			return nil, err
		}
		q.TryPut("w")
		if err := gatherAll(c, false, gs...); err != nil {
			return nil, err
		}

		q = aqueue.New[string](1)
		q.TryPut("seed")
		var ps []future.Awaitable
		for i := range 3 {
			ps = append(ps, task.Spawn(l, putter(q, fmt.Sprintf("p%d", i))))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		for range 3 {
			v, err := q.Get(c)
			if err != nil {
				return nil, err
			}
			p.Print("main: get ->", v)
			if err := c.Yield(); err != nil {
				return nil, err
			}
		}
		v, err := q.Get(c)
		if err != nil {
			return nil, err
		}
		p.Print("main: get ->", v)
		return nil, gatherAll(c, false, ps...)
	})
}
