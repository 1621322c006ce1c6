package future_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Main(m)) }

var errBoom = errors.New("boom")

// describe returns what Result returns, as a string for comparison.
func describe(f *future.Future[int]) string {
	v, err := f.Result()
	var ie *future.InvalidStateError
	switch {
	case err == nil:
		return fmt.Sprint("result ", v)
	case errors.As(err, &ie):
		return "InvalidStateError: " + ie.Msg
	}
	return "error: " + err.Error()
}

// TestStates checks every operation in every state, with the wording of
// CPython's C Future where asyncio shows it.
func TestStates(t *testing.T) {
	tests := []struct {
		name   string
		act    func(f *future.Future[int]) []string
		want   []string
		done   bool
		cancel bool
	}{{
		name: "pending",
		act: func(f *future.Future[int]) []string {
			return []string{describe(f), f.Err().Error()}
		},
		want: []string{"InvalidStateError: Result is not set.", "future: Exception is not set."},
	}, {
		name: "result",
		act: func(f *future.Future[int]) []string {
			return []string{fmt.Sprint(f.SetResult(7)), describe(f), fmt.Sprint(f.Err()),
				fmt.Sprint(f.SetResult(8)), fmt.Sprint(f.SetException(errBoom)), fmt.Sprint(f.Cancel())}
		},
		want: []string{"<nil>", "result 7", "<nil>",
			"future: invalid state", "future: invalid state", "false"},
		done: true,
	}, {
		name: "exception",
		act: func(f *future.Future[int]) []string {
			return []string{fmt.Sprint(f.SetException(errBoom)), describe(f), fmt.Sprint(f.Err()),
				fmt.Sprint(f.SetResult(8)), fmt.Sprint(f.Cancel())}
		},
		want: []string{"<nil>", "error: boom", "boom", "future: invalid state", "false"},
		done: true,
	}, {
		name: "SetException(nil) is refused and leaves the future pending",
		act: func(f *future.Future[int]) []string {
			err := f.SetException(nil)
			return []string{fmt.Sprint(errors.Is(err, future.ErrNilError)), describe(f)}
		},
		want: []string{"true", "InvalidStateError: Result is not set."},
	}, {
		name: "cancelled",
		act: func(f *future.Future[int]) []string {
			return []string{fmt.Sprint(f.Cancel()), fmt.Sprint(f.Cancel()), describe(f),
				f.Err().Error(), fmt.Sprint(f.SetResult(1))}
		},
		want:   []string{"true", "false", "error: cancelled", "cancelled", "future: invalid state"},
		done:   true,
		cancel: true,
	}, {
		name: "cancelled with a message",
		act: func(f *future.Future[int]) []string {
			f.Cancel("why")
			msg, ok := f.CancelMessage()
			return []string{describe(f), msg, fmt.Sprint(ok)}
		},
		want:   []string{"error: cancelled: why", "why", "true"},
		done:   true,
		cancel: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := looptest.New()
			defer l.Close()
			f := future.New[int](l)
			if diff := cmp.Diff(tt.want, tt.act(f)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if f.Done() != tt.done || f.Cancelled() != tt.cancel {
				t.Errorf("Done, Cancelled = %v, %v; want %v, %v", f.Done(), f.Cancelled(), tt.done, tt.cancel)
			}
			if f.Loop() != l {
				t.Error("Loop() is not the future's loop")
			}
		})
	}
}

