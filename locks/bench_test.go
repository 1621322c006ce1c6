package locks_test

import (
	"sync"
	"testing"

	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// Uncontended Acquire/Release from a task body: the fast path, which never
// suspends.
func BenchmarkLockUncontended(b *testing.B) {
	b.ReportAllocs()
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		var m locks.Lock
		b.ResetTimer()
		for range b.N {
			m.Acquire(c)
			m.Release()
		}
		return struct{}{}, nil
	})
}

func BenchmarkLockUncontendedWith(b *testing.B) {
	b.ReportAllocs()
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		var m locks.Lock
		n := 0
		fn := func() error { n++; return nil }
		b.ResetTimer()
		for range b.N {
			m.With(c, fn)
		}
		return struct{}{}, nil
	})
}

// The plain-Go baseline: an uncontended sync.Mutex.
func BenchmarkMutexBaseline(b *testing.B) {
	b.ReportAllocs()
	var m sync.Mutex
	for range b.N {
		m.Lock()
		//lint:ignore SA2001 an empty critical section is what is measured
		m.Unlock()
	}
}

const eventWaiters = 10000

// One op: 10k tasks start, wait on an Event, are all woken by one Set and
// finish. ns/waiter is the cost per waiting task.
func BenchmarkEvent10kWaiters(b *testing.B) {
	b.ReportAllocs()
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		woken := 0
		body := func(ev *locks.Event) func(*task.Coro) (struct{}, error) {
			return func(c *task.Coro) (struct{}, error) {
				err := ev.Wait(c)
				woken++
				return struct{}{}, err
			}
		}
		ts := make([]*task.Task[struct{}], eventWaiters)
		b.ResetTimer()
		for range b.N {
			var ev locks.Event
			w := body(&ev)
			for i := range ts {
				ts[i] = task.Spawn(l, w)
			}
			c.Yield() // every waiter is now suspended in Wait
			ev.Set()
			for _, t := range ts {
				c.Await(t)
			}
		}
		b.StopTimer()
		if woken != b.N*eventWaiters {
			b.Errorf("woken %d, want %d", woken, b.N*eventWaiters)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*eventWaiters), "ns/waiter")
		return struct{}{}, nil
	})
}

// The plain-Go baseline: 10k goroutines block on a channel that one close
// releases, and a WaitGroup waits for them.
func BenchmarkEvent10kWaitersChanBaseline(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		ev := make(chan struct{})
		var started, done sync.WaitGroup
		started.Add(eventWaiters)
		done.Add(eventWaiters)
		for range eventWaiters {
			go func() {
				started.Done()
				<-ev
				done.Done()
			}()
		}
		started.Wait()
		close(ev)
		done.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*eventWaiters), "ns/waiter")
}
