package executor_test

import (
	"context"
	"sync"
	"testing"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

func trivial(x int) func(context.Context) (int, error) {
	return func(context.Context) (int, error) { return x + 1, nil }
}

// BenchmarkRunInExecutor is the shared "executor" workload: a task runs a
// trivial function b.N times through RunInExecutor on a pool of 4 workers,
// all submitted first, then awaited in order (the workers are started
// beforehand). One op is one call, from submission to its result being
// read by the task.
func BenchmarkRunInExecutor(b *testing.B) {
	b.ReportAllocs()
	p := executor.New(executor.WithMaxWorkers(4))
	defer p.Shutdown()
	_, err := task.Run(func(c *task.Coro) (int, error) {
		l := c.Loop()
		warm := make([]*future.Future[int], 16)
		for i := range warm {
			warm[i], _ = executor.RunInExecutor(l, p, trivial(i))
		}
		for _, f := range warm {
			task.Await(c, f)
		}
		fs := make([]*future.Future[int], b.N)
		b.ResetTimer()
		for i := range fs {
			f, err := executor.RunInExecutor(l, p, trivial(i))
			if err != nil {
				return 0, err
			}
			fs[i] = f
		}
		sum := 0
		for _, f := range fs {
			v, err := task.Await(c, f)
			if err != nil {
				return 0, err
			}
			sum += v
		}
		b.StopTimer()
		if sum != b.N*(b.N-1)/2+b.N {
			b.Fatalf("bad sum %d", sum)
		}
		return sum, nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRunInExecutorBaseline is the plain-Go version of the same work
// (bench/anchors' goplain): 4 worker goroutines fed by a channel, one
// result channel per call, all sent first, then read in order.
func BenchmarkRunInExecutorBaseline(b *testing.B) {
	b.ReportAllocs()
	type job struct {
		x   int
		res chan int
	}
	jobs := make(chan job, b.N)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.res <- j.x + 1
			}
		}()
	}
	b.ResetTimer()
	futs := make([]chan int, b.N)
	for i := range futs {
		futs[i] = make(chan int, 1)
		jobs <- job{i, futs[i]}
	}
	sum := 0
	for _, f := range futs {
		sum += <-f
	}
	b.StopTimer()
	close(jobs)
	wg.Wait()
	if sum != b.N*(b.N-1)/2+b.N {
		b.Fatalf("bad sum %d", sum)
	}
}

// BenchmarkSubmit is the pool alone: b.N trivial calls submitted from one
// goroutine, results read in order.
func BenchmarkSubmit(b *testing.B) {
	b.ReportAllocs()
	p := executor.New(executor.WithMaxWorkers(4))
	defer p.Shutdown()
	fs := make([]*executor.Future[int], b.N)
	b.ResetTimer()
	for i := range fs {
		fs[i], _ = executor.Submit(p, trivial(i))
	}
	for _, f := range fs {
		f.Result()
	}
}

// BenchmarkSubmitBaseline is BenchmarkSubmit in plain Go: a goroutine per
// call, capped at 4 by a semaphore, and a result channel per call.
func BenchmarkSubmitBaseline(b *testing.B) {
	b.ReportAllocs()
	sem := make(chan struct{}, 4)
	fs := make([]chan int, b.N)
	b.ResetTimer()
	for i := range fs {
		fs[i] = make(chan int, 1)
		sem <- struct{}{}
		go func() {
			fs[i] <- i + 1
			<-sem
		}()
	}
	for _, f := range fs {
		<-f
	}
}

// BenchmarkCallSoonThreadsafe is the shared "threadsafe" workload:
// another goroutine posts b.N callbacks; one op is one callback posted and
// run on the loop.
func BenchmarkCallSoonThreadsafe(b *testing.B) {
	b.ReportAllocs()
	l := loop.New()
	defer l.Close()
	n := 0
	cb := func() {
		n++
		if n == b.N {
			l.Stop()
		}
	}
	start := make(chan struct{})
	go func() {
		<-start
		for range b.N {
			l.CallSoonThreadsafe(cb)
		}
	}()
	l.CallSoon(func() { close(start) })
	b.ResetTimer()
	if err := l.RunForever(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCallSoonThreadsafeBaseline is the plain-Go equivalent: a
// goroutine sends b.N funcs on a channel (capacity 256) that the "loop"
// goroutine runs.
func BenchmarkCallSoonThreadsafeBaseline(b *testing.B) {
	b.ReportAllocs()
	ch := make(chan func(), 256)
	n := 0
	done := make(chan struct{})
	cb := func() {
		n++
		if n == b.N {
			close(done)
		}
	}
	b.ResetTimer()
	go func() {
		for range b.N {
			ch <- cb
		}
	}()
	for {
		select {
		case f := <-ch:
			f()
		case <-done:
			return
		}
	}
}
