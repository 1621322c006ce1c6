package conformance

import (
	"fmt"
	"strings"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("008_call_soon_threadsafe", case008) }

func case008(p *P) {
	square := func(x int) func(c *task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			if err := c.Yield(); err != nil {
				return 0, err
			}
			name := c.Task().Name()
			p.Printf("square(%d) runs in a loop task: %s\n", x, Repr(strings.HasPrefix(name, "Task-")))
			return x * x, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		finished := future.New[int](l)
		onLoop := func() bool { cur, _ := task.Current(l); return cur == c.Task() }

		// No loop.Hold for the worker: no timer is pending, so the virtual
		// clock has nothing to jump to while the loop waits for its posts
		// (and a hold would stall any timer the square task used).
		joined := make(chan struct{})
		worker := func() {
			defer close(joined)
			for i := range 4 {
				l.CallSoonThreadsafe(func() { p.Print(fmt.Sprintf("cb %d from thread", i)) })
			}
			cf, err := executor.RunCoroutineThreadsafe(l, square(7))
			if err != nil {
				panic(err)
			}
			value, err := cf.Result() // blocks this worker goroutine only
			if err != nil {
				panic(err)
			}
			l.CallSoonThreadsafe(func() { finished.SetResult(value) })
		}
		go worker()
		p.Print("main: waiting for thread")
		value, err := task.Await(c, finished)
		if err != nil {
			return nil, err
		}
		<-joined
		p.Print("main: thread delivered", value)
		p.Print("main: in loop thread:", onLoop())
		return nil, nil
	})
}
