package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("019_cancel_catch_continue", case019) }

func case019(p *P) {
	stubborn := func(c *task.Coro) (string, error) {
		me := c.Task()
		if err := c.Sleep(time.Second); future.IsCancelled(err) {
			p.Print("stubborn: caught first cancel; cancelling =", me.Cancelling())
		}
		p.Print("stubborn: still running")
		if err := c.Yield(); err != nil {
			return "", err
		}
		p.Print("stubborn: uncancel ->", me.Uncancel(), "; again ->", me.Uncancel())
		if err := c.Sleep(time.Second); future.IsCancelled(err) {
			p.Print("stubborn: caught second cancel; cancelling =", me.Cancelling())
		}
		return "finished anyway", nil
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		t := task.Spawn(c.Loop(), stubborn)
		if err := c.Yield(); err != nil {
			return nil, err
		}
		t.Cancel()
		p.Print("main: cancelled once; cancelling =", t.Cancelling())
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main: stubborn survived; done =", t.Done())
		for range 2 {
			if err := c.Yield(); err != nil {
				return nil, err
			}
		}
		t.Cancel()
		result, err := task.Await(c, t)
		if err != nil {
			return nil, err
		}
		p.Print("main: result =", Repr(result))
		p.Print("main: cancelled =", t.Cancelled(), "cancelling =", t.Cancelling())
		return nil, nil
	})
}
