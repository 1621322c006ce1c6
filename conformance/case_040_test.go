package conformance

import (
	"errors"
	"slices"
	"time"

	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("040_wait_timeout", case040)
	errTypes = append(errTypes, func(err error) (string, Tuple, bool) {
		switch {
		case errors.Is(err, gather.ErrEmpty):
			return "ValueError", Tuple{"Set of Tasks/Futures is empty."}, true
		case errors.Is(err, gather.ErrReturnWhen):
			return "ValueError", Tuple{err.Error()}, true
		case errors.Is(err, gather.ErrNil):
			return "TypeError", Tuple{err.Error()}, true
		}
		return "", nil, false
	})
}

// case040 deviates (testdata/040_wait_timeout.deviation): the line for a
// bare coroutine in the list is missing, because in Go a task body is not a
// future.Awaitable and gather.Wait(c, []future.Awaitable{body}, ...) does
// not compile.
func case040(p *P) {
	job := func(name string, delay time.Duration) func(*task.Coro) (struct{}, error) {
		return func(c *task.Coro) (struct{}, error) {
			if err := c.Sleep(delay); err != nil {
				return struct{}{}, err
			}
			p.Printf("%s: finished\n", name)
			return struct{}{}, nil
		}
	}
	ms := time.Millisecond
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		var ts []*task.Task[struct{}]
		for _, j := range []struct {
			name  string
			delay time.Duration
		}{{"fast", 30 * ms}, {"slow", 350 * ms}, {"medium", 250 * ms}} {
			ts = append(ts, task.Spawn(l, job(j.name, j.delay), task.WithName(j.name)))
		}
		done, pending, err := gather.Wait(c, ts, gather.AllCompleted, gather.WithTimeout(120*ms))
		if err != nil {
			return nil, err
		}
		p.Print("after timeout: done", waitNames(done), "pending", waitNames(pending))
		sorted := slices.Clone(pending)
		slices.SortFunc(sorted, func(a, b *task.Task[struct{}]) int {
			if a.Name() < b.Name() {
				return -1
			}
			return 1
		})
		var cancelled []bool
		for _, t := range sorted {
			cancelled = append(cancelled, t.Cancelled())
		}
		p.Print("pending cancelled?", cancelled)
		if done, pending, err = gather.Wait(c, pending, gather.AllCompleted); err != nil {
			return nil, err
		}
		p.Print("after second wait: done", waitNames(done), "pending", waitNames(pending))

		for _, tc := range []struct {
			label string
			call  func() error
		}{
			{"empty list", func() error {
				_, _, err := gather.Wait(c, []*task.Task[struct{}]{}, gather.AllCompleted)
				return err
			}},
			// "coroutine in list": rejected by the compiler (see above).
			{"bad return_when", func() error {
				_, _, err := gather.Wait(c, ts, gather.ReturnWhen(42))
				return err
			}},
		} {
			if err := tc.call(); err != nil {
				if name := ExcName(err); name == "ValueError" || name == "TypeError" {
					p.Printf("%s: %s\n", tc.label, name)
				} else {
					return nil, err
				}
			}
		}
		return nil, nil
	})
}
