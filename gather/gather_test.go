package gather_test

import (
	"errors"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

var (
	errBoom  = errors.New("boom")
	errBoom2 = errors.New("boom2")
)

// The expected traces of TestAll, TestAllSettled and TestMixed's last case
// were checked against CPython 3.11 running the same programs written with
// asyncio.gather (testdata/python/gather.py).
func TestAll(t *testing.T) {
	runCases(t, []traceCase{{
		name: "results in argument order, delivered two iterations after the last child",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 5)
			f1, f2, f3 := future.New[int](l), future.New[int](l), future.New[int](l)
			g := gather.All(l, f1, f2, f3)
			l.CallSoon(func() { f3.SetResult(3); r.add("set f3") })
			l.CallSoon(func() { f1.SetResult(1); f2.SetResult(2); r.add("set f1 f2") })
			vs, err := task.Await(c, g)
			r.add("gathered %v %v", vs, describe(err))
			return nil
		},
		want: []string{"tick 0", "set f3", "set f1 f2", "tick 1", "tick 2", "gathered [1 2 3] nil", "tick 3", "tick 4"},
	}, {
		name: "first error propagates; the others run on and their errors are retrieved",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			g := gather.Spawn(l,
				child(r, "a", 10, 1, nil),
				child(r, "b", 5, 0, errBoom),
				child(r, "c", 20, 0, errBoom2),
			)
			_, err := task.Await(c, g)
			r.add("gather: %v", describe(err))
			r.add("cancel after the error: %v", g.Cancel())
			if err := c.Sleep(msDur(30)); err != nil {
				return err
			}
			r.add("end")
			return nil
		},
		want: []string{"b: fails", "gather: boom", "cancel after the error: false", "a: returns 1", "c: fails", "end"},
	}, {
		name: "a cancelled child fails the gathering, which is not itself cancelled",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			f1, f2 := future.New[int](l), future.New[int](l)
			g := gather.All(l, f1, f2)
			l.CallSoon(func() { f1.Cancel("x") })
			_, err := task.Await(c, g)
			r.add("gather: %v cancelled=%v done=%v", describe(err), g.Cancelled(), g.Done())
			r.add("f2 pending: %v", !f2.Done())
			return nil
		},
		want: []string{"gather: CancelledError(\"x\") cancelled=false done=true", "f2 pending: true"},
	}, {
		name: "a task child cancelled with a message: its own CancelledError propagates",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			t1 := task.Spawn(l, child(r, "t1", 10, 1, nil))
			t2 := task.Spawn(l, child(r, "t2", 20, 2, nil))
			g := gather.All(l, t1, t2)
			l.CallSoon(func() { t1.Cancel("stop t1") })
			_, err := task.Await(c, g)
			r.add("gather: %v", describe(err))
			_, err = task.Await(c, t2)
			r.add("t2: %v", describe(err))
			return nil
		},
		want: []string{"t1: CancelledError(\"stop t1\")", "gather: CancelledError(\"stop t1\")", "t2: returns 2", "t2: nil"},
	}, {
		name: "Cancel cancels the unfinished children with the message, in argument order",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			k1 := task.Spawn(l, child(r, "k1", 50, 1, nil))
			k2 := task.Spawn(l, child(r, "k2", 0, 2, nil))
			k3 := task.Spawn(l, child(r, "k3", 50, 3, nil))
			g := gather.All(l, k1, k2, k3)
			if err := c.Sleep(msDur(10)); err != nil {
				return err
			}
			r.add("cancel: %v", g.Cancel("enough"))
			_, err := task.Await(c, g)
			r.add("gather: %v cancelled=%v", describe(err), g.Cancelled())
			r.add("children cancelled: %v %v %v", k1.Cancelled(), k2.Cancelled(), k3.Cancelled())
			r.add("cancel again: %v", g.Cancel())
			return nil
		},
		want: []string{
			"k2: returns 2", "cancel: true",
			"k1: CancelledError(\"enough\")", "k3: CancelledError(\"enough\")",
			"gather: CancelledError(\"enough\") cancelled=false",
			"children cancelled: true false true", "cancel again: false",
		},
	}, {
		name: "cancelling the awaiting task cancels the gathering's children",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			parent := task.Spawn(l, func(c *task.Coro) ([]int, error) {
				vs, err := task.Await(c, gather.Spawn(l, child(r, "p1", 50, 1, nil), child(r, "p2", 50, 2, nil)))
				r.add("parent: %v", describe(err))
				return vs, err
			})
			if err := c.Sleep(msDur(10)); err != nil {
				return err
			}
			r.add("cancel parent: %v", parent.Cancel("bye"))
			_, err := task.Await(c, parent)
			r.add("main: %v parent cancelled=%v", describe(err), parent.Cancelled())
			return nil
		},
		want: []string{
			"cancel parent: true",
			"p1: CancelledError(\"bye\")", "p2: CancelledError(\"bye\")",
			"parent: CancelledError(\"bye\")",
			"main: CancelledError(\"bye\") parent cancelled=true",
		},
	}, {
		name: "no awaitables: done at once with an empty result",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 2)
			g := gather.All[int](l)
			r.add("done=%v cancel=%v", g.Done(), g.Cancel())
			vs, err := task.Await(c, g)
			r.add("gathered %v len=%d nil=%v %v", vs, len(vs), vs == nil, describe(err))
			return nil
		},
		want: []string{"done=true cancel=false", "gathered [] len=0 nil=false nil", "tick 0", "tick 1"},
	}, {
		name: "the same awaitable twice is waited for once and fills both slots",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ticks(l, r, 4)
			f, g2 := future.New[string](l), future.New[string](l)
			g := gather.All(l, f, g2, f)
			l.CallSoon(func() { f.SetResult("f"); g2.SetResult("g") })
			vs, err := task.Await(c, g)
			r.add("gathered %q %v", vs, describe(err))
			return nil
		},
		want: []string{"tick 0", "tick 1", "tick 2", `gathered ["f" "g" "f"] nil`, "tick 3"},
	}, {
		name: "a task given twice is cancelled twice",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			t1 := task.Spawn(l, func(c *task.Coro) (int, error) {
				err := c.Sleep(msDur(50))
				r.add("t1: %v cancelling=%d", describe(err), c.Task().Cancelling())
				return 0, err
			})
			g := gather.All(l, t1, t1)
			if err := c.Yield(); err != nil {
				return err
			}
			r.add("cancel: %v", g.Cancel())
			_, err := task.Await(c, g)
			r.add("gather: %v", describe(err))
			return nil
		},
		want: []string{"cancel: true", "t1: CancelledError() cancelling=2", "gather: CancelledError()"},
	}, {
		name: "Cancel once every child is done but before the gathering is: false",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			f := future.New[int](l)
			g := gather.All(l, f)
			f.SetResult(42)
			r.add("cancel: %v", g.Cancel())
			vs, err := task.Await(c, g)
			r.add("gathered %v %v", vs, describe(err))
			return nil
		},
		want: []string{"cancel: false", "gathered [42] nil"},
	}, {
		name: "a child that swallows the cancellation: the gathering still fails with CancelledError",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			stubborn := task.Spawn(l, func(c *task.Coro) (int, error) {
				err := c.Sleep(msDur(50))
				r.add("stubborn: swallowed %v", describe(err))
				return 7, nil
			})
			g := gather.All(l, stubborn)
			if err := c.Yield(); err != nil {
				return err
			}
			r.add("cancel: %v", g.Cancel("please"))
			vs, err := task.Await(c, g)
			r.add("gather: %v %v; stubborn cancelled=%v", vs, describe(err), stubborn.Cancelled())
			return nil
		},
		want: []string{
			"cancel: true",
			"stubborn: swallowed CancelledError(\"please\")",
			"gather: [] CancelledError(); stubborn cancelled=false",
		},
	}})
}

