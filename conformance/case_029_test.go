package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("029_wait_for_zero", case029) }

func case029(p *P) {
	body := func(tag string) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			p.Printf("%s: BODY RAN\n", tag)
			return tag, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		if _, err := task.WaitForFunc(c, 0, body("coroutine")); ExcName(err) == "TimeoutError" {
			p.Print("coroutine, timeout=0: TimeoutError (body never ran)")
		}

		done := future.New[string](l)
		done.SetResult("done-value")
		v, err := task.WaitFor(c, 0, done)
		if err != nil {
			return nil, err
		}
		p.Print("done future, timeout=0 ->", v)

		failed := future.New[string](l)
		failed.SetException(Exc("KeyError", "early"))
		if _, err := task.WaitFor(c, -1*time.Second, failed); ExcName(err) == "KeyError" {
			p.Print("failed future, timeout=-1: KeyError", ExcArgs(err))
		}

		started := task.Spawn(l, func(c *task.Coro) (any, error) { return nil, c.Sleep(time.Second) })
		if err := c.Yield(); err != nil {
			return nil, err
		}
		if _, err := task.WaitFor(c, -5*time.Second, started); ExcName(err) == "TimeoutError" {
			p.Print("running task, timeout=-5: TimeoutError; task cancelled =", started.Cancelled())
		}

		t := task.Spawn(l, body("finished-task"))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		if v, err = task.WaitFor(c, 0, t); err != nil {
			return nil, err
		}
		p.Print("finished task, timeout=0 ->", v)
		return nil, nil
	})
}
