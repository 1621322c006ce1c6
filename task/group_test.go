package task_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// sleeper is the Python twins' sleeper: a child that logs its start, sleeps
// d, then returns result, or fails with fail; cancelled, it logs the
// cancellation and returns it, or fails with onCancel instead.
func sleeper(r *combRec, name string, d time.Duration, result int, fail, onCancel string) func(*task.Coro) (int, error) {
	return func(c *task.Coro) (int, error) {
		r.log("%s: start", name)
		if err := c.Sleep(d); err != nil {
			r.log("%s: %s", name, fmtErr(err))
			if onCancel != "" {
				return 0, valueError(onCancel)
			}
			return 0, err
		}
		if fail != "" {
			r.log("%s: fails", name)
			return 0, valueError(fail)
		}
		r.log("%s: end", name)
		return result, nil
	}
}

// lastWord is what the Python twins print of a RuntimeError from
// create_task: the text after " is ".
func lastWord(err error) string {
	parts := strings.Split(err.Error(), " is ")
	return parts[len(parts)-1]
}

func TestGroup(t *testing.T) {
	runCombTable(t, []combCase{{
		name: "waits_for_all",
		main: func(c *task.Coro, r *combRec) error {
			err := task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "a", 30*ms, 0, "", ""))
				task.SpawnIn(g, func(c *task.Coro) (any, error) {
					if err := c.Sleep(20 * ms); err != nil {
						return nil, err
					}
					_, err := task.SpawnIn(g, sleeper(r, "late", 50*ms, 0, "", ""))
					r.log("spawner: spawned late")
					return nil, err
				})
				r.log("body: done")
				return nil
			})
			r.log("main: group done")
			return err
		},
		want: []string{
			"0ms body: done",
			"0ms a: start",
			"20ms spawner: spawned late",
			"20ms late: start",
			"30ms a: end",
			"70ms late: end",
			"70ms main: group done",
		},
	}, {
		name: "empty",
		main: func(c *task.Coro, r *combRec) error {
			c.Loop().CallSoon(func() { r.log("call_soon ran") })
			err := task.Group(c, func(*task.TaskGroup) error { return nil })
			r.log("main: empty group left without suspending")
			c.Yield()
			return err
		},
		want: []string{
			"0ms main: empty group left without suspending",
			"0ms call_soon ran",
		},
	}, {
		name: "first_failure",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			err := task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "f", 10*ms, 0, "first", ""))
				task.SpawnIn(g, sleeper(r, "s", time.Second, 0, "", ""))
				task.SpawnIn(g, sleeper(r, "bad", time.Second, 0, "", "cleanup"))
				err := c.Sleep(time.Second)
				r.log("body: %s cancelling=%d", fmtErr(err), me.Cancelling())
				return err
			})
			r.log("main: %s cancelling=%d", fmtErr(err), me.Cancelling())
			return nil
		},
		want: []string{
			"0ms f: start",
			"0ms s: start",
			"0ms bad: start",
			"10ms f: fails",
			"10ms s: Cancelled",
			"10ms bad: Cancelled",
			"10ms body: Cancelled cancelling=1",
			"10ms main: Group[ValueError(first), ValueError(cleanup)] cancelling=0",
		},
	}, {
		name: "body_error",
		main: func(c *task.Coro, r *combRec) error {
			return task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "s", time.Second, 0, "", ""))
				if err := c.Sleep(10 * ms); err != nil {
					return err
				}
				return valueError("body")
			})
		},
		want: []string{
			"0ms s: start",
			"10ms s: Cancelled",
			"10ms main: Group[ValueError(body)]",
		},
	}, {
		// A panic in the body is an error like any other: the children
		// are cancelled and waited for.
		name: "body_panics",
		main: func(c *task.Coro, r *combRec) error {
			return task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "s", time.Second, 0, "", ""))
				if err := c.Sleep(10 * ms); err != nil {
					return err
				}
				panic("body")
			})
		},
		want: []string{
			"0ms s: start",
			"10ms s: Cancelled",
			"10ms main: Group[Panic(body)]",
		},
	}, {
		name: "external_cancel_in_body",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			c.Loop().CallLater(10*ms, func() { me.Cancel("ext") })
			err := task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "s", time.Second, 0, "", ""))
				return c.Sleep(time.Second)
			})
			r.log("main: %s cancelling=%d", fmtErr(err), me.Cancelling())
			me.Uncancel()
			return nil
		},
		want: []string{
			"0ms s: start",
			"10ms s: Cancelled",
			"10ms main: Cancelled(ext) cancelling=1",
		},
	}, {
		// CPython cancels the children in set order (t before s in its
		// run); goasyncio in creation order.
		name: "external_cancel_in_exit",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			c.Loop().CallLater(10*ms, func() { me.Cancel("ext") })
			err := task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "s", time.Second, 0, "", ""))
				task.SpawnIn(g, sleeper(r, "t", time.Second, 0, "", ""))
				r.log("body: done")
				return nil
			})
			r.log("main: %s cancelling=%d", fmtErr(err), me.Cancelling())
			me.Uncancel()
			return nil
		},
		want: []string{
			"0ms body: done",
			"0ms s: start",
			"0ms t: start",
			"10ms s: Cancelled",
			"10ms t: Cancelled",
			"10ms main: Cancelled(ext) cancelling=1",
		},
	}, {
		// The children's errors win over the parent's cancellation.
		name: "external_cancel_and_failure",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			c.Loop().CallLater(10*ms, func() { me.Cancel("ext") })
			err := task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "bad", time.Second, 0, "", "cleanup"))
				r.log("body: done")
				return nil
			})
			r.log("main: %s cancelling=%d", fmtErr(err), me.Cancelling())
			me.Uncancel()
			return nil
		},
		want: []string{
			"0ms body: done",
			"0ms bad: start",
			"10ms bad: Cancelled",
			"10ms main: Group[ValueError(cleanup)] cancelling=1",
		},
	}, {
		name: "spawn_while_aborting",
		main: func(c *task.Coro, r *combRec) error {
			var tg *task.TaskGroup
			err := task.Group(c, func(g *task.TaskGroup) error {
				tg = g
				task.SpawnIn(g, func(c *task.Coro) (int, error) {
					err := c.Sleep(time.Second)
					if _, serr := task.SpawnIn(g, sleeper(r, "x", 0, 0, "", "")); serr != nil {
						r.log("stubborn: %s", lastWord(serr))
					}
					return 0, err
				})
				task.SpawnIn(g, sleeper(r, "f", 10*ms, 0, "f", ""))
				return nil
			})
			r.log("main: %s", fmtErr(err))
			if _, err := task.SpawnIn(tg, sleeper(r, "y", 0, 0, "", "")); err != nil {
				r.log("main: %s", lastWord(err))
			}
			return nil
		},
		want: []string{
			"0ms f: start",
			"10ms f: fails",
			"10ms stubborn: shutting down",
			"10ms main: Group[ValueError(f)]",
			"10ms main: finished",
		},
	}, {
		name: "body_swallows_group_cancel",
		main: func(c *task.Coro, r *combRec) error {
			me := c.Task()
			err := task.Group(c, func(g *task.TaskGroup) error {
				task.SpawnIn(g, sleeper(r, "f", 10*ms, 0, "f", ""))
				if err := c.Sleep(time.Second); err != nil {
					r.log("body: swallowed")
				}
				if err := c.Sleep(10 * ms); err != nil {
					return err
				}
				r.log("body: still running")
				return nil
			})
			r.log("main: %s cancelling=%d", fmtErr(err), me.Cancelling())
			return nil
		},
		want: []string{
			"0ms f: start",
			"10ms f: fails",
			"10ms body: swallowed",
			"20ms body: still running",
			"20ms main: Group[ValueError(f)] cancelling=0",
		},
	}, {
		// As in asyncio, a named child still advances the Task-N counter
		// (CPython's counter is per process: Task-44 in its run).
		name: "task_names",
		main: func(c *task.Coro, r *combRec) error {
			var a, b *task.Task[int]
			err := task.Group(c, func(g *task.TaskGroup) error {
				a, _ = task.SpawnIn(g, sleeper(r, "a", 0, 0, "", ""), task.WithName("named"))
				b, _ = task.SpawnIn(g, sleeper(r, "b", 0, 0, "", ""))
				return nil
			})
			r.log("main: %s %s", a.Name(), b.Name())
			return err
		},
		want: []string{
			"0ms a: start",
			"0ms b: start",
			"0ms a: end",
			"0ms b: end",
			"0ms main: named Task-3",
		},
	}, {
		name: "nested",
		main: func(c *task.Coro, r *combRec) error {
			return task.Group(c, func(outer *task.TaskGroup) error {
				task.SpawnIn(outer, sleeper(r, "o", time.Second, 0, "", ""))
				return task.Group(c, func(inner *task.TaskGroup) error {
					task.SpawnIn(inner, sleeper(r, "i", 10*ms, 0, "inner", ""))
					task.SpawnIn(inner, sleeper(r, "j", time.Second, 0, "", ""))
					return nil
				})
			})
		},
		want: []string{
			"0ms o: start",
			"0ms i: start",
			"0ms j: start",
			"10ms i: fails",
			"10ms j: Cancelled",
			"10ms o: Cancelled",
			"10ms main: Group[Group[ValueError(inner)]]",
		},
	}, {
		name: "results",
		main: func(c *task.Coro, r *combRec) error {
			var ts []*task.Task[int]
			err := task.Group(c, func(g *task.TaskGroup) error {
				for i := range 3 {
					t, err := task.SpawnIn(g, sleeper(r, "c"+string(rune('0'+i)), time.Duration(3-i)*10*ms, i, "", ""))
					if err != nil {
						return err
					}
					ts = append(ts, t)
				}
				return nil
			})
			var vs []int
			for _, t := range ts {
				v, _ := t.Result()
				vs = append(vs, v)
			}
			r.log("main: %v", vs)
			return err
		},
		want: []string{
			"0ms c0: start",
			"0ms c1: start",
			"0ms c2: start",
			"10ms c2: end",
			"20ms c1: end",
			"30ms c0: end",
			"30ms main: [0 1 2]",
		},
	}})
}

