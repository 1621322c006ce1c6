package looptest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// fakeT stands in for the *testing.T given to NewT and CheckTrace, so that
// a test can see the failures they report. Methods it does not override go
// to the real test.
type fakeT struct {
	testing.TB
	errors, logs []string
	cleanups     []func()
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeT) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }
func (f *fakeT) Cleanup(fn func())            { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) Failed() bool                 { return len(f.errors) > 0 }

// finish runs the cleanups, last registered first, as the testing package
// does when a test ends.
func (f *fakeT) finish() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	f.cleanups = nil
}

func TestNewTCleanRun(t *testing.T) {
	ft := &fakeT{TB: t}
	l := looptest.NewT(ft)
	v, err := task.RunOn(l, func(c *task.Coro) (int, error) {
		return 7, c.Sleep(time.Minute)
	})
	if v != 7 || err != nil {
		t.Fatalf("RunOn = %d, %v", v, err)
	}
	ft.finish()
	if len(ft.errors) != 0 || len(ft.logs) != 0 {
		t.Errorf("a clean test was failed: %q %q", ft.errors, ft.logs)
	}
}

func TestNewTClosesTheLoop(t *testing.T) {
	ft := &fakeT{TB: t}
	l := looptest.NewT(ft)
	l.CallSoon(l.Stop)
	l.RunForever()
	if l.IsClosed() {
		t.Fatal("the loop closed before the test ended")
	}
	ft.finish()
	if !l.IsClosed() {
		t.Error("NewT did not close the loop when the test ended")
	}
	if len(ft.errors) != 0 {
		t.Errorf("unexpected failures: %q", ft.errors)
	}
}

func TestNewTFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(l *loop.Loop)
		want []string // substrings of the one reported failure
	}{{
		name: "panic in a callback",
		run: func(l *loop.Loop) {
			l.CallSoon(func() { panic("boom") })
			l.CallSoon(l.Stop)
			l.RunForever()
		},
		want: []string{"exception handler called", "Exception in callback", "boom"},
	}, {
		name: "task error never retrieved",
		run: func(l *loop.Loop) {
			task.RunOn(l, func(c *task.Coro) (int, error) {
				task.Spawn(c.Loop(), func(*task.Coro) (int, error) { return 0, errors.New("lost") }, task.WithName("fire-and-forget"))
				return 0, c.Sleep(time.Second)
			})
		},
		want: []string{"Task exception was never retrieved", "lost", "fire-and-forget"},
	}, {
		name: "future error never retrieved",
		run: func(l *loop.Loop) {
			future.New[int](l).SetException(errors.New("dropped"))
		},
		want: []string{"Future exception was never retrieved", "dropped"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ft := &fakeT{TB: t}
			l := looptest.NewT(ft)
			tc.run(l)
			ft.finish()
			if len(ft.errors) != 1 {
				t.Fatalf("got %d failures, want 1: %q", len(ft.errors), ft.errors)
			}
			for _, s := range tc.want {
				if !strings.Contains(ft.errors[0], s) {
					t.Errorf("failure %q does not mention %q", ft.errors[0], s)
				}
			}
		})
	}
}

// TestNewTFailsOnCloseOfRunningLoop: a cleanup that finds the loop running
// (run by a goroutine the test forgot) reports it.
func TestNewTFailsOnCloseOfRunningLoop(t *testing.T) {
	ft := &fakeT{TB: t}
	l := looptest.NewT(ft)
	l.CallSoon(func() {
		ft.finish() // the test ends while the loop runs
		l.Stop()
	})
	l.RunForever()
	l.Close()
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "closing the test's loop") {
		t.Errorf("failures = %q, want one about closing a running loop", ft.errors)
	}
}

// TestNewTFailsOnLeakedGoroutine runs in a synctest bubble, so that the
// leak check's grace period passes on the bubble's fake clock.
func TestNewTFailsOnLeakedGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ft := &fakeT{TB: t}
		looptest.NewT(ft)
		stop := make(chan struct{})
		go func() { <-stop }()
		ft.finish()
		close(stop)
		if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "goroutine(s) left behind") {
			t.Errorf("failures = %q, want one leaked goroutine", ft.errors)
		}
	})
}

