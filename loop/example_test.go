package loop_test

import (
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

// Callbacks run in FIFO order; due timers join the queue behind what is
// already there; Stop lets the current batch finish. The loop runs on
// virtual time (looptest), so the timers fire at once.
func Example() {
	l := looptest.New()
	defer l.Close()
	l.CallLater(2*time.Second, func() { fmt.Println("timer 2s"); l.Stop() })
	l.CallLater(0, func() { fmt.Println("timer 0s (due, but after soon callbacks)") })
	l.CallSoon(func() {
		fmt.Println("soon 1")
		l.CallSoon(func() { fmt.Println("soon 3 (scheduled by soon 1: next iteration)") })
	})
	l.CallSoon(func() { fmt.Println("soon 2") })
	if err := l.RunForever(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// soon 1
	// soon 2
	// timer 0s (due, but after soon callbacks)
	// soon 3 (scheduled by soon 1: next iteration)
	// timer 2s
}

func ExampleLoop_CallLater() {
	l := looptest.New()
	defer l.Close()
	start := l.Time()
	for _, d := range []time.Duration{3 * time.Second, time.Second, 2 * time.Second} {
		l.CallLater(d, func() { fmt.Println("fired after", l.Time().Sub(start)) })
	}
	l.CallLater(time.Hour, l.Stop)
	l.RunForever()
	fmt.Println("virtual time elapsed:", l.Time().Sub(start))
	// Output:
	// fired after 1s
	// fired after 2s
	// fired after 3s
	// virtual time elapsed: 1h0m0s
}

func ExampleHandle_Cancel() {
	l := looptest.New()
	defer l.Close()
	h := l.CallSoon(func() { fmt.Println("never runs") })
	t := l.CallLater(time.Second, func() { fmt.Println("never fires") })
	h.Cancel()
	t.Cancel()
	l.CallSoon(func() { fmt.Println("runs") })
	l.CallLater(2*time.Second, l.Stop)
	l.RunForever()
	fmt.Println("cancelled:", h.Cancelled(), t.Cancelled())
	// Output:
	// runs
	// cancelled: true true
}

// Other goroutines hand work to the loop with CallSoonThreadsafe; each
// goroutine's callbacks run in the order it posted them.
func ExampleLoop_CallSoonThreadsafe() {
	l := looptest.New()
	defer l.Close()
	go func() {
		for i := range 3 {
			l.CallSoonThreadsafe(func() { fmt.Println("from a goroutine:", i) })
		}
		l.CallSoonThreadsafe(l.Stop)
	}()
	l.RunForever()
	// Output:
	// from a goroutine: 0
	// from a goroutine: 1
	// from a goroutine: 2
}

// A panic in a callback goes to the exception handler, and the loop runs
// on.
func ExampleLoop_SetExceptionHandler() {
	l := looptest.New()
	defer l.Close()
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		fmt.Printf("handler: %v %v\n", ctx.Err, ctx.Keys())
	})
	l.CallSoon(func() { panic("oops") })
	l.CallSoon(func() { fmt.Println("next callback runs"); l.Stop() })
	l.RunForever()
	// Output:
	// handler: panic: oops [exception handle message]
	// next callback runs
}

// By default timers with equal deadlines run in the order CPython's heapq
// pops them, so ported programs print CPython's trace; WithStableTimerOrder
// runs them in the order they were scheduled.
func ExampleWithStableTimerOrder() {
	for _, opts := range [][]loop.Option{nil, {loop.WithStableTimerOrder()}} {
		l := looptest.New(opts...)
		at := l.Time().Add(time.Second)
		var order []int
		for i := range 6 {
			l.CallAt(at, func() { order = append(order, i) })
		}
		l.CallAt(at.Add(time.Second), l.Stop)
		l.RunForever()
		l.Close()
		fmt.Println(order)
	}
	// Output:
	// [0 2 5 1 3 4]
	// [0 1 2 3 4 5]
}
