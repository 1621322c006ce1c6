package task

import (
	"context"
	"fmt"
	"runtime/trace"
	"strings"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// Tracing. step calls tracedResume instead of resume when the loop has a
// loop.Recorder or Go's execution tracer is on; otherwise tracing costs
// step one nil check and one atomic load, and allocates nothing.
//
// With the execution tracer on (go test -trace, runtime/trace.Start), each
// task is a runtime/trace task, each step a region named "step" in it, and
// each await a log entry, so `go tool trace` shows which task the loop ran
// when.

// tracing reports whether step must take the traced path.
func tracing(r *loop.Recorder) bool { return r != nil || trace.IsEnabled() }

// tracedResume is resume wrapped in the events of one step.
func (c *core) tracedResume(r *loop.Recorder, exc error) bool {
	kind := loop.TaskResume
	detail := ""
	switch {
	case c.numCancels > 0 && future.IsCancelled(exc):
		// The task's own cancellation, not the cancelled outcome of
		// something it awaited (that is a resume with an error).
		kind = loop.CancelDelivered
	case !c.started:
		kind = loop.TaskStart
	case exc != nil:
		detail = "error: " + exc.Error()
	}
	if r != nil {
		r.Record(c.l, kind, c.Name(), detail)
	}

	var region *trace.Region
	if trace.IsEnabled() {
		ctx := c.traceContext()
		region = trace.StartRegion(ctx, "step")
	}
	finished := c.resume(exc)
	if region != nil {
		region.End()
	}

	if finished {
		detail = c.doneDetail()
		if r != nil {
			r.Record(c.l, loop.TaskDone, c.Name(), detail)
		}
		c.endTraceTask(detail)
		return true
	}
	if (r != nil && r.Wants(loop.TaskAwait)) || trace.IsEnabled() {
		detail = describeAwait(r, c.futWaiter)
		if r != nil {
			r.Record(c.l, loop.TaskAwait, c.Name(), detail)
		}
		if trace.IsEnabled() {
			trace.Log(c.traceContext(), "await", detail)
		}
	}
	return false
}

// doneDetail describes the outcome finish is about to give the task.
func (c *core) doneDetail() string {
	switch err := c.exc; {
	case err == nil && c.mustCancel, future.IsCancelled(err):
		return "cancelled"
	case err == nil:
		return "ok"
	default:
		return "error: " + err.Error()
	}
}

// describeAwait names what a suspended body waits for.
func describeAwait(r *loop.Recorder, aw future.Awaitable) string {
	if aw == nil {
		return "yield"
	}
	if r != nil {
		if s, ok := r.LabelOf(aw); ok {
			return s
		}
	}
	if t, ok := aw.(Any); ok {
		return "task " + t.Name()
	}
	if s, ok := aw.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", aw)
}

// traceCancel records a cancellation request.
func (c *core) traceCancel(msg []string) {
	detail := ""
	if len(msg) > 0 {
		detail = msg[0]
	}
	if r := c.l.Recorder(); r != nil {
		r.Record(c.l, loop.CancelRequested, c.Name(), detail)
	}
	if trace.IsEnabled() {
		trace.Log(c.traceContext(), "cancel", detail)
	}
}

// traceTasks holds the runtime/trace tasks of a loop's tasks, made at the
// first step taken while the execution tracer is on.
type traceTasks struct {
	tasks map[*core]*traceTask
}

type traceTask struct {
	ctx  context.Context
	task *trace.Task
}

var traceTasksKey = loop.NewKey[traceTasks]("task: runtime/trace tasks")

// traceContext returns the context of c's runtime/trace task, making the
// task on first use. Its type is the task's name with a default name's
// number dropped ("Task-12" is of type "Task"), so that `go tool trace`
// groups tasks by what they do.
func (c *core) traceContext() context.Context {
	rt := traceTasksKey.Get(c.l)
	if tt := rt.tasks[c]; tt != nil {
		return tt.ctx
	}
	if rt.tasks == nil {
		rt.tasks = map[*core]*traceTask{}
		c.l.AtClose(func() { // tasks abandoned by Close end too
			for _, tt := range rt.tasks {
				tt.task.End()
			}
			rt.tasks = nil
		})
	}
	typ := c.Name()
	if rest, ok := strings.CutPrefix(typ, "Task-"); ok && strings.Trim(rest, "0123456789") == "" {
		typ = "Task"
	}
	ctx, t := trace.NewTask(context.Background(), typ)
	trace.Log(ctx, "name", c.Name())
	rt.tasks[c] = &traceTask{ctx: ctx, task: t}
	return ctx
}

// endTraceTask ends c's runtime/trace task, if it has one.
func (c *core) endTraceTask(detail string) {
	rt := traceTasksKey.Lookup(c.l)
	if rt == nil || rt.tasks[c] == nil {
		return
	}
	tt := rt.tasks[c]
	trace.Log(tt.ctx, "done", detail)
	tt.task.End()
	delete(rt.tasks, c)
}