func TestErrorsMatch(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	f := future.New[int](l)
	_, pendingErr := f.Result()
	f.Cancel("stop")
	_, cancelErr := f.Result()
	timeout := &future.TimeoutError{Cause: cancelErr}
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"cancellation is context.Canceled", cancelErr, context.Canceled, true},
		{"wrapped cancellation too", fmt.Errorf("op: %w", cancelErr), context.Canceled, true},
		{"cancellation is no timeout", cancelErr, context.DeadlineExceeded, false},
		{"timeout is context.DeadlineExceeded", timeout, context.DeadlineExceeded, true},
		{"timeout does not look cancelled", timeout, context.Canceled, false},
		{"invalid state", pendingErr, future.ErrInvalidState, true},
	}
	for _, tt := range tests {
		if got := errors.Is(tt.err, tt.target); got != tt.want {
			t.Errorf("%s: errors.Is = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !future.IsCancelled(fmt.Errorf("op: %w", cancelErr)) || future.IsCancelled(context.Canceled) {
		t.Error("IsCancelled must match a CancelledError, wrapped or not, and not a bare context.Canceled")
	}
	var ce *future.CancelledError
	if !errors.As(cancelErr, &ce) || !ce.HasMsg || ce.Msg != "stop" {
		t.Errorf("cancellation = %#v, want the message", cancelErr)
	}
	if got := future.NewCancelledError().Error(); got != "cancelled" {
		t.Errorf("NewCancelledError().Error() = %q", got)
	}
}

// Done-callbacks are queued, never called from SetResult; in registration
// order, behind what is queued already; a callback added to a done future
// is queued at once.
func TestDoneCallbacks(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	var got []string
	log := func(s string) func() { return func() { got = append(got, s) } }
	f := future.New[int](l)
	f.AddDoneCallback(log("cb A"))
	f.AddDoneCallback(log("cb B"))
	l.CallSoon(func() {
		l.CallSoon(log("soon before"))
		f.SetResult(1)
		got = append(got, "SetResult returned")
		l.CallSoon(log("soon after"))
		f.AddDoneCallback(log("cb C, added when done"))
		l.CallSoon(l.Stop)
	})
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	want := []string{"SetResult returned", "soon before", "cb A", "cb B", "soon after", "cb C, added when done"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestRemoveDoneCallback(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	var got []string
	log := func(s string) func() { return func() { got = append(got, s) } }
	f := future.New[int](l)
	a1 := f.AddDoneCallback(log("a"))
	b := f.AddDoneCallback(log("b"))
	a2 := f.AddDoneCallback(log("a"))
	if n := f.RemoveDoneCallback(a1, a2); n != 2 {
		t.Errorf("RemoveDoneCallback(a1, a2) = %d, want 2", n)
	}
	if n := f.RemoveDoneCallback(a1, 999); n != 0 {
		t.Errorf("removing again = %d, want 0", n)
	}
	f.AddDoneCallback(log("c"))
	f.SetResult(1)
	if n := f.RemoveDoneCallback(b); n != 0 {
		t.Errorf("RemoveDoneCallback after done = %d, want 0 (already scheduled)", n)
	}
	l.CallSoon(l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"b", "c"}, got); diff != "" {
		t.Errorf("callbacks run (-want +got):\n%s", diff)
	}
}

// Failed futures whose error nobody retrieved are reported when the loop
// closes, in the order they failed; any retrieval or a cancellation call
// keeps a future out of the report.
func TestNeverRetrievedAtClose(t *testing.T) {
	l := looptest.New()
	var got []string
	l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
		got = append(got, fmt.Sprintf("%s: %v (%s) keys %v", ctx.Message, ctx.Err, ctx.Future, ctx.Keys()))
	})
	fail := func(msg string) *future.Future[int] {
		f := future.New[int](l)
		f.SetException(errors.New(msg))
		return f
	}
	fail("second to fail, reported second")
	fail("read with Result").Result()
	fail("read with Err").Err()
	fail("cancel called after failing").Cancel()
	fail("third, reported third")
	cancelled := future.New[int](l)
	cancelled.Cancel()
	future.New[int](l).SetResult(1)
	if len(got) != 0 {
		t.Fatalf("reported before the loop closed: %v", got)
	}
	l.Close()
	want := []string{
		"Future exception was never retrieved: second to fail, reported second (<Future finished exception=second to fail, reported second>) keys [exception future message]",
		"Future exception was never retrieved: third, reported third (<Future finished exception=third, reported third>) keys [exception future message]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	l.Close()
	if len(got) != 2 {
		t.Errorf("a second Close reported again: %v", got[2:])
	}
}

func TestRunUntilComplete(t *testing.T) {
	t.Run("result, with the callbacks of the last iteration run", func(t *testing.T) {
		l := looptest.New()
		defer l.Close()
		var got []string
		f := future.New[string](l)
		l.CallSoon(func() {
			f.SetResult("ok")
			l.CallSoon(func() { got = append(got, "queued with the result") })
		})
		v, err := future.RunUntilComplete[string](l, f)
		if v != "ok" || err != nil {
			t.Errorf("RunUntilComplete = %q, %v", v, err)
		}
		// asyncio stops from f's done-callback; the callback queued before
		// it in the same iteration has run.
		if diff := cmp.Diff([]string{"queued with the result"}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if l.IsRunning() {
			t.Error("loop still running")
		}
	})
	t.Run("an error is returned and counts as retrieved", func(t *testing.T) {
		l := looptest.New()
		reported := 0
		l.SetExceptionHandler(func(*loop.Loop, loop.ExceptionContext) { reported++ })
		f := future.New[int](l)
		l.CallSoon(func() { f.SetException(errBoom) })
		if _, err := future.RunUntilComplete[int](l, f); err != errBoom {
			t.Errorf("err = %v, want errBoom", err)
		}
		l.Close()
		if reported != 0 {
			t.Errorf("%d never-retrieved reports, want 0", reported)
		}
	})
	t.Run("misuse", func(t *testing.T) {
		l, other := looptest.New(), looptest.New()
		defer other.Close()
		if _, err := future.RunUntilComplete[int](l, future.New[int](other)); !errors.Is(err, future.ErrOtherLoop) {
			t.Errorf("another loop's future: %v, want ErrOtherLoop", err)
		}
		var nested error
		l.CallSoon(func() {
			nested = func() error { _, err := future.RunUntilComplete[int](l, future.New[int](l)); return err }()
			l.Stop()
		})
		if _, err := future.RunUntilComplete[int](l, future.New[int](l)); !errors.Is(err, future.ErrStoppedEarly) {
			t.Errorf("stopped by a callback: %v, want ErrStoppedEarly", err)
		}
		if !errors.Is(nested, loop.ErrRunning) {
			t.Errorf("from a callback: %v, want loop.ErrRunning", nested)
		}
		f := future.New[int](l)
		l.Close()
		if _, err := future.RunUntilComplete[int](l, f); !errors.Is(err, loop.ErrClosed) {
			t.Errorf("closed loop: %v, want loop.ErrClosed", err)
		}
	})
}

func TestString(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	p, r, e, c := future.New[int](l), future.New[int](l), future.New[int](l), future.New[int](l)
	r.SetResult(3)
	e.SetException(errBoom)
	e.Err()
	c.Cancel()
	got := []string{p.String(), r.String(), e.String(), c.String()}
	want := []string{"<Future pending>", "<Future finished result=3>",
		"<Future finished exception=boom>", "<Future cancelled>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
