package loop_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Main(m)) }

// run runs l until it stops, failing the test if RunForever fails.
func run(t *testing.T, l *loop.Loop) {
	t.Helper()
	if err := l.RunForever(); err != nil {
		t.Fatalf("RunForever: %v", err)
	}
}

// catch calls fn and returns what it panicked with (nil if it did not).
func catch(fn func()) (r any) {
	defer func() { r = recover() }()
	fn()
	return nil
}

// TestOrdering compares traces of callbacks and timers with CPython 3.11's
// (each want was printed by the same program on asyncio).
func TestOrdering(t *testing.T) {
	tests := []struct {
		name  string
		opts  []loop.Option
		setup func(l *loop.Loop, log func(string) func())
		want  []string
	}{{
		name: "call_soon is FIFO; callbacks added by a batch run in the next one",
		setup: func(l *loop.Loop, log func(string) func()) {
			l.CallSoon(func() {
				log("a")()
				l.CallSoon(log("a2"))
			})
			l.CallSoon(log("b"))
			l.CallSoon(l.Stop)
		},
		want: []string{"a", "b"}, // a2 is left queued by stop
	}, {
		name: "due timers run after the callbacks already queued",
		setup: func(l *loop.Loop, log func(string) func()) {
			l.CallLater(0, log("later 0"))
			l.CallLater(-time.Second, log("later -1s"))
			l.CallAt(l.Time().Add(-5*time.Second), log("at -5s"))
			l.CallSoon(log("soon"))
			l.CallLater(time.Millisecond, l.Stop)
		},
		want: []string{"soon", "at -5s", "later -1s", "later 0"},
	}, {
		name: "timers run in deadline order",
		setup: func(l *loop.Loop, log func(string) func()) {
			l.CallLater(3*time.Second, log("3s"))
			l.CallLater(1*time.Second, log("1s"))
			l.CallLater(2*time.Second, log("2s"))
			l.CallLater(4*time.Second, l.Stop)
		},
		want: []string{"1s", "2s", "3s"},
	}, {
		name: "equal deadlines pop in heapq's order",
		setup: func(l *loop.Loop, log func(string) func()) {
			at := l.Time().Add(time.Second)
			for i := range 6 {
				l.CallAt(at, log(fmt.Sprint(i)))
			}
			l.CallAt(at.Add(time.Second), l.Stop)
		},
		want: []string{"0", "2", "5", "1", "3", "4"},
	}, {
		name: "WithStableTimerOrder: equal deadlines in scheduling order",
		opts: []loop.Option{loop.WithStableTimerOrder()},
		setup: func(l *loop.Loop, log func(string) func()) {
			at := l.Time().Add(time.Second)
			for i := range 6 {
				l.CallAt(at, log(fmt.Sprint(i)))
			}
			l.CallAt(at.Add(time.Second), l.Stop)
		},
		want: []string{"0", "1", "2", "3", "4", "5"},
	}, {
		name: "a cancelled handle is skipped even in the current batch",
		setup: func(l *loop.Loop, log func(string) func()) {
			var h *loop.Handle
			l.CallSoon(func() { log("killer")(); h.Cancel() })
			h = l.CallSoon(log("cancelled"))
			l.CallSoon(log("after"))
			tm := l.CallLater(time.Second, log("cancelled timer"))
			l.CallLater(time.Millisecond, tm.Cancel)
			l.CallLater(2*time.Second, l.Stop)
		},
		want: []string{"killer", "after"},
	}, {
		name: "stop lets the batch finish",
		setup: func(l *loop.Loop, log func(string) func()) {
			l.CallSoon(log("1"))
			l.CallSoon(l.Stop)
			l.CallSoon(func() { log("3")(); l.CallSoon(log("next run")) })
		},
		want: []string{"1", "3"},
	}, {
		name: "many cancelled timers: the heap is rebuilt, the rest run in order",
		setup: func(l *loop.Loop, log func(string) func()) {
			var hs []*loop.TimerHandle
			for i := range 200 {
				hs = append(hs, l.CallLater(time.Duration(i+1)*time.Millisecond, log(fmt.Sprint(i))))
			}
			for i, h := range hs {
				if i%4 != 0 {
					h.Cancel()
				}
			}
			l.CallLater(time.Second, l.Stop)
		},
		want: func() []string {
			var w []string
			for i := 0; i < 200; i += 4 {
				w = append(w, fmt.Sprint(i))
			}
			return w
		}(),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := looptest.New(tt.opts...)
			defer l.Close()
			var got []string
			tt.setup(l, func(s string) func() { return func() { got = append(got, s) } })
			run(t, l)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

// A stop requested before RunForever makes the next run one iteration.
func TestStopBeforeRun(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	var got []string
	l.CallSoon(func() {
		got = append(got, "first")
		l.CallSoon(func() { got = append(got, "second") })
	})
	l.Stop()
	run(t, l)
	if diff := cmp.Diff([]string{"first"}, got); diff != "" {
		t.Errorf("after one iteration (-want +got):\n%s", diff)
	}
	l.CallSoon(l.Stop)
	run(t, l)
	if diff := cmp.Diff([]string{"first", "second"}, got); diff != "" {
		t.Errorf("after the second run (-want +got):\n%s", diff)
	}
}

func TestHandles(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	h := l.CallSoon(func() {})
	tm := l.CallLater(90*time.Millisecond, func() {})
	if want := looptest.Epoch.Add(90 * time.Millisecond); !tm.When().Equal(want) {
		t.Errorf("When() = %v, want %v", tm.When(), want)
	}
	l.CallLater(time.Second, l.Stop)
	run(t, l)
	if h.Cancelled() || tm.Cancelled() {
		t.Error("handles that ran report Cancelled")
	}
	h.Cancel()
	tm.Cancel()
	tm.Cancel() // idempotent
	if !h.Cancelled() || !tm.Cancelled() {
		t.Error("Cancel after running does not mark the handle cancelled, as asyncio does")
	}
	if got := l.Time().Sub(looptest.Epoch); got != time.Second {
		t.Errorf("virtual time after the run = %v, want 1s", got)
	}
}

func TestClosedLoop(t *testing.T) {
	l := looptest.New()
	closed := 0
	l.AtClose(func() { closed++ })
	l.AtClose(func() { closed *= 10 }) // hooks run in registration order
	ran := false
	l.CallSoon(func() { ran = true })
	l.CallLater(time.Second, func() { ran = true })
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if closed != 10 {
		t.Errorf("AtClose hooks ran to %d, want 10 (once each, in order)", closed)
	}
	if !l.IsClosed() || l.IsRunning() {
		t.Errorf("IsClosed, IsRunning = %v, %v; want true, false", l.IsClosed(), l.IsRunning())
	}
	if err := l.RunForever(); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("RunForever = %v, want ErrClosed", err)
	}
	if err := l.CallSoonThreadsafe(func() {}); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("CallSoonThreadsafe = %v, want ErrClosed", err)
	}
	for name, call := range map[string]func(){
		"CallSoon":  func() { l.CallSoon(func() {}) },
		"CallLater": func() { l.CallLater(time.Second, func() {}) },
		"CallAt":    func() { l.CallAt(l.Time(), func() {}) },
		"Enqueue":   func() { l.Enqueue(func() {}) },
	} {
		r := catch(call)
		if err, _ := r.(error); !errors.Is(err, loop.ErrClosed) {
			t.Errorf("%s on a closed loop panicked with %v, want ErrClosed", name, r)
		}
	}
	if ran {
		t.Error("a callback queued before Close ran")
	}
}

// RunForever and Close from one of the loop's own callbacks fail with
// ErrRunning and leave the loop running.
func TestReentrantRun(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	var runErr, closeErr error
	var running bool
	l.CallSoon(func() {
		runErr = l.RunForever()
		closeErr = l.Close()
		running = l.IsRunning()
		l.Stop()
	})
	run(t, l)
	if !errors.Is(runErr, loop.ErrRunning) {
		t.Errorf("nested RunForever = %v, want ErrRunning", runErr)
	}
	if !errors.Is(closeErr, loop.ErrRunning) {
		t.Errorf("Close from a callback = %v, want ErrRunning", closeErr)
	}
	if !running || l.IsRunning() || l.IsClosed() {
		t.Errorf("running in callback %v, after %v, closed %v; want true, false, false",
			running, l.IsRunning(), l.IsClosed())
	}
}

// sleepSignal is a virtual clock that reports each time the loop starts
// waiting for work.
type sleepSignal struct {
	*looptest.Clock
	sleeping chan struct{}
}

func (c sleepSignal) Sleep(deadline time.Time, wake <-chan struct{}, busy bool) {
	select {
	case c.sleeping <- struct{}{}:
	default:
	}
	c.Clock.Sleep(deadline, wake, busy)
}

// A loop-only call from another goroutine while the loop waits for work
// panics with ErrWrongGoroutine, naming the method.
func TestWrongGoroutineWhileWaiting(t *testing.T) {
	clk := sleepSignal{looptest.NewClock(), make(chan struct{}, 1)}
	l := loop.New(loop.WithClock(clk))
	defer l.Close()
	var got any
	l.CallSoon(func() {
		select { // drop a signal from before this callback, if any
		case <-clk.sleeping:
		default:
		}
		go func() {
			<-clk.sleeping // the loop waits for work
			got = catch(func() { l.CallSoon(func() {}) })
			l.CallSoonThreadsafe(l.Stop)
		}()
	})
	run(t, l)
	err, _ := got.(error)
	if !errors.Is(err, loop.ErrWrongGoroutine) || !strings.Contains(err.Error(), "CallSoon") {
		t.Errorf("CallSoon from another goroutine panicked with %v, want ErrWrongGoroutine naming CallSoon", got)
	}
}

// In debug mode every loop-only call checks the goroutine, also while a
// callback runs.
func TestWrongGoroutineDebug(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprint("debug=", debug), func(t *testing.T) {
			l := looptest.New(loop.WithDebug(debug))
			defer l.Close()
			var got any
			l.CallSoon(func() {
				done := make(chan struct{})
				go func() {
					defer close(done)
					got = catch(func() { l.CallLater(time.Hour, func() {}).Cancel() })
				}()
				<-done // the callback blocks the loop meanwhile
				l.Stop()
			})
			run(t, l)
			err, _ := got.(error)
			if debug != errors.Is(err, loop.ErrWrongGoroutine) {
				t.Errorf("CallLater from another goroutine during a callback panicked with %v (debug %v)", got, debug)
			}
		})
	}
}

