package task_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
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

// A tracer collects a test's trace. Reports to the loop's exception
// handler are logged as "handler: <message>: <error>".
type tracer struct {
	lines []string
}

func (tr *tracer) log(format string, args ...any) {
	tr.lines = append(tr.lines, fmt.Sprintf(format, args...))
}

// runTraced runs main as the main task (task.RunOn) of a virtual-time loop
// and returns the trace, ending with main's outcome.
func runTraced(t *testing.T, main func(c *task.Coro, tr *tracer) error, opts ...loop.Option) []string {
	t.Helper()
	leakcheck.Check(t)
	tr := &tracer{}
	l := looptest.New(opts...)
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		tr.log("handler: %s: %v", ctx.Message, ctx.Err)
	})
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) { return struct{}{}, main(c, tr) })
	tr.log("main: %v", err)
	if !l.IsClosed() {
		t.Error("RunOn left the loop open")
	}
	return tr.lines
}

type traceCase struct {
	name string
	main func(c *task.Coro, tr *tracer) error
	want []string
}

func runTraceTable(t *testing.T, cases []traceCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, runTraced(t, tc.main)); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

// errClass names an error for a trace.
func errClass(err error) string {
	var pe *loop.PanicError
	var ce *future.CancelledError
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &ce):
		return "CancelledError(" + ce.Msg + ")"
	case errors.As(err, &pe):
		return "PanicError(" + fmt.Sprint(pe.Value) + ")"
	}
	return err.Error()
}

// Misuse of the await functions gets an error, never a hang.
func TestAwaitMisuse(t *testing.T) {
	runTraceTable(t, []traceCase{{
		name: "from a plain callback",
		main: func(c *task.Coro, tr *tracer) error {
			l := c.Loop()
			f := future.New[int](l)
			l.CallSoon(func() {
				tr.log("Yield: %v", c.Yield())
				_, err := task.Await(c, f)
				tr.log("Await: %v", err)
				tr.log("Sleep: %v", c.Sleep(time.Second))
				f.SetResult(1)
			})
			_, err := task.Await(c, f)
			return err
		},
		want: []string{
			"Yield: " + task.ErrNotInTask.Error(),
			"Await: " + task.ErrNotInTask.Error(),
			"Sleep: " + task.ErrNotInTask.Error(),
			"main: <nil>",
		},
	}, {
		name: "with the Coro of a finished task",
		main: func(c *task.Coro, tr *tracer) error {
			var saved *task.Coro
			t := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { saved = c; return 1, nil })
			if err := c.Await(t); err != nil {
				return err
			}
			tr.log("Yield: %v", saved.Yield())
			return nil
		},
		want: []string{"Yield: " + task.ErrNotInTask.Error(), "main: <nil>"},
	}, {
		name: "with the Coro of another, suspended task",
		main: func(c *task.Coro, tr *tracer) error {
			var other *task.Coro
			t := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { other = c; return 0, c.Sleep(time.Second) })
			if err := c.Yield(); err != nil {
				return err
			}
			tr.log("Yield: %v", other.Yield())
			return c.Await(t)
		},
		want: []string{"Yield: " + task.ErrNotInTask.Error(), "main: <nil>"},
	}, {
		name: "a future of another loop",
		main: func(c *task.Coro, tr *tracer) error {
			other := looptest.New()
			defer other.Close()
			_, err := task.Await(c, future.New[int](other))
			tr.log("ErrOtherLoop: %v", errors.Is(err, future.ErrOtherLoop))
			tr.log("still running: %v", c.Yield())
			return nil
		},
		want: []string{"ErrOtherLoop: true", "still running: <nil>", "main: <nil>"},
	}, {
		name: "a task awaiting itself",
		main: func(c *task.Coro, tr *tracer) error {
			err := c.Await(c.Task())
			tr.log("Await(self): %v", err)
			return nil
		},
		want: []string{"Await(self): " + task.ErrAwaitSelf.Error(), "main: <nil>"},
	}, {
		name: "SetResult on a task",
		main: func(c *task.Coro, tr *tracer) error {
			t := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { return 1, nil })
			tr.log("SetResult: %v", t.SetResult(2))
			tr.log("SetException: %v", t.SetException(errors.New("x")))
			v, err := task.Await(c, t)
			tr.log("result: %d %v", v, err)
			return nil
		},
		want: []string{
			"SetResult: " + task.ErrSetResult.Error(),
			"SetException: " + task.ErrSetResult.Error(),
			"result: 1 <nil>",
			"main: <nil>",
		},
	}})
}

