package conformance

import (
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("004_soon_vs_task_steps", case004) }

func case004(p *P) {
	worker := func(name string, n int) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			for i := range n {
				p.Printf("%s step %d\n", name, i)
				if err := c.Yield(); err != nil {
					return nil, err
				}
			}
			p.Printf("%s done\n", name)
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		var chain func(k int)
		chain = func(k int) {
			p.Printf("chain %d\n", k)
			if k < 3 {
				l.CallSoon(func() { chain(k + 1) })
			}
		}
		l.CallSoon(func() { p.Print("cb1") })
		t1 := task.Spawn(l, worker("t1", 3))
		l.CallSoon(func() { p.Print("cb2") })
		t2 := task.Spawn(l, worker("t2", 2))
		l.CallSoon(func() { chain(0) })
		p.Print("main: created everything, now awaiting t1")
		if _, err := task.Await(c, t1); err != nil {
			return nil, err
		}
		p.Print("main: t1 finished")
		if _, err := task.Await(c, t2); err != nil {
			return nil, err
		}
		p.Print("main: t2 finished")
		return nil, nil
	})
}
