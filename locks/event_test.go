package locks_test

import (
	"testing"

	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/task"
)

func TestEvent(t *testing.T) {
	waiter := func(ev *locks.Event, log func(string, ...any), name string) func(*task.Coro) error {
		return func(c *task.Coro) error {
			if err := ev.Wait(c); err != nil {
				return err
			}
			log("%s woke, set=%v", name, ev.IsSet())
			return nil
		}
	}
	runScenarios(t, []scenario{{
		name: "set wakes every waiter in order; clear right after does not stop them",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var ev locks.Event
			var ts []*task.Task[struct{}]
			for _, n := range []string{"a", "b", "c"} {
				ts = append(ts, spawn(c.Loop(), log, n, waiter(&ev, log, n)))
			}
			yields(c, 1)
			ev.Set()
			ev.Clear()
			for _, t := range ts {
				c.Await(t)
			}
			return nil
		},
		want: []string{"a woke, set=false", "b woke, set=false", "c woke, set=false"},
	}, {
		name: "wait on a set event does not suspend",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var ev locks.Event
			ev.Set()
			c.Loop().CallSoon(func() { log("callback") })
			ev.Wait(c)
			log("waited, set=%v", ev.IsSet())
			return c.Yield()
		},
		want: []string{"waited, set=true", "callback"},
	}, {
		name: "a cancelled waiter leaves; the others still wake",
		body: func(c *task.Coro, log func(string, ...any)) error {
			var ev locks.Event
			a := spawn(c.Loop(), log, "a", waiter(&ev, log, "a"))
			b := spawn(c.Loop(), log, "b", waiter(&ev, log, "b"))
			yields(c, 1)
			a.Cancel("stop")
			yields(c, 1)
			ev.Set()
			ev.Set() // a second Set does nothing
			return c.Await(b)
		},
		want: []string{"a: cancelled: stop", "b woke, set=true"},
	}})
}
