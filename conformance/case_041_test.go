package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("041_as_completed_order", case041) }

func case041(p *P) {
	job := func(name string, delay time.Duration, exc error) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			if err := c.Sleep(delay); err != nil {
				return "", err
			}
			p.Printf("  [%s completes]\n", name)
			if exc != nil {
				return "", exc
			}
			return name, nil
		}
	}
	ms := time.Millisecond
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		tasks := []*task.Task[string]{
			task.Spawn(l, job("d350", 350*ms, nil)),
			task.Spawn(l, job("a50", 50*ms, nil)),
			task.Spawn(l, job("c250-fails", 250*ms, Exc("ValueError", "c250"))),
			task.Spawn(l, job("b150", 150*ms, nil)),
		}
		n := 0
		for v, err := range gather.AsCompleted(c, tasks) {
			n++
			switch {
			case err == nil:
				p.Printf("#%d result: %s\n", n, v)
			case ExcName(err) == "ValueError":
				p.Printf("#%d raised: %s\n", n, Repr(err))
			default:
				return nil, err
			}
		}
		p.Print("total yielded:", n)
		return nil, nil
	})
}
