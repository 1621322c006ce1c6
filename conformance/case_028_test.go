package conformance

import (
	"context"
	"errors"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("028_wait_for_timeout", case028) }

func case028(p *P) {
	const ms = time.Millisecond
	var events []string
	slow := func(c *task.Coro) (any, error) {
		events = append(events, "slow: started")
		if err := c.Sleep(500 * ms); err != nil {
			p.Print("slow: cancelled by timeout, cleaning up")
			if err := c.Sleep(30 * ms); err != nil {
				return nil, err
			}
			p.Print("slow: cleanup finished")
			return nil, err
		}
		events = append(events, "slow: NOT REACHED")
		return nil, nil
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		t := task.Spawn(l, slow)
		if _, err := task.WaitFor(c, 100*ms, t); err != nil {
			var te *future.TimeoutError
			if !errors.As(err, &te) {
				return nil, err
			}
			// Go has one timeout error type: both Python checks hold for it.
			p.Print("main: TimeoutError; builtin:", ExcName(err) == "TimeoutError",
				"asyncio alias:", errors.Is(err, context.DeadlineExceeded))
			p.Print("main: cause is CancelledError:", future.IsCancelled(te.Cause))
		}
		p.Print("main: inner done =", t.Done(), "cancelled =", t.Cancelled())
		p.Print("main: events =", events)

		quick := func(c *task.Coro) (string, error) {
			if err := c.Sleep(30 * ms); err != nil {
				return "", err
			}
			return "quick", nil
		}
		v, err := task.WaitForFunc(c, 300*ms, quick)
		if err != nil {
			return nil, err
		}
		p.Print("main: second wait_for ->", v)
		return nil, nil
	})
}
