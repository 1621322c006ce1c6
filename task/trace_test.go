package task_test

import (
	"bytes"
	"errors"
	"iter"
	"runtime/trace"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// withoutShutdown returns r's lines without the four that task.RunOn's
// shutdown adds to every trace (asyncio.run runs shutdown_asyncgens and
// shutdown_default_executor as two tasks), after checking they are there.
func withoutShutdown(t *testing.T, r *loop.Recorder) []string {
	t.Helper()
	lines := r.Lines()
	n := len(lines) - 4
	ok := n >= 0
	for i, want := range []string{"start", "done ok", "start", "done ok"} {
		if !ok {
			break
		}
		f := strings.SplitN(lines[n+i], " ", 3)
		ok = len(f) == 3 && strings.HasPrefix(f[1], "Task-") && f[2] == want
	}
	if !ok {
		t.Errorf("trace does not end with RunOn's shutdown tasks:\n%s", r)
		return lines
	}
	return lines[:n]
}

func TestTraceTaskEvents(t *testing.T) {
	sleeper := func(d time.Duration, err error) func(*task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			if err := c.Sleep(d); err != nil {
				return 0, err
			}
			return 1, err
		}
	}
	for _, tc := range []struct {
		name string
		main func(c *task.Coro) (int, error)
		want []string
	}{{
		name: "sleep and return",
		main: sleeper(time.Second, nil),
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await sleep 1s",
			"1s Task-1 resume",
			"1s Task-1 done ok",
		},
	}, {
		name: "yield and fail",
		main: func(c *task.Coro) (int, error) {
			c.Yield()
			return 0, errors.New("boom")
		},
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await yield",
			"0s Task-1 resume",
			"0s Task-1 done error: boom",
		},
	}, {
		name: "await a task that is cancelled while sleeping",
		main: func(c *task.Coro) (int, error) {
			w := task.Spawn(c.Loop(), sleeper(time.Hour, nil), task.WithName("worker"))
			c.Loop().CallLater(time.Second, func() { w.Cancel("stop") })
			_, err := task.Await(c, w)
			if !future.IsCancelled(err) {
				t.Errorf("awaiting the cancelled worker returned %v", err)
			}
			return 0, nil
		},
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await task worker",
			"0s worker start",
			"0s worker await sleep 1h0m0s",
			"1s worker cancel-requested stop",
			"1s worker cancel-delivered",
			"1s worker done cancelled",
			// The awaiter is not cancelled: it resumes with the
			// worker's CancelledError.
			"1s Task-1 resume error: cancelled: stop",
			"1s Task-1 done ok",
		},
	}, {
		name: "cancel before the first step",
		main: func(c *task.Coro) (int, error) {
			w := task.Spawn(c.Loop(), sleeper(time.Hour, nil), task.WithName("worker"))
			w.Cancel()
			c.Await(w)
			return 0, nil
		},
		want: []string{
			"0s Task-1 start",
			"0s worker cancel-requested",
			"0s Task-1 await task worker",
			"0s worker cancel-delivered",
			"0s worker done cancelled",
			"0s Task-1 resume error: cancelled",
			"0s Task-1 done ok",
		},
	}, {
		name: "a body that swallows its cancellation",
		main: func(c *task.Coro) (int, error) {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				c.Sleep(time.Hour) // error ignored
				return 7, nil
			}, task.WithName("stubborn"))
			c.Yield()
			w.Cancel()
			return task.Await(c, w)
		},
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await yield",
			"0s stubborn start",
			"0s stubborn await sleep 1h0m0s",
			"0s Task-1 resume",
			"0s stubborn cancel-requested",
			"0s Task-1 await task stubborn",
			"0s stubborn cancel-delivered",
			"0s stubborn done ok",
			"0s Task-1 resume",
			"0s Task-1 done ok",
		},
	}, {
		name: "cancelled while running, then returns",
		main: func(c *task.Coro) (int, error) {
			w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
				c.Task().Cancel("self") // asyncio: the step sees _must_cancel
				return 1, nil
			}, task.WithName("quick"))
			c.Await(w)
			return 0, nil
		},
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await task quick",
			"0s quick start",
			"0s quick cancel-requested self",
			"0s quick done cancelled",
			"0s Task-1 resume error: cancelled: self",
			"0s Task-1 done ok",
		},
	}, {
		name: "a labelled future",
		main: func(c *task.Coro) (int, error) {
			l := c.Loop()
			f := future.New[int](l)
			l.Recorder().Label(f, "the answer")
			l.CallLater(time.Minute, func() { f.SetResult(42) })
			return task.Await(c, f)
		},
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await the answer",
			"1m0s Task-1 resume",
			"1m0s Task-1 done ok",
		},
	}, {
		name: "an unlabelled future prints as itself",
		main: func(c *task.Coro) (int, error) {
			l := c.Loop()
			f := future.New[int](l)
			l.CallSoon(func() { f.SetResult(1) })
			return task.Await(c, f)
		},
		want: []string{
			"0s Task-1 start",
			"0s Task-1 await <Future pending>",
			"0s Task-1 resume",
			"0s Task-1 done ok",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			leakcheck.Check(t)
			r := loop.NewRecorder(loop.TaskEvents)
			if _, err := task.RunOn(looptest.New(loop.WithRecorder(r)), tc.main); err != nil && tc.name == "sleep and return" {
				t.Fatal(err)
			}
			lines := withoutShutdown(t, r)
			if diff := cmp.Diff(tc.want, lines); diff != "" {
				t.Errorf("trace (-want +got):\n%s\nfull trace:\n%s", diff, r)
			}
		})
	}
}

