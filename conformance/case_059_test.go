package conformance

import (
	"errors"
	"slices"
	"time"

	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() {
	register("059_taskgroup_failure", case059)
	// Prepended: a GroupError must map to ExceptionGroup before the
	// generic mappings find one of its sub-errors through Unwrap.
	errTypes = append([]func(error) (string, Tuple, bool){
		func(err error) (string, Tuple, bool) {
			if ge, ok := err.(*task.GroupError); ok {
				return "ExceptionGroup", Tuple{"unhandled errors in a TaskGroup", ge.Errs}, true
			}
			return "", nil, false
		},
	}, errTypes...)
}

func case059(p *P) {
	const ms = time.Millisecond
	var cancelled []string
	fails := func(msg string, delay time.Duration) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			if err := c.Sleep(delay); err != nil {
				return nil, err
			}
			return nil, Exc("ValueError", msg)
		}
	}
	sleeper := func(name, cleanupError string) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			if err := c.Sleep(time.Second); err != nil {
				cancelled = append(cancelled, name)
				if cleanupError != "" {
					return nil, Exc("RuntimeError", cleanupError)
				}
				return nil, err
			}
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		err := task.Group(c, func(g *task.TaskGroup) error {
			task.SpawnIn(g, fails("first failure", 30*ms))
			task.SpawnIn(g, fails("would fail later", 500*ms))
			for _, n := range []string{"s1", "s2", "s3"} {
				task.SpawnIn(g, sleeper(n, ""))
			}
			task.SpawnIn(g, sleeper("s4", "error during cancel"))
			if err := c.Sleep(time.Second); err != nil {
				p.Print("body: cancelled by the group")
				return err
			}
			return nil
		})
		var ge *task.GroupError
		if errors.As(err, &ge) {
			_, args := ExcType(err)
			p.Print("caught", ExcName(err), Repr(args[0]))
			var subs []string
			for _, e := range ge.Errs {
				subs = append(subs, ExcName(e)+": "+Str(e))
			}
			slices.Sort(subs)
			p.Print("sub-exceptions:", subs)
		} else if err != nil {
			return nil, err
		}
		slices.Sort(cancelled)
		p.Print("cancelled children:", cancelled)
		p.Print("main cancelling() =", c.Task().Cancelling())
		return nil, nil
	})
}
