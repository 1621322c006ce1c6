package gather_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
	"github.com/google/go-cmp/cmp"
)

// A trace records events as lines.
type trace struct{ lines []string }

func (r *trace) add(format string, args ...any) {
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

// ticks logs "tick 0" .. "tick n-1", one per loop iteration, starting on
// the next iteration: a ruler against which the iteration that an event
// happens on can be read.
func ticks(l *loop.Loop, r *trace, n int) {
	var tick func(i int)
	tick = func(i int) {
		r.add("tick %d", i)
		if i+1 < n {
			l.CallSoon(func() { tick(i + 1) })
		}
	}
	l.CallSoon(func() { tick(0) })
}

// run runs body as the main task on a virtual-time loop, with an exception
// handler that logs into the trace (never-retrieved errors are reported
// when the loop closes), and returns the trace.
func run(t *testing.T, body func(c *task.Coro, r *trace) error) []string {
	t.Helper()
	leakcheck.Check(t)
	r := &trace{}
	l := looptest.New()
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		r.add("handler: %s: %v", ctx.Message, ctx.Err)
	})
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		return struct{}{}, body(c, r)
	})
	if err != nil {
		r.add("main: %v", err)
	}
	return r.lines
}

// A traceCase is one table entry: a main body and the trace it must leave.
type traceCase struct {
	name string
	body func(c *task.Coro, r *trace) error
	want []string
}

func runCases(t *testing.T, cases []traceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.body)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("trace mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// child returns a body that sleeps ms milliseconds (0: one bare yield),
// logs, and returns v or err; a cancellation is logged and returned.
func child[T any](r *trace, name string, ms int, v T, err error) func(*task.Coro) (T, error) {
	return func(c *task.Coro) (T, error) {
		var zero T
		if e := sleepMS(c, ms); e != nil {
			r.add("%s: %v", name, describe(e))
			return zero, e
		}
		if err != nil {
			r.add("%s: fails", name)
			return zero, err
		}
		r.add("%s: returns %v", name, v)
		return v, nil
	}
}

func sleepMS(c *task.Coro, ms int) error {
	if ms == 0 {
		return c.Yield()
	}
	return c.Sleep(msDur(ms))
}

// describe names an error as asyncio would show it: CancelledError with
// its args, TimeoutError, or the message.
func describe(err error) string {
	var ce *future.CancelledError
	var te *future.TimeoutError
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &ce):
		if ce.HasMsg {
			return fmt.Sprintf("CancelledError(%q)", ce.Msg)
		}
		return "CancelledError()"
	case errors.As(err, &te):
		return "TimeoutError"
	}
	return err.Error()
}

func msDur(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

func cmpDiff(want, got []string) string { return cmp.Diff(want, got) }