func TestNewTLogsSeedOnFailure(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []loop.Option
		fail    bool
		wantLog string
	}{
		{"failed with perturbation", []loop.Option{loop.WithPerturbation(7)}, true, "loop.WithPerturbation(7)"},
		{"passed with perturbation", []loop.Option{loop.WithPerturbation(7)}, false, ""},
		{"failed without perturbation", nil, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := &fakeT{TB: t}
			looptest.NewT(ft, tc.opts...)
			if tc.fail {
				ft.Errorf("the test's own failure")
			}
			ft.finish()
			got := strings.Join(ft.logs, "\n")
			if tc.wantLog == "" && got != "" || !strings.Contains(got, tc.wantLog) {
				t.Errorf("logs = %q, want %q", got, tc.wantLog)
			}
		})
	}
}

// TestOneHourTimeout: wait_for with a one-hour timeout on a future nobody
// resolves times out after exactly one hour of loop time, at once in real
// time (BenchmarkOneHourTimeout measures how fast).
func TestOneHourTimeout(t *testing.T) {
	l := looptest.NewT(t)
	start := l.Time()
	_, err := task.RunOn(l, func(c *task.Coro) (int, error) {
		return task.WaitFor(c, time.Hour, future.New[int](c.Loop()))
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitFor returned %v, want a timeout", err)
	}
	if got := l.Time().Sub(start); got != time.Hour {
		t.Errorf("loop time advanced by %v, want 1h", got)
	}
}

// TestSynctestDurableIdle proves the idle wait is durable in a synctest
// bubble: synctest.Wait returns while the loop waits for a post from
// another goroutine (a loop blocked in a system call would hang it).
func TestSynctestDurableIdle(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func() []loop.Option // called in the bubble: a clock's channels must belong to it
	}{
		{"virtual clock", func() []loop.Option { return nil }},
		{"manual clock", func() []loop.Option { return []loop.Option{loop.WithClock(looptest.NewManualClock())} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := looptest.NewT(t, tc.opts()...)
				f := future.New[int](l)
				var got int
				var err error
				done := make(chan struct{})
				go func() {
					defer close(done)
					got, err = task.RunOn(l, func(c *task.Coro) (int, error) { return task.Await(c, f) })
				}()
				synctest.Wait() // the loop is idle, waiting for f
				select {
				case <-done:
					t.Fatal("the loop finished before f was resolved")
				default:
				}
				l.CallSoonThreadsafe(func() { f.SetResult(42) })
				<-done
				if got != 42 || err != nil {
					t.Errorf("RunOn = %d, %v; want 42, nil", got, err)
				}
			})
		})
	}
}

// TestHoldStopsTheClock: while work on another goroutine holds the loop, a
// timeout on virtual time does not fire, however long the work takes in
// (bubble) real time; without the hold, time jumps and the timeout wins.
func TestHoldStopsTheClock(t *testing.T) {
	for _, tc := range []struct {
		name        string
		hold        bool
		wantTimeout bool
		wantElapsed time.Duration // loop time
	}{
		{"held", true, false, 0},
		{"not held", false, true, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := looptest.NewT(t)
				start := l.Time()
				var wg sync.WaitGroup
				v, err := task.RunOn(l, func(c *task.Coro) (int, error) {
					f := future.New[int](c.Loop())
					release := func() {}
					if tc.hold {
						release = l.Hold()
					}
					wg.Go(func() {
						defer release()
						time.Sleep(time.Minute) // bubble time: instant
						l.CallSoonThreadsafe(func() {
							if !f.Done() {
								f.SetResult(1)
							}
						})
					})
					return task.WaitFor(c, time.Second, f)
				})
				wg.Wait()
				if timedOut := errors.Is(err, context.DeadlineExceeded); timedOut != tc.wantTimeout {
					t.Errorf("WaitFor = %d, %v; want timeout %v", v, err, tc.wantTimeout)
				}
				if got := l.Time().Sub(start); got != tc.wantElapsed {
					t.Errorf("loop time advanced by %v, want %v", got, tc.wantElapsed)
				}
			})
		})
	}
}

