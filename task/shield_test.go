package task_test

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

// The combinator tests (shield, wait_for, timeout, TaskGroup) compare event
// traces with the traces CPython 3.11.7 prints for the same program: each
// table's want was produced by a Python twin of the case, written with the
// same log lines (virtual milliseconds since the start, then the event).

const ms = time.Millisecond

// valueError stands for a Python ValueError in the traces.
type valueError string

func (e valueError) Error() string { return string(e) }

// combCase is one row of a combinator table: a main body and its trace.
type combCase struct {
	name string
	main func(c *task.Coro, r *combRec) error
	want []string
}

// combRec records a trace on virtual time.
type combRec struct {
	l     *loop.Loop
	start time.Time
	lines []string
}

// log appends a line prefixed with the virtual time since the start.
func (r *combRec) log(format string, args ...any) {
	at := r.l.Time().Sub(r.start).Milliseconds()
	r.lines = append(r.lines, fmt.Sprintf("%dms ", at)+fmt.Sprintf(format, args...))
}

// runComb runs main as the main task of a virtual-time loop and returns its
// trace: main's error, if any, is logged as "main: <err>", and the loop's
// exception-handler reports (the never-retrieved errors at close among
// them) follow as "handler: <message>: <err>".
func runComb(t *testing.T, main func(c *task.Coro, r *combRec) error) []string {
	t.Helper()
	leakcheck.Check(t)
	l := looptest.New()
	r := &combRec{l: l, start: l.Time()}
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		r.lines = append(r.lines, fmt.Sprintf("handler: %s: %s", ctx.Message, fmtErr(ctx.Err)))
	})
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		if err := main(c, r); err != nil {
			r.log("main: %s", fmtErr(err))
		}
		return struct{}{}, nil
	})
	if err != nil {
		t.Errorf("RunOn: %v", err)
	}
	return r.lines
}

// runCombTable runs every row as a subtest and diffs its trace.
func runCombTable(t *testing.T, cases []combCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runComb(t, tc.main)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("trace differs from CPython's (-want +got):\n%s", diff)
			}
		})
	}
}

// fmtErr prints an error as the Python twins print exceptions.
func fmtErr(err error) string {
	switch e := err.(type) {
	case nil:
		return "nil"
	case *future.TimeoutError:
		return "Timeout(cause=" + fmtErr(e.Cause) + ")"
	case *task.GroupError:
		parts := make([]string, len(e.Errs))
		for i, sub := range e.Errs {
			parts[i] = fmtErr(sub)
		}
		return "Group[" + strings.Join(parts, ", ") + "]"
	}
	var ce *future.CancelledError
	if errors.As(err, &ce) {
		if ce.HasMsg {
			return "Cancelled(" + ce.Msg + ")"
		}
		return "Cancelled"
	}
	var ve valueError
	if errors.As(err, &ve) {
		return "ValueError(" + string(ve) + ")"
	}
	var pe *loop.PanicError
	if errors.As(err, &pe) {
		return fmt.Sprintf("Panic(%v)", pe.Value)
	}
	return "Err(" + err.Error() + ")"
}