func TestAllSettled(t *testing.T) {
	runCases(t, []traceCase{{
		name: "each slot holds a value or an error; cancelled slots carry the future's message or ''",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			f1, f2, f3, f4 := future.New[int](l), future.New[int](l), future.New[int](l), future.New[int](l)
			t5 := task.Spawn(l, child(r, "t5", 50, 5, nil))
			g := gather.AllSettled(l, f1, f2, f3, f4, t5)
			l.CallSoon(func() {
				f1.SetResult(1)
				f2.SetException(errBoom)
				f3.Cancel("m")
				f4.Cancel()
				t5.Cancel("tm")
			})
			rs, err := task.Await(c, g)
			r.add("gather: %v", describe(err))
			for i, s := range rs {
				r.add("slot %d: %v %v", i, s.Value, describe(s.Err))
			}
			return nil
		},
		want: []string{
			"t5: CancelledError(\"tm\")",
			"gather: nil",
			"slot 0: 1 nil",
			"slot 1: 0 boom",
			"slot 2: 0 CancelledError(\"m\")",
			"slot 3: 0 CancelledError(\"\")",
			"slot 4: 0 CancelledError(\"\")",
		},
	}, {
		name: "waits for every child, errors included",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			rs, err := task.Await(c, gather.SpawnSettled(l,
				child(r, "a", 30, 1, nil),
				child(r, "b", 10, 0, errBoom),
				child(r, "c", 20, 3, nil),
			))
			r.add("gather: %v %v", rs, describe(err))
			return nil
		},
		want: []string{"b: fails", "c: returns 3", "a: returns 1", "gather: [{1 <nil>} {0 boom} {3 <nil>}] nil"},
	}, {
		name: "Cancel still fails it: the last child, finished, gives a plain CancelledError",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			g := gather.SpawnSettled(l, child(r, "slow", 50, 1, nil), child(r, "quick", 0, 2, nil))
			if err := c.Sleep(msDur(10)); err != nil {
				return err
			}
			r.add("cancel: %v", g.Cancel("m"))
			_, err := task.Await(c, g)
			r.add("gather: %v", describe(err))
			return nil
		},
		want: []string{"quick: returns 2", "cancel: true", "slow: CancelledError(\"m\")", "gather: CancelledError()"},
	}, {
		name: "Cancel still fails it: the last child, cancelled, gives its own CancelledError",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			g := gather.SpawnSettled(l, child(r, "quick", 0, 1, nil), child(r, "slow", 50, 2, nil))
			if err := c.Sleep(msDur(10)); err != nil {
				return err
			}
			r.add("cancel: %v", g.Cancel("m"))
			_, err := task.Await(c, g)
			r.add("gather: %v", describe(err))
			return nil
		},
		want: []string{"quick: returns 1", "cancel: true", "slow: CancelledError(\"m\")", "gather: CancelledError(\"m\")"},
	}, {
		name: "cancelling the awaiting task propagates through a settled gathering (bpo-32684)",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			parent := task.Spawn(l, func(c *task.Coro) ([]gather.Result[int], error) {
				rs, err := task.Await(c, gather.SpawnSettled(l, child(r, "p1", 50, 1, nil), child(r, "p2", 50, 2, nil)))
				r.add("parent: %v", describe(err))
				return rs, err
			})
			if err := c.Sleep(msDur(10)); err != nil {
				return err
			}
			r.add("cancel parent: %v", parent.Cancel("bye"))
			_, err := task.Await(c, parent)
			r.add("main: %v parent cancelled=%v", describe(err), parent.Cancelled())
			return nil
		},
		want: []string{
			"cancel parent: true",
			"p1: CancelledError(\"bye\")", "p2: CancelledError(\"bye\")",
			"parent: CancelledError(\"bye\")",
			"main: CancelledError(\"bye\") parent cancelled=true",
		},
	}})
}

