package locks

// An internal test: it checks the primitives' lines of waiters and the
// barrier's count, which no method shows.

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

type logf = func(format string, args ...any)

// prims is one of each primitive, fresh for each row.
type prims struct {
	m  Lock
	e  Event
	cv Condition
	s  *Semaphore
	bs *BoundedSemaphore
	b  *Barrier
}

// lines describes the waiters left in the primitives' lines, and the
// barrier's count and state.
func (p *prims) lines() string {
	var parts []string
	for _, w := range []struct {
		name string
		n    int
	}{
		{"Lock", p.m.waiters.Len()},
		{"Event", p.e.waiters.Len()},
		{"Condition", p.cv.waiters.Len()},
		{"Condition's lock", p.cv.L().waiters.Len()},
		{"Semaphore", p.s.waiters.Len()},
		{"BoundedSemaphore", p.bs.sem.waiters.Len()},
		{"Barrier's condition", p.b.cond.waiters.Len()},
		{"Barrier's lock", p.b.cond.L().waiters.Len()},
	} {
		if w.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", w.name, w.n))
		}
	}
	if p.b.count != 0 || p.b.state != filling {
		parts = append(parts, fmt.Sprintf("Barrier count %d state %d", p.b.count, p.b.state))
	}
	if len(parts) == 0 {
		return "lines: empty"
	}
	return "lines: " + strings.Join(parts, ", ")
}

