package conformance

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("023_cancel_vs_result_race", case023) }

func case023(p *P) {
	waiter := func(label string, fut *future.Future[string]) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			v, err := task.Await(c, fut)
			if future.IsCancelled(err) {
				p.Printf("%s: CancelledError (future cancelled=%s)\n", label, Str(fut.Cancelled()))
				return nil, err
			}
			p.Printf("%s: got %s\n", label, Repr(v))
			return nil, err
		}
	}
	a := func(fut *future.Future[string], t task.Any) {
		fut.SetResult("value")
		p.Print("a: set_result done; cancel() ->", t.Cancel())
	}
	b := func(fut *future.Future[string], t task.Any) {
		p.Print("b: cancel() ->", t.Cancel())
		if err := fut.SetResult("too late"); err != nil {
			p.Print("b: set_result -> " + ExcName(err))
		}
	}
	cc := func(fut *future.Future[string], t task.Any) {
		p.Print("c: fut.cancel() ->", fut.Cancel(), "; t.cancel() ->", t.Cancel())
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		for _, s := range []struct {
			label  string
			action func(*future.Future[string], task.Any)
		}{{"a", a}, {"b", b}, {"c", cc}} {
			fut := future.New[string](l)
			t := task.Spawn(l, waiter(s.label, fut))
			if err := c.Yield(); err != nil {
				return nil, err
			}
			s.action(fut, t)
			// asyncio.gather(t, return_exceptions=True)
			if err := c.Await(gather.AllSettled[any](l, t)); err != nil {
				return nil, err
			}
			p.Printf("%s: task cancelled=%s\n", s.label, Str(t.Cancelled()))
		}
		return nil, nil
	})
}
