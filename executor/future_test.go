package executor_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/internal/goid"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
)

// Done-callbacks run in registration order on the worker that completed
// the work; one added after completion runs at once on the caller. A
// panicking callback is logged and the next one still runs.
func TestDoneCallbacks(t *testing.T) {
	leakcheck.Check(t)
	var logged bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	defer slog.SetDefault(prev)

	p := executor.New(executor.WithMaxWorkers(1))
	defer p.Shutdown()
	var tr recorder
	release := make(chan struct{})
	var worker uint64
	f := mustSubmit(t, p, func(context.Context) (string, error) {
		worker = goid.Get()
		<-release
		return "v", nil
	})
	onWorker := func(name string) func(*executor.Future[string]) {
		return func(f *executor.Future[string]) {
			v, _ := f.Result()
			tr.add("%s: %s, on worker %v", name, v, goid.Get() == worker)
		}
	}
	f.AddDoneCallback(onWorker("first"))
	f.AddDoneCallback(func(*executor.Future[string]) { panic("callback bug") })
	f.AddDoneCallback(onWorker("third"))
	called := make(chan struct{})
	f.AddDoneCallback(func(*executor.Future[string]) { close(called) })
	close(release)
	<-called // waiters wake before the callbacks run, as in Python
	me := goid.Get()
	f.AddDoneCallback(func(*executor.Future[string]) { tr.add("late: on caller %v", goid.Get() == me) })
	tr.check(t, []string{"first: v, on worker true", "third: v, on worker true", "late: on caller true"})
	if !strings.Contains(logged.String(), "callback bug") {
		t.Errorf("the panicking callback was not logged; log:\n%s", logged.String())
	}
}

// Wait returns nil once done or the context's error first; WaitTimeout
// returns a *future.TimeoutError; DoneChan is closed when done.
func TestWait(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New(executor.WithMaxWorkers(1))
	defer p.Shutdown()
	release := make(chan struct{})
	f := mustSubmit(t, p, func(context.Context) (int, error) { <-release; return 1, nil })

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait(cancelled ctx) = %v, want context.Canceled", err)
	}
	if err := f.WaitTimeout(1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitTimeout(1ns) = %v, want a timeout", err)
	}
	select {
	case <-f.DoneChan():
		t.Error("DoneChan closed while pending")
	default:
	}
	if s := f.String(); f.Done() || s != "<Future state=running>" && s != "<Future state=pending>" {
		t.Errorf("pending future: Done %v, String %s", f.Done(), s)
	}
	close(release)
	<-f.DoneChan()
	if err := f.Wait(ctx); err != nil {
		t.Errorf("Wait on a done future = %v, want nil even with a done ctx", err)
	}
	if err := f.WaitTimeout(0); err != nil {
		t.Errorf("WaitTimeout on a done future = %v", err)
	}
	if got, want := f.String(), "<Future state=finished returned int>"; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if !f.Done() || f.Running() || f.Cancelled() {
		t.Error("finished future: wrong Done/Running/Cancelled")
	}
}

// Map yields the outcomes in input order, whatever order the work
// finishes in; it stops at the first error and cancels the calls not yet
// yielded, as does a break.
func TestMap(t *testing.T) {
	leakcheck.Check(t)
	p := executor.New(executor.WithMaxWorkers(4))
	defer p.Shutdown()
	ctx := context.Background()

	// In reverse order of completion: call i waits for call i+1.
	done := make([]chan struct{}, 4)
	for i := range done {
		done[i] = make(chan struct{})
	}
	results, err := executor.Map(ctx, p, []int{0, 1, 2, 3}, func(_ context.Context, i int) (int, error) {
		if i < 3 {
			<-done[i+1]
		}
		close(done[i])
		return i * i, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for v, err := range results {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if want := []int{0, 1, 4, 9}; !equal(got, want) {
		t.Errorf("Map = %v, want %v", got, want)
	}

	// An error stops the iteration.
	errBad := errors.New("bad input")
	results, err = executor.Map(ctx, p, []int{1, 2, 3, 4}, func(_ context.Context, i int) (int, error) {
		if i == 2 {
			return 0, errBad
		}
		return i, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var trace []string
	for v, err := range results {
		if err != nil {
			trace = append(trace, "error "+err.Error())
			continue
		}
		trace = append(trace, fmt.Sprint("value ", v))
	}
	if want := []string{"value 1", "error bad input"}; !equal(trace, want) {
		t.Errorf("iteration = %v, want %v", trace, want)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Map stops at a break and when its context ends (yielding ctx.Err());
// either way the calls not yet yielded are cancelled: queued ones never
// run, running ones see their context cancelled.
func TestMapStops(t *testing.T) {
	for _, how := range []string{"break", "context"} {
		t.Run(how, func(t *testing.T) {
			leakcheck.Check(t)
			var tr recorder
			p := executor.New(executor.WithMaxWorkers(1))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			started2, finish := make(chan struct{}), make(chan struct{})
			var stopErr error
			results, err := executor.Map(ctx, p, []int{1, 2, 3}, func(ctx context.Context, i int) (int, error) {
				switch i {
				case 2: // runs until stopped
					close(started2)
					<-ctx.Done()
					stopErr = ctx.Err()
					<-finish // hold the worker until the iteration is over
					return 0, ctx.Err()
				case 3:
					tr.add("call 3 ran")
				}
				return i, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for v, err := range results {
				tr.add("yield %d, %v", v, err)
				<-started2
				if how == "break" {
					break
				}
				cancel() // the wait for call 2 ends with ctx.Err()
			}
			tr.add("iteration over")
			close(finish)
			p.Shutdown()
			tr.add("call 2 stopped: %v", stopErr)
			want := []string{"yield 1, <nil>", "iteration over", "call 2 stopped: context canceled"}
			if how == "context" {
				want = []string{"yield 1, <nil>", "yield 0, context canceled", "iteration over", "call 2 stopped: context canceled"}
			}
			tr.check(t, want)
		})
	}
}
