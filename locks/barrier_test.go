package locks_test

import (
	"errors"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/task"
)

func TestBarrier(t *testing.T) {
	party := func(b *locks.Barrier, log func(string, ...any), name string) func(*task.Coro) error {
		return func(c *task.Coro) error {
			i, err := b.Wait(c)
			switch {
			case errors.Is(err, locks.ErrBrokenBarrier):
				log("%s: broken", name)
				return nil
			case future.IsCancelled(err):
				log("%s: cancelled", name)
				return nil
			case err != nil:
				return err
			}
			log("%s: index %d", name, i)
			return nil
		}
	}
	spawnAll := func(c *task.Coro, b *locks.Barrier, log func(string, ...any), names ...string) []*task.Task[struct{}] {
		var ts []*task.Task[struct{}]
		for _, n := range names {
			ts = append(ts, spawn(c.Loop(), log, n, party(b, log, n)))
		}
		return ts
	}
	awaitAll := func(c *task.Coro, ts []*task.Task[struct{}]) {
		for _, t := range ts {
			c.Await(t)
		}
	}
	runScenarios(t, []scenario{{
		name: "reset fails the waiting tasks; the barrier is usable again",
		body: func(c *task.Coro, log func(string, ...any)) error {
			b := locks.NewBarrier(3)
			ts := spawnAll(c, b, log, "a", "b")
			yields(c, 1)
			log("waiting %d", b.Waiting())
			b.Reset(c)
			awaitAll(c, ts)
			log("after reset: waiting %d broken %v", b.Waiting(), b.Broken())
			awaitAll(c, spawnAll(c, b, log, "c", "d", "e"))
			return nil
		},
		want: []string{
			"waiting 2", "a: broken", "b: broken", "after reset: waiting 0 broken false",
			"e: index 2", "c: index 0", "d: index 1",
		},
	}, {
		name: "a cancelled party leaves the count (indices repeat, as in CPython)",
		body: func(c *task.Coro, log func(string, ...any)) error {
			b := locks.NewBarrier(3)
			ts := spawnAll(c, b, log, "f", "g")
			yields(c, 1)
			ts[0].Cancel()
			yields(c, 2)
			log("after cancel: waiting %d", b.Waiting())
			awaitAll(c, append(ts[1:], spawnAll(c, b, log, "h", "i")...))
			log("waiting %d", b.Waiting())
			return nil
		},
		want: []string{
			"f: cancelled", "after cancel: waiting 1",
			"i: index 2", "g: index 1", "h: index 1", "waiting 0",
		},
	}, {
		name: "abort breaks current and later waits",
		body: func(c *task.Coro, log func(string, ...any)) error {
			b := locks.NewBarrier(2)
			ts := spawnAll(c, b, log, "a")
			yields(c, 1)
			b.Abort(c)
			awaitAll(c, ts)
			awaitAll(c, spawnAll(c, b, log, "late"))
			log("broken %v parties %d", b.Broken(), b.Parties())
			return nil
		},
		want: []string{"a: broken", "late: broken", "broken true parties 2"},
	}})
}