// In debug mode an await from a goroutine the body started fails with
// ErrNotInTask instead of handing the coroutine to that goroutine.
func TestAwaitFromOtherGoroutineDebug(t *testing.T) {
	got := runTraced(t, func(c *task.Coro, tr *tracer) error {
		errc := make(chan error)
		go func() { errc <- c.Yield() }()
		tr.log("Yield from another goroutine: %v", <-errc) // blocks the loop meanwhile
		c.Loop().CallSoon(func() { tr.log("loop-only call from the body is fine in debug mode") })
		return c.Yield()
	}, loop.WithDebug(true))
	want := []string{
		"Yield from another goroutine: " + task.ErrNotInTask.Error(),
		"loop-only call from the body is fine in debug mode",
		"main: <nil>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

// bodyThatPanics is named so that the test can find it in the stack.
func bodyThatPanics(c *task.Coro) (int, error) {
	if err := c.Yield(); err != nil {
		return 0, err
	}
	var v any = c.Task().Name()
	return v.(int), nil // a runtime error, not a plain panic value
}

// A panic in a body becomes the task's error, a PanicError with the value
// and the stack; the loop and other tasks carry on.
func TestPanicInBody(t *testing.T) {
	leakcheck.Check(t)
	var taskErr error
	var trace []string
	task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
		l := c.Loop()
		bad := task.Spawn(l, bodyThatPanics)
		good := task.Spawn(l, func(c *task.Coro) (int, error) {
			for i := range 3 {
				trace = append(trace, fmt.Sprint("good ", i))
				if err := c.Yield(); err != nil {
					return 0, err
				}
			}
			return 7, nil
		})
		_, taskErr = task.Await(c, bad)
		trace = append(trace, "bad done: "+errClass(taskErr))
		v, err := task.Await(c, good)
		trace = append(trace, fmt.Sprint("good: ", v, err))
		return 0, nil
	})
	want := []string{"good 0", "good 1", "bad done: PanicError(interface conversion: interface {} is string, not int)", "good 2", "good: 7 <nil>"}
	if diff := cmp.Diff(want, trace); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	var pe *loop.PanicError
	if !errors.As(taskErr, &pe) {
		t.Fatalf("task error %T, want *loop.PanicError", taskErr)
	}
	var re runtime.Error
	if !errors.As(taskErr, &re) {
		t.Error("the runtime error is not reachable with errors.As")
	}
	if !strings.Contains(string(pe.Stack), "bodyThatPanics") {
		t.Errorf("the stack does not show the panicking body:\n%s", pe.Stack)
	}
}

// runtime.Goexit in a body (t.Fatal) is reported, and the goroutine that
// runs the loop exits with it, as t.FailNow requires; nothing is left
// behind.
func TestGoexitInBody(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var reports []string
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		reports = append(reports, ctx.Message)
	})
	returned := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		task.RunOn(l, func(c *task.Coro) (int, error) {
			c.Yield()
			runtime.Goexit()
			return 0, nil
		})
		returned = true
	}()
	<-done
	if returned {
		t.Error("RunOn returned normally after Goexit in the body")
	}
	if len(reports) != 1 || !strings.Contains(reports[0], "runtime.Goexit") {
		t.Errorf("reports = %q, want one naming runtime.Goexit", reports)
	}
	if l.IsRunning() || !l.IsClosed() {
		t.Errorf("running %v, closed %v; want the loop stopped and closed (RunOn's deferred Close)", l.IsRunning(), l.IsClosed())
	}
}

