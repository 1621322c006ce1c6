package conformance

import (
	"strings"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("032_gather_order", case032) }

func case032(p *P) {
	job := func(name string, delay time.Duration) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			p.Printf("start %s\n", name)
			if err := c.Sleep(delay); err != nil {
				return "", err
			}
			p.Printf("finish %s\n", name)
			return strings.ToUpper(name), nil
		}
	}
	ms := time.Millisecond
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		fut := future.New[string](l)
		l.CallLater(60*ms, func() { fut.SetResult("FUTURE") })
		pre := task.Spawn(l, job("pre-made task", 150*ms))
		// gather wraps each coroutine in a task, in argument order.
		results, err := task.Await(c, gather.All(l,
			task.Spawn(l, job("slow", 120*ms)),
			task.Spawn(l, job("fast", 30*ms)),
			fut,
			pre,
			task.Spawn(l, job("medium", 90*ms)),
		))
		if err != nil {
			return nil, err
		}
		p.Print("results:", results)
		return nil, nil
	})
}
