package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("033_gather_return_exceptions", case033) }

func case033(p *P) {
	ok := func(v int, delay time.Duration) func(*task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			if err := c.Sleep(delay); err != nil {
				return 0, err
			}
			p.Printf("ok(%d) done\n", v)
			return v, nil
		}
	}
	bad := func(exc error, delay time.Duration) func(*task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			if err := c.Sleep(delay); err != nil {
				return 0, err
			}
			p.Printf("bad(%s) raising\n", Repr(exc))
			return 0, exc
		}
	}
	ms := time.Millisecond
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		results, err := task.Await(c, gather.SpawnSettled(c.Loop(),
			ok(1, 90*ms),
			bad(Exc("ValueError", "v"), 30*ms),
			ok(2, 0),
			bad(Exc("KeyError", "k"), 60*ms),
		))
		if err != nil {
			return nil, err
		}
		for i, r := range results {
			if r.Err != nil {
				p.Printf("slot %d: exception %s\n", i, Repr(r.Err))
			} else {
				p.Printf("slot %d: result %s\n", i, Repr(r.Value))
			}
		}
		return nil, nil
	})
}