// Cancellation corner cases, each checked against what CPython 3.11 does
// (the traces of the equivalent Python programs).
func TestCancel(t *testing.T) {
	runTraceTable(t, []traceCase{{
		name: "before the first step: the body never runs",
		main: func(c *task.Coro, tr *tracer) error {
			u := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				tr.log("BODY RAN")
				return 1, nil
			})
			tr.log("cancel: %v cancelling: %d", u.Cancel("early"), u.Cancelling())
			_, err := task.Await(c, u)
			tr.log("await: %s cancelled: %v", errClass(err), u.Cancelled())
			return nil
		},
		want: []string{"cancel: true cancelling: 1", "await: CancelledError(early) cancelled: true", "main: <nil>"},
	}, {
		name: "at the await, with the message; a done task cannot be cancelled",
		main: func(c *task.Coro, tr *tracer) error {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				err := c.Sleep(time.Hour)
				tr.log("worker: %s", errClass(err))
				return 0, err
			})
			c.Yield()
			tr.log("cancel: %v done: %v cancelled: %v", w.Cancel("stop"), w.Done(), w.Cancelled())
			_, err := task.Await(c, w)
			tr.log("await: %s is context.Canceled: %v", errClass(err), errors.Is(err, context.Canceled))
			tr.log("cancel again: %v cancelling: %d", w.Cancel(), w.Cancelling())
			return nil
		},
		want: []string{
			"cancel: true done: false cancelled: false",
			"worker: CancelledError(stop)",
			"await: CancelledError(stop) is context.Canceled: true",
			"cancel again: false cancelling: 1",
			"main: <nil>",
		},
	}, {
		name: "must_cancel: the result arrived but the task had not woken",
		main: func(c *task.Coro, tr *tracer) error {
			f := future.New[string](c.Loop())
			w := task.Spawn(c.Loop(), func(c *task.Coro) (string, error) {
				v, err := task.Await(c, f)
				tr.log("worker: %q %s", v, errClass(err))
				return v, err
			})
			c.Yield()
			f.SetResult("value")
			tr.log("cancel: %v", w.Cancel())
			c.Await(w)
			tr.log("task cancelled: %v future cancelled: %v", w.Cancelled(), f.Cancelled())
			return nil
		},
		want: []string{
			"cancel: true",
			`worker: "" CancelledError()`,
			"task cancelled: true future cancelled: false",
			"main: <nil>",
		},
	}, {
		name: "cancelling a task cancels the task it awaits",
		main: func(c *task.Coro, tr *tracer) error {
			l := c.Loop()
			inner := task.Spawn(l, func(c *task.Coro) (int, error) {
				err := c.Sleep(time.Hour)
				tr.log("inner: %s", errClass(err))
				return 0, err
			}, task.WithName("inner"))
			outer := task.Spawn(l, func(c *task.Coro) (int, error) {
				_, err := task.Await(c, inner)
				tr.log("outer: %s", errClass(err))
				return 0, err
			}, task.WithName("outer"))
			c.Yield()
			outer.Cancel("msg")
			c.Await(outer)
			tr.log("inner cancelled: %v outer cancelled: %v", inner.Cancelled(), outer.Cancelled())
			return nil
		},
		want: []string{
			"inner: CancelledError(msg)",
			"outer: CancelledError(msg)",
			"inner cancelled: true outer cancelled: true",
			"main: <nil>",
		},
	}, {
		name: "a body that catches the cancellation finishes normally; uncancel",
		main: func(c *task.Coro, tr *tracer) error {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (string, error) {
				err := c.Sleep(time.Hour)
				me := c.Task()
				tr.log("caught %s cancelling %d", errClass(err), me.Cancelling())
				tr.log("uncancel: %d, again: %d", me.Uncancel(), me.Uncancel())
				return "survived", nil
			})
			c.Yield()
			w.Cancel()
			v, err := task.Await(c, w)
			tr.log("result: %s %v cancelled: %v", v, err, w.Cancelled())
			return nil
		},
		want: []string{
			"caught CancelledError() cancelling 1",
			"uncancel: 0, again: 0",
			"result: survived <nil> cancelled: false",
			"main: <nil>",
		},
	}, {
		name: "cancelled while queued after a yield",
		main: func(c *task.Coro, tr *tracer) error {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				tr.log("worker start")
				err := c.Yield()
				tr.log("worker: yield returned %s", errClass(err))
				return 0, err
			})
			c.Yield() // the worker started and yielded; its next step is queued
			w.Cancel()
			c.Await(w)
			tr.log("cancelled: %v", w.Cancelled())
			return nil
		},
		want: []string{"worker start", "worker: yield returned CancelledError()", "cancelled: true", "main: <nil>"},
	}, {
		name: "a task that cancels itself and returns ends cancelled",
		main: func(c *task.Coro, tr *tracer) error {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				c.Task().Cancel("self")
				return 1, nil
			})
			_, err := task.Await(c, w)
			tr.log("await: %s cancelled: %v", errClass(err), w.Cancelled())
			return nil
		},
		want: []string{"await: CancelledError(self) cancelled: true", "main: <nil>"},
	}, {
		name: "a second cancel is delivered again after the first was caught",
		main: func(c *task.Coro, tr *tracer) error {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				tr.log("first: %s", errClass(c.Sleep(time.Hour)))
				tr.log("second: %s", errClass(c.Sleep(time.Hour)))
				return 2, nil
			})
			c.Yield()
			w.Cancel("1")
			c.Yield()
			c.Yield()
			w.Cancel("2")
			v, err := task.Await(c, w)
			tr.log("result %d %v cancelling %d", v, err, w.Cancelling())
			return nil
		},
		want: []string{"first: CancelledError(1)", "second: CancelledError(2)", "result 2 <nil> cancelling 2", "main: <nil>"},
	}})
}

