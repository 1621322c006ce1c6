package task_test

import (
	"iter"
	"runtime"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// These benchmarks put the task figures beside their floor: a task body runs
// in an iter.Pull coroutine, so no task can switch faster, or be smaller,
// than a bare iter.Pull coroutine doing nothing else. The README's
// performance bounds quote them.

// manyTasks is the number of live tasks (or coroutines, or goroutines) in
// the benchmarks below: enough that their stacks do not fit in the caches,
// as in the sleep0_many workload.
const manyTasks = 10_000

// BenchmarkYieldMany measures one yield (asyncio.sleep(0)) of each of
// manyTasks live tasks; an op is a whole round, and ns/yield is the figure
// to compare. The floor resumes manyTasks bare iter.Pull coroutines once
// each; the baseline has manyTasks goroutines call runtime.Gosched.
func BenchmarkYieldMany(b *testing.B) {
	b.Run("floor=iter.Pull", func(b *testing.B) {
		b.ReportAllocs()
		nexts := make([]func() (bool, bool), manyTasks)
		for i := range nexts {
			next, stop := iter.Pull(func(yield func(bool) bool) {
				for yield(true) {
				}
			})
			defer stop()
			nexts[i] = next
		}
		for b.Loop() {
			for _, next := range nexts {
				next()
			}
		}
		reportPerYield(b)
	})
	b.Run("baseline=Gosched", func(b *testing.B) {
		b.ReportAllocs()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // one P, like one loop
		rounds := make(chan struct{})
		done := make(chan struct{})
		for range manyTasks {
			go func() {
				for range rounds {
					runtime.Gosched()
				}
				done <- struct{}{}
			}()
		}
		for b.Loop() {
			for range manyTasks {
				rounds <- struct{}{}
			}
		}
		close(rounds)
		for range manyTasks {
			<-done
		}
		reportPerYield(b)
	})
	b.Run("tasks", func(b *testing.B) {
		b.ReportAllocs()
		task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
			stop := false
			ts := make([]*task.Task[int], manyTasks)
			for i := range ts {
				ts[i] = task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
					for !stop {
						if err := c.Yield(); err != nil {
							return 0, err
						}
					}
					return 0, nil
				})
			}
			c.Yield() // all started
			for b.Loop() {
				c.Yield() // each task yields once meanwhile
			}
			stop = true
			for _, t := range ts {
				task.Await(c, t)
			}
			return 0, nil
		})
		reportPerYield(b)
	})
}

func reportPerYield(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/manyTasks, "ns/yield")
}

// BenchmarkSuspendedMemory measures the memory a suspended task holds: the
// heap and stack in use per task while manyTasks tasks wait on one Event
// (the memory workload), beside manyTasks goroutines blocked on a channel
// and manyTasks iter.Pull coroutines suspended in yield, the floor of a
// task. An op creates, suspends and releases manyTasks of them.
func BenchmarkSuspendedMemory(b *testing.B) {
	b.Run("baseline=goroutines", func(b *testing.B) {
		measureSuspended(b, func(ready func()) (release func()) {
			ch := make(chan struct{})
			done := make(chan struct{}, manyTasks)
			for range manyTasks {
				go func() {
					<-ch
					done <- struct{}{}
				}()
			}
			for runtime.NumGoroutine() < manyTasks { // all blocked or about to be
				runtime.Gosched()
			}
			ready()
			return func() {
				close(ch)
				for range manyTasks {
					<-done
				}
			}
		})
	})
	b.Run("floor=iter.Pull", func(b *testing.B) {
		measureSuspended(b, func(ready func()) (release func()) {
			stops := make([]func(), manyTasks)
			for i := range stops {
				next, stop := iter.Pull(func(yield func(bool) bool) { yield(true) })
				next() // suspended in yield
				stops[i] = stop
			}
			ready()
			return func() {
				for _, stop := range stops {
					stop()
				}
			}
		})
	})
	b.Run("tasks", func(b *testing.B) {
		measureSuspended(b, func(ready func()) (release func()) {
			task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
				var ev locks.Event
				ts := make([]*task.Task[int], manyTasks)
				for i := range ts {
					ts[i] = task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
						return 0, ev.Wait(c)
					})
				}
				c.Yield() // all suspended in Wait
				ready()
				ev.Set()
				for _, t := range ts {
					task.Await(c, t)
				}
				return 0, nil
			})
			return func() {}
		})
	})
}

// measureSuspended runs suspend once per op; suspend creates manyTasks
// suspended things, calls ready while they are all suspended, and returns a
// function that lets them finish. It reports the heap and stack bytes in
// use per suspended thing at ready, after a GC.
func measureSuspended(b *testing.B, suspend func(ready func()) (release func())) {
	b.ReportAllocs()
	var before, at runtime.MemStats
	perTask := 0.0
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		release := suspend(func() {
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&at)
			b.StartTimer()
		})
		release()
		used := (at.HeapAlloc + at.StackInuse) - (before.HeapAlloc + before.StackInuse)
		perTask = float64(used) / manyTasks
	}
	b.ReportMetric(perTask, "B/task")
}

// sleepers is the number of tasks alive at once in BenchmarkSleepers, as in
// the timers workload.
const sleepers = 100_000

// BenchmarkSleepers measures the life of a task in the timers workload:
// sleepers tasks start and suspend, then resume in an order unrelated to
// their creation (as timers with shuffled deadlines fire) and finish; one
// op is the whole batch, ns/task the figure to compare. The floor does the
// same with bare iter.Pull coroutines; each op creates all of them anew,
// since no coroutine can be reused while all are alive.
func BenchmarkSleepers(b *testing.B) {
	order := func(i int) int { return (i * 48271) % sleepers } // a permutation
	b.Run("floor=iter.Pull", func(b *testing.B) {
		b.ReportAllocs()
		nexts := make([]func() (bool, bool), sleepers)
		for b.Loop() {
			for i := range nexts {
				next, _ := iter.Pull(func(yield func(bool) bool) { yield(true) })
				next() // started, suspended
				nexts[i] = next
			}
			for i := range nexts {
				nexts[order(i)]() // finishes
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/sleepers, "ns/task")
	})
	b.Run("tasks", func(b *testing.B) {
		b.ReportAllocs()
		task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
			l := c.Loop()
			wakes := make([]*future.Future[struct{}], sleepers)
			ts := make([]*task.Task[int], sleepers)
			for b.Loop() {
				for i := range ts {
					wake := future.New[struct{}](l)
					wakes[i] = wake
					ts[i] = task.Spawn(l, func(c *task.Coro) (int, error) { return 0, c.Await(wake) })
				}
				c.Yield() // all started and suspended
				for i := range wakes {
					wakes[order(i)].SetResult(struct{}{})
				}
				for _, t := range ts {
					task.Await(c, t)
				}
			}
			return 0, nil
		})
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/sleepers, "ns/task")
	})
}
