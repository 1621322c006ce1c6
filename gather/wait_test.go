package gather_test

import (
	"errors"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// names lists the tasks' names in slice order (Wait keeps argument order).
func names[A task.Any](ts []A) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Name())
	}
	return out
}

// Every expected trace here was checked against CPython 3.11 running the
// same program written with asyncio.wait (testdata/python/wait.py), with
// sets printed sorted.
func TestWait(t *testing.T) {
	spawn := func(c *task.Coro, r *trace, name string, ms int, err error) *task.Task[int] {
		return task.Spawn(c.Loop(), child(r, name, ms, ms, err), task.WithName(name))
	}
	runCases(t, []traceCase{{
		name: "FirstCompleted returns everything done when the task resumes",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 5)
			f1, f2, f3 := future.New[int](l), future.New[int](l), future.New[int](l)
			l.CallSoon(func() { f2.SetResult(2); r.add("set f2") })
			l.CallSoon(func() { f3.SetResult(3); r.add("set f3") })
			done, pending, err := gather.Wait(c, []*future.Future[int]{f1, f2, f3}, gather.FirstCompleted)
			r.add("done %v pending %v err %v", done, pending, describe(err))
			return nil
		},
		want: []string{
			"tick 0", "set f2", "set f3", "tick 1", "tick 2",
			"done [<Future finished result=2> <Future finished result=3>] pending [<Future pending>] err nil",
			"tick 3", "tick 4",
		},
	}, {
		name: "FirstException returns at the first error; a cancellation is not one",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 20, nil)
			bad := spawn(c, r, "bad", 30, errBoom)
			d := spawn(c, r, "d", 50, nil)
			l := c.Loop()
			l.CallLater(msDur(15), func() { b.Cancel() })
			done, pending, err := gather.Wait(c, []*task.Task[int]{a, b, bad, d}, gather.FirstException)
			r.add("done %v pending %v err %v", names(done), names(pending), describe(err))
			r.add("bad's error retrieved by Wait: %v", describe(bad.Err()))
			return nil
		},
		want: []string{
			"a: returns 10", "b: CancelledError()", "bad: fails",
			"done [a b bad] pending [d] err nil",
			"bad's error retrieved by Wait: boom",
			"d: CancelledError()", // RunOn cancels what is left
		},
	}, {
		name: "FirstException without errors waits for all",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 20, nil)
			done, pending, err := gather.Wait(c, []*task.Task[int]{b, a}, gather.FirstException)
			r.add("done %v pending %v err %v", names(done), names(pending), describe(err))
			return nil
		},
		want: []string{"a: returns 10", "b: returns 20", "done [b a] pending [] err nil"},
	}, {
		name: "AllCompleted with a timeout: pending ones are not cancelled and run on",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 50, nil)
			cc := spawn(c, r, "c", 40, errBoom)
			done, pending, err := gather.Wait(c, []*task.Task[int]{a, b, cc}, gather.AllCompleted, gather.WithTimeout(msDur(30)))
			r.add("done %v pending %v err %v", names(done), names(pending), describe(err))
			r.add("cancelled: %v %v", b.Cancelled(), cc.Cancelled())
			done, pending, err = gather.Wait(c, pending, gather.AllCompleted)
			r.add("done %v pending %v err %v", names(done), names(pending), describe(err))
			return nil
		},
		want: []string{
			"a: returns 10",
			"done [a] pending [b c] err nil",
			"cancelled: false false",
			"c: fails", "b: returns 50",
			"done [b c] pending [] err nil",
			// Wait does not read the errors (only FirstException does).
			"handler: Task exception was never retrieved: boom",
		},
	}, {
		name: "FirstCompleted with a timeout that expires first",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 50, nil)
			done, pending, err := gather.Wait(c, []*task.Task[int]{a}, gather.FirstCompleted, gather.WithTimeout(msDur(10)))
			r.add("done %v pending %v err %v", names(done), names(pending), describe(err))
			_, err = task.Await(c, a)
			r.add("a: %v", describe(err))
			return nil
		},
		want: []string{"done [] pending [a] err nil", "a: returns 50", "a: nil"},
	}, {
		name: "a zero timeout on done futures: the completions run before the timer",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 4)
			f1, f2 := future.New[int](l), future.New[int](l)
			f1.SetResult(1)
			f2.SetResult(2)
			done, pending, err := gather.Wait(c, []*future.Future[int]{f1, f2}, gather.AllCompleted, gather.WithTimeout(0))
			r.add("done %d pending %d err %v", len(done), len(pending), describe(err))
			return nil
		},
		want: []string{"tick 0", "tick 1", "done 2 pending 0 err nil", "tick 2", "tick 3"},
	}, {
		name: "a zero timeout on pending futures returns them pending",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 3)
			f1 := future.New[int](l)
			done, pending, err := gather.Wait(c, []*future.Future[int]{f1}, gather.AllCompleted, gather.WithTimeout(0))
			r.add("done %d pending %d err %v", len(done), len(pending), describe(err))
			return nil
		},
		want: []string{"tick 0", "tick 1", "done 0 pending 1 err nil", "tick 2"},
	}, {
		name: "duplicates appear once",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 20, nil)
			done, pending, err := gather.Wait(c, []*task.Task[int]{a, b, a}, gather.AllCompleted)
			r.add("done %v pending %v err %v", names(done), names(pending), describe(err))
			return nil
		},
		want: []string{"a: returns 10", "b: returns 20", "done [a b] pending [] err nil"},
	}, {
		name: "mixed result types through future.Awaitable",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			a := spawn(c, r, "a", 10, nil)
			fs := future.New[string](l)
			l.CallLater(msDur(20), func() { fs.SetResult("s") })
			done, pending, err := gather.Wait(c, []future.Awaitable{fs, a}, gather.FirstCompleted)
			r.add("done %d (a: %v) pending %d err %v", len(done), done[0] == future.Awaitable(a), len(pending), describe(err))
			return nil
		},
		want: []string{"a: returns 10", "done 1 (a: true) pending 1 err nil"},
	}, {
		name: "the waiting task cancelled: Wait returns the cancellation, cancels nothing",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			f1 := future.New[int](l)
			waiter := task.Spawn(l, func(c *task.Coro) (int, error) {
				_, _, err := gather.Wait(c, []*future.Future[int]{f1}, gather.AllCompleted, gather.WithTimeout(msDur(100)))
				r.add("waiter: %v", describe(err))
				return 0, err
			})
			if err := c.Yield(); err != nil {
				return err
			}
			r.add("cancel: %v", waiter.Cancel("go"))
			_, err := task.Await(c, waiter)
			r.add("main: %v; f1 cancelled=%v", describe(err), f1.Cancelled())
			f1.SetResult(1)
			if err := c.Sleep(msDur(200)); err != nil { // past the timeout
				return err
			}
			r.add("end")
			return nil
		},
		want: []string{"cancel: true", "waiter: CancelledError(\"go\")", "main: CancelledError(\"go\"); f1 cancelled=false", "end"},
	}})
}