// Eager (3.12's eager_start) runs the body inside Spawn up to its first
// suspension.
func TestEager(t *testing.T) {
	runTraceTable(t, []traceCase{{
		name: "a body that does not suspend finishes inside Spawn",
		main: func(c *task.Coro, tr *tracer) error {
			l := c.Loop()
			e := task.Spawn(l, func(c *task.Coro) (int, error) {
				cur, _ := task.Current(l)
				all := task.All(l)
				tr.log("eager body, current is itself: %v, listed by All: %v",
					cur == c.Task(), len(all) == 2 && all[1] == c.Task())
				return 5, nil
			}, task.Eager())
			cur, _ := task.Current(l)
			tr.log("after Spawn: done %v, in All %d, current restored %v", e.Done(), len(task.All(l)), cur == c.Task())
			v, err := task.Await(c, e)
			tr.log("result %d %v", v, err)
			return nil
		},
		want: []string{
			"eager body, current is itself: true, listed by All: true",
			"after Spawn: done true, in All 1, current restored true",
			"result 5 <nil>",
			"main: <nil>",
		},
	}, {
		name: "a body that suspends continues on the loop",
		main: func(c *task.Coro, tr *tracer) error {
			l := c.Loop()
			l.CallSoon(func() { tr.log("callback queued before") })
			e := task.Spawn(l, func(c *task.Coro) (int, error) {
				tr.log("eager: first step")
				if err := c.Yield(); err != nil {
					return 0, err
				}
				tr.log("eager: second step")
				return 1, nil
			}, task.Eager())
			lazy := task.Spawn(l, func(c *task.Coro) (int, error) { tr.log("lazy: first step"); return 0, nil })
			tr.log("spawned")
			c.Await(e)
			return c.Await(lazy)
		},
		want: []string{
			"eager: first step",
			"spawned",
			"callback queued before",
			"eager: second step",
			"lazy: first step",
			"main: <nil>",
		},
	}})
}

