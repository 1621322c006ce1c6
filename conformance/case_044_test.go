package conformance

import (
	"errors"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("044_queue_kinds_order", case044)
	// Package aqueue's errors as the Python exceptions they stand for.
	errTypes = append(errTypes, func(err error) (string, Tuple, bool) {
		switch {
		case errors.Is(err, aqueue.ErrFull):
			return "QueueFull", Tuple{}, true
		case errors.Is(err, aqueue.ErrEmpty):
			return "QueueEmpty", Tuple{}, true
		case errors.Is(err, aqueue.ErrShutDown):
			return "QueueShutDown", Tuple{}, true
		case errors.Is(err, aqueue.ErrTooManyTaskDone):
			return "ValueError", Tuple{"task_done() called too many times"}, true
		}
		return "", nil, false
	})
}

func case044(p *P) {
	drain := func(c *task.Coro, q *aqueue.Queue[int]) ([]int, error) {
		out := []int{}
		for !q.Empty() {
			v, err := q.Get(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		items := []int{5, 1, 4, 2, 3}
		kinds := []struct {
			name string
			make func() *aqueue.Queue[int]
		}{
			{"Queue", func() *aqueue.Queue[int] { return aqueue.New[int](0) }},
			{"LifoQueue", func() *aqueue.Queue[int] { return aqueue.NewLIFO[int](0) }},
			{"PriorityQueue", func() *aqueue.Queue[int] {
				return aqueue.NewPriority(0, func(a, b int) bool { return a < b })
			}},
		}
		for _, k := range kinds {
			q := k.make()
			for _, x := range items {
				if err := q.Put(c, x); err != nil {
					return nil, err
				}
			}
			p.Printf("%s: qsize=%d full=%s maxsize=%d\n", k.name, q.Len(), Repr(q.Full()), q.MaxSize())
			out, err := drain(c, q)
			if err != nil {
				return nil, err
			}
			p.Printf("  order: %s\n", Repr(out))
		}

		type entry struct {
			prio int
			name string
		}
		pq := aqueue.NewPriority(0, func(a, b entry) bool {
			// Python's tuple comparison: priority, then the name.
			if a.prio != b.prio {
				return a.prio < b.prio
			}
			return a.name < b.name
		})
		for _, e := range []entry{{2, "write"}, {1, "read-b"}, {3, "close"}, {1, "read-a"}, {0, "open"}} {
			pq.TryPut(e)
		}
		var got []any
		for range pq.Len() {
			e, _ := pq.TryGet()
			got = append(got, Tuple{e.prio, e.name})
		}
		p.Print("PriorityQueue tuples:", got)

		lq := aqueue.NewLIFO[string](2)
		lq.TryPut("x")
		lq.TryPut("y")
		full := lq.Full()
		a, _ := lq.TryGet()
		b, _ := lq.TryGet()
		p.Print("LifoQueue(2) full:", full, "->", a, b)
		return nil, nil
	})
}
