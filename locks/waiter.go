package locks

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/deque"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// noCopy makes go vet's copylocks check report copies of the types that
// embed it: a copied primitive would share or split its line of waiters.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// binding is asyncio's _LoopBoundMixin: a primitive binds to the loop of
// the first task that has to wait on it, and refuses every other loop.
type binding struct {
	_ noCopy
	l *loop.Loop
}

// loop returns the loop to create a waiter future on: c's, which must be
// the one the primitive is bound to (what names the primitive in the
// error).
func (b *binding) loop(c *task.Coro, what string) (*loop.Loop, error) {
	l := c.Loop()
	if b.l == nil {
		b.l = l
	}
	if b.l != l {
		return nil, fmt.Errorf("locks: %s is bound to a different event loop (%w)", what, future.ErrOtherLoop)
	}
	return l, nil
}

// A waiter is the future a suspended Acquire or Wait awaits; its value is
// never read (asyncio sets True or False and ignores it).
type waiter = *future.Future[struct{}]

// wait appends a new waiter to line, awaits it and takes it out of the
// line again: asyncio's
//
//	fut = self._get_loop().create_future()
//	self._waiters.append(fut)
//	try:
//	    await fut
//	finally:
//	    self._waiters.remove(fut)
//
// with what naming the primitive in a wrong-loop error (then fut is nil).
// The caller handles a cancellation when wait returns.
//
// The finally clause is a deferred call so that it also runs when the loop
// closes under the task: package task then unwinds the body from the
// await with a panic, as a closed coroutine's finally clauses run on
// GeneratorExit, and wait does not return. abandoned, if not nil, is then
// called with the waiter, out of the line, to give back what a wake-up
// handed the task; it must not wake anyone, since every other waiter
// belongs to the closed loop too (the primitive is bound to one loop).
func (b *binding) wait(c *task.Coro, what string, line *deque.Deque[waiter], abandoned func(waiter)) (fut waiter, err error) {
	l, err := b.loop(c, what)
	if err != nil {
		return nil, err
	}
	fut = future.New[struct{}](l)
	line.PushBack(fut)
	returned := false
	defer func() {
		deque.Remove(line, fut)
		if !returned && abandoned != nil {
			abandoned(fut)
		}
	}()
	err = c.Await(fut)
	returned = true
	return fut, err
}

// dead reports whether fut's loop is closed. Such a waiter's task is
// being (or was) unwound and will never take what it waited for; waking it
// would schedule the task on the closed loop, which panics. Its body's
// deferred cleanup takes it out of the line (see wait), but a body unwound
// first can meet the waiters of bodies unwound after it, as when a
// deferred Release runs while another task of the loop still waits.
func dead(fut waiter) bool { return fut.Loop().IsClosed() }

// wakeable reports whether fut may be woken: it is neither done nor dead.
func wakeable(fut waiter) bool { return !fut.Done() && !dead(fut) }

// gone reports whether fut no longer competes for what it waited for: it
// is cancelled, or dead. Like a cancelled waiter, a dead one does not keep
// others from taking a free lock or unit, such as a Condition.Wait that
// takes its lock again while its body unwinds.
func gone(fut waiter) bool { return fut.Cancelled() || dead(fut) }
