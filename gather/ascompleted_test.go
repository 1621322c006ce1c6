package gather_test

import (
	"errors"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// Every expected trace here was checked against CPython running the same
// program written with asyncio.as_completed: 3.11 for AsCompleted, 3.13's
// async-for form for Completed (testdata/python/as_completed*.py).
func TestAsCompleted(t *testing.T) {
	spawn := func(c *task.Coro, r *trace, name string, ms int, err error) *task.Task[string] {
		return task.Spawn(c.Loop(), child(r, name, ms, name, err), task.WithName(name))
	}
	runCases(t, []traceCase{{
		name: "completion order; each result two iterations after its future",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 7)
			f1, f2, f3 := future.New[int](l), future.New[int](l), future.New[int](l)
			l.CallSoon(func() { f3.SetResult(3); r.add("set f3") })
			l.CallSoon(func() { l.CallSoon(func() { f1.SetResult(1); f2.SetResult(2); r.add("set f1 f2") }) })
			for v, err := range gather.AsCompleted(c, []*future.Future[int]{f1, f2, f3}) {
				r.add("got %v %v", v, describe(err))
			}
			r.add("end")
			return nil
		},
		want: []string{
			"tick 0", "set f3", "tick 1", "set f1 f2",
			"tick 2", "got 3 nil", "tick 3", "got 1 nil", "got 2 nil", "end",
			"tick 4", "tick 5", "tick 6",
		},
	}, {
		name: "an error is yielded and iteration goes on",
		body: func(c *task.Coro, r *trace) error {
			ts := []*task.Task[string]{spawn(c, r, "d30", 30, nil), spawn(c, r, "a10", 10, nil), spawn(c, r, "bad20", 20, errBoom)}
			n := 0
			for v, err := range gather.AsCompleted(c, ts) {
				n++
				r.add("#%d %q %v", n, v, describe(err))
			}
			r.add("yielded %d", n)
			return nil
		},
		want: []string{
			"a10: returns a10", `#1 "a10" nil`,
			"bad20: fails", `#2 "" boom`,
			"d30: returns d30", `#3 "d30" nil`,
			"yielded 3",
		},
	}, {
		name: "timeout: the rest yield TimeoutError, their tasks run on; duplicates collapse",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 50, nil)
			cc := spawn(c, r, "c", 60, nil)
			n := 0
			for v, err := range gather.AsCompleted(c, []*task.Task[string]{a, b, cc, a, b}, gather.WithTimeout(msDur(20))) {
				n++
				r.add("#%d %q %v", n, v, describe(err))
			}
			r.add("yielded %d; cancelled %v %v", n, b.Cancelled(), cc.Cancelled())
			vb, _ := task.Await(c, b)
			vc, _ := task.Await(c, cc)
			r.add("still finish: %s %s", vb, vc)
			return nil
		},
		want: []string{
			"a: returns a", `#1 "a" nil`,
			`#2 "" TimeoutError`, `#3 "" TimeoutError`,
			"yielded 3; cancelled false false",
			"b: returns b", "c: returns c",
			"still finish: b c",
		},
	}, {
		name: "a timeout that never fires",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			for v, err := range gather.AsCompleted(c, []*task.Task[string]{a}, gather.WithTimeout(msDur(20))) {
				r.add("%q %v", v, describe(err))
			}
			if err := c.Sleep(msDur(50)); err != nil {
				return err
			}
			r.add("end")
			return nil
		},
		want: []string{"a: returns a", `"a" nil`, "end"},
	}, {
		name: "done futures come in argument order, one iteration apart from the start",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 4)
			f1, f2 := future.New[int](l), future.New[int](l)
			f2.SetResult(2)
			f1.SetResult(1)
			for v, err := range gather.AsCompleted(c, []*future.Future[int]{f1, f2}) {
				r.add("got %v %v", v, describe(err))
			}
			return nil
		},
		want: []string{"tick 0", "tick 1", "got 1 nil", "got 2 nil", "tick 2", "tick 3"},
	}, {
		name: "the consuming task cancelled: the cancellation is yielded and ends the loop",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 50, nil)
			consumer := task.Spawn(l, func(c *task.Coro) (int, error) {
				var last error
				for v, err := range gather.AsCompleted(c, []*task.Task[string]{a, b}) {
					r.add("consumer: %q %v", v, describe(err))
					if err != nil {
						last = err
						continue // a careless loop: the iterator stops anyway
					}
				}
				return 0, last
			})
			l.CallLater(msDur(20), func() { consumer.Cancel("stop") })
			_, err := task.Await(c, consumer)
			r.add("consumer: %v; b cancelled=%v", describe(err), b.Cancelled())
			_, err = task.Await(c, b)
			r.add("b: %v", describe(err))
			return nil
		},
		want: []string{
			"a: returns a", `consumer: "a" nil`,
			`consumer: "" CancelledError("stop")`,
			`consumer: CancelledError("stop"); b cancelled=false`,
			"b: returns b", "b: nil",
		},
	}, {
		name: "break stops listening; nothing is cancelled",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 30, nil)
			for v, err := range gather.AsCompleted(c, []*task.Task[string]{a, b}, gather.WithTimeout(msDur(20))) {
				r.add("got %q %v", v, describe(err))
				break
			}
			vb, err := task.Await(c, b)
			r.add("b: %s %v", vb, describe(err))
			return nil
		},
		want: []string{"a: returns a", `got "a" nil`, "b: returns b", "b: b nil"},
	}, {
		name: "no awaitables: no iterations",
		body: func(c *task.Coro, r *trace) error {
			for v, err := range gather.AsCompleted(c, []*task.Task[string]{}) {
				r.add("got %q %v", v, describe(err))
			}
			r.add("end")
			return nil
		},
		want: []string{"end"},
	}})
}

