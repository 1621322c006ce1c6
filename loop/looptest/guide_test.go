package looptest_test

// The complete example of the README's guide, "Testing ordering with
// goasyncio": kept here so that it compiles and passes.

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// fetchWithRetry is the code under test: up to three attempts, each given
// one second, two seconds apart.
func fetchWithRetry(c *task.Coro, fetch func(*task.Coro) (string, error)) (string, error) {
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			if err := c.Sleep(2 * time.Second); err != nil {
				return "", err
			}
		}
		var v string
		if v, err = task.WaitForFunc(c, time.Second, fetch); err == nil {
			return v, nil
		}
	}
	return "", err
}

func TestFetchWithRetry(t *testing.T) {
	r := loop.NewRecorder(loop.TaskStart | loop.TaskDone | loop.CancelDelivered)
	l := looptest.NewT(t, loop.WithRecorder(r))
	calls := 0
	v, err := task.RunOn(l, func(c *task.Coro) (string, error) {
		return fetchWithRetry(c, func(c *task.Coro) (string, error) {
			calls++
			if calls < 3 {
				return "", c.Sleep(time.Hour) // a server that hangs
			}
			return "pong", c.Sleep(500 * time.Millisecond)
		})
	})
	if v != "pong" || err != nil {
		t.Fatalf("fetchWithRetry = %q, %v; want pong", v, err)
	}
	looptest.CheckTrace(t, r, []string{
		"0s Task-1 start",
		"0s Task-2 start",
		"1s Task-2 cancel-delivered",
		"1s Task-2 done cancelled",
		"3s Task-3 start",
		"4s Task-3 cancel-delivered",
		"4s Task-3 done cancelled",
		"6s Task-4 start",
		"6.5s Task-4 done ok",
		"6.5s Task-1 done ok",
		"6.5s Task-5 start", // task.RunOn's shutdown, as asyncio.run's
		"6.5s Task-5 done ok",
		"6.5s Task-6 start",
		"6.5s Task-6 done ok",
	})
}

// warmCache is more code under test: it loads two keys concurrently.
func warmCache(c *task.Coro, cache map[string]string) error {
	l := c.Loop()
	load := func(key string, d time.Duration) *task.Task[struct{}] {
		return task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			if err := c.Sleep(d); err != nil {
				return struct{}{}, err
			}
			cache[key] = "value of " + key
			return struct{}{}, nil
		})
	}
	a, b := load("a", time.Second), load("b", time.Second) // due at the same instant
	if err := c.Await(a); err != nil {
		return err
	}
	return c.Await(b)
}

// TestWarmCacheAnyOrder runs warmCache under 100 of the orders asyncio
// allows. A failing seed is named in the subtest, and replayed by
// go test -run 'TestWarmCacheAnyOrder/seed=N$'.
func TestWarmCacheAnyOrder(t *testing.T) {
	looptest.ForSeeds(t, 100, func(t *testing.T, seed uint64) {
		l := looptest.NewT(t, loop.WithPerturbation(seed))
		cache := map[string]string{}
		if _, err := task.RunOn(l, func(c *task.Coro) (int, error) {
			return 0, warmCache(c, cache)
		}); err != nil {
			t.Fatal(err)
		}
		if keys := slices.Sorted(maps.Keys(cache)); !slices.Equal(keys, []string{"a", "b"}) {
			t.Errorf("cache holds %v", keys)
		}
	})
}
