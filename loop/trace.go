package loop

import (
	"fmt"
	"reflect"
	"strings"
	"text/tabwriter"
	"time"
)

// An EventKind is a kind of event a Recorder records. Kinds are bits: a set
// of kinds is their bitwise OR, as NewRecorder takes it.
type EventKind uint16

// The events a Recorder can record. Task events are recorded by package
// task; the loop records the others.
const (
	// TaskStart: a task's body runs for the first time.
	TaskStart EventKind = 1 << iota
	// TaskAwait: the body suspends; Detail says on what ("sleep 1s",
	// "task worker", "yield", or the awaitable as it prints).
	TaskAwait
	// TaskResume: the body resumes after an await.
	TaskResume
	// TaskDone: the task completes; Detail is "ok", "cancelled" or
	// "error: <message>".
	TaskDone
	// CancelRequested: Task.Cancel was called on a pending task; Detail is
	// the message, if any.
	CancelRequested
	// CancelDelivered: the body receives a CancelledError at its await (or,
	// for a task cancelled before it started, never runs).
	CancelDelivered
	// CallbackRun: a callback that has a Handle runs (CallSoon, and the
	// callbacks of file descriptors and signals). Callbacks queued without
	// one (Enqueue: task steps, future done-callbacks; CallSoonThreadsafe)
	// are not recorded: the task events above describe their effect.
	CallbackRun
	// TimerFired: a timer's callback (CallLater, CallAt) runs.
	TimerFired
	// ExceptionHandlerCalled: CallExceptionHandler was called; Detail is
	// the context's message.
	ExceptionHandlerCalled

	// TaskEvents is the set of task events: what most ordering tests
	// compare, as it names no Go functions.
	TaskEvents = TaskStart | TaskAwait | TaskResume | TaskDone | CancelRequested | CancelDelivered
	// AllEvents is every kind.
	AllEvents = TaskEvents | CallbackRun | TimerFired | ExceptionHandlerCalled
)

var eventKindNames = [...]string{
	"start", "await", "resume", "done", "cancel-requested", "cancel-delivered",
	"callback", "timer", "exception-handler",
}

// String returns the name of a single kind as event lines print it, such as
// "await" or "cancel-delivered"; a set of kinds prints as names joined by "|".
func (k EventKind) String() string {
	var names []string
	for i, name := range eventKindNames {
		if k&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("EventKind(%#x)", uint16(k))
	}
	return strings.Join(names, "|")
}

// An Event is one recorded loop event.
type Event struct {
	Seq    int           // 1, 2, ... in the order recorded
	Time   time.Duration // loop time since the loop was made
	Task   string        // the task's name; "" for an event outside tasks
	Kind   EventKind
	Detail string
}

// String formats e as one line of a golden trace: time, task ("-" outside
// tasks), kind and detail, separated by single spaces, for example
// "1s worker await sleep 1s". The sequence number is left out, so that a
// golden list needs no renumbering when an event is added.
func (e Event) String() string {
	task := e.Task
	if task == "" {
		task = "-"
	}
	s := e.Time.String() + " " + task + " " + e.Kind.String()
	if e.Detail != "" {
		s += " " + e.Detail
	}
	return s
}

// A Recorder records loop events, in order, for a test to compare with a
// golden list (asyncio has no equivalent). Install it with WithRecorder. A
// loop without one records nothing and allocates nothing for it: it pays a
// nil check per handle callback and per task step (where package task also
// checks runtime/trace.IsEnabled, see below).
//
// A trace of task.RunOn ends with two short tasks (start, done) that are
// asyncio.run's shutdown steps, shutdown_asyncgens and
// shutdown_default_executor. Callback events name Go functions
// ("main.tick", "pkg.TestX.func1"), which change when code moves: golden
// lists meant to last compare TaskEvents.
//
// With Go's execution tracer on (go test -trace, runtime/trace.Start),
// package task also makes each task a runtime/trace task with a region per
// step, whether or not the loop has a Recorder.
//
// A Recorder is used on its loop's goroutine only: read it while the loop
// is not running (after RunForever or task.RunOn returns).
type Recorder struct {
	kinds  EventKind
	events []Event
	labels map[any]string
	names  map[uintptr]string // callbackName by code pointer
}