// A loop closed with a bare Close (not task.Run, which cancels the tasks
// first) unwinds the bodies of the tasks blocked on a primitive. Their
// waiters must leave the lines without waking anyone through the closed
// loop, and what a woken waiter was handed must go back, so that the
// primitive stays usable: the calls that do not wait work, and a call that
// would wait on another loop gets ErrOtherLoop (the primitive stays bound
// to the closed loop, as asyncio's stays bound to its first loop). Each
// row blocks tasks with block, runs the loop until they are suspended,
// calls stopped (with the loop stopped, before Close), closes the loop and
// calls after; the trace includes what the bodies' deferred calls log
// while Close unwinds them (in creation order), and the lines at the end.
func TestAbandonedWaiters(t *testing.T) {
	sleep := func(c *task.Coro) error { return c.Sleep(time.Hour) }
	unexpected := func(log logf, name string, err error) {
		log("%s resumed: %s", name, errName(err)) // must not happen
	}
	holdLock := func(l *loop.Loop, p *prims, log logf) { // takes p.m and keeps it
		task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			p.m.Acquire(c)
			return struct{}{}, sleep(c)
		})
	}
	waitLock := func(l *loop.Loop, p *prims, log logf, name string) {
		task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			err := p.m.Acquire(c)
			unexpected(log, name, err)
			return struct{}{}, err
		})
	}
	waitCond := func(l *loop.Loop, p *prims, log logf, name string) {
		task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			err := p.cv.With(c, func() error { return p.cv.Wait(c) })
			unexpected(log, name, err)
			return struct{}{}, err
		})
	}
	waitSem := func(l *loop.Loop, s *Semaphore, log logf, name string) {
		task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			err := s.Acquire(c)
			unexpected(log, name, err)
			return struct{}{}, err
		})
	}
	waitBarrier := func(l *loop.Loop, p *prims, log logf, name string) {
		task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			i, err := p.b.Wait(c)
			if err == nil {
				log("%s passed the barrier: %d", name, i)
				return struct{}{}, nil
			}
			unexpected(log, name, err)
			return struct{}{}, err
		})
	}
	tests := []struct {
		name    string
		parties int // of the barrier; 3 if zero
		block   func(l *loop.Loop, p *prims, log logf)
		stopped func(p *prims, log logf)
		after   func(p *prims, log logf)
		want    []string
	}{{
		name: "Lock.Acquire while the lock is held",
		block: func(l *loop.Loop, p *prims, log logf) {
			holdLock(l, p, log)
			waitLock(l, p, log, "w")
		},
		after: func(p *prims, log logf) {
			log("Release: %s", errName(p.m.Release()))
			onNewLoop(log, func(c *task.Coro) {
				log("Acquire on another loop: %s", errName(p.m.Acquire(c)))
				w := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) { return struct{}{}, p.m.Acquire(c) })
				log("contended Acquire on another loop: %s", errName(c.Await(w)))
				log("Release: %s", errName(p.m.Release()))
			})
		},
		want: []string{
			"Release: nil",
			"Acquire on another loop: nil", "contended Acquire on another loop: ErrOtherLoop", "Release: nil",
			"lines: empty",
		},
	}, {
		name: "Lock: the first waiter woken, the second waiting",
		block: func(l *loop.Loop, p *prims, log logf) {
			holdLock(l, p, log)
			waitLock(l, p, log, "w1")
			waitLock(l, p, log, "w2")
		},
		stopped: func(p *prims, log logf) { p.m.Release() }, // wakes w1
		after: func(p *prims, log logf) {
			log("Locked: %v", p.m.Locked())
			onNewLoop(log, func(c *task.Coro) {
				log("Acquire on another loop: %s", errName(p.m.Acquire(c)))
				log("Release: %s", errName(p.m.Release()))
			})
		},
		want: []string{"Locked: false", "Acquire on another loop: nil", "Release: nil", "lines: empty"},
	}, {
		name: "Lock: a Release deferred in a body unwound first wakes no dead waiter",
		block: func(l *loop.Loop, p *prims, log logf) {
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				p.m.Acquire(c)
				defer func() { log("A's deferred Release: %s", errName(p.m.Release())) }()
				return struct{}{}, sleep(c)
			})
			waitLock(l, p, log, "w")
		},
		after: func(p *prims, log logf) { log("Locked: %v", p.m.Locked()) },
		want:  []string{"A's deferred Release: nil", "Locked: false", "lines: empty"},
	}, {
		name: "Event.Wait",
		block: func(l *loop.Loop, p *prims, log logf) {
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				err := p.e.Wait(c)
				unexpected(log, "w", err)
				return struct{}{}, err
			})
		},
		after: func(p *prims, log logf) {
			p.e.Set()
			onNewLoop(log, func(c *task.Coro) {
				log("Wait on another loop, set: %s", errName(p.e.Wait(c)))
				p.e.Clear()
				log("Wait on another loop, clear: %s", errName(p.e.Wait(c)))
			})
		},
		want: []string{"Wait on another loop, set: nil", "Wait on another loop, clear: ErrOtherLoop", "lines: empty"},
	}, {
		// asyncio's Condition.wait re-acquires the lock in a finally
		// block, which also runs when the coroutine is closed: the lock is
		// free, so the body's deferred Release finds it held.
		name: "Condition.Wait holds the lock again while its body unwinds",
		block: func(l *loop.Loop, p *prims, log logf) {
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				p.cv.Acquire(c)
				defer func() { log("A's deferred Release: %s", errName(p.cv.Release())) }()
				err := p.cv.Wait(c)
				unexpected(log, "A", err)
				return struct{}{}, err
			})
		},
		after: func(p *prims, log logf) {
			onNewLoop(log, func(c *task.Coro) {
				log("NotifyAll on another loop: %s", errName(p.cv.With(c, p.cv.NotifyAll)))
				log("Wait on another loop: %s", errName(p.cv.With(c, func() error { return p.cv.Wait(c) })))
			})
			log("Locked: %v", p.cv.Locked())
		},
		want: []string{
			"A's deferred Release: nil",
			"NotifyAll on another loop: nil", "Wait on another loop: ErrOtherLoop", "Locked: false",
			"lines: empty",
		},
	}, {
		// C was woken for the lock but never ran: it does not keep A
		// from taking the free lock again, as a cancelled waiter would
		// not.
		name: "Condition.Wait takes the free lock again past a dead waiter for it",
		block: func(l *loop.Loop, p *prims, log logf) {
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				p.cv.Acquire(c)
				defer func() { log("A's deferred Release: %s", errName(p.cv.Release())) }()
				err := p.cv.Wait(c)
				unexpected(log, "A", err)
				return struct{}{}, err
			})
			task.Spawn(l, func(c *task.Coro) (struct{}, error) { // B takes the lock and keeps it
				p.cv.Acquire(c)
				return struct{}{}, sleep(c)
			})
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				err := p.cv.Acquire(c)
				unexpected(log, "C", err)
				return struct{}{}, err
			})
		},
		stopped: func(p *prims, log logf) { p.cv.Release() }, // wakes C
		after:   func(p *prims, log logf) { log("Locked: %v", p.cv.Locked()) },
		want:    []string{"A's deferred Release: nil", "Locked: false", "lines: empty"},
	}, {
		name: "Condition.Wait: the first waiter notified, the second waiting",
		block: func(l *loop.Loop, p *prims, log logf) {
			waitCond(l, p, log, "w1")
			waitCond(l, p, log, "w2")
			task.Spawn(l, func(c *task.Coro) (struct{}, error) { // wakes w1
				return struct{}{}, p.cv.With(c, func() error { return p.cv.Notify(1) })
			})
		},
		after: func(p *prims, log logf) {
			log("Locked: %v", p.cv.Locked())
			onNewLoop(log, func(c *task.Coro) {
				log("NotifyAll on another loop: %s", errName(p.cv.With(c, p.cv.NotifyAll)))
			})
		},
		want: []string{"Locked: false", "NotifyAll on another loop: nil", "lines: empty"},
	}, {
		name: "Semaphore.Acquire with no unit free",
		block: func(l *loop.Loop, p *prims, log logf) {
			waitSem(l, p.s, log, "w")
		},
		after: func(p *prims, log logf) {
			p.s.Release()
			log("Locked: %v", p.s.Locked())
			onNewLoop(log, func(c *task.Coro) {
				log("Acquire on another loop: %s", errName(p.s.Acquire(c)))
				log("Acquire on another loop, no unit: %s", errName(p.s.Acquire(c)))
			})
		},
		want: []string{
			"Locked: false",
			"Acquire on another loop: nil", "Acquire on another loop, no unit: ErrOtherLoop",
			"lines: empty",
		},
	}, {
		name: "Semaphore: a unit handed to the first waiter, the second waiting",
		block: func(l *loop.Loop, p *prims, log logf) {
			waitSem(l, p.s, log, "w1")
			waitSem(l, p.s, log, "w2")
		},
		stopped: func(p *prims, log logf) { p.s.Release() }, // hands the unit to w1
		after: func(p *prims, log logf) {
			log("Locked: %v", p.s.Locked())
			onNewLoop(log, func(c *task.Coro) {
				log("Acquire on another loop: %s", errName(p.s.Acquire(c)))
			})
		},
		want: []string{"Locked: false", "Acquire on another loop: nil", "lines: empty"},
	}, {
		name: "BoundedSemaphore.Acquire while its one unit is taken",
		block: func(l *loop.Loop, p *prims, log logf) {
			task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				p.bs.Acquire(c)
				return struct{}{}, sleep(c)
			})
			waitSem(l, &p.bs.sem, log, "w")
		},
		after: func(p *prims, log logf) {
			log("Release: %s", errName(p.bs.Release()))
			log("Release again: %s", errName(p.bs.Release()))
			log("Locked: %v", p.bs.Locked())
		},
		want: []string{"Release: nil", "Release again: ErrOverRelease", "Locked: false", "lines: empty"},
	}, {
		name: "Barrier.Wait: two parties of three waiting",
		block: func(l *loop.Loop, p *prims, log logf) {
			waitBarrier(l, p, log, "w1")
			waitBarrier(l, p, log, "w2")
		},
		after: func(p *prims, log logf) {
			log("Waiting: %d", p.b.Waiting())
			onNewLoop(log, func(c *task.Coro) {
				i, err := p.b.Wait(c)
				log("Wait on another loop: %d %s", i, errName(err))
			})
		},
		want: []string{"Waiting: 0", "Wait on another loop: 0 ErrOtherLoop", "lines: empty"},
	}, {
		// w2 arrives last and leaves; w1 is woken but never runs: the
		// barrier must not stay draining.
		name:    "Barrier.Wait: released, a party not yet out",
		parties: 2,
		block: func(l *loop.Loop, p *prims, log logf) {
			waitBarrier(l, p, log, "w1")
			waitBarrier(l, p, log, "w2")
		},
		after: func(p *prims, log logf) {
			onNewLoop(log, func(c *task.Coro) {
				log("Reset on another loop: %s", errName(p.b.Reset(c)))
			})
		},
		want: []string{"w2 passed the barrier: 1", "Reset on another loop: nil", "lines: empty"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leakcheck.Check(t)
			var got []string
			log := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
			parties := tt.parties
			if parties == 0 {
				parties = 3
			}
			p := &prims{s: NewSemaphore(0), bs: NewBoundedSemaphore(1), b: NewBarrier(parties)}
			l := looptest.New()
			tt.block(l, p, log)
			l.CallSoon(l.Stop)
			if err := l.RunForever(); err != nil { // the tasks block
				t.Fatal(err)
			}
			if tt.stopped != nil {
				catch(log, func() { tt.stopped(p, log) })
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			catch(log, func() { tt.after(p, log) })
			log("%s", p.lines())
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
		{ErrNotLocked, "ErrNotLocked"},
		{ErrOverRelease, "ErrOverRelease"},
		{ErrBrokenBarrier, "ErrBrokenBarrier"},
		{loop.ErrClosed, "ErrClosed"},
		{task.ErrAbandoned, "ErrAbandoned"},
	} {
		if errors.Is(err, e.err) {
			return e.name
		}
	}
	return err.Error()
}
