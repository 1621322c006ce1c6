package conformance

import (
	"fmt"
	"slices"
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("038_wait_first_completed", case038) }

// waitNames is sorted(t.get_name() for t in tasks).
func waitNames[A task.Any](ts []A) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Name())
	}
	slices.Sort(out)
	return out
}

func case038(p *P) {
	steps := func(n int) func(*task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			for range n {
				if err := c.Yield(); err != nil {
					return 0, err
				}
			}
			return n, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		var ts []*task.Task[struct{}]
		for _, d := range []time.Duration{400, 30, 200} {
			d *= time.Millisecond
			ts = append(ts, task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				return struct{}{}, c.Sleep(d)
			}, task.WithName(fmt.Sprintf("sleep%dms", d.Milliseconds()))))
		}
		done, pending, err := gather.Wait(c, ts, gather.FirstCompleted)
		if err != nil {
			return nil, err
		}
		p.Print("done:", waitNames(done), "pending:", waitNames(pending))
		if done, pending, err = gather.Wait(c, pending, gather.FirstCompleted); err != nil {
			return nil, err
		}
		p.Print("done:", waitNames(done), "pending:", waitNames(pending))
		if _, _, err := gather.Wait(c, pending, gather.AllCompleted); err != nil {
			return nil, err
		}

		a := task.Spawn(l, steps(1), task.WithName("one-step"))
		b := task.Spawn(l, steps(2), task.WithName("two-steps"))
		cc := task.Spawn(l, steps(5), task.WithName("five-steps"))
		done2, pending2, err := gather.Wait(c, []*task.Task[int]{cc, b, a}, gather.FirstCompleted)
		if err != nil {
			return nil, err
		}
		p.Print("done:", waitNames(done2), "pending:", waitNames(pending2))
		if done2, pending2, err = gather.Wait(c, []*task.Task[int]{cc}, gather.AllCompleted); err != nil {
			return nil, err
		}
		p.Print("done:", waitNames(done2), "pending:", waitNames(pending2))
		return nil, nil
	})
}
