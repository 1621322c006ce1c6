package conformance

import (
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("024_shield_outer_cancel", case024) }

func case024(p *P) {
	work := func(c *task.Coro) (string, error) {
		p.Print("inner: started")
		for i := range 3 {
			if err := c.Yield(); err != nil {
				return "", err
			}
			p.Printf("inner: step %d\n", i)
		}
		p.Print("inner: finished")
		return "inner-result", nil
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		inner := task.Spawn(l, work)
		w := task.Spawn(l, func(c *task.Coro) (string, error) {
			v, err := task.Await(c, task.Shield(inner))
			if err != nil {
				p.Print("waiter: CancelledError; inner done =", inner.Done())
			}
			return v, err
		})
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main: cancel waiter ->", w.Cancel())
		if _, err := task.Await(c, w); err != nil {
			p.Print("main: waiter cancelled =", w.Cancelled())
		}
		p.Print("main: inner cancelled =", inner.Cancelled())
		v, err := task.Await(c, inner)
		if err != nil {
			return nil, err
		}
		p.Print("main: inner result =", v)
		return nil, nil
	})
}
