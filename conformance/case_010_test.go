package conformance

import (
	"runtime"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("010_never_retrieved", case010) }

// case010 deviates (testdata/010_never_retrieved.deviation): goasyncio
// reports unretrieved errors when the loop closes, not when the garbage
// collector frees the future, so both reports come after the last print.
func case010(p *P) {
	handler := func(l *loop.Loop, ctx loop.ExceptionContext) {
		p.Printf("handler: %s exc=%s%s\n", Repr(ctx.Message), ExcName(ctx.Err), ExcArgs(ctx.Err))
	}
	fail := func(tag string) func(*task.Coro) (any, error) {
		return func(*task.Coro) (any, error) { return nil, Exc("ValueError", tag) }
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		l.SetExceptionHandler(handler)
		t1 := task.Spawn(l, fail("never looked at"))
		t2 := task.Spawn(l, fail("exception() called"))
		t3 := task.Spawn(l, fail("awaited"))
		t4 := task.Spawn(l, func(c *task.Coro) (struct{}, error) { return struct{}{}, c.Sleep(time.Second) })
		if err := c.Yield(); err != nil {
			return nil, err
		}
		t4.Cancel()
		p.Print("t2.exception():", Repr(t2.Err()))
		if _, err := task.Await(c, t3); err != nil {
			p.Print("await t3 raised", Repr(err))
		}
		fut := future.New[any](l)
		fut.SetException(Exc("KeyError", "future"))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("t1 done:", t1.Done(), "t4 cancelled:", t4.Cancelled())
		t1 = nil
		runtime.GC()
		p.Print("dropped t1")
		t2, t3, t4 = nil, nil, nil
		runtime.GC()
		p.Print("dropped t2 t3 t4")
		fut = nil
		runtime.GC()
		p.Print("dropped fut")
		_, _, _, _, _ = t1, t2, t3, t4, fut
		return nil, nil
	})
}