func TestSliceForms(t *testing.T) {
	runCases(t, []traceCase{{
		name: "AllOf takes a []*task.Task[T]",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ts := []*task.Task[int]{
				task.Spawn(l, child(r, "a", 20, 1, nil)),
				task.Spawn(l, child(r, "b", 10, 2, nil)),
			}
			vs, err := task.Await(c, gather.AllOf(l, ts))
			r.add("gather: %v %v", vs, describe(err))
			return nil
		},
		want: []string{"b: returns 2", "a: returns 1", "gather: [1 2] nil"},
	}, {
		name: "AllSettledOf takes a []*future.Future[T]",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			fs := []*future.Future[int]{future.New[int](l), future.New[int](l)}
			fs[0].SetException(errBoom)
			fs[1].SetResult(2)
			rs, err := task.Await(c, gather.AllSettledOf(l, fs))
			r.add("gather: %v %v", rs, describe(err))
			return nil
		},
		want: []string{"gather: [{0 boom} {2 <nil>}] nil"},
	}})
}

func TestMixed(t *testing.T) {
	runCases(t, []traceCase{{
		name: "results of different types, in argument order",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ti := task.Spawn(l, child(r, "int", 10, 1, nil))
			fs := future.New[string](l)
			fp := future.New[[]byte](l)
			l.CallSoon(func() { fs.SetResult("s"); fp.SetResult([]byte("b")) })
			vs, err := task.Await(c, gather.Mixed(l, ti, fs, fp))
			r.add("gather: %#v %v", vs, describe(err))
			return nil
		},
		want: []string{"int: returns 1", `gather: []interface {}{1, "s", []uint8{0x62}} nil`},
	}, {
		name: "settled, with an error",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ti := task.Spawn(l, child(r, "bad", 10, 0, errBoom))
			fs := future.New[string](l)
			fs.SetResult("s")
			rs, err := task.Await(c, gather.MixedSettled(l, ti, fs))
			r.add("gather: %v %v", rs, describe(err))
			return nil
		},
		want: []string{"bad: fails", "gather: [{<nil> boom} {s <nil>}] nil"},
	}, {
		name: "the first error propagates",
		body: func(c *task.Coro, r *trace) error {
			l := c.Loop()
			ti := task.Spawn(l, child(r, "bad", 10, 0, errBoom))
			fs := future.New[string](l)
			_, err := task.Await(c, gather.Mixed(l, fs, ti))
			r.add("gather: %v; fs pending=%v", describe(err), !fs.Done())
			return nil
		},
		want: []string{"bad: fails", "gather: boom; fs pending=true"},
	}})
}