func TestShield(t *testing.T) {
	runCombTable(t, []combCase{{
		name: "outer_cancel",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			inner := task.Spawn(l, func(c *task.Coro) (string, error) {
				for i := range 3 {
					if err := c.Yield(); err != nil {
						return "", err
					}
					r.log("inner: step %d", i)
				}
				return "v", nil
			})
			w := task.Spawn(l, func(c *task.Coro) (string, error) {
				v, err := task.Await(c, task.Shield(inner))
				if err != nil {
					r.log("waiter: %s; inner done=%t", fmtErr(err), inner.Done())
					return "", err
				}
				r.log("waiter: %s", v)
				return v, nil
			})
			if err := c.Yield(); err != nil {
				return err
			}
			r.log("main: cancel waiter -> %t", w.Cancel("stop"))
			if err := c.Await(w); err != nil {
				r.log("main: waiter %s cancelled=%t", fmtErr(err), w.Cancelled())
			}
			r.log("main: inner cancelled=%t", inner.Cancelled())
			v, err := task.Await(c, inner)
			if err != nil {
				return err
			}
			r.log("main: inner -> %s", v)
			return nil
		},
		want: []string{
			"0ms main: cancel waiter -> true",
			"0ms inner: step 0",
			"0ms waiter: Cancelled(stop); inner done=false",
			"0ms inner: step 1",
			"0ms main: waiter Cancelled(stop) cancelled=true",
			"0ms main: inner cancelled=false",
			"0ms inner: step 2",
			"0ms main: inner -> v",
		},
	}, {
		name: "inner_cancel",
		main: func(c *task.Coro, r *combRec) error {
			l := c.Loop()
			inner := task.Spawn(l, func(c *task.Coro) (any, error) { return nil, c.Sleep(time.Second) })
			s := task.Shield(inner)
			task.Spawn(l, func(c *task.Coro) (any, error) {
				if err := c.Sleep(10 * ms); err != nil {
					return nil, err
				}
				r.log("canceller: cancel inner")
				inner.Cancel("in")
				return nil, nil
			})
			if err := c.Await(s); err != nil {
				r.log("main: %s shield cancelled=%t", fmtErr(err), s.Cancelled())
			}
			r.log("main: cancelling=%d", c.Task().Cancelling())
			return nil
		},
		want: []string{
			"10ms canceller: cancel inner",
			"10ms main: Cancelled shield cancelled=true",
			"10ms main: cancelling=0",
		},
	}, {
		name: "inner_error",
		main: func(c *task.Coro, r *combRec) error {
			return c.Await(task.Shield(task.Spawn(c.Loop(), func(c *task.Coro) (any, error) {
				if err := c.Sleep(10 * ms); err != nil {
					return nil, err
				}
				return nil, valueError("boom")
			})))
		},
		want: []string{"10ms main: ValueError(boom)"},
	}, {
		name: "inner_result",
		main: func(c *task.Coro, r *combRec) error {
			v, err := task.Await(c, task.Shield(task.Spawn(c.Loop(), func(c *task.Coro) (string, error) {
				return "ok", c.Sleep(10 * ms)
			})))
			r.log("main: %s", v)
			return err
		},
		want: []string{"10ms main: ok"},
	}, {
		// The inner fails in the iteration that cancelled the outer:
		// _inner_done_callback still runs and marks the error retrieved.
		name: "outer_cancelled_then_inner_fails_same_iteration",
		main: func(c *task.Coro, r *combRec) error {
			inner := future.New[int](c.Loop())
			s := task.Shield(inner)
			s.Cancel()
			inner.SetException(valueError("lost"))
			c.Yield()
			c.Yield()
			r.log("main: s cancelled=%t inner done=%t", s.Cancelled(), inner.Done())
			return nil
		},
		want: []string{"0ms main: s cancelled=true inner done=true"},
	}, {
		// Once _outer_done_callback has run, nobody reads the inner's error:
		// it is reported as never retrieved (at close in Go, at GC in Python).
		name: "outer_cancelled_inner_fails_later",
		main: func(c *task.Coro, r *combRec) error {
			inner := future.New[int](c.Loop())
			s := task.Shield(inner)
			s.Cancel()
			c.Yield()
			inner.SetException(valueError("unretrieved"))
			c.Yield()
			r.log("main: s cancelled=%t inner done=%t", s.Cancelled(), inner.Done())
			return nil
		},
		want: []string{
			"0ms main: s cancelled=true inner done=true",
			"handler: Future exception was never retrieved: ValueError(unretrieved)",
		},
	}, {
		name: "shield_twice_cancel_each",
		main: func(c *task.Coro, r *combRec) error {
			inner := task.Spawn(c.Loop(), func(c *task.Coro) (string, error) {
				return "shared", c.Sleep(20 * ms)
			})
			s1 := task.Shield(inner)
			s2 := task.Shield(inner)
			s1.Cancel()
			v, err := task.Await(c, s2)
			r.log("main: s2 -> %s; s1 cancelled=%t", v, s1.Cancelled())
			return err
		},
		want: []string{"20ms main: s2 -> shared; s1 cancelled=true"},
	}})
}

// Shielding something already done returns that very awaitable, whatever
// its outcome.
func TestShieldDoneReturnsItself(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	defer l.Close()
	ok := future.New[int](l)
	ok.SetResult(1)
	failed := future.New[int](l)
	failed.SetException(valueError("x"))
	failed.Err()
	cancelled := future.New[int](l)
	cancelled.Cancel()
	for name, f := range map[string]*future.Future[int]{"result": ok, "error": failed, "cancelled": cancelled} {
		if got := task.Shield[int](f); got != future.Typed[int](f) {
			t.Errorf("%s: Shield(done) = %v, want the future itself", name, got)
		}
	}
	pending := future.New[int](l)
	if got := task.Shield[int](pending); got == future.Typed[int](pending) {
		t.Error("Shield(pending) returned the future itself, want a new one")
	}
}
