package locks_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Main(m)) }

// A scenario is a main task body that logs events; the test compares the
// log with want.
type scenario struct {
	name string
	body func(c *task.Coro, log func(format string, args ...any)) error
	want []string
}

func runScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			var got []string
			log := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
			_, err := task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
				return struct{}{}, s.body(c, log)
			})
			if err != nil {
				t.Errorf("main: %v", err)
			}
			if diff := cmp.Diff(s.want, got); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

// spawn starts body as a task that logs its name and the outcome.
func spawn(l *loop.Loop, log func(string, ...any), name string, body func(c *task.Coro) error) *task.Task[struct{}] {
	return task.Spawn(l, func(c *task.Coro) (struct{}, error) {
		err := body(c)
		if err != nil {
			log("%s: %v", name, err)
		}
		return struct{}{}, err
	}, task.WithName(name))
}

// yields gives the loop n iterations.
func yields(c *task.Coro, n int) error {
	for range n {
		if err := c.Yield(); err != nil {
			return err
		}
	}
	return nil
}
