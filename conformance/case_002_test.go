package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

func init() { register("002_call_later_order", case002) }

// A tickingClock is a virtual clock that moves forward by a microsecond at
// every reading, as CPython's monotonic clock does between two statements.
// 002 depends on it: its two call_later(0.03, ...) calls read loop.time() a
// moment apart, so the first has the earlier deadline. On a frozen clock the
// deadlines would tie and heapq (which the loop reproduces) would pop the
// second first, in CPython as in Go.
type tickingClock struct{ *looptest.Clock }

func (c tickingClock) Now() time.Time {
	c.Advance(time.Microsecond)
	return c.Clock.Now()
}

func case002(p *P) {
	l := loop.New(loop.WithClock(tickingClock{looptest.NewClock()}))
	log := func(s string) func() { return func() { p.Print(s) } }
	const ms = time.Millisecond

	l.CallLater(90*ms, log("later 90ms"))
	l.CallLater(30*ms, log("later 30ms"))
	l.CallLater(60*ms, log("later 60ms"))
	l.CallLater(0, log("later 0"))
	l.CallLater(-1*time.Second, log("later -1 (negative delay)"))
	l.CallAt(l.Time().Add(-5*time.Second), log("call_at 5s in the past"))
	l.CallSoon(log("soon 1"))
	l.CallSoon(log("soon 2"))

	at30 := func() {
		p.Print("timer at 30ms schedules soon+later(0)")
		l.CallLater(0, log("  later(0) from timer"))
		l.CallSoon(log("  soon from timer"))
	}
	l.CallLater(30*ms, at30)
	l.CallLater(120*ms, l.Stop)
	l.RunForever()
	l.Close()
	p.Print("closed")
}
