package conformance

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("025_shield_inner", case025) }

func case025(p *P) {
	sleeper := func(tag string, fail bool) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			if err := c.Yield(); err != nil {
				return "", err
			}
			if fail {
				return "", Exc("ValueError", tag)
			}
			return tag, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		inner := task.Spawn(l, sleeper("x", false))
		shielded := task.Shield(inner)
		p.Print("shield returns a new future:", shielded != future.Typed[string](inner))
		inner.Cancel()
		if _, err := task.Await(c, shielded); future.IsCancelled(err) {
			p.Print("inner cancelled -> shield cancelled:", shielded.Cancelled())
		}
		p.Print("main task itself cancelling =", c.Task().Cancelling())

		if _, err := task.Await(c, task.Shield(task.Spawn(l, sleeper("boom", true)))); err != nil {
			p.Print("inner exception passes through:", Repr(err))
		}
		v, err := task.Await(c, task.Shield(task.Spawn(l, sleeper("ok", false))))
		if err != nil {
			return nil, err
		}
		p.Print("inner result passes through:", v)

		done := future.New[string](l)
		done.SetResult("already")
		p.Print("shield(done future) is the same object:", task.Shield(done) == future.Typed[string](done))
		return nil, nil
	})
}
