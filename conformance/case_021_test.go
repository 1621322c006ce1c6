package conformance

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("021_await_coro_vs_task", case021) }

func case021(p *P) {
	ticker := func(c *task.Coro) (any, error) {
		for i := range 8 {
			p.Printf("  tick %d\n", i)
			if err := c.Yield(); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	// sub is a coroutine function: called with the awaiting task's Coro it
	// runs inline (Python's `await sub(label)`); given to Spawn it is a task.
	sub := func(label string) func(*task.Coro) (string, error) {
		return func(*task.Coro) (string, error) {
			p.Printf("  sub(%s) body\n", label)
			return label, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		t := task.Spawn(l, ticker)
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("await coroutine directly")
		v, err := sub("direct")(c)
		if err != nil {
			return nil, err
		}
		p.Print("  ->", v)
		p.Print("await it wrapped in a task")
		if v, err = task.Await(c, task.Spawn(l, sub("task"))); err != nil {
			return nil, err
		}
		p.Print("  ->", v)
		p.Print("await an already-done future")
		fut := future.New[string](l)
		fut.SetResult("done-future")
		if v, err = task.Await(c, fut); err != nil {
			return nil, err
		}
		p.Print("  ->", v)
		doneTask := task.Spawn(l, sub("early"))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("await a finished task")
		if v, err = task.Await(c, doneTask); err != nil {
			return nil, err
		}
		p.Print("  ->", v)
		p.Print("await sleep(0)")
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("  -> back")
		return task.Await(c, t)
	})
}
