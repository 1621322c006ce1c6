package locks

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
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

func newWaiter(l *loop.Loop) waiter { return future.New[struct{}](l) }
