package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("042_as_completed_timeout", case042) }

func case042(p *P) {
	job := func(name string, delay time.Duration) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			if err := c.Sleep(delay); err != nil {
				return "", err
			}
			p.Printf("  [%s completes]\n", name)
			return name, nil
		}
	}
	ms := time.Millisecond
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		a := task.Spawn(l, job("a30", 30*ms))
		b := task.Spawn(l, job("b300", 300*ms))
		cc := task.Spawn(l, job("c400", 400*ms))
		yielded := 0
		for v, err := range gather.AsCompleted(c, []*task.Task[string]{a, b, cc, a}, gather.WithTimeout(150*ms)) {
			yielded++
			switch {
			case err == nil:
				p.Print("got", v)
			case ExcName(err) == "TimeoutError":
				p.Print("TimeoutError")
			default:
				return nil, err
			}
		}
		p.Print("yielded:", yielded)
		p.Print("b, c cancelled:", b.Cancelled(), cc.Cancelled())
		vb, err := task.Await(c, b)
		if err != nil {
			return nil, err
		}
		vc, err := task.Await(c, cc)
		if err != nil {
			return nil, err
		}
		p.Print("still finish:", vb, vc)
		return nil, nil
	})
}
