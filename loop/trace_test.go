package loop_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

func ping() {}
func pong() {}

// runTraced runs a small program of CallSoon, CallLater and a panicking
// callback on virtual time with a Recorder of the given kinds.
func runTraced(t *testing.T, kinds loop.EventKind) *loop.Recorder {
	t.Helper()
	r := loop.NewRecorder(kinds)
	l := looptest.New(loop.WithRecorder(r))
	defer l.Close()
	l.SetExceptionHandler(func(*loop.Loop, loop.ExceptionContext) {}) // keep the log quiet
	l.CallSoon(ping)
	l.CallLater(time.Second, pong)
	l.CallLater(time.Second, func() { panic("boom") })
	l.CallSoon(pong).Cancel() // cancelled: never runs, never recorded
	l.CallLater(2*time.Second, l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRecorderLoopEvents(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kinds loop.EventKind
		want  []string
	}{{
		name:  "all",
		kinds: loop.AllEvents,
		want: []string{
			"0s - callback loop_test.ping",
			"1s - timer loop_test.pong",
			"1s - timer loop_test.runTraced.func2",
			"1s - exception-handler Exception in callback loop_test.runTraced.func2",
			"2s - timer loop.(*Loop).Stop-fm",
		},
	}, {
		name:  "zero means all",
		kinds: 0,
		want: []string{
			"0s - callback loop_test.ping",
			"1s - timer loop_test.pong",
			"1s - timer loop_test.runTraced.func2",
			"1s - exception-handler Exception in callback loop_test.runTraced.func2",
			"2s - timer loop.(*Loop).Stop-fm",
		},
	}, {
		name:  "callbacks only",
		kinds: loop.CallbackRun,
		want:  []string{"0s - callback loop_test.ping"},
	}, {
		name:  "task events only",
		kinds: loop.TaskEvents,
		want:  []string{},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := runTraced(t, tc.kinds)
			if diff := cmp.Diff(tc.want, r.Lines()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecorderEventFields(t *testing.T) {
	r := runTraced(t, loop.AllEvents)
	ev := r.Events()
	for i, e := range ev {
		if e.Seq != i+1 {
			t.Errorf("event %d has Seq %d", i, e.Seq)
		}
	}
	if got := ev[1]; got.Time != time.Second || got.Kind != loop.TimerFired || got.Task != "" || got.Detail != "loop_test.pong" {
		t.Errorf("event 2 = %+v", got)
	}
}

func TestRecorderString(t *testing.T) {
	r := runTraced(t, loop.CallbackRun|loop.TimerFired)
	want := `#  time  task  event     detail
1  0s    -     callback  loop_test.ping
2  1s    -     timer     loop_test.pong
3  1s    -     timer     loop_test.runTraced.func2
4  2s    -     timer     loop.(*Loop).Stop-fm
`
	if diff := cmp.Diff(want, r.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}

func TestRecorderRecordAndLabel(t *testing.T) {
	r := loop.NewRecorder(loop.TaskStart | loop.TaskDone)
	l := looptest.New(loop.WithRecorder(r))
	defer l.Close()
	if l.Recorder() != r {
		t.Fatal("Recorder() does not return the installed recorder")
	}
	if looptest.New().Recorder() != nil {
		t.Fatal("a loop without WithRecorder has a Recorder")
	}
	r.Record(l, loop.TaskStart, "a", "")
	r.Record(l, loop.TaskAwait, "a", "not recorded: kind filtered out")
	r.Record(l, loop.TaskDone, "a", "ok")
	if !r.Wants(loop.TaskDone) || r.Wants(loop.TaskAwait) {
		t.Error("Wants does not follow the kinds given to NewRecorder")
	}
	if diff := cmp.Diff([]string{"0s a start", "0s a done ok"}, r.Lines()); diff != "" {
		t.Errorf("Lines (-want +got):\n%s", diff)
	}

	key := new(int)
	if _, ok := r.LabelOf(key); ok {
		t.Error("LabelOf found a label never given")
	}
	r.Label(key, "lock")
	if s, ok := r.LabelOf(key); !ok || s != "lock" {
		t.Errorf("LabelOf = %q, %v; want lock, true", s, ok)
	}
	r.Reset()
	if len(r.Events()) != 0 {
		t.Error("Reset kept events")
	}
	if _, ok := r.LabelOf(key); ok {
		t.Error("Reset kept labels")
	}
}

func TestEventKindString(t *testing.T) {
	for _, tc := range []struct {
		k    loop.EventKind
		want string
	}{
		{loop.TaskStart, "start"},
		{loop.TaskAwait, "await"},
		{loop.TaskResume, "resume"},
		{loop.TaskDone, "done"},
		{loop.CancelRequested, "cancel-requested"},
		{loop.CancelDelivered, "cancel-delivered"},
		{loop.CallbackRun, "callback"},
		{loop.TimerFired, "timer"},
		{loop.ExceptionHandlerCalled, "exception-handler"},
		{loop.CallbackRun | loop.TimerFired, "callback|timer"},
		{0, "EventKind(0x0)"},
	} {
		if got := tc.k.String(); got != tc.want {
			t.Errorf("EventKind(%#x).String() = %q, want %q", uint16(tc.k), got, tc.want)
		}
	}
}

func TestEventString(t *testing.T) {
	for _, tc := range []struct {
		e    loop.Event
		want string
	}{
		{loop.Event{Time: time.Second, Task: "w", Kind: loop.TaskAwait, Detail: "sleep 1s"}, "1s w await sleep 1s"},
		{loop.Event{Time: 0, Kind: loop.CallbackRun, Detail: "main.f"}, "0s - callback main.f"},
		{loop.Event{Time: 1500 * time.Millisecond, Task: "w", Kind: loop.TaskStart}, "1.5s w start"},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.e, got, tc.want)
		}
	}
}

// TestRecorderExceptionTask: an exception report about a task names it.
func TestRecorderExceptionTask(t *testing.T) {
	r := loop.NewRecorder(loop.ExceptionHandlerCalled)
	l := looptest.New(loop.WithRecorder(r))
	defer l.Close()
	l.SetExceptionHandler(func(*loop.Loop, loop.ExceptionContext) {})
	l.CallExceptionHandler(loop.ExceptionContext{Message: "oops", Err: errors.New("x"), Task: named("worker")})
	if diff := cmp.Diff([]string{"0s worker exception-handler oops"}, r.Lines()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

type named string

func (n named) Name() string { return string(n) }

// BenchmarkCallbacks compares running callbacks on a loop without a
// Recorder (the cost every user pays: one nil check per handle callback),
// with one, and a plain Go slice of funcs as the baseline.
func BenchmarkCallbacks(b *testing.B) {
	const batch = 64
	fn := func() {}
	b.Run("baseline=plain-go", func(b *testing.B) {
		b.ReportAllocs()
		fns := make([]func(), batch)
		for i := range fns {
			fns[i] = fn
		}
		for b.Loop() {
			for _, f := range fns {
				f()
			}
		}
	})
	for _, tc := range []struct {
		name string
		opts []loop.Option
	}{
		{"recorder=off", nil},
		{"recorder=on", []loop.Option{loop.WithRecorder(loop.NewRecorder(loop.CallbackRun))}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			l := loop.New(tc.opts...)
			defer l.Close()
			for b.Loop() {
				for range batch - 1 {
					l.CallSoon(fn)
				}
				l.CallSoon(l.Stop)
				l.RunForever()
				if r := l.Recorder(); r != nil {
					r.Reset()
				}
			}
		})
	}
}

// TestRecorderStringEmpty: an empty trace prints its header only.
func TestRecorderStringEmpty(t *testing.T) {
	s := loop.NewRecorder(0).String()
	if strings.Count(s, "\n") != 1 || !strings.HasPrefix(s, "#") {
		t.Errorf("String() of an empty Recorder = %q", s)
	}
}