// TestTraceCancelRequestedOnce: cancelling a done task records nothing.
func TestTraceCancelRequestedOnce(t *testing.T) {
	r := loop.NewRecorder(loop.CancelRequested)
	task.RunOn(looptest.New(loop.WithRecorder(r)), func(c *task.Coro) (int, error) {
		w := task.Spawn(c.Loop(), func(*task.Coro) (int, error) { return 0, nil }, task.WithName("w"))
		c.Await(w)
		if w.Cancel() {
			t.Error("Cancel of a done task returned true")
		}
		return 0, nil
	})
	if diff := cmp.Diff([]string{}, r.Lines()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestTraceRuntime checks the runtime/trace integration: with the execution
// tracer on, each task is a runtime/trace task (typed by its name, "Task"
// for default names) with a "step" region per step, and tasks made before
// the tracer started are picked up at their next step.
func TestTraceRuntime(t *testing.T) {
	if trace.IsEnabled() {
		t.Skip("the execution tracer is already on (go test -trace)")
	}
	leakcheck.Check(t)
	l := looptest.New()
	var buf bytes.Buffer
	_, err := task.RunOn(l, func(c *task.Coro) (int, error) {
		early := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
			c.Sleep(time.Second)
			return 0, nil
		}, task.WithName("early-bird"))
		c.Yield()
		if err := trace.Start(&buf); err != nil {
			return 0, err
		}
		defer trace.Stop()
		w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
			c.Sleep(time.Second)
			return 1, nil
		}, task.WithName("fetch-worker"))
		w.Cancel("unique-cancel-message")
		c.Await(w)
		return task.Await(c, early)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"fetch-worker", "early-bird", "step", "await", "unique-cancel-message", "Task"} {
		if !bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("the execution trace does not mention %q", s)
		}
	}
}

// TestAllPerturbed: task.All is creation order by default, a seeded
// permutation under loop.WithPerturbation.
func TestAllPerturbed(t *testing.T) {
	names := func(opts ...loop.Option) []string {
		var got []string
		task.RunOn(looptest.New(opts...), func(c *task.Coro) (int, error) {
			for _, n := range []string{"a", "b", "c", "d", "e"} {
				task.Spawn(c.Loop(), func(c *task.Coro) (int, error) { return 0, c.Sleep(time.Second) }, task.WithName(n))
			}
			for _, x := range task.All(c.Loop()) {
				got = append(got, x.Name())
			}
			return 0, c.Sleep(2 * time.Second)
		})
		return got
	}
	if diff := cmp.Diff([]string{"Task-1", "a", "b", "c", "d", "e"}, names()); diff != "" {
		t.Errorf("All without perturbation (-want +got):\n%s", diff)
	}
	orders := map[string]bool{}
	for seed := range uint64(20) {
		got := names(loop.WithPerturbation(seed))
		if again := names(loop.WithPerturbation(seed)); !slices.Equal(got, again) {
			t.Fatalf("seed %d: %v then %v", seed, got, again)
		}
		orders[strings.Join(got, ",")] = true
	}
	if len(orders) < 5 {
		t.Errorf("20 seeds gave %d orders of All", len(orders))
	}
}

// BenchmarkStep measures a task step (a Yield round trip) with tracing off
// (one nil check and one atomic load on the step path), with a Recorder,
// and a bare iter.Pull resume/suspend as the plain-Go baseline.
func BenchmarkStep(b *testing.B) {
	b.Run("baseline=iter.Pull", func(b *testing.B) {
		b.ReportAllocs()
		next, stop := iter.Pull(func(yield func(int) bool) {
			for yield(0) {
			}
		})
		defer stop()
		for b.Loop() {
			next()
		}
	})
	for _, tc := range []struct {
		name string
		opts []loop.Option
	}{
		{"tracing=off", nil},
		{"recorder=on", []loop.Option{loop.WithRecorder(loop.NewRecorder(loop.TaskEvents))}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			task.RunOn(loop.New(tc.opts...), func(c *task.Coro) (int, error) {
				r := c.Loop().Recorder()
				for b.Loop() {
					c.Yield()
					if r != nil && len(r.Events()) > 1<<16 {
						r.Reset()
					}
				}
				return 0, nil
			})
		})
	}
}
