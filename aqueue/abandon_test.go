package aqueue_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// A loop closed with a bare Close (not task.Run, which cancels the tasks
// first) unwinds the bodies of the tasks blocked on a queue. Their waiters
// must leave the queue's lines without waking anyone through the closed
// loop, so that the queue stays usable: the calls that do not wait work,
// and a call that would wait on another loop gets ErrOtherLoop (the queue
// stays bound to the closed loop, as asyncio's stays bound to its first
// loop). Each row blocks tasks with block, runs the loop until they are
// suspended, calls stopped (with the loop stopped, before Close), closes
// the loop and calls after; the trace includes what the bodies' deferred
// calls log while Close unwinds them, and the queue at the end.
func TestAbandonedWaiters(t *testing.T) {
	getter := func(q *aqueue.Queue[int], log logf, name string) func(*task.Coro) (struct{}, error) {
		return func(c *task.Coro) (struct{}, error) {
			v, err := q.Get(c)
			log("%s resumed: %d %s", name, v, errName(err)) // must not happen
			return struct{}{}, err
		}
	}
	putter := func(q *aqueue.Queue[int], log logf, name string, v int) func(*task.Coro) (struct{}, error) {
		return func(c *task.Coro) (struct{}, error) {
			err := q.Put(c, v)
			log("%s resumed: %s", name, errName(err)) // must not happen
			return struct{}{}, err
		}
	}
	tryGet := func(q *aqueue.Queue[int], log logf) {
		v, err := q.TryGet()
		log("TryGet: %d %s", v, errName(err))
	}
	tests := []struct {
		name    string
		maxsize int
		block   func(l *loop.Loop, q *aqueue.Queue[int], log logf)
		stopped func(q *aqueue.Queue[int], log logf)
		after   func(q *aqueue.Queue[int], log logf)
		want    []string
	}{{
		name: "Get on an empty queue",
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			task.Spawn(l, getter(q, log, "g"))
		},
		after: func(q *aqueue.Queue[int], log logf) {
			log("TryPut: %s", errName(q.TryPut(1)))
			tryGet(q, log)
			onNewLoop(log, func(c *task.Coro) {
				_, err := q.Get(c)
				log("Get on another loop: %s", errName(err))
			})
		},
		want: []string{"TryPut: nil", "TryGet: 1 nil", "Get on another loop: ErrOtherLoop", "<Queue maxsize=0 tasks=1>"},
	}, {
		name: "Get: the first getter woken for an item, the second waiting",
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			task.Spawn(l, getter(q, log, "g1"))
			task.Spawn(l, getter(q, log, "g2"))
		},
		stopped: func(q *aqueue.Queue[int], log logf) { q.TryPut(1) }, // wakes g1
		after: func(q *aqueue.Queue[int], log logf) {
			log("TryPut: %s", errName(q.TryPut(2)))
			tryGet(q, log)
			tryGet(q, log)
			onNewLoop(log, func(c *task.Coro) { // neither call has to wait
				log("Put on another loop: %s", errName(q.Put(c, 3)))
				v, err := q.Get(c)
				log("Get on another loop: %d %s", v, errName(err))
			})
		},
		want: []string{
			"TryPut: nil", "TryGet: 1 nil", "TryGet: 2 nil",
			"Put on another loop: nil", "Get on another loop: 3 nil",
			"<Queue maxsize=0 tasks=3>",
		},
	}, {
		name:    "Put on a full queue",
		maxsize: 1,
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			q.TryPut(0)
			task.Spawn(l, putter(q, log, "p", 1))
		},
		after: func(q *aqueue.Queue[int], log logf) {
			tryGet(q, log)
			log("TryPut: %s", errName(q.TryPut(2)))
			tryGet(q, log)
			onNewLoop(log, func(c *task.Coro) {
				log("Put on another loop: %s", errName(q.Put(c, 3)))
				log("Put on another loop, full: %s", errName(q.Put(c, 4)))
			})
		},
		want: []string{
			"TryGet: 0 nil", "TryPut: nil", "TryGet: 2 nil",
			"Put on another loop: nil", "Put on another loop, full: ErrOtherLoop",
			"<Queue maxsize=1 _queue=[3] tasks=3>",
		},
	}, {
		name:    "Put: the first putter woken for a slot, the second waiting",
		maxsize: 1,
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			q.TryPut(0)
			task.Spawn(l, putter(q, log, "p1", 1))
			task.Spawn(l, putter(q, log, "p2", 2))
		},
		stopped: func(q *aqueue.Queue[int], log logf) { q.TryGet() }, // wakes p1
		after: func(q *aqueue.Queue[int], log logf) {
			log("TryPut: %s", errName(q.TryPut(3)))
			tryGet(q, log)
			tryGet(q, log)
		},
		want: []string{"TryPut: nil", "TryGet: 3 nil", "TryGet: 0 ErrEmpty", "<Queue maxsize=1 tasks=2>"},
	}, {
		name: "Join with an unfinished item",
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			q.TryPut(0)
			q.TryGet()
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				err := q.Join(c)
				log("joiner resumed: %s", errName(err)) // must not happen
				return struct{}{}, err
			})
		},
		after: func(q *aqueue.Queue[int], log logf) {
			log("TaskDone: %s", errName(q.TaskDone()))
			onNewLoop(log, func(c *task.Coro) {
				log("Join on another loop, nothing unfinished: %s", errName(q.Join(c)))
				q.TryPut(1)
				log("Join on another loop, an item unfinished: %s", errName(q.Join(c)))
			})
		},
		want: []string{
			"TaskDone: nil",
			"Join on another loop, nothing unfinished: nil",
			"Join on another loop, an item unfinished: ErrOtherLoop",
			"<Queue maxsize=0 _queue=[1] tasks=1>",
		},
	}, {
		name: "Shutdown after the close",
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			task.Spawn(l, getter(q, log, "g"))
		},
		after: func(q *aqueue.Queue[int], log logf) {
			q.Shutdown()
			tryGet(q, log)
		},
		want: []string{"TryGet: 0 ErrShutDown", "<Queue maxsize=0 shutdown>"},
	}, {
		// Close unwinds the bodies in creation order: A's deferred TryPut
		// runs while the getter, unwound next, is still in the line.
		name: "a TryPut deferred in a body unwound first wakes no dead getter",
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				defer func() { log("A's deferred TryPut: %s", errName(q.TryPut(1))) }()
				return struct{}{}, c.Sleep(time.Hour)
			})
			task.Spawn(l, getter(q, log, "g"))
		},
		after: func(q *aqueue.Queue[int], log logf) { tryGet(q, log) },
		want:  []string{"A's deferred TryPut: nil", "TryGet: 1 nil", "<Queue maxsize=0 tasks=1>"},
	}, {
		name: "a TaskDone deferred in a body unwound first wakes no dead joiner",
		block: func(l *loop.Loop, q *aqueue.Queue[int], log logf) {
			q.TryPut(0)
			q.TryGet()
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				defer func() { log("A's deferred TaskDone: %s", errName(q.TaskDone())) }()
				return struct{}{}, c.Sleep(time.Hour)
			})
			task.Spawn(l, func(c *task.Coro) (struct{}, error) { return struct{}{}, q.Join(c) })
		},
		after: func(q *aqueue.Queue[int], log logf) {
			onNewLoop(log, func(c *task.Coro) {
				log("Join on another loop: %s", errName(q.Join(c)))
			})
		},
		want: []string{"A's deferred TaskDone: nil", "Join on another loop: nil", "<Queue maxsize=0>"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leakcheck.Check(t)
			var got []string
			log := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
			q := aqueue.New[int](tt.maxsize)
			l := looptest.New()
			tt.block(l, q, log)
			l.CallSoon(l.Stop)
			if err := l.RunForever(); err != nil { // the tasks block
				t.Fatal(err)
			}
			if tt.stopped != nil {
				catch(log, func() { tt.stopped(q, log) })
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			catch(log, func() { tt.after(q, log) })
			log("%v", q)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

// catch calls fn and logs the value it panics with, if it does.
func catch(log logf, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			log("panic: %v", r)
		}
	}()
	fn()
}

// onNewLoop runs body as the main task of a new loop.
func onNewLoop(log logf, body func(c *task.Coro)) {
	_, err := task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		body(c)
		return struct{}{}, nil
	})
	if err != nil {
		log("new loop: %v", err)
	}
}

// errName names the sentinel err matches, for traces.
func errName(err error) string {
	if err == nil {
		return "nil"
	}
	for _, e := range []struct {
		err  error
		name string
	}{
		{future.ErrOtherLoop, "ErrOtherLoop"},
		{aqueue.ErrEmpty, "ErrEmpty"},
		{aqueue.ErrFull, "ErrFull"},
		{aqueue.ErrShutDown, "ErrShutDown"},
		{aqueue.ErrTooManyTaskDone, "ErrTooManyTaskDone"},
		{loop.ErrClosed, "ErrClosed"},
		{task.ErrAbandoned, "ErrAbandoned"},
	} {
		if errors.Is(err, e.err) {
			return e.name
		}
	}
	return err.Error()
}
