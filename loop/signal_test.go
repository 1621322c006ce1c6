//go:build unix

package loop_test

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

func raise(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

func TestSignalHandler(t *testing.T) {
	leakcheck.Check(t)
	l := loop.New()
	defer l.Close()
	var trace []string
	var first *loop.Handle
	// The first handler runs for the first signal and replaces itself; the
	// second runs for the second signal and removes itself.
	second := func() {
		trace = append(trace, "second")
		if !l.RemoveSignalHandler(syscall.SIGUSR1) {
			t.Error("RemoveSignalHandler = false with a handler set")
		}
		if l.RemoveSignalHandler(syscall.SIGUSR1) {
			t.Error("RemoveSignalHandler = true with no handler set")
		}
		l.Stop()
	}
	l.CallSoon(func() {
		var err error
		first, err = l.AddSignalHandler(syscall.SIGUSR1, func() {
			trace = append(trace, "first")
			if _, err := l.AddSignalHandler(syscall.SIGUSR1, second); err != nil {
				t.Fatal(err)
			}
			if !first.Cancelled() {
				t.Error("the replaced handler's Handle is not cancelled")
			}
			raise(t, syscall.SIGUSR1)
		})
		if err != nil {
			t.Fatal(err)
		}
		raise(t, syscall.SIGUSR1)
	})
	runLoop(t, l)
	if diff := cmp.Diff([]string{"first", "second"}, trace); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestSignalHandlerErrors(t *testing.T) {
	leakcheck.Check(t)
	l := loop.New()
	if _, err := l.AddSignalHandler(syscall.SIGKILL, func() {}); err == nil {
		t.Error("AddSignalHandler(SIGKILL) succeeded")
	}
	if _, err := l.AddSignalHandler(syscall.SIGUSR2, func() {}); err != nil {
		t.Fatal(err)
	}
	// Close removes the handler and stops its goroutine (leakcheck).
	l.Close()
	if _, err := l.AddSignalHandler(syscall.SIGUSR2, func() {}); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("AddSignalHandler on a closed loop: %v, want ErrClosed", err)
	}
}

// TestRunSIGINT: task.Run cancels its main task on SIGINT, as asyncio.run
// does, and reports ErrInterrupted unless main swallowed the cancellation.
func TestRunSIGINT(t *testing.T) {
	for _, tc := range []struct {
		name    string
		swallow bool
		want    error
	}{
		{"cancelled", false, task.ErrInterrupted},
		{"main returns normally", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leakcheck.Check(t)
			v, err := task.Run(func(c *task.Coro) (string, error) {
				raise(t, syscall.SIGINT)
				never := future.New[struct{}](c.Loop())
				_, err := task.Await(c, never)
				if tc.swallow && future.IsCancelled(err) {
					return "swallowed", nil
				}
				return "", err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("Run = (%q, %v), want error %v", v, err, tc.want)
			}
			if tc.swallow && v != "swallowed" {
				t.Errorf("Run = %q, want swallowed", v)
			}
		})
	}
}
