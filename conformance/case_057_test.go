package conformance

import (
	"errors"
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("057_barrier", case057) }

func case057(p *P) {
	party := func(b *locks.Barrier, name string, rounds int) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			for r := range rounds {
				p.Printf("%s: arrives (round %d)\n", name, r)
				idx, err := b.Wait(c)
				if errors.Is(err, locks.ErrBrokenBarrier) {
					p.Printf("%s: BrokenBarrierError\n", name)
					return nil, nil
				}
				if err != nil {
					return nil, err
				}
				p.Printf("%s: passed round %d with index %d\n", name, r, idx)
				if err := c.Yield(); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		b := locks.NewBarrier(3)
		p.Print("parties:", b.Parties(), "broken:", b.Broken())
		var ts []future.Awaitable
		for i := range 3 {
			ts = append(ts, task.Spawn(l, party(b, fmt.Sprintf("p%d", i), 2)))
		}
		if err := gatherAll(c, false, ts...); err != nil {
			return nil, err
		}
		p.Print("after two rounds: n_waiting =", b.Waiting())

		ts = ts[:0]
		for i := range 2 {
			ts = append(ts, task.Spawn(l, party(b, fmt.Sprintf("q%d", i), 1)))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("two waiting, n_waiting =", b.Waiting(), "-> abort()")
		if err := b.Abort(c); err != nil {
			return nil, err
		}
		if err := gatherAll(c, false, ts...); err != nil {
			return nil, err
		}
		p.Print("broken:", b.Broken())
		return party(b, "latecomer", 1)(c)
	})
}
