package gather_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

const benchN = 100_000

func square(i int) func(*task.Coro) (int, error) {
	return func(*task.Coro) (int, error) { return i * i, nil }
}

// finishedTasks returns a loop with n tasks that have all finished.
func finishedTasks(b *testing.B, n int) (*loop.Loop, []*task.Task[int]) {
	l := loop.New()
	ts := make([]*task.Task[int], n)
	for i := range ts {
		ts[i] = task.Spawn(l, square(i))
	}
	// Steps run in FIFO order: when the last task is done, all are.
	if _, err := future.RunUntilComplete[int](l, ts[n-1]); err != nil {
		b.Fatal(err)
	}
	return l, ts
}

// BenchmarkGatherFinished gathers 100k tasks that already finished: one
// done-callback per task, one loop iteration to run them, the results
// slice. Compare with BenchmarkWaitGroupBaseline.
func BenchmarkGatherFinished(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		l, ts := finishedTasks(b, benchN)
		runtime.GC() // do not bill the set-up's garbage to the gather
		b.StartTimer()
		vs, err := future.RunUntilComplete(l, gather.AllOf(l, ts))
		if err != nil || len(vs) != benchN || vs[benchN-1] != (benchN-1)*(benchN-1) {
			b.Fatalf("got %d results, %v", len(vs), err)
		}
		b.StopTimer()
		l.Close()
		b.StartTimer()
	}
}

// BenchmarkGatherSpawn spawns 100k task bodies and gathers them
// (asyncio.gather(*coros)): task creation, one step each, the gather.
func BenchmarkGatherSpawn(b *testing.B) {
	b.ReportAllocs()
	bodies := make([]func(*task.Coro) (int, error), benchN)
	for i := range bodies {
		bodies[i] = square(i)
	}
	for b.Loop() {
		l := loop.New()
		vs, err := future.RunUntilComplete(l, gather.Spawn(l, bodies...))
		if err != nil || len(vs) != benchN {
			b.Fatalf("got %d results, %v", len(vs), err)
		}
		b.StopTimer()
		l.Close()
		b.StartTimer()
	}
}

// BenchmarkWaitGroupBaseline is the plain-Go way to collect 100k results:
// one goroutine per item writing its slot, a sync.WaitGroup to wait.
func BenchmarkWaitGroupBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		vs := make([]int, benchN)
		var wg sync.WaitGroup
		for i := range vs {
			wg.Go(func() { vs[i] = i * i })
		}
		wg.Wait()
		if vs[benchN-1] != (benchN-1)*(benchN-1) {
			b.Fatal("wrong result")
		}
	}
}

// BenchmarkSliceBaseline collects 100k results that already exist, the
// floor under BenchmarkGatherFinished.
func BenchmarkSliceBaseline(b *testing.B) {
	b.ReportAllocs()
	src := make([]int, benchN)
	for i := range src {
		src[i] = i * i
	}
	for b.Loop() {
		vs := make([]int, benchN)
		copy(vs, src)
		if vs[benchN-1] != (benchN-1)*(benchN-1) {
			b.Fatal("wrong result")
		}
	}
}
