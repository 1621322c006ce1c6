package conformance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("050_lock_fifo", case050)
	// Package locks' errors as the Python exceptions they stand for.
	errTypes = append(errTypes, func(err error) (string, Tuple, bool) {
		switch {
		case err == locks.ErrNotLocked:
			return "RuntimeError", Tuple{"Lock is not acquired."}, true
		case errors.Is(err, locks.ErrNotLocked):
			return "RuntimeError", Tuple{strings.TrimPrefix(err.Error(), "locks: ")}, true
		case errors.Is(err, locks.ErrOverRelease):
			return "ValueError", Tuple{"BoundedSemaphore released too many times"}, true
		case errors.Is(err, locks.ErrBrokenBarrier):
			return "BrokenBarrierError", Tuple{strings.TrimPrefix(err.Error(), "locks: ")}, true
		}
		return "", nil, false
	})
}

func case050(p *P) {
	worker := func(lock *locks.Lock, name string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			p.Printf("%s: waiting\n", name)
			return nil, lock.With(c, func() error {
				p.Printf("%s: acquired\n", name)
				if err := c.Yield(); err != nil {
					return err
				}
				p.Printf("%s: releasing\n", name)
				return nil
			})
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		lock := &locks.Lock{}
		if err := lock.Acquire(c); err != nil {
			return nil, err
		}
		p.Print("main: acquired first, locked =", lock.Locked())
		var ws []future.Awaitable
		for i := range 3 {
			ws = append(ws, task.Spawn(c.Loop(), worker(lock, fmt.Sprintf("w%d", i))))
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		lock.Release()
		p.Print("main: released, locked =", lock.Locked())
		if err := lock.Acquire(c); err != nil {
			return nil, err
		}
		p.Print("main: re-acquired after all workers")
		lock.Release()
		if err := gatherAll(c, false, ws...); err != nil {
			return nil, err
		}
		if err := lock.Release(); err != nil {
			p.Print("release of unlocked lock:", ExcName(err), err)
		}
		return nil, nil
	})
}
