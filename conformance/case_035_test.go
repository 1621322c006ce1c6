package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("035_gather_cancel", case035) }

func case035(p *P) {
	child := func(name string, delay time.Duration) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			if err := c.Sleep(delay); err != nil {
				p.Printf("%s: cancelled %s\n", name, ExcArgs(err))
				return "", err
			}
			p.Printf("%s: finished\n", name)
			return name, nil
		}
	}
	ms := time.Millisecond
	parent := func(c *task.Coro) (any, error) {
		_, err := task.Await(c, gather.Spawn(c.Loop(),
			child("p1", 500*ms), child("p2", 500*ms), child("p3", 500*ms)))
		if ExcName(err) == "CancelledError" {
			p.Print("parent: gather raised CancelledError")
		}
		return nil, err
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		var kids []*task.Task[string]
		for _, k := range []struct {
			name  string
			delay time.Duration
		}{{"c1", 500 * ms}, {"c2", 30 * ms}, {"c3", 500 * ms}} {
			kids = append(kids, task.Spawn(l, child(k.name, k.delay)))
		}
		g := gather.All(l, kids[0], kids[1], kids[2])
		if err := c.Sleep(150 * ms); err != nil {
			return nil, err
		}
		p.Print("main: gather.cancel('enough') ->", g.Cancel("enough"))
		if _, err := task.Await(c, g); err != nil {
			if ExcName(err) != "CancelledError" {
				return nil, err
			}
			p.Print("main: gather raised CancelledError", ExcArgs(err))
		}
		var cancelled []bool
		for _, k := range kids {
			cancelled = append(cancelled, k.Cancelled())
		}
		p.Print("main: children cancelled:", cancelled)
		p.Print("main: gather.cancel() again ->", g.Cancel())

		pt := task.Spawn(l, parent)
		if err := c.Sleep(100 * ms); err != nil {
			return nil, err
		}
		p.Print("main: cancel parent ->", pt.Cancel())
		if _, err := task.Await(c, pt); ExcName(err) == "CancelledError" {
			p.Print("main: parent cancelled =", pt.Cancelled())
		}
		return nil, nil
	})
}