// TestSystemClockInSynctest: a loop on the system clock works in a bubble
// too (its idle wait is a time.Timer), on the bubble's fake time.
func TestSystemClockInSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		leakcheck.Check(t)
		start := time.Now()
		_, err := task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
			return 0, c.Sleep(time.Hour)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != time.Hour {
			t.Errorf("fake time advanced by %v, want 1h", got)
		}
	})
}

// TestManualClock: a task sleeping on a manual clock resumes only once
// Advance has moved the clock past its deadline.
func TestManualClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := looptest.NewManualClock()
		l := looptest.NewT(t, loop.WithClock(clock))
		woke := make(chan time.Duration, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			task.RunOn(l, func(c *task.Coro) (int, error) {
				start := l.Time()
				err := c.Sleep(time.Second)
				woke <- l.Time().Sub(start)
				return 0, err
			})
		}()
		for _, step := range []time.Duration{0, 500 * time.Millisecond, 499 * time.Millisecond} {
			clock.Advance(step)
			synctest.Wait()
			select {
			case d := <-woke:
				t.Fatalf("woke at %v, before one second", d)
			default:
			}
		}
		clock.Advance(time.Millisecond)
		<-done
		if d := <-woke; d != time.Second {
			t.Errorf("woke after %v, want 1s", d)
		}
	})
}

// TestClockAdvance: Advance moves an auto-jump clock too.
func TestClockAdvance(t *testing.T) {
	c := looptest.NewClock()
	if !c.Now().Equal(looptest.Epoch) {
		t.Fatalf("a new clock reads %v, want Epoch", c.Now())
	}
	c.Advance(90 * time.Minute)
	if got := c.Now().Sub(looptest.Epoch); got != 90*time.Minute {
		t.Errorf("after Advance(90m) the clock is %v past Epoch", got)
	}
}

func TestCheckTrace(t *testing.T) {
	r := loop.NewRecorder(loop.TaskEvents)
	task.RunOn(looptest.New(loop.WithRecorder(r)), func(c *task.Coro) (int, error) {
		return 0, c.Sleep(time.Second)
	})
	want := []string{
		"0s Task-1 start",
		"0s Task-1 await sleep 1s",
		"1s Task-1 resume",
		"1s Task-1 done ok",
		"1s Task-2 start",
		"1s Task-2 done ok",
		"1s Task-3 start",
		"1s Task-3 done ok",
	}
	ft := &fakeT{TB: t}
	if !looptest.CheckTrace(ft, r, want) || len(ft.errors) != 0 {
		t.Fatalf("CheckTrace of a matching trace failed: %q", ft.errors)
	}
	want[2] = "2s Task-1 resume"
	if looptest.CheckTrace(ft, r, want) {
		t.Fatal("CheckTrace of a different trace returned true")
	}
	if len(ft.errors) != 1 {
		t.Fatalf("got %d failures, want 1", len(ft.errors))
	}
	for _, s := range []string{"-want +got", `"2s Task-1 resume"`, `"1s Task-1 resume"`, "full trace", "3  1s    Task-1  resume"} {
		if !strings.Contains(ft.errors[0], s) {
			t.Errorf("the failure does not contain %q:\n%s", s, ft.errors[0])
		}
	}
}

func TestForSeeds(t *testing.T) {
	var seeds []uint64
	var names []string
	looptest.ForSeeds(t, 3, func(t *testing.T, seed uint64) {
		seeds = append(seeds, seed)
		names = append(names, t.Name())
	})
	if fmt.Sprint(seeds) != "[0 1 2]" {
		t.Errorf("seeds = %v", seeds)
	}
	if len(names) != 3 || !strings.HasSuffix(names[2], "/seed=2") {
		t.Errorf("subtest names = %q", names)
	}
}

// BenchmarkOneHourTimeout: the real time a one-hour wait_for timeout takes
// on virtual time, beside a plain-Go baseline that arms and stops a
// one-hour timer.
func BenchmarkOneHourTimeout(b *testing.B) {
	b.Run("baseline=time.Timer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tm := time.NewTimer(time.Hour)
			tm.Stop()
		}
	})
	b.Run("looptest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, err := task.RunOn(looptest.New(), func(c *task.Coro) (int, error) {
				return task.WaitFor(c, time.Hour, future.New[int](c.Loop()))
			})
			if !errors.Is(err, context.DeadlineExceeded) {
				b.Fatal(err)
			}
		}
	})
}