// The group error answers errors.Is and errors.As for every sub-error, and
// never looks like a cancellation or a timeout.
func TestGroupErrorUnwrap(t *testing.T) {
	leakcheck.Check(t)
	errSentinel := errors.New("sentinel")
	_, err := task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		return nil, task.Group(c, func(g *task.TaskGroup) error {
			task.SpawnIn(g, func(c *task.Coro) (any, error) { return nil, valueError("v") })
			task.SpawnIn(g, func(c *task.Coro) (any, error) {
				c.Sleep(time.Second)
				return nil, errSentinel // fails while being cancelled
			})
			return nil
		})
	})
	var ge *task.GroupError
	if !errors.As(err, &ge) || len(ge.Errs) != 2 {
		t.Fatalf("err = %v, want a GroupError of 2", err)
	}
	var ve valueError
	if !errors.Is(err, errSentinel) || !errors.As(err, &ve) || ve != "v" {
		t.Errorf("errors.Is/As do not see the sub-errors of %v", err)
	}
	if future.IsCancelled(err) {
		t.Errorf("%v looks cancelled", err)
	}
	const want = "task: unhandled errors in a TaskGroup (2 sub-errors): v; sentinel"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestGroupMisuse(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var errs []error
	task.RunOn(l, func(c *task.Coro) (any, error) {
		other := task.Spawn(l, func(*task.Coro) (any, error) {
			errs = append(errs, task.Group(c, func(*task.TaskGroup) error {
				t.Error("body ran under another task's Coro")
				return nil
			}))
			return nil, nil
		})
		return nil, c.Await(other)
	})
	if len(errs) != 1 || !errors.Is(errs[0], task.ErrNotInTask) {
		t.Errorf("errs = %v, want [ErrNotInTask]", errs)
	}
}

// A loop closed while a group waits unwinds the parent and its children
// without leaving goroutines.
func TestGroupAbandonedOnClose(t *testing.T) {
	leakcheck.Check(t)
	l := looptest.New()
	var returned bool
	task.Spawn(l, func(c *task.Coro) (any, error) {
		err := task.Group(c, func(g *task.TaskGroup) error {
			task.SpawnIn(g, func(c *task.Coro) (any, error) { return nil, c.Sleep(time.Hour) })
			return nil
		})
		returned = true
		return nil, err
	})
	l.CallLater(time.Second, l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if returned {
		t.Error("Group returned after its loop closed; want the body unwound")
	}
}