// Arguments that asyncio rejects with TypeError or ValueError fail the
// Gathering at once, without touching the other arguments.
func TestGatherArgumentErrors(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	other := looptest.New()
	defer l.Close()
	defer other.Close()
	ok := future.New[int](l)
	var nilTask *task.Task[int]
	cases := []struct {
		name string
		g    future.Awaitable
		want error
	}{
		{"nil interface", gather.All(l, ok, nil), gather.ErrNil},
		{"nil *task.Task", gather.All[int](l, ok, nilTask), gather.ErrNil},
		{"future of another loop", gather.All(l, ok, future.New[int](other)), future.ErrOtherLoop},
		{"nil in Mixed", gather.Mixed(l, nil), gather.ErrNil},
		{"nil body", gather.Spawn[int](l, nil), gather.ErrNil},
		{"nil body, settled", gather.SpawnSettled[int](l, func(*task.Coro) (int, error) { return 0, nil }, nil), gather.ErrNil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.g.Done() {
				t.Fatal("gathering is pending; want failed at once")
			}
			if err := tc.g.Err(); !errors.Is(err, tc.want) {
				t.Errorf("Err() = %v, want %v", err, tc.want)
			}
		})
	}
	if n := len(task.All(l)); n != 0 {
		t.Errorf("%d tasks spawned; a nil body must spawn none", n)
	}
}
