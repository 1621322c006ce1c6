//go:build unix

package loop_test

import (
	"errors"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

// socketpair returns a connected pair of non-blocking Unix stream sockets,
// closed when the test ends.
func socketpair(t *testing.T) (a, b int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	unix.SetNonblock(fds[0], true)
	unix.SetNonblock(fds[1], true)
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}

func runLoop(t *testing.T, l *loop.Loop) {
	t.Helper()
	if err := l.RunForever(); err != nil {
		t.Fatalf("RunForever: %v", err)
	}
}

// mustAdd returns a function failing t if AddReader or AddWriter failed:
// mustAdd(t)(l.AddReader(fd, fn)).
func mustAdd(t *testing.T) func(*loop.Handle, error) *loop.Handle {
	return func(h *loop.Handle, err error) *loop.Handle {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
}

// TestIOOrder checks the order of _run_once: callbacks already ready, then
// the I/O callbacks of this poll, then the timers that are due; and that a
// reader removed earlier in the same batch does not run. The expected
// traces are CPython 3.11's for the same program (os.pipe, add_reader).
func TestIOOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		clock func() loop.Option
	}{
		{"system clock", func() loop.Option { return loop.WithDebug(false) }},
		{"virtual clock", func() loop.Option { return loop.WithClock(looptest.NewClock()) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leakcheck.Check(t)
			leakcheck.CheckFDs(t)
			l := loop.New(tc.clock())
			defer l.Close()
			r1, w1 := socketpair(t)
			r2, w2 := socketpair(t)
			var trace []string
			buf := make([]byte, 16)
			mustAdd(t)(l.AddReader(r1, func() {
				unix.Read(r1, buf)
				trace = append(trace, "reader1")
			}))
			mustAdd(t)(l.AddReader(r2, func() { trace = append(trace, "reader2") }))
			l.CallSoon(func() {
				trace = append(trace, "x")
				unix.Write(w1, []byte("a"))
				l.CallSoon(func() { trace = append(trace, "soon") })
				l.CallLater(0, func() {
					trace = append(trace, "later0")
					unix.Write(w2, []byte("b"))
					unix.Write(w1, []byte("c"))
					l.CallSoon(func() {
						trace = append(trace, "z removes reader2")
						if !l.RemoveReader(r2) {
							t.Error("RemoveReader(r2) = false")
						}
					})
					l.CallLater(time.Millisecond, func() {
						l.RemoveReader(r1)
						l.Stop()
					})
				})
			})
			runLoop(t, l)
			want := []string{"x", "soon", "reader1", "later0", "z removes reader2", "reader1"}
			if diff := cmp.Diff(want, trace); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFDErrors(t *testing.T) {
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)
	l := loop.New()
	r, w := socketpair(t)
	mustAdd(t)(l.AddReader(r, func() {}))
	mustAdd(t)(l.AddWriter(w, func() {}))

	f, err := os.CreateTemp(t.TempDir(), "regular")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	closedFD, _ := socketpair(t)
	unix.Close(closedFD)

	for _, tc := range []struct {
		name string
		add  func() (*loop.Handle, error)
		want error
	}{
		{"second reader", func() (*loop.Handle, error) { return l.AddReader(r, func() {}) }, loop.ErrFDRegistered},
		{"second writer", func() (*loop.Handle, error) { return l.AddWriter(w, func() {}) }, loop.ErrFDRegistered},
		{"closed fd", func() (*loop.Handle, error) { return l.AddReader(closedFD, func() {}) }, syscall.EBADF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := tc.add()
			if !errors.Is(err, tc.want) || h != nil {
				t.Errorf("got (%v, %v), want an error matching %v", h, err, tc.want)
			}
		})
	}
	if epollBackend {
		if h, err := l.AddReader(int(f.Fd()), func() {}); !errors.Is(err, syscall.EPERM) {
			t.Errorf("AddReader(regular file) = (%v, %v), want EPERM", h, err)
		}
	}
	if _, err := l.AddReader(-1, func() {}); err == nil {
		t.Error("AddReader(-1) succeeded")
	}

	// A writer and a reader on one fd are independent registrations.
	mustAdd(t)(l.AddWriter(r, func() {}))
	if !l.RemoveReader(r) || l.RemoveReader(r) || !l.RemoveWriter(r) || l.RemoveWriter(r) {
		t.Error("RemoveReader/RemoveWriter do not report registrations correctly")
	}
	// After removal the fd can be registered again.
	mustAdd(t)(l.AddReader(r, func() {}))

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.AddReader(r, func() {}); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("AddReader on a closed loop: %v, want ErrClosed", err)
	}
	if l.RemoveReader(r) {
		t.Error("RemoveReader on a closed loop reported a reader")
	}
}

// TestCancelledHandle: cancelling the Handle of a reader stops it; the
// registration is dropped at the next event, as asyncio's _process_events
// does, and the fd can be registered again.
func TestCancelledHandle(t *testing.T) {
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)
	l := loop.New()
	defer l.Close()
	r, w := socketpair(t)
	var trace []string
	var h *loop.Handle
	h = mustAdd(t)(l.AddReader(r, func() {
		trace = append(trace, "first")
		h.Cancel()
	}))
	unix.Write(w, []byte("x")) // stays unread: r remains readable
	l.CallLater(time.Millisecond, func() {
		mustAdd(t)(l.AddReader(r, func() {
			trace = append(trace, "second")
			l.RemoveReader(r)
			l.Stop()
		}))
	})
	runLoop(t, l)
	if diff := cmp.Diff([]string{"first", "second"}, trace); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

// TestWakeWhilePolling: posts from other goroutines wake a loop that waits
// in the poller, with no timer to end the wait.
func TestWakeWhilePolling(t *testing.T) {
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)
	l := loop.New()
	defer l.Close()
	r, _ := socketpair(t)
	mustAdd(t)(l.AddReader(r, func() { t.Error("reader ran with nothing to read") }))
	const posts = 2000
	got := 0
	var wg sync.WaitGroup
	l.CallSoon(func() {
		wg.Add(1)
		go func() { // post one callback at a time: each finds the loop idle
			defer wg.Done()
			next := make(chan struct{}, 1)
			for i := 0; i < posts; i++ {
				l.CallSoonThreadsafe(func() {
					got++
					next <- struct{}{}
				})
				<-next
			}
			l.CallSoonThreadsafe(func() { l.RemoveReader(r); l.Stop() })
		}()
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		runLoop(t, l)
	}()
	<-done
	wg.Wait()
	if got != posts {
		t.Errorf("ran %d posted callbacks, want %d", got, posts)
	}
}

// TestVirtualTimeWithIdleFD: an fd with nothing to read does not stop a
// virtual clock from jumping to the next timer, and a hold does.
func TestVirtualTimeWithIdleFD(t *testing.T) {
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)
	l := looptest.New()
	defer l.Close()
	r, w := socketpair(t)
	var trace []string
	mustAdd(t)(l.AddReader(r, func() {
		buf := make([]byte, 8)
		n, _ := unix.Read(r, buf)
		trace = append(trace, "read "+string(buf[:n]))
	}))
	start := l.Time()
	l.CallLater(time.Hour, func() {
		trace = append(trace, "1h")
		release := l.Hold()
		go func() {
			unix.Write(w, []byte("io"))
			l.CallSoonThreadsafe(func() { trace = append(trace, "posted") })
			release()
		}()
		l.CallLater(time.Hour, func() {
			trace = append(trace, "2h")
			l.RemoveReader(r)
			l.Stop()
		})
	})
	runLoop(t, l)
	// The hold keeps the clock at 1h until the post arrives; the data may
	// be read before or after the post, but always before 2h.
	if len(trace) != 4 || trace[0] != "1h" || trace[3] != "2h" {
		t.Errorf("trace = %q, want 1h, {read io, posted}, 2h", trace)
	}
	if got := l.Time().Sub(start); got != 2*time.Hour {
		t.Errorf("virtual time advanced by %v, want 2h", got)
	}
}

// TestTimerWithFD: with an fd registered on the system clock, a timer is
// not run before it is due (the poll timeout is never rounded down).
func TestTimerWithFD(t *testing.T) {
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)
	l := loop.New()
	defer l.Close()
	r, _ := socketpair(t)
	mustAdd(t)(l.AddReader(r, func() {}))
	const d = 1500 * time.Microsecond
	var due, ran time.Time
	l.CallSoon(func() {
		due = l.Time().Add(d)
		l.CallLater(d, func() {
			ran = l.Time()
			l.RemoveReader(r)
			l.Stop()
		})
	})
	runLoop(t, l)
	if ran.Before(due) {
		t.Errorf("timer ran %v early", due.Sub(ran))
	}
}

// TestCloseReleasesPoller: closing a loop closes the poller's descriptors
// (checkFDs) even with fds still registered.
func TestCloseReleasesPoller(t *testing.T) {
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)
	l := loop.New()
	r, w := socketpair(t)
	mustAdd(t)(l.AddReader(r, func() {}))
	mustAdd(t)(l.AddWriter(w, func() {}))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.CallSoonThreadsafe(func() {}); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("CallSoonThreadsafe after Close: %v", err)
	}
}
