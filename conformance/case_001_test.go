package conformance

import (
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("001_call_soon_fifo", case001) }

func case001(p *P) {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		var cb func(name string, depth int)
		cb = func(name string, depth int) {
			p.Print("run", name)
			if depth > 0 {
				l.CallSoon(func() { cb(name+"+", depth-1) })
			}
		}
		for _, s := range []struct {
			name  string
			depth int
		}{{"A", 2}, {"B", 0}, {"C", 1}, {"D", 0}} {
			l.CallSoon(func() { cb(s.name, s.depth) })
		}
		p.Print("main: scheduled A B C D")
		for _, nth := range []string{"first", "second", "third"} {
			if err := c.Yield(); err != nil {
				return nil, err
			}
			p.Printf("main: after %s sleep(0)\n", nth)
		}
		return nil, nil
	})
}