// NewRecorder returns a Recorder of the given kinds of events (AllEvents if
// kinds is zero).
func NewRecorder(kinds EventKind) *Recorder {
	if kinds == 0 {
		kinds = AllEvents
	}
	return &Recorder{kinds: kinds}
}

// WithRecorder makes the loop record its events in r.
func WithRecorder(r *Recorder) Option { return func(l *Loop) { l.tracer = r } }

// Recorder returns the loop's Recorder, or nil if it has none. Packages that
// record events (task) call it; a nil result means "record nothing".
func (l *Loop) Recorder() *Recorder { return l.tracer }

// Wants reports whether r records events of kind k; callers use it to skip
// formatting a detail nobody will read.
func (r *Recorder) Wants(k EventKind) bool { return r.kinds&k != 0 }

// Record appends an event of kind k at l's current time, unless r does not
// record that kind. Must be called on the loop's goroutine.
func (r *Recorder) Record(l *Loop, k EventKind, task, detail string) {
	if r.kinds&k == 0 {
		return
	}
	r.events = append(r.events, Event{
		Seq:    len(r.events) + 1,
		Time:   time.Duration(l.now()),
		Task:   task,
		Kind:   k,
		Detail: detail,
	})
}

// Label names an awaitable (or any value) for TaskAwait details: a task
// that suspends on it records "await <label>". Package task labels the
// futures of sleeps ("sleep 1s"); tests may label their own futures.
func (r *Recorder) Label(v any, label string) {
	if r.labels == nil {
		r.labels = map[any]string{}
	}
	r.labels[v] = label
}

// LabelOf returns the label given to v with Label.
func (r *Recorder) LabelOf(v any) (string, bool) {
	s, ok := r.labels[v]
	return s, ok
}

// Events returns the recorded events, oldest first. The slice is the
// Recorder's own: do not modify it.
func (r *Recorder) Events() []Event { return r.events }

// Lines returns the recorded events formatted by Event.String, ready to be
// compared with a golden []string by cmp.Diff.
func (r *Recorder) Lines() []string {
	lines := make([]string, len(r.events))
	for i, e := range r.events {
		lines[i] = e.String()
	}
	return lines
}

// Reset forgets the recorded events and labels.
func (r *Recorder) Reset() {
	r.events = nil
	r.labels = nil
}

// String returns the whole trace as an aligned table with sequence
// numbers, for a failing test to print.
func (r *Recorder) String() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "#\ttime\ttask\tevent\tdetail")
	for _, e := range r.events {
		task := e.Task
		if task == "" {
			task = "-"
		}
		fmt.Fprintf(w, "%d\t%v\t%s\t%s\t%s\n", e.Seq, e.Time, task, e.Kind, e.Detail)
	}
	w.Flush()
	return b.String()
}

// traceRun records the run of a ready callback: a timer or a CallSoon
// callback. Entries without a handle (Enqueue, CallSoonThreadsafe) are
// plumbing that task events describe.
func (r *Recorder) traceRun(l *Loop, e entry) {
	if e.h == nil {
		return
	}
	k := CallbackRun
	if e.h.timer {
		k = TimerFired
	}
	if r.kinds&k == 0 {
		return
	}
	pc := reflect.ValueOf(e.fn).Pointer()
	name, ok := r.names[pc]
	if !ok {
		if r.names == nil {
			r.names = map[uintptr]string{}
		}
		name = callbackName(e.fn)
		r.names[pc] = name
	}
	r.Record(l, k, "", name)
}

// traceException records a call of the exception handler.
func (r *Recorder) traceException(l *Loop, ctx ExceptionContext) {
	if r.kinds&ExceptionHandlerCalled == 0 {
		return
	}
	task := ""
	if n, ok := ctx.Task.(interface{ Name() string }); ok {
		task = n.Name()
	}
	r.Record(l, ExceptionHandlerCalled, task, ctx.Message)
}

// callbackName is FuncName without the type arguments of generic functions
// ("task.SleepValue.func1", not "task.SleepValue[...].func1"), the form
// trace events use.
func callbackName(f any) string {
	name := FuncName(f)
	for {
		i := strings.IndexByte(name, '[')
		if i < 0 {
			return name
		}
		depth, j := 0, i
		for ; j < len(name); j++ {
			if name[j] == '[' {
				depth++
			} else if name[j] == ']' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j == len(name) {
			return name
		}
		name = name[:i] + name[j+1:]
	}
}
