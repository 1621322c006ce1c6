package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("034_gather_first_exception", case034) }

// goasyncio reports never-retrieved errors when the loop closes rather than
// at gc.collect(); the handler stays installed until then, so a report for
// a child error that gather failed to mark retrieved would still show.
func case034(p *P) {
	child := func(name string, delay time.Duration, exc error) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			if err := c.Sleep(delay); err != nil {
				p.Printf("%s: cancelled\n", name)
				return "", err
			}
			if exc != nil {
				p.Printf("%s: raising %s\n", name, Repr(exc))
				return "", exc
			}
			p.Printf("%s: finished normally\n", name)
			return name, nil
		}
	}
	ms := time.Millisecond
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
			p.Print("handler:", ctx.Message)
		})
		g := gather.Spawn(l,
			child("a", 200*ms, nil),
			child("b", 30*ms, Exc("ValueError", "first")),
			child("c", 150*ms, Exc("KeyError", "second")),
			child("d", 250*ms, nil),
		)
		if _, err := task.Await(c, g); err != nil {
			if ExcName(err) != "ValueError" {
				return nil, err
			}
			p.Print("main: gather raised", Repr(err))
		}
		p.Print("main: gather.cancel() ->", g.Cancel())
		if err := c.Sleep(300 * ms); err != nil {
			return nil, err
		}
		p.Print("main: end")
		return nil, nil
	})
}
