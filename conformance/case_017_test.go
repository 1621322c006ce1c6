package conformance

import (
	"errors"
	"slices"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("017_current_all_tasks", case017)
	// The loop's state errors are RuntimeErrors in asyncio, with these
	// messages.
	errTypes = append(errTypes, func(err error) (string, Tuple, bool) {
		switch {
		case errors.Is(err, loop.ErrNotRunning):
			return "RuntimeError", Tuple{"no running event loop"}, true
		case errors.Is(err, loop.ErrClosed):
			return "RuntimeError", Tuple{"Event loop is closed"}, true
		case errors.Is(err, loop.ErrRunning):
			return "RuntimeError", Tuple{"This event loop is already running"}, true
		}
		return "", nil, false
	})
}

// taskNames is the Python names(): the tasks' names, sorted (all_tasks is a
// set in asyncio).
func taskNames(ts []task.Any) []string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name()
	}
	slices.Sort(names)
	return names
}

func case017(p *P) {
	worker := func(n int) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			cur, _ := task.Current(c.Loop())
			p.Printf("%s running\n", cur.Name())
			for range n {
				if err := c.Yield(); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}
	}
	l := looptest.New()
	task.RunOn(l, func(c *task.Coro) (any, error) {
		l := c.Loop()
		mainTask, _ := task.Current(l)
		cur, _ := task.Current(l)
		p.Print("current in main is main:", mainTask == cur)
		l.CallSoon(func() {
			cur, _ := task.Current(l)
			p.Print("current in callback:", cur)
		})
		var ts []*task.Task[any]
		for _, n := range []int{1, 2, 3} {
			ts = append(ts, task.Spawn(l, worker(n), task.WithName("w"+Str(n))))
		}
		p.Print("all_tasks before start:", taskNames(task.All(l)))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("after 1 iteration:", taskNames(task.All(l)))
		for range 2 {
			if err := c.Yield(); err != nil {
				return nil, err
			}
		}
		p.Print("after 3 iterations:", taskNames(task.All(l)))
		if _, err := task.Await(c, ts[2]); err != nil {
			return nil, err
		}
		p.Print("after w3 finished:", taskNames(task.All(l)))
		cur, _ = task.Current(l)
		p.Print("current in main again:", cur == mainTask)
		return nil, nil
	})
	if _, err := task.Current(l); err != nil {
		p.Print("current_task() outside a loop: RuntimeError", Str(err))
	}
}
