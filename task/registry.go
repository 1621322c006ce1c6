package task

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// maxIdleCoroutines bounds the pool of parked coroutines kept for reuse, so
// that a burst of a million tasks does not keep a million idle stacks.
const maxIdleCoroutines = 256

// registry is the per-loop task state: the current task, the live tasks
// (all_tasks), the name counter and the pool of idle coroutines.
type registry struct {
	l          *loop.Loop
	current    *core
	head, tail *core // live tasks, in creation order
	counter    int
	pool       []*coroutine
	shutdown   []func(*Coro) error
}

var registryKey = loop.NewKey[registry]("task: registry")

func (r *registry) init(l *loop.Loop) {
	if r.l != nil {
		return
	}
	r.l = l
	l.AtClose(r.close)
}

func (r *registry) enter(c *core) {
	if r.current != nil {
		panic(fmt.Sprintf("task: cannot enter task %s while task %s is being executed", c.Name(), r.current.Name()))
	}
	r.current = c
}

func (r *registry) leave(c *core) {
	if r.current != c {
		panic(fmt.Sprintf("task: leaving task %s does not match the current task", c.Name()))
	}
	r.current = nil
}

func (r *registry) add(c *core) {
	c.prev = r.tail
	if r.tail != nil {
		r.tail.next = c
	} else {
		r.head = c
	}
	r.tail = c
}

func (r *registry) remove(c *core) {
	if c.prev == nil && r.head != c {
		return // not registered
	}
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		r.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		r.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (r *registry) getCoroutine() *coroutine {
	if n := len(r.pool); n > 0 {
		co := r.pool[n-1]
		r.pool[n-1] = nil
		r.pool = r.pool[:n-1]
		return co
	}
	return newCoroutine()
}

// parkCoroutine puts co, whose body just finished, in the pool of idle
// coroutines and reports true, or reports false if the pool is full (co
// then exits).
func (r *registry) parkCoroutine(co *coroutine) bool {
	if len(r.pool) == maxIdleCoroutines {
		return false
	}
	r.pool = append(r.pool, co)
	return true
}

// close runs when the loop closes: the bodies of tasks still pending are
// unwound (their deferred calls run; an await in them returns
// ErrAbandoned), and the parked coroutines exit, so that no goroutine
// outlives the loop.
func (r *registry) close() {
	for c := r.head; c != nil; {
		next := c.next
		if c.co != nil {
			c.abandoned = true
			c.co.stop()
			c.co = nil
		}
		c = next
	}
	for _, co := range r.pool {
		co.stop()
	}
	r.pool = nil
}

// AtShutdown registers fn to be awaited by Run after the leftover tasks are
// cancelled and before the loop closes, as asyncio.run awaits
// loop.shutdown_default_executor(). Package executor uses it. Must be called
// on the loop's goroutine.
func AtShutdown(l *loop.Loop, fn func(c *Coro) error) {
	reg := registryKey.Get(l)
	reg.init(l)
	reg.shutdown = append(reg.shutdown, fn)
}

var _ future.Awaitable = (*Task[int])(nil)
