package gather

import (
	"slices"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// doneQueue is the part of an unbounded asyncio.Queue that as_completed
// uses — put_nowait and get — with the same getter futures and wake-ups,
// so that the waiting task resumes on the same loop iteration as in
// CPython. Items are indexes of completed awaitables; -1 is the timeout
// sentinel (as_completed's None).
type doneQueue struct {
	l       *loop.Loop
	items   []int
	getters []*future.Future[struct{}]
}

// putNowait is Queue.put_nowait.
func (q *doneQueue) putNowait(item int) {
	q.items = append(q.items, item)
	q.wakeupNext()
}

// wakeupNext is Queue._wakeup_next(self._getters).
func (q *doneQueue) wakeupNext() {
	for len(q.getters) > 0 {
		w := q.getters[0]
		q.getters[0] = nil
		q.getters = q.getters[1:]
		if !w.Done() {
			w.SetResult(struct{}{})
			break
		}
	}
}

// get is Queue.get: it returns at once, without suspending, if an item is
// there, and otherwise waits on a getter future that putNowait completes.
func (q *doneQueue) get(c *task.Coro) (int, error) {
	for len(q.items) == 0 {
		getter := future.New[struct{}](q.l)
		q.getters = append(q.getters, getter)
		if err := c.Await(getter); err != nil {
			getter.Cancel() // in case it is not done yet
			q.getters = slices.DeleteFunc(q.getters, func(g *future.Future[struct{}]) bool { return g == getter })
			if len(q.items) > 0 && !getter.Cancelled() {
				q.wakeupNext()
			}
			return 0, err
		}
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item, nil
}