// Argument errors are returned before anything is waited for, as asyncio
// raises them before its first await.
func TestWaitArgumentErrors(t *testing.T) {
	got := run(t, func(c *task.Coro, r *trace) error {
		l := c.Loop()
		other := looptest.New()
		defer other.Close()
		ok := future.New[int](l)
		var nilFuture *future.Future[int]
		for _, tc := range []struct {
			name string
			aws  []*future.Future[int]
			when gather.ReturnWhen
			want error
		}{
			{"empty", nil, gather.AllCompleted, gather.ErrEmpty},
			{"bad ReturnWhen", []*future.Future[int]{ok}, gather.ReturnWhen(42), gather.ErrReturnWhen},
			{"negative ReturnWhen", []*future.Future[int]{ok}, gather.ReturnWhen(-1), gather.ErrReturnWhen},
			{"nil future", []*future.Future[int]{ok, nilFuture}, gather.AllCompleted, gather.ErrNil},
			{"other loop", []*future.Future[int]{ok, future.New[int](other)}, gather.AllCompleted, future.ErrOtherLoop},
		} {
			done, pending, err := gather.Wait(c, tc.aws, tc.when)
			r.add("%s: is want=%v done=%v pending=%v msg=%q", tc.name, errors.Is(err, tc.want), done, pending, err)
		}
		return nil
	})
	want := []string{
		`empty: is want=true done=[] pending=[] msg="gather: set of awaitables is empty"`,
		`bad ReturnWhen: is want=true done=[] pending=[] msg="gather: invalid ReturnWhen value: ReturnWhen(42)"`,
		`negative ReturnWhen: is want=true done=[] pending=[] msg="gather: invalid ReturnWhen value: ReturnWhen(-1)"`,
		`nil future: is want=true done=[] pending=[] msg="gather: nil awaitable (argument 1)"`,
		`other loop: is want=true done=[] pending=[] msg="future: attached to a different loop (gather: argument 1)"`,
	}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Wait, AsCompleted and Completed suspend the task whose Coro they get: a
// Coro of another task is refused with task.ErrNotInTask, and what they
// registered is removed again.
func TestWrongCoro(t *testing.T) {
	got := run(t, func(c *task.Coro, r *trace) error {
		l := c.Loop()
		var other *task.Coro
		sleeper := task.Spawn(l, func(c *task.Coro) (int, error) {
			other = c
			return 0, c.Sleep(msDur(50))
		})
		if err := c.Yield(); err != nil {
			return err
		}
		f := future.New[int](l)
		_, _, err := gather.Wait(other, []*future.Future[int]{f}, gather.AllCompleted, gather.WithTimeout(msDur(10)))
		r.add("Wait: %v", errors.Is(err, task.ErrNotInTask))
		for _, err := range gather.AsCompleted(other, []*future.Future[int]{f}, gather.WithTimeout(msDur(10))) {
			r.add("AsCompleted: %v", errors.Is(err, task.ErrNotInTask))
		}
		for _, err := range gather.Completed(other, []*future.Future[int]{f}) {
			r.add("Completed: %v", errors.Is(err, task.ErrNotInTask))
		}
		f.SetResult(1) // completing f afterwards disturbs nothing
		_, err = task.Await(c, sleeper)
		r.add("sleeper: %v", describe(err))
		return nil
	})
	want := []string{"Wait: true", "AsCompleted: true", "Completed: true", "sleeper: nil"}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReturnWhenString(t *testing.T) {
	for w, want := range map[gather.ReturnWhen]string{
		gather.AllCompleted:   "AllCompleted",
		gather.FirstCompleted: "FirstCompleted",
		gather.FirstException: "FirstException",
		gather.ReturnWhen(9):  "ReturnWhen(9)",
	} {
		if got := w.String(); got != want {
			t.Errorf("ReturnWhen(%d).String() = %q, want %q", int(w), got, want)
		}
	}
}
