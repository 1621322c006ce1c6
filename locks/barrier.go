package locks

import (
	"fmt"

	"github.com/goasyncio/goasyncio/task"
)

// barrierState is asyncio's _BarrierState.
type barrierState uint8

const (
	filling   barrierState = iota // tasks arrive
	draining                      // the last one arrived: the others leave
	resetting                     // Reset while tasks wait: they leave with an error
	broken                        // Abort: every wait fails
)

// A Barrier makes a fixed number of tasks wait for each other
// (asyncio.Barrier): Wait blocks until parties tasks have called it, then
// releases them all, each with a distinct index in arrival order. The last
// to arrive does not suspend, so it returns first; the others follow in
// arrival order. The barrier is then ready for the next round.
//
// Abort breaks it: waiting and later calls to Wait fail with an error
// matching ErrBrokenBarrier. Reset fails the tasks waiting now and makes it
// usable again.
//
// Make Barriers with NewBarrier. A Barrier is bound to the loop of the
// first task that waits on it. Its methods must be called on that loop's
// goroutine. It must not be copied after first use.
type Barrier struct {
	cond    Condition // notifies every task when the state changes
	parties int
	state   barrierState
	count   int // tasks in the barrier
}

// NewBarrier returns a barrier for parties tasks (asyncio's
// Barrier(parties)). It panics if parties < 1, as asyncio raises
// ValueError.
func NewBarrier(parties int) *Barrier {
	if parties < 1 {
		panic(fmt.Sprintf("locks: NewBarrier(%d): parties must be > 0", parties))
	}
	return &Barrier{parties: parties}
}

// Parties returns the number of tasks needed to pass (asyncio's parties).
func (b *Barrier) Parties() int { return b.parties }

// Waiting returns the number of tasks waiting in the current round
// (asyncio's n_waiting).
func (b *Barrier) Waiting() int {
	if b.state == filling {
		return b.count
	}
	return 0
}

// Broken reports whether the barrier was aborted (asyncio's broken).
func (b *Barrier) Broken() bool { return b.state == broken }

// Wait waits until parties tasks have called Wait and returns this task's
// arrival index, from 0 to parties-1 (asyncio's wait()). Calls made while
// the previous round is still leaving wait for it to finish first. It
// returns an error matching ErrBrokenBarrier if the barrier is broken or
// is aborted or reset while waiting, and the CancelledError if the task
// is cancelled. Must be called in the body that received c.
func (b *Barrier) Wait(c *task.Coro) (int, error) {
	var index int
	err := b.cond.With(c, func() error { // deferred release, as `async with`
		var err error
		index, err = b.wait(c)
		return err
	})
	if err != nil {
		return 0, err
	}
	return index, nil
}

// wait is the body of asyncio's Barrier.wait inside `async with cond`.
func (b *Barrier) wait(c *task.Coro) (int, error) {
	if err := b.block(c); err != nil {
		return 0, err
	}
	index := b.count
	b.count++
	// The finally block, deferred so that it also runs when the loop
	// closes under the task: the task leaves the count, and the last one
	// out ends the draining, as asyncio's does when a coroutine is closed.
	defer func() {
		b.count--
		b.exit()
	}()
	if index+1 == b.parties {
		b.release()
		return index, nil
	}
	return index, b.waitReleased(c)
}

// block waits while the barrier drains or resets, then fails if it is
// broken (asyncio's _block).
func (b *Barrier) block(c *task.Coro) error {
	err := b.cond.WaitFor(c, func() bool { return b.state != draining && b.state != resetting })
	if err != nil {
		return err
	}
	if b.state == broken {
		return errBarrierAborted
	}
	return nil
}

// release lets the waiting tasks go (asyncio's _release).
func (b *Barrier) release() {
	b.state = draining
	b.cond.NotifyAll()
}

// waitReleased waits for the last party, failing if the barrier is reset
// or broken meanwhile (asyncio's _wait).
func (b *Barrier) waitReleased(c *task.Coro) error {
	err := b.cond.WaitFor(c, func() bool { return b.state != filling })
	if err != nil {
		return err
	}
	if b.state == broken || b.state == resetting {
		return errBarrierReset
	}
	return nil
}

// exit, for the last task to leave, ends the draining or resetting and
// wakes the tasks blocked until then (asyncio's _exit).
func (b *Barrier) exit() {
	if b.count == 0 {
		if b.state == resetting || b.state == draining {
			b.state = filling
		}
		b.cond.NotifyAll()
	}
}

// Reset returns the barrier to its initial, empty state (asyncio's
// reset()); the tasks waiting now fail with an error matching
// ErrBrokenBarrier. It returns only an error of taking the barrier's
// internal lock (a cancellation). Must be called in the body that received
// c.
func (b *Barrier) Reset(c *task.Coro) error {
	return b.cond.With(c, func() error {
		if b.count > 0 {
			b.state = resetting
		} else {
			b.state = filling
		}
		return b.cond.NotifyAll()
	})
}

// Abort breaks the barrier (asyncio's abort()): the tasks waiting now and
// every later Wait fail with an error matching ErrBrokenBarrier. It
// returns only an error of taking the barrier's internal lock (a
// cancellation). Must be called in the body that received c.
func (b *Barrier) Abort(c *task.Coro) error {
	return b.cond.With(c, func() error {
		b.state = broken
		return b.cond.NotifyAll()
	})
}
