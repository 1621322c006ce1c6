package conformance

import (
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("062_timeout_at_reschedule", case062)
	errTypes = append(errTypes, func(err error) (string, Tuple, bool) {
		var se *task.TimeoutStateError
		if !errors.As(err, &se) {
			return "", nil, false
		}
		if se.State == "created" {
			return "RuntimeError", Tuple{"Timeout has not been entered"}, true
		}
		return "RuntimeError", Tuple{fmt.Sprintf("Cannot change state of %s Timeout", se.State)}, true
	})
}

func case062(p *P) {
	const ms = time.Millisecond
	isTimeout := func(err error) bool { return ExcName(err) == "TimeoutError" }
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		err := task.TimeoutAt(c, l.Time().Add(30*ms), func(s *task.TimeoutScope) error {
			if err := s.Reschedule(l.Time().Add(200 * ms)); err != nil {
				return err
			}
			if err := c.Sleep(100 * ms); err != nil {
				return err
			}
			p.Print("extended: survived past the original deadline")
			return c.Sleep(300 * ms)
		})
		if isTimeout(err) {
			p.Print("extended: TimeoutError at the new deadline")
		}

		var cm *task.TimeoutScope
		err = task.TimeoutAt(c, l.Time().Add(30*ms), func(s *task.TimeoutScope) error {
			cm = s
			if err := s.Reschedule(time.Time{}); err != nil {
				return err
			}
			return c.Sleep(60 * ms)
		})
		if err != nil {
			return nil, err
		}
		p.Print("disabled: when() is None:", cm.When().IsZero(), "expired:", cm.Expired())

		err = task.Timeout(c, 10*time.Second, func(s *task.TimeoutScope) error {
			cm = s
			if err := s.Reschedule(l.Time().Add(-time.Second)); err != nil {
				return err
			}
			p.Print("past deadline: code before the next await still runs")
			if err := c.Yield(); err != nil {
				return err
			}
			p.Print("past deadline: NOT REACHED")
			return nil
		})
		if isTimeout(err) {
			p.Print("past deadline: TimeoutError at the next await")
		}

		fresh := new(task.TimeoutScope) // asyncio.timeout(1), never entered
		for _, x := range []struct {
			label string
			s     *task.TimeoutScope
		}{{"not entered", fresh}, {"already exited", cm}} {
			if err := x.s.Reschedule(time.Time{}); err != nil {
				p.Printf("reschedule %s: %s %s\n", x.label, ExcName(err), Str(err))
			}
		}
		return nil, nil
	})
}
