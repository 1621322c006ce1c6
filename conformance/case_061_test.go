package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("061_timeout_cm", case061) }

func case061(p *P) {
	const ms = time.Millisecond
	isTimeout := func(err error) bool { return ExcName(err) == "TimeoutError" }
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		var cm, outer, inner *task.TimeoutScope
		err := task.Timeout(c, 300*ms, func(s *task.TimeoutScope) error {
			cm = s
			return c.Sleep(30 * ms)
		})
		if err != nil {
			return nil, err
		}
		p.Print("no expiry: expired =", cm.Expired())

		err = task.Timeout(c, 30*ms, func(s *task.TimeoutScope) error {
			cm = s
			err := c.Sleep(time.Second)
			if future.IsCancelled(err) {
				p.Print("inside: CancelledError at the await")
			}
			return err
		})
		if isTimeout(err) {
			p.Print("outside: TimeoutError, expired =", cm.Expired())
		}

		err = task.Timeout(c, 300*ms, func(s *task.TimeoutScope) error {
			outer = s
			err := task.Timeout(c, 30*ms, func(s *task.TimeoutScope) error {
				inner = s
				return c.Sleep(time.Second)
			})
			if isTimeout(err) {
				p.Print("nested A: inner fired:", inner.Expired(), "outer fired:", outer.Expired())
				return nil
			}
			return err
		})
		if err != nil {
			return nil, err
		}

		err = task.Timeout(c, 30*ms, func(s *task.TimeoutScope) error {
			outer = s
			err := task.Timeout(c, 300*ms, func(s *task.TimeoutScope) error {
				inner = s
				return c.Sleep(time.Second)
			})
			if future.IsCancelled(err) {
				p.Print("nested B: CancelledError passes the inner cm; inner fired:", inner.Expired())
			}
			return err
		})
		if isTimeout(err) {
			p.Print("nested B: outer converted it; outer fired:", outer.Expired())
		}

		err = task.Timeout(c, task.NoTimeout, func(s *task.TimeoutScope) error {
			cm = s
			return c.Sleep(30 * ms)
		})
		if err != nil {
			return nil, err
		}
		when := any(cm.When())
		if cm.When().IsZero() {
			when = nil
		}
		p.Print("timeout(None): when =", when, "expired =", cm.Expired())
		p.Print("cancelling() at the end:", c.Task().Cancelling())
		return nil, nil
	})
}
