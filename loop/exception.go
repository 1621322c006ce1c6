package loop

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"sort"
	"strings"
)

// An ExceptionContext describes an error that no caller can receive: a panic
// in a callback, an exception nobody retrieved from a future, a failure
// during shutdown. It is what asyncio passes to the exception handler as a
// dict; a field that is nil or empty is a key that is absent.
type ExceptionContext struct {
	Message string  // what happened (asyncio's "message")
	Err     error   // the error, if any ("exception")
	Handle  *Handle // the callback's handle, if it had one ("handle")
	Future  any     // the future involved, if any ("future")
	Task    any     // the task involved, if any ("task")
}

// Keys returns the asyncio names of the fields that are set, sorted, as
// sorted(context) would list them in Python.
func (c ExceptionContext) Keys() []string {
	keys := []string{"message"}
	if c.Err != nil {
		keys = append(keys, "exception")
	}
	if c.Handle != nil {
		keys = append(keys, "handle")
	}
	if c.Future != nil {
		keys = append(keys, "future")
	}
	if c.Task != nil {
		keys = append(keys, "task")
	}
	sort.Strings(keys)
	return keys
}

// An ExceptionHandler receives the errors that no caller can receive. It is
// called on the loop's goroutine.
type ExceptionHandler func(l *Loop, ctx ExceptionContext)

// SetExceptionHandler sets the handler that CallExceptionHandler uses; nil
// restores the default handler, which logs with log/slog.
// Must be called on the loop's goroutine (or before the loop runs).
func (l *Loop) SetExceptionHandler(h ExceptionHandler) { l.handler = h }

// ExceptionHandler returns the handler set with SetExceptionHandler, or nil
// if the default handler is in use.
func (l *Loop) ExceptionHandler() ExceptionHandler { return l.handler }

// CallExceptionHandler reports ctx to the loop's exception handler. A panic
// in the handler is logged by the default handler and does not propagate.
// Must be called on the loop's goroutine (or while it is not running).
func (l *Loop) CallExceptionHandler(ctx ExceptionContext) {
	if l.tracer != nil {
		l.tracer.traceException(l, ctx)
	}
	if l.handler == nil {
		l.DefaultExceptionHandler(ctx)
		return
	}
	defer func() {
		if r := recover(); r != nil {
			l.DefaultExceptionHandler(ExceptionContext{
				Message: "Unhandled error in exception handler",
				Err:     NewPanicError(r),
			})
		}
	}()
	l.handler(l, ctx)
}

// DefaultExceptionHandler logs ctx at error level with the loop's logger
// (slog.Default unless WithLogger was given), including the stack of a
// panic. Custom handlers may call it to keep the default report.
func (l *Loop) DefaultExceptionHandler(ctx ExceptionContext) {
	attrs := []any{}
	if ctx.Err != nil {
		attrs = append(attrs, slog.String("error", ctx.Err.Error()))
		var pe *PanicError
		if errors.As(ctx.Err, &pe) {
			attrs = append(attrs, slog.String("stack", string(pe.Stack)))
		}
	}
	if ctx.Future != nil {
		attrs = append(attrs, slog.String("future", fmt.Sprint(ctx.Future)))
	}
	if ctx.Task != nil {
		attrs = append(attrs, slog.String("task", fmt.Sprint(ctx.Task)))
	}
	l.logger.Error(ctx.Message, attrs...)
}

// FuncName returns the name of the function f as the Go runtime knows it,
// without its package path (e.g. "main.tick" or "worker.func1"), or "" if f
// is not a function. Error reports use it to name callbacks.
func FuncName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return ""
	}
	fn := runtime.FuncForPC(v.Pointer())
	if fn == nil {
		return ""
	}
	name := fn.Name()
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return name
}
