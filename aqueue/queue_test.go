package aqueue_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Main(m)) }

type logf = func(format string, args ...any)

// The scenarios' traces are those of the same programs under CPython
// 3.11.7 (3.13.0 for shutdown).
func TestQueue(t *testing.T) {
	getter := func(q *aqueue.Queue[string], log logf, name string) func(*task.Coro) (struct{}, error) {
		return func(c *task.Coro) (struct{}, error) {
			v, err := q.Get(c)
			if err != nil {
				log("%s: %v", name, err)
				return struct{}{}, err
			}
			log("%s got %s", name, v)
			return struct{}{}, nil
		}
	}
	putter := func(q *aqueue.Queue[string], log logf, name, v string) func(*task.Coro) (struct{}, error) {
		return func(c *task.Coro) (struct{}, error) {
			if err := q.Put(c, v); err != nil {
				log("%s: %v", name, err)
				return struct{}{}, err
			}
			log("%s put %s", name, v)
			return struct{}{}, nil
		}
	}
	tests := []struct {
		name string
		body func(c *task.Coro, log logf)
		want []string
	}{{
		name: "a woken getter robbed by TryGet goes to the back of the line",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](0)
			g1 := task.Spawn(c.Loop(), getter(q, log, "g1"))
			g2 := task.Spawn(c.Loop(), getter(q, log, "g2"))
			c.Yield()
			q.TryPut("x") // wakes g1
			v, _ := q.TryGet()
			log("main stole %s", v)
			c.Yield() // g1 finds the queue empty and waits again, behind g2
			log("%v", q)
			q.TryPut("y")
			c.Yield()
			q.TryPut("z")
			c.Await(g1)
			c.Await(g2)
		},
		want: []string{"main stole x", "<Queue maxsize=0 _getters[2] tasks=1>", "g2 got y", "g1 got z"},
	}, {
		name: "a woken getter takes whatever item is there when it runs",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](0)
			g1 := task.Spawn(c.Loop(), getter(q, log, "g1"))
			g2 := task.Spawn(c.Loop(), getter(q, log, "g2"))
			c.Yield()
			q.TryPut("x") // wakes g1
			v, _ := q.TryGet()
			log("main stole %s", v)
			q.TryPut("y") // wakes g2
			c.Yield()
			log("%v", q)
			q.TryPut("z")
			c.Await(g1)
			c.Await(g2)
		},
		want: []string{"main stole x", "g1 got y", "<Queue maxsize=0 _getters[1] tasks=2>", "g2 got z"},
	}, {
		name: "a woken getter cancelled before it runs passes the item on",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](0)
			g1 := task.Spawn(c.Loop(), getter(q, log, "g1"))
			g2 := task.Spawn(c.Loop(), getter(q, log, "g2"))
			c.Yield()
			q.TryPut("x")
			g1.Cancel()
			c.Await(g1)
			c.Await(g2)
		},
		want: []string{"g1: cancelled", "g2 got x"},
	}, {
		name: "a woken putter cancelled before it runs passes the slot on",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](1)
			q.TryPut("seed")
			p1 := task.Spawn(c.Loop(), putter(q, log, "p1", "1"))
			p2 := task.Spawn(c.Loop(), putter(q, log, "p2", "2"))
			c.Yield()
			v, _ := q.TryGet()
			log("main got %s", v)
			p1.Cancel()
			c.Await(p1)
			c.Await(p2)
			log("%v", q)
		},
		want: []string{"main got seed", "p1: cancelled", "p2 put 2", "<Queue maxsize=1 _queue=[2] tasks=2>"},
	}, {
		name: "shutdown wakes blocked getters with ErrShutDown",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](0)
			g1 := task.Spawn(c.Loop(), getter(q, log, "g1"))
			g2 := task.Spawn(c.Loop(), getter(q, log, "g2"))
			c.Yield()
			q.Shutdown()
			c.Await(g1)
			c.Await(g2)
			log("TryPut: %v", q.TryPut("x"))
		},
		want: []string{"g1: aqueue: queue is shut down", "g2: aqueue: queue is shut down", "TryPut: aqueue: queue is shut down"},
	}, {
		name: "after shutdown, gets drain the items left, then fail",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](1)
			q.TryPut("a")
			p1 := task.Spawn(c.Loop(), putter(q, log, "p1", "b"))
			j := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
				err := q.Join(c)
				log("joined: %v", err)
				return struct{}{}, err
			})
			c.Yield()
			q.Shutdown()
			c.Await(p1)
			v, err := q.Get(c)
			log("get after shutdown: %s %v", v, err)
			q.TaskDone()
			_, err = q.TryGet()
			log("TryGet: %v, IsShutDown %v", err, q.IsShutDown())
			c.Await(j)
		},
		want: []string{
			"p1: aqueue: queue is shut down",
			"get after shutdown: a <nil>",
			"TryGet: aqueue: queue is shut down, IsShutDown true",
			"joined: <nil>",
		},
	}, {
		name: "immediate shutdown drops the items and releases Join",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](0)
			q.TryPut("1")
			q.TryPut("2")
			j := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
				err := q.Join(c)
				log("joined: %v", err)
				return struct{}{}, err
			})
			c.Yield()
			q.Shutdown(aqueue.Immediate())
			log("Len %d Unfinished %d", q.Len(), q.Unfinished())
			c.Await(j)
		},
		want: []string{"Len 0 Unfinished 0", "joined: <nil>"},
	}, {
		name: "TaskDone too many times; Join returns at once when nothing is unfinished",
		body: func(c *task.Coro, log logf) {
			q := aqueue.New[string](0)
			err := q.TaskDone()
			log("TaskDone: %v, Is ErrTooManyTaskDone: %v", err, errors.Is(err, aqueue.ErrTooManyTaskDone))
			c.Loop().CallSoon(func() { log("callback") })
			q.Join(c)
			log("joined")
			c.Yield()
		},
		want: []string{
			"TaskDone: aqueue: TaskDone called too many times, Is ErrTooManyTaskDone: true",
			"joined", "callback",
		},
	}, {
		name: "sizes: maxsize <= 0 is unbounded; full and empty errors",
		body: func(c *task.Coro, log logf) {
			for _, n := range []int{0, -1} {
				q := aqueue.New[int](n)
				for i := range 1000 {
					q.TryPut(i)
				}
				log("maxsize %d: Len %d Full %v", q.MaxSize(), q.Len(), q.Full())
			}
			q := aqueue.NewLIFO[int](1)
			_, err := q.TryGet()
			log("TryGet empty: %v", err)
			q.TryPut(1)
			log("TryPut full: %v, Full %v Empty %v", q.TryPut(2), q.Full(), q.Empty())
		},
		want: []string{
			"maxsize 0: Len 1000 Full false",
			"maxsize -1: Len 1000 Full false",
			"TryGet empty: aqueue: queue is empty",
			"TryPut full: aqueue: queue is full, Full true Empty false",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			log := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
			task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
				tt.body(c, log)
				return struct{}{}, nil
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueueBoundToOneLoop(t *testing.T) {
	q := aqueue.New[int](1)
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		// A Get that has to wait binds q to this loop.
		w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { return q.Get(c) })
		c.Yield()
		q.TryPut(1)
		if _, err := task.Await(c, w); err != nil {
			t.Errorf("first loop: Get: %v", err)
		}
		return struct{}{}, nil
	})
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		q.TryPut(2)
		if _, err := q.Get(c); err != nil {
			t.Errorf("Get of an available item on another loop: %v (it does not wait, so asyncio does not check)", err)
		}
		if _, err := q.Get(c); !errors.Is(err, future.ErrOtherLoop) {
			t.Errorf("blocking Get on another loop: %v, want ErrOtherLoop", err)
		}
		q.TryPut(3)
		if err := q.Put(c, 4); !errors.Is(err, future.ErrOtherLoop) {
			t.Errorf("blocking Put on another loop: %v, want ErrOtherLoop", err)
		}
		return struct{}{}, nil
	})
}

func TestNewPriorityNilLess(t *testing.T) {
	defer func() {
		if r := recover(); r != "aqueue: NewPriority with a nil less function" {
			t.Errorf("panic %v", r)
		}
	}()
	aqueue.NewPriority[int](0, nil)
}
