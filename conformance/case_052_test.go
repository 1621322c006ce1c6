package conformance

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("052_event", case052) }

func case052(p *P) {
	waiter := func(ev *locks.Event, name string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			p.Printf("%s: waiting\n", name)
			if err := ev.Wait(c); err != nil {
				return nil, err
			}
			p.Printf("%s: woke with True; is_set now = %s\n", name, Repr(ev.IsSet()))
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		ev := &locks.Event{}
		var ws []future.Awaitable
		for i := range 4 {
			ws = append(ws, task.Spawn(l, waiter(ev, fmt.Sprintf("w%d", i))))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main: set() then clear() immediately")
		ev.Set()
		ev.Clear()
		if err := gatherAll(c, false, ws...); err != nil {
			return nil, err
		}

		ev.Set()
		l.CallSoon(func() { p.Print("callback queued before wait()") })
		if err := ev.Wait(c); err != nil {
			return nil, err
		}
		p.Print("main: wait() on set event ->", true)
		ev.Set() // setting twice is harmless
		ev.Clear()
		late := task.Spawn(l, waiter(ev, "late"))
		for range 2 {
			if err := c.Yield(); err != nil {
				return nil, err
			}
		}
		p.Print("main: late still waiting:", !late.Done())
		ev.Set()
		return nil, c.Await(late)
	})
}
