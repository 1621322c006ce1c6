package conformance

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("014_remove_done_callback", case014) }

// Go funcs are not comparable, so a done-callback is removed by the ids of
// its registrations: "remove cb1" removes every id cb1 was registered under,
// as remove_done_callback(cb1) removes every registration of cb1.
func case014(p *P) {
	cb := func(name string) func() { return func() { p.Print(name + " runs") } }
	cb1, cb2, cb3 := cb("cb1"), cb("cb2"), cb("cb3")
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		f := future.New[string](l)
		ids := map[string][]future.CallbackID{}
		add := func(f *future.Future[string], name string, fn func()) {
			ids[name] = append(ids[name], f.AddDoneCallback(fn))
		}
		add(f, "cb1", cb1)
		add(f, "cb2", cb2)
		add(f, "cb1", cb1)
		add(f, "cb3", cb3)
		add(f, "cb1", cb1)
		p.Print("remove cb1 ->", f.RemoveDoneCallback(ids["cb1"]...))
		p.Print("remove cb1 again ->", f.RemoveDoneCallback(ids["cb1"]...))
		f.SetResult("x")
		p.Print("remove cb3 after set_result ->", f.RemoveDoneCallback(ids["cb3"]...))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("-- second future: callback removes a sibling while pending")
		clear(ids)
		g := future.New[string](l)
		remover := func() {
			p.Print("remover runs; removing cb2 ->", g.RemoveDoneCallback(ids["cb2"]...))
		}
		add(g, "cb1", cb1)
		add(g, "cb2", cb2)
		l.CallSoon(func() {
			p.Print("removing cb1 before done ->", g.RemoveDoneCallback(ids["cb1"]...))
		})
		if err := c.Yield(); err != nil {
			return nil, err
		}
		add(g, "remover", remover)
		add(g, "cb2", cb2)
		g.SetResult("y")
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main end")
		return nil, nil
	})
}
