package task_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// TestRunner is testdata/runner.py, whose CPython 3.11 output is want: two
// bodies run on one loop, a task the first leaves pending runs on during
// the second (on the same iterations as in asyncio), and Close cancels it.
func TestRunner(t *testing.T) {
	leakcheck.Check(t)
	var got []string
	printf := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
	ticker := func(name string) func(c *task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			for i := 0; ; i++ {
				printf("%s tick %d", name, i)
				if err := c.Yield(); err != nil {
					printf("%s cancelled", name)
					return 0, err
				}
			}
		}
	}
	first := func(c *task.Coro) (int, error) {
		task.Spawn(c.Loop(), ticker("bg"))
		printf("first start")
		c.Yield()
		c.Yield()
		printf("first end")
		return 1, nil
	}
	second := func(c *task.Coro) (int, error) {
		printf("second start")
		c.Yield()
		printf("second end")
		return 2, nil
	}
	r := task.NewRunnerOn(looptest.New())
	v, err := task.RunWith(r, first)
	printf("run first -> %d %v", v, err)
	v, err = task.RunWith(r, second)
	printf("run second -> %d %v", v, err)
	printf("closing")
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	printf("closed")
	want := []string{
		"first start", "bg tick 0", "bg tick 1", "first end", "bg tick 2", "run first -> 1 <nil>",
		"bg tick 3", "second start", "bg tick 4", "second end", "bg tick 5", "run second -> 2 <nil>",
		"closing", "bg cancelled", "closed",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if !r.Loop().IsClosed() {
		t.Error("Close left the loop open")
	}
}

// Misuse: RunWith or Close from the runner's own loop, RunWith after
// Close; Close twice is harmless.
func TestRunnerMisuse(t *testing.T) {
	leakcheck.Check(t)
	r := task.NewRunnerOn(looptest.New())
	_, err := task.RunWith(r, func(c *task.Coro) (int, error) {
		if _, err := task.RunWith(r, func(*task.Coro) (int, error) { return 0, nil }); !errors.Is(err, loop.ErrRunning) {
			t.Errorf("RunWith inside the runner's loop: %v, want loop.ErrRunning", err)
		}
		if err := r.Close(); !errors.Is(err, loop.ErrRunning) {
			t.Errorf("Close inside the runner's loop: %v, want loop.ErrRunning", err)
		}
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
	if _, err := task.RunWith(r, func(*task.Coro) (int, error) { return 0, nil }); !errors.Is(err, loop.ErrClosed) {
		t.Errorf("RunWith after Close: %v, want loop.ErrClosed", err)
	}
}
