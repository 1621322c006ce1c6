package conformance

import (
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("009_exception_handler_callback", case009) }

// pyCallbackName normalises the Go name that the loop gives a callback to
// the Python function's name, as the Python handler normalises CPython's
// message by cutting the argument list and source location. The callback is
// a closure returned by bad; Go names it "conformance.bad.func1", or
// "conformance.case009.func2.bad.3" where bad was inlined: the innermost
// named function is the one to print.
func pyCallbackName(msg string) string {
	head, name, ok := strings.Cut(msg, "conformance.")
	if !ok {
		return msg
	}
	parts := strings.Split(name, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		if !closureSuffix.MatchString(parts[i]) {
			return head + parts[i]
		}
	}
	return msg
}

var closureSuffix = regexp.MustCompile(`^(func|gowrap)?[0-9]+$`)

// bad is the Python bad(tag) as a callback: call_soon(bad, tag).
func bad(p *P, tag string) func() {
	return func() {
		p.Printf("bad(%s) raising\n", tag)
		panic(Exc("ValueError", tag))
	}
}

// bad_done is the Python done-callback of the same name.
//
//lint:ignore ST1003 named after the Python function whose name the trace prints
func bad_done(p *P) func() {
	return func() {
		p.Print("bad_done raising")
		panic(Exc("RuntimeError", "in done callback"))
	}
}

func case009(p *P) {
	handler := func(l *loop.Loop, ctx loop.ExceptionContext) {
		msg := pyCallbackName(ctx.Message)
		exc := "None"
		if ctx.Err != nil {
			exc = ExcName(ctx.Err) + ExcArgs(ctx.Err)
		}
		p.Printf("handler: %s exc=%s keys=%s\n", Repr(msg), exc, Repr(ctx.Keys()))
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		l.SetExceptionHandler(handler)
		same := reflect.ValueOf(l.ExceptionHandler()).Pointer() == reflect.ValueOf(handler).Pointer()
		p.Print("handler installed:", same)
		l.CallSoon(bad(p, "soon"))
		l.CallSoon(func() { p.Print("next callback still runs") })
		l.CallLater(30*time.Millisecond, bad(p, "later"))
		fut := future.New[int](l)
		fut.AddDoneCallback(bad_done(p))
		fut.AddDoneCallback(func() { p.Print("second done callback runs") })
		fut.SetResult(1)
		if err := c.Sleep(60 * time.Millisecond); err != nil {
			return nil, err
		}
		l.CallExceptionHandler(loop.ExceptionContext{Message: "custom report"})
		p.Print("main done")
		return nil, nil
	})
}
