package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("027_wait_for_basic", case027) }

func case027(p *P) {
	const ms = time.Millisecond
	job := func(tag string, delay time.Duration, fail bool) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			p.Printf("%s: running in %s\n", tag, c.Task().Name())
			if err := c.Sleep(delay); err != nil {
				return "", err
			}
			if fail {
				return "", Exc("ValueError", tag)
			}
			return tag + "-result", nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		c.Task().SetName("main")
		v, err := task.WaitForFunc(c, 500*ms, job("fast", 30*ms, false))
		if err != nil {
			return nil, err
		}
		p.Print("->", v)
		if v, err = task.WaitForFunc(c, task.NoTimeout, job("no-timeout", 30*ms, false)); err != nil {
			return nil, err
		}
		p.Print("->", v)

		l := c.Loop()
		fut := future.New[string](l)
		l.CallLater(30*ms, func() { fut.SetResult("future-result") })
		if v, err = task.WaitFor(c, 500*ms, fut); err != nil {
			return nil, err
		}
		p.Print("->", v)

		if _, err := task.WaitForFunc(c, 500*ms, job("failing", 30*ms, true)); err != nil {
			if ExcName(err) != "ValueError" {
				return nil, err
			}
			p.Print("-> raised", Repr(err))
		}
		t := task.Spawn(l, job("task", 30*ms, false), task.WithName("pre-made"))
		if v, err = task.WaitFor(c, 500*ms, t); err != nil {
			return nil, err
		}
		p.Print("->", v, "| same task done:", t.Done())
		return nil, nil
	})
}
