package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("018_cancel_at_await", case018) }

func case018(p *P) {
	worker := func(c *task.Coro) (any, error) {
		p.Print("worker: start")
		defer p.Print("worker: finally")
		if err := c.Sleep(time.Second); err != nil {
			if future.IsCancelled(err) {
				p.Print("worker: CancelledError at the await")
			}
			return nil, err
		}
		p.Print("worker: NOT REACHED")
		return nil, nil
	}
	neverStarted := func(c *task.Coro) (any, error) {
		defer p.Print("never_started: finally RAN (unexpected)")
		p.Print("never_started: BODY RAN (unexpected)")
		return nil, nil
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		t := task.Spawn(l, worker)
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("cancel() ->", t.Cancel())
		p.Print("right after cancel(): cancelled =", t.Cancelled(), "done =", t.Done())
		p.Print("cancel() again ->", t.Cancel(), "cancelling =", t.Cancelling())
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("after one iteration: cancelled =", t.Cancelled())
		p.Print("cancel() on done task ->", t.Cancel(), "cancelling =", t.Cancelling())

		u := task.Spawn(l, neverStarted)
		p.Print("cancel before first step ->", u.Cancel())
		if _, err := task.Await(c, u); future.IsCancelled(err) {
			p.Print("u cancelled =", u.Cancelled())
		}
		return nil, nil
	})
}
