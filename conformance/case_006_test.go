package conformance

import "github.com/goasyncio/goasyncio/loop/looptest"

func init() { register("006_loop_stop_in_callback", case006) }

func case006(p *P) {
	l := looptest.New()
	log := func(s string) func() { return func() { p.Print(s) } }

	a := func() {
		p.Print("a: calls stop() and schedules a2")
		l.Stop()
		l.CallSoon(log("a2 (scheduled by a)"))
	}
	l.CallSoon(log("before a"))
	l.CallSoon(a)
	l.CallSoon(log("after a, same batch"))
	p.Print("run_forever #1")
	l.RunForever()
	p.Print("run_forever #1 returned")

	b := func() {
		p.Print("b: schedules b2")
		l.CallSoon(log("b2 (scheduled by b)"))
	}
	l.CallSoon(b)
	l.Stop()
	p.Print("run_forever #2 (stop() already requested)")
	l.RunForever()
	p.Print("run_forever #2 returned")

	l.CallSoon(l.Stop)
	p.Print("run_forever #3")
	l.RunForever()
	p.Print("run_forever #3 returned")
	l.Close()
}
