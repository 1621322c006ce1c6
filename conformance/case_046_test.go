package conformance

import (
	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("046_queue_join", case046) }

func case046(p *P) {
	joiner := func(q *aqueue.Queue[string], name string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			p.Printf("%s: join() waiting\n", name)
			if err := q.Join(c); err != nil {
				return nil, err
			}
			p.Printf("%s: join() returned\n", name)
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		q := aqueue.New[string](0)
		if err := q.Join(c); err != nil {
			return nil, err
		}
		p.Print("join on a fresh queue returns immediately")
		for _, item := range []string{"a", "b", "c"} {
			q.TryPut(item)
		}
		j1 := task.Spawn(c.Loop(), joiner(q, "j1"))
		j2 := task.Spawn(c.Loop(), joiner(q, "j2"))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		for !q.Empty() {
			item, err := q.Get(c)
			if err != nil {
				return nil, err
			}
			p.Printf("main: got %s; queue empty = %s\n", item, Repr(q.Empty()))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main: all items fetched, joiners still waiting:", !j1.Done(), !j2.Done())
		for range 3 {
			p.Print("main: task_done()")
			if err := q.TaskDone(); err != nil {
				return nil, err
			}
		}
		p.Print("main: joiners done right after last task_done:", j1.Done(), j2.Done())
		if err := gatherAll(c, false, j1, j2); err != nil {
			return nil, err
		}
		if err := q.TaskDone(); err != nil {
			p.Print("extra task_done: ValueError", err)
		}
		return nil, nil
	})
}

// gatherAll awaits asyncio.gather(*aws), with return_exceptions when
// returnExc, and returns gather's error (the first failure, if any).
func gatherAll(c *task.Coro, returnExc bool, aws ...future.Awaitable) error {
	if returnExc {
		return c.Await(gather.MixedSettled(c.Loop(), aws...))
	}
	return c.Await(gather.Mixed(c.Loop(), aws...))
}
