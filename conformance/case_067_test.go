package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("067_countdown", case067) }

func case067(p *P) {
	countdown := func(name string, n int, period time.Duration, t0 time.Time) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			l := c.Loop()
			for k := range n {
				p.Printf("%s: T-minus %d\n", name, n-k)
				if err := c.Sleep(t0.Add(time.Duration(k+1) * period).Sub(l.Time())); err != nil {
					return "", err
				}
			}
			p.Printf("%s: lift-off!\n", name)
			return name, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		t0 := l.Time()
		var finished []string
		var rockets []*task.Task[string]
		for _, r := range []struct {
			name   string
			n      int
			period time.Duration
		}{{"Apollo", 3, 150 * time.Millisecond}, {"Gemini", 4, 120 * time.Millisecond}, {"Mercury", 2, 200 * time.Millisecond}} {
			t := task.Spawn(l, countdown(r.name, r.n, r.period, t0))
			t.AddDoneCallback(func() {
				v, _ := t.Result()
				finished = append(finished, v)
			})
			rockets = append(rockets, t)
		}
		results, err := task.Await(c, gather.AllOf(l, rockets))
		if err != nil {
			return nil, err
		}
		p.Print("gather order:", results)
		p.Print("landing order:", finished)
		return nil, nil
	})
}
