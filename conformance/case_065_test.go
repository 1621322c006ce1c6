package conformance

import (
	"context"
	"fmt"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("065_executor_exceptions", case065) }

// requestIDKey is the context key standing for the request_id contextvar.
type requestIDKey struct{}

// case065: Go has no implicit contextvars. Python's to_thread copies the
// caller's context into the worker; the Go caller hands its context on
// explicitly with executor.WithContext, and the work reads the value from
// the ctx it receives. run_in_executor, which copies nothing, is called
// without it.
func case065(p *P) {
	explode := func(tag string) func(context.Context) (any, error) {
		return func(context.Context) (any, error) {
			return nil, Exc("ValueError", "worker failed: "+tag)
		}
	}
	requestID := func(ctx context.Context) string {
		if v, ok := ctx.Value(requestIDKey{}).(string); ok {
			return v
		}
		return "unset"
	}
	describe := func(a, b, sep string) func(context.Context) (string, error) {
		return func(ctx context.Context) (string, error) {
			return fmt.Sprintf("%s%s%s (request_id=%s)", a, sep, b, requestID(ctx)), nil
		}
	}
	readVar := func(ctx context.Context) (any, error) { return requestID(ctx), nil }

	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		f, err := executor.RunInExecutor(l, nil, explode("executor"))
		if err != nil {
			return nil, err
		}
		if _, err := task.Await(c, f); err != nil {
			p.Print("run_in_executor raised", Repr(err))
		}
		if _, err := executor.ToThread(c, explode("to_thread")); err != nil {
			p.Print("to_thread raised", Repr(err))
		}

		ctx := context.WithValue(context.Background(), requestIDKey{}, "req-42") // request_id.set
		s, err := executor.ToThread(c, describe("x", "y", "-"), executor.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		p.Print("to_thread with args/kwargs:", s)
		v, err := executor.ToThread(c, readVar, executor.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		p.Print("contextvar seen by to_thread:", v)
		f, err = executor.RunInExecutor(l, nil, readVar)
		if err != nil {
			return nil, err
		}
		v, err = task.Await(c, f)
		if err != nil {
			return nil, err
		}
		p.Print("contextvar seen by run_in_executor:", v)

		// gather wraps the two to_thread coroutines in tasks; the
		// run_in_executor future is gathered as it is.
		toThread := func(fn func(context.Context) (any, error)) *task.Task[any] {
			return task.Spawn(l, func(c *task.Coro) (any, error) {
				return executor.ToThread(c, fn, executor.WithContext(ctx))
			})
		}
		a, b := toThread(readVar), toThread(explode("in gather"))
		pow, err := executor.RunInExecutor(l, nil, func(context.Context) (any, error) { return 1 << 10, nil })
		if err != nil {
			return nil, err
		}
		results, err := task.Await(c, gather.AllSettled(l, []future.Typed[any]{a, b, pow}...))
		if err != nil {
			return nil, err
		}
		reprs := make([]string, len(results))
		for i, r := range results {
			if r.Err != nil {
				reprs[i] = Repr(r.Err)
			} else {
				reprs[i] = Repr(r.Value)
			}
		}
		p.Print("gather:", reprs)
		return nil, nil
	})
}