func TestCompleted(t *testing.T) {
	spawn := func(c *task.Coro, r *trace, name string, ms int, err error) *task.Task[string] {
		return task.Spawn(c.Loop(), child(r, name, ms, name, err), task.WithName(name))
	}
	runCases(t, []traceCase{{
		name: "yields the original tasks in completion order",
		body: func(c *task.Coro, r *trace) error {
			ts := []*task.Task[string]{spawn(c, r, "c30", 30, nil), spawn(c, r, "a10", 10, nil), spawn(c, r, "bad20", 20, errBoom)}
			for t, err := range gather.Completed(c, ts) {
				v, terr := t.Result()
				r.add("%s: %q %v (iter err %v)", t.Name(), v, describe(terr), describe(err))
			}
			r.add("end")
			return nil
		},
		want: []string{
			"a10: returns a10", `a10: "a10" nil (iter err nil)`,
			"bad20: fails", `bad20: "" boom (iter err nil)`,
			"c30: returns c30", `c30: "c30" nil (iter err nil)`,
			"end",
		},
	}, {
		name: "timeout ends the iteration with TimeoutError",
		body: func(c *task.Coro, r *trace) error {
			a := spawn(c, r, "a", 10, nil)
			b := spawn(c, r, "b", 50, nil)
			for t, err := range gather.Completed(c, []*task.Task[string]{b, a, b}, gather.WithTimeout(msDur(20))) {
				if err != nil {
					r.add("iter: %v (nil task: %v)", describe(err), t == nil)
					continue
				}
				r.add("iter: %s", t.Name())
			}
			r.add("b cancelled=%v", b.Cancelled())
			vb, _ := task.Await(c, b)
			r.add("b: %s", vb)
			return nil
		},
		want: []string{"a: returns a", "iter: a", "iter: TimeoutError (nil task: true)", "b cancelled=false", "b: returns b", "b: b"},
	}, {
		name: "mixed types",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			a := spawn(c, r, "a", 10, nil)
			fi := future.New[int](l)
			l.CallLater(msDur(5), func() { fi.SetResult(5) })
			for aw, err := range gather.Completed(c, []future.Awaitable{a, fi}) {
				switch x := aw.(type) {
				case *task.Task[string]:
					v, _ := x.Result()
					r.add("task %s %v", v, describe(err))
				case *future.Future[int]:
					v, _ := x.Result()
					r.add("future %d %v", v, describe(err))
				}
			}
			return nil
		},
		want: []string{"future 5 nil", "a: returns a", "task a nil"},
	}})
}

func TestAsCompletedArgumentErrors(t *testing.T) {
	got := run(t, func(c *task.Coro, r *trace) error {
		other := looptest.New()
		defer other.Close()
		ok := future.New[int](c.Loop())
		for v, err := range gather.AsCompleted(c, []*future.Future[int]{ok, nil}) {
			r.add("AsCompleted nil: %v %v", v, errors.Is(err, gather.ErrNil))
		}
		for v, err := range gather.AsCompleted(c, []*future.Future[int]{future.New[int](other)}) {
			r.add("AsCompleted other loop: %v %v", v, errors.Is(err, future.ErrOtherLoop))
		}
		for aw, err := range gather.Completed(c, []future.Awaitable{nil}) {
			r.add("Completed nil: %v %v", aw, errors.Is(err, gather.ErrNil))
		}
		return nil
	})
	want := []string{
		"AsCompleted nil: 0 true",
		"AsCompleted other loop: 0 true",
		"Completed nil: <nil> true",
	}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
