package aqueue_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// A producer and two workers share a bounded queue; Join waits until every
// item has been processed, then the idle workers are cancelled.
func ExampleNew() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		q := aqueue.New[int](2)
		worker := func(name string) func(*task.Coro) (struct{}, error) {
			return func(c *task.Coro) (struct{}, error) {
				for {
					n, err := q.Get(c)
					if err != nil {
						fmt.Println(name, "stops:", err)
						return struct{}{}, err
					}
					c.Sleep(time.Duration(n) * time.Second) // the work
					fmt.Println(name, "did job", n)
					q.TaskDone()
				}
			}
		}
		a := task.Spawn(c.Loop(), worker("a"))
		b := task.Spawn(c.Loop(), worker("b"))
		for _, n := range []int{3, 1, 1, 2} {
			q.Put(c, n) // waits while two jobs are queued
		}
		q.Join(c)
		fmt.Println("all jobs done")
		a.Cancel()
		b.Cancel()
		c.Await(a)
		c.Await(b)
		return struct{}{}, nil
	})
	// Output:
	// b did job 1
	// b did job 1
	// a did job 3
	// b did job 2
	// all jobs done
	// a stops: cancelled
	// b stops: cancelled
}

func ExampleNewLIFO() {
	q := aqueue.NewLIFO[string](0)
	for _, s := range []string{"first", "second", "third"} {
		q.TryPut(s)
	}
	for !q.Empty() {
		s, _ := q.TryGet()
		fmt.Println(s)
	}
	// Output:
	// third
	// second
	// first
}

// Ties in priority are broken by an insertion counter, as Python programs
// do with (priority, count, item) tuples; without it, items of equal
// priority would come out in heap order.
func ExampleNewPriority() {
	type job struct {
		prio, seq int
		name      string
	}
	q := aqueue.NewPriority(0, func(a, b job) bool {
		if a.prio != b.prio {
			return a.prio < b.prio
		}
		return a.seq < b.seq
	})
	for i, j := range []job{{prio: 2, name: "write"}, {prio: 1, name: "read a"}, {prio: 1, name: "read b"}, {prio: 0, name: "open"}} {
		j.seq = i
		q.TryPut(j)
	}
	for !q.Empty() {
		j, _ := q.TryGet()
		fmt.Println(j.prio, j.name)
	}
	// Output:
	// 0 open
	// 1 read a
	// 1 read b
	// 2 write
}

// TryPut and TryGet never wait: they fail with ErrFull and ErrEmpty.
func ExampleQueue_TryPut() {
	q := aqueue.New[int](1)
	fmt.Println(q.TryPut(1))
	err := q.TryPut(2)
	fmt.Println(err, errors.Is(err, aqueue.ErrFull))
	v, err := q.TryGet()
	fmt.Println(v, err)
	_, err = q.TryGet()
	fmt.Println(err)
	// Output:
	// <nil>
	// aqueue: queue is full true
	// 1 <nil>
	// aqueue: queue is empty
}

// Shutdown (Python 3.13) wakes blocked tasks: gets fail once the queue is
// empty, puts at once.
func ExampleQueue_Shutdown() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		q := aqueue.New[string](0)
		q.TryPut("last")
		consumer := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
			for {
				s, err := q.Get(c)
				if errors.Is(err, aqueue.ErrShutDown) {
					fmt.Println("consumer: queue shut down")
					return struct{}{}, nil
				}
				fmt.Println("consumer got", s)
			}
		})
		c.Yield()
		q.Shutdown()
		fmt.Println("put after shutdown:", q.TryPut("more"))
		c.Await(consumer)
		return struct{}{}, nil
	})
	// Output:
	// consumer got last
	// put after shutdown: aqueue: queue is shut down
	// consumer: queue shut down
}