// Run cancels the tasks left when main returns, lets them finish, and
// reports errors they return instead of their cancellation; unretrieved
// task errors are reported when the loop closes.
func TestRunShutdown(t *testing.T) {
	got := runTraced(t, func(c *task.Coro, tr *tracer) error {
		l := c.Loop()
		task.Spawn(l, func(c *task.Coro) (int, error) {
			err := c.Sleep(time.Hour)
			tr.log("a: %s; cleaning up", errClass(err))
			tr.log("a: cleanup await: %s", errClass(c.Yield()))
			return 0, err
		}, task.WithName("a"))
		task.Spawn(l, func(c *task.Coro) (int, error) {
			err := c.Sleep(time.Hour)
			tr.log("b: %s; failing instead", errClass(err))
			return 0, errors.New("b failed while cancelled")
		}, task.WithName("b"))
		task.Spawn(l, func(c *task.Coro) (int, error) {
			return 0, errors.New("nobody looks at c")
		}, task.WithName("c"))
		task.Spawn(l, func(c *task.Coro) (int, error) {
			tr.log("d: ran eagerly")
			return 0, nil
		}, task.WithName("d"), task.Eager()) // eager on a running loop: runs now
		tr.log("main returns")
		return c.Yield()
	})
	want := []string{
		"d: ran eagerly",
		"main returns",
		"a: CancelledError(); cleaning up",
		"b: CancelledError(); failing instead",
		"a: cleanup await: nil",
		"handler: unhandled exception during asyncio.run() shutdown: b failed while cancelled",
		"handler: Task exception was never retrieved: nobody looks at c",
		"main: <nil>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestRunMisuse(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var nested error
	v, err := task.RunOn(l, func(c *task.Coro) (int, error) {
		_, nested = task.RunOn(c.Loop(), func(*task.Coro) (int, error) { return 0, nil })
		return 3, nil
	})
	if v != 3 || err != nil {
		t.Errorf("RunOn = %d, %v", v, err)
	}
	if !errors.Is(nested, loop.ErrRunning) {
		t.Errorf("RunOn of the running loop = %v, want ErrRunning", nested)
	}
	if _, err := task.RunOn(l, func(*task.Coro) (int, error) { return 0, nil }); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("RunOn of a closed loop = %v, want ErrClosed", err)
	}
	r := func() (r any) {
		defer func() { r = recover() }()
		task.Spawn(l, func(*task.Coro) (int, error) { return 0, nil })
		return nil
	}()
	if err, _ := r.(error); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("Spawn on a closed loop panicked with %v, want ErrClosed", r)
	}
}

func TestNamesCurrentAll(t *testing.T) {
	got := runTraced(t, func(c *task.Coro, tr *tracer) error {
		l := c.Loop()
		a := task.Spawn(l, func(c *task.Coro) (int, error) { return 0, c.Yield() })
		b := task.Spawn(l, func(c *task.Coro) (int, error) { return 0, c.Yield() }, task.WithName("named"))
		d := task.Spawn(l, func(c *task.Coro) (int, error) { return 0, c.Yield() })
		d.SetName("renamed")
		names := func() (s []string) {
			for _, t := range task.All(l) {
				s = append(s, t.Name())
			}
			return s
		}
		tr.log("%s %s %s all %v", c.Task().Name(), a.Name(), b.Name(), names())
		tr.log("%v", a)
		l.CallSoon(func() {
			cur, err := task.Current(l)
			tr.log("current in a callback: %v %v", cur, err)
		})
		c.Await(a)
		tr.log("%v; all %v", a, names())
		c.Await(b)
		return c.Await(d)
	})
	want := []string{
		"Task-1 Task-2 named all [Task-1 Task-2 named renamed]",
		`<Task pending name="Task-2">`,
		"current in a callback: <nil> <nil>",
		`<Task finished name="Task-2">; all [Task-1]`, // b and d yielded once too
		"main: <nil>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if cur, err := task.Current(looptest.New()); cur != nil || !errors.Is(err, loop.ErrNotRunning) {
		t.Errorf("Current of a loop that is not running = %v, %v; want nil, ErrNotRunning", cur, err)
	}
}

func TestSleep(t *testing.T) {
	got := runTraced(t, func(c *task.Coro, tr *tracer) error {
		l := c.Loop()
		start := l.Time()
		v, err := task.SleepValue(c, 90*time.Second, "ninety")
		tr.log("%s %v at %v", v, err, l.Time().Sub(start))
		c.Sleep(-time.Second) // a bare yield
		c.Sleep(0)
		tr.log("at %v", l.Time().Sub(start))
		return nil
	})
	want := []string{"ninety <nil> at 1m30s", "at 1m30s", "main: <nil>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}
