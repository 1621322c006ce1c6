package conformance

import (
	"time"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

func init() { register("005_handle_cancel", case005) }

func case005(p *P) {
	l := looptest.New()
	log := func(s string) func() { return func() { p.Print(s) } }
	const ms = time.Millisecond

	h1 := l.CallSoon(log("h1 runs"))
	h2 := l.CallSoon(log("h2 SHOULD NOT RUN"))
	h3 := l.CallLater(30*ms, log("h3 SHOULD NOT RUN"))
	h4 := l.CallLater(90*ms, log("h4 timer runs"))
	h2.Cancel()
	h3.Cancel()
	p.Print("h1/h2/h3/h4 cancelled:", h1.Cancelled(), h2.Cancelled(),
		h3.Cancelled(), h4.Cancelled())

	var h6 *loop.Handle
	l.CallSoon(func() {
		p.Print("killer runs and cancels h6 (queued in the same batch)")
		h6.Cancel()
	})
	h6 = l.CallSoon(log("h6 SHOULD NOT RUN"))
	l.CallSoon(log("h7 runs"))

	var h8 *loop.TimerHandle
	l.CallLater(30*ms, func() {
		p.Print("timer at 30ms cancels the pending 60ms timer h8")
		h8.Cancel()
	})
	h8 = l.CallLater(60*ms, log("h8 SHOULD NOT RUN"))
	l.CallLater(120*ms, l.Stop)
	l.RunForever()
	h1.Cancel()
	h4.Cancel()
	p.Print("h1/h4 cancelled after they ran:", h1.Cancelled(), h4.Cancelled())
	l.Close()
}
