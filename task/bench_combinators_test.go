package task_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// benchInTask runs body as the main task of a new loop; the timer starts
// when body does.
func benchInTask(b *testing.B, body func(c *task.Coro)) {
	b.Helper()
	b.ReportAllocs()
	_, err := task.RunOn(loop.New(), func(c *task.Coro) (any, error) {
		b.ResetTimer()
		body(c)
		b.StopTimer()
		return nil, nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// WaitFor on a future that a callback completes before the timeout: one
// waiter future, one timer scheduled and cancelled, two done-callbacks.
// Await is the same wait without a timeout; the baseline is the plain-Go
// idiom, a goroutine's result received in a select against a timer.
func BenchmarkWaitForCompletesFirst(b *testing.B) {
	b.Run("WaitFor", func(b *testing.B) {
		benchInTask(b, func(c *task.Coro) {
			l := c.Loop()
			for i := 0; i < b.N; i++ {
				f := future.New[int](l)
				l.Enqueue(func() { f.SetResult(i) })
				if _, err := task.WaitFor(c, time.Second, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("Await", func(b *testing.B) {
		benchInTask(b, func(c *task.Coro) {
			l := c.Loop()
			for i := 0; i < b.N; i++ {
				f := future.New[int](l)
				l.Enqueue(func() { f.SetResult(i) })
				if _, err := task.Await(c, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("Baseline_GoroutineSelectTimer", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ch := make(chan int, 1)
			go func() { ch <- i }()
			t := time.NewTimer(time.Second)
			select {
			case <-ch:
			case <-t.C:
				b.Fatal("timed out")
			}
			t.Stop()
		}
	})
}

const groupChildren = 10_000

var errBench = errors.New("bench: never returned")

// A TaskGroup of 10k children that each yield once (so that all of them
// are pending together) and return. The baseline is errgroup's shape:
// 10k goroutines under a WaitGroup, keeping the first error.
func BenchmarkGroup10k(b *testing.B) {
	b.Run("TaskGroup", func(b *testing.B) {
		benchInTask(b, func(c *task.Coro) {
			child := func(c *task.Coro) (int, error) {
				if err := c.Yield(); err != nil {
					return 0, err
				}
				return 1, nil
			}
			for i := 0; i < b.N; i++ {
				err := task.Group(c, func(g *task.TaskGroup) error {
					for range groupChildren {
						if _, err := task.SpawnIn(g, child); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*groupChildren), "ns/child")
	})
	b.Run("Baseline_WaitGroupErrgroup", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var wg sync.WaitGroup
			var once sync.Once
			var first error
			for j := range groupChildren {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if j < 0 { // never: the child succeeds
						once.Do(func() { first = errBench })
					}
				}()
			}
			wg.Wait()
			if first != nil {
				b.Fatal(first)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*groupChildren), "ns/child")
	})
}