// Callbacks posted from several goroutines all run, each goroutine's in the
// order it posted them.
func TestCallSoonThreadsafe(t *testing.T) {
	const posters, posts = 4, 500
	l := looptest.New()
	defer l.Close()
	got := make([][]int, posters)
	var wg sync.WaitGroup
	for g := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range posts {
				if err := l.CallSoonThreadsafe(func() { got[g] = append(got[g], i) }); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		l.CallSoonThreadsafe(l.Stop)
	}()
	run(t, l)
	want := make([]int, posts)
	for i := range want {
		want[i] = i
	}
	for g := range posters {
		if diff := cmp.Diff(want, got[g]); diff != "" {
			t.Errorf("goroutine %d's callbacks (-want +got):\n%s", g, diff)
		}
	}
}

// While a Hold is outstanding the virtual clock does not jump to the next
// timer: the callback on its way runs first.
func TestHoldKeepsVirtualTime(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	var got []string
	release := l.Hold()
	proceed := make(chan struct{})
	go func() {
		<-proceed
		l.CallSoonThreadsafe(func() { got = append(got, "posted at "+l.Time().Sub(looptest.Epoch).String()) })
		release()
		release() // idempotent
	}()
	l.CallLater(time.Hour, func() {
		got = append(got, "timer at "+l.Time().Sub(looptest.Epoch).String())
		l.Stop()
	})
	l.CallSoon(func() { close(proceed) })
	run(t, l)
	if diff := cmp.Diff([]string{"posted at 0s", "timer at 1h0m0s"}, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

// A panic in a callback goes to the exception handler as a PanicError
// with the stack; the loop runs the rest of the batch.
func TestPanicInCallback(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	var got []string
	var ctxs []loop.ExceptionContext
	l.SetExceptionHandler(func(hl *loop.Loop, ctx loop.ExceptionContext) {
		if hl != l {
			t.Error("handler got another loop")
		}
		ctxs = append(ctxs, ctx)
		got = append(got, "handler: "+ctx.Message)
	})
	errBoom := errors.New("boom")
	l.CallSoon(func() { got = append(got, "a"); panic(errBoom) })
	l.CallSoon(func() { got = append(got, "b") })
	l.CallSoon(func() { got = append(got, "c"); panic("plain value") })
	l.CallSoon(func() { got = append(got, "d"); l.Stop() })
	run(t, l)
	want := []string{"a", "handler: Exception in callback loop_test.TestPanicInCallback.func2",
		"b", "c", "handler: Exception in callback loop_test.TestPanicInCallback.func4", "d"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if len(ctxs) != 2 {
		t.Fatalf("%d reports, want 2", len(ctxs))
	}
	var pe *loop.PanicError
	if !errors.As(ctxs[0].Err, &pe) || !errors.Is(ctxs[0].Err, errBoom) {
		t.Fatalf("Err = %#v, want a PanicError wrapping errBoom", ctxs[0].Err)
	}
	if !strings.Contains(string(pe.Stack), "TestPanicInCallback") {
		t.Errorf("the panic's stack does not show the callback:\n%s", pe.Stack)
	}
	if !errors.As(ctxs[1].Err, &pe) || pe.Value != "plain value" || pe.Error() != "panic: plain value" {
		t.Errorf("second report's error = %v, want the panic value", ctxs[1].Err)
	}
	if diff := cmp.Diff([]string{"exception", "handle", "message"}, ctxs[0].Keys()); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
}

// The default handler logs with slog; a handler that panics is reported
// by the default handler and does not stop the loop.
func TestDefaultHandlerAndPanickingHandler(t *testing.T) {
	var buf bytes.Buffer
	l := looptest.New(loop.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	defer l.Close()
	l.CallSoon(func() { panic("first") })
	l.CallSoon(func() {
		l.SetExceptionHandler(func(*loop.Loop, loop.ExceptionContext) { panic("handler broke") })
	})
	l.CallSoon(func() { panic("second") })
	l.CallSoon(func() {
		if l.ExceptionHandler() == nil {
			t.Error("ExceptionHandler() = nil after SetExceptionHandler")
		}
		l.SetExceptionHandler(nil)
		l.CallExceptionHandler(loop.ExceptionContext{Message: "custom report"})
		l.Stop()
	})
	run(t, l)
	log := buf.String()
	for _, want := range []string{
		`msg="Exception in callback loop_test.TestDefaultHandlerAndPanickingHandler.func1" error="panic: first"`,
		`msg="Unhandled error in exception handler" error="panic: handler broke"`,
		`msg="custom report"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
}

// Debug mode logs callbacks that run longer than the slow-callback duration.
func TestSlowCallback(t *testing.T) {
	var buf bytes.Buffer
	clk := looptest.NewManualClock()
	l := loop.New(loop.WithClock(clk), loop.WithDebug(true),
		loop.WithSlowCallbackDuration(50*time.Millisecond),
		loop.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	defer l.Close()
	if !l.Debug() {
		t.Fatal("Debug() = false with WithDebug(true)")
	}
	l.CallSoon(func() { clk.Advance(10 * time.Millisecond) })
	l.CallSoon(func() { clk.Advance(200 * time.Millisecond) })
	l.CallSoon(l.Stop)
	run(t, l)
	if got := strings.Count(buf.String(), "took"); got != 1 {
		t.Errorf("%d slow-callback warnings, want 1:\n%s", got, buf.String())
	}
	if !strings.Contains(buf.String(), "TestSlowCallback.func2 took 0.200 seconds") {
		t.Errorf("warning does not name the slow callback:\n%s", buf.String())
	}
}

func TestKey(t *testing.T) {
	k := loop.NewKey[int]("counter")
	l1, l2 := looptest.New(), looptest.New()
	defer l1.Close()
	defer l2.Close()
	if k.Lookup(l1) != nil {
		t.Error("Lookup before Get is not nil")
	}
	*k.Get(l1) = 7
	if *k.Get(l1) != 7 || *k.Lookup(l1) != 7 || k.Lookup(l2) != nil {
		t.Error("per-loop values are not kept apart")
	}
	if k.String() != "counter" {
		t.Errorf("String() = %q", k.String())
	}
	// Keys made later, of the same type or another, on a loop that already
	// has a value: each keeps its own.
	k2, k3 := loop.NewKey[int]("other counter"), loop.NewKey[string]("name")
	*k2.Get(l1) = 8
	*k3.Get(l1) = "x"
	if *k.Get(l1) != 7 || *k2.Get(l1) != 8 || *k3.Get(l1) != "x" || k3.Lookup(l2) != nil {
		t.Error("values of different keys are not kept apart")
	}
}

func namedCallback() {}

func TestFuncName(t *testing.T) {
	for _, tt := range []struct {
		f    any
		want string
	}{
		{namedCallback, "loop_test.namedCallback"},
		{func() {}, "loop_test.TestFuncName.func1"},
		{strings.ToUpper, "strings.ToUpper"},
		{42, ""},
		{(func())(nil), ""},
	} {
		if got := loop.FuncName(tt.f); got != tt.want {
			t.Errorf("FuncName(%T) = %q, want %q", tt.f, got, tt.want)
		}
	}
}
