package conformance

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("012_future_callbacks", case012) }

func case012(p *P) {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		fut := future.New[int](l)
		waiter := func(c *task.Coro) (any, error) {
			p.Print("waiter: awaiting fut")
			v, err := task.Await(c, fut)
			if err != nil {
				return nil, err
			}
			p.Print("waiter: got", v)
			return nil, nil
		}
		for _, name := range []string{"A", "B"} {
			fut.AddDoneCallback(func() {
				v, _ := fut.Result()
				p.Printf("cb %s sees %s\n", name, Str(v))
			})
		}
		w := task.Spawn(l, waiter)
		if err := c.Yield(); err != nil { // let the waiter register its wakeup callback
			return nil, err
		}
		fut.AddDoneCallback(func() { p.Print("cb C (registered after waiter)") })
		l.CallSoon(func() { p.Print("soon queued before set_result") })
		p.Print("set_result(42)")
		fut.SetResult(42)
		p.Print("set_result returned; done =", fut.Done())
		l.CallSoon(func() { p.Print("soon queued after set_result") })
		fut.AddDoneCallback(func() { p.Print("cb D added when already done") })
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main after sleep(0)")
		if _, err := task.Await(c, w); err != nil {
			return nil, err
		}
		p.Print("main end")
		return nil, nil
	})
}
