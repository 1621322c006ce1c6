package loop_test

import (
	"sync"
	"testing"

	"github.com/goasyncio/goasyncio/loop"
)

// BenchmarkCallSoonRun measures scheduling a callback with CallSoon and
// running it: one per loop iteration (each callback schedules the next, as
// a call_soon chain does), and in batches of 1024 (one iteration runs
// them all). The plain-Go baselines run the same callbacks through a slice
// used as a FIFO and through a buffered channel, on one goroutine.
func BenchmarkCallSoonRun(b *testing.B) {
	b.Run("baseline=slice-fifo", func(b *testing.B) {
		b.ReportAllocs()
		var q []func()
		head, n := 0, 0
		fn := func() { n++ }
		for b.Loop() {
			q = append(q, fn)
			f := q[head]
			q[head] = nil
			head++
			f()
			if head == len(q) { // empty: reuse the array from its start
				q, head = q[:0], 0
			}
		}
	})
	b.Run("baseline=chan", func(b *testing.B) {
		b.ReportAllocs()
		ch := make(chan func(), 1)
		n := 0
		fn := func() { n++ }
		for b.Loop() {
			ch <- fn
			(<-ch)()
		}
	})
	b.Run("chain", func(b *testing.B) {
		b.ReportAllocs()
		l := loop.New()
		defer l.Close()
		var tick func()
		tick = func() {
			if b.Loop() {
				l.CallSoon(tick)
			} else {
				l.Stop()
			}
		}
		l.CallSoon(tick)
		l.RunForever()
	})
	b.Run("batch=1024", func(b *testing.B) {
		b.ReportAllocs()
		l := loop.New()
		defer l.Close()
		n := 0
		fn := func() { n++ }
		for b.Loop() {
			l.CallSoon(fn)
			if n++; n%1024 == 0 {
				l.CallSoon(l.Stop)
				l.RunForever()
			}
		}
	})
}

// BenchmarkThreadsafeFanIn measures callbacks posted with
// CallSoonThreadsafe by 4 goroutines and run by the loop (ns per callback,
// posting and running included), beside 4 goroutines sending funcs over a
// buffered channel to one goroutine that calls them.
func BenchmarkThreadsafeFanIn(b *testing.B) {
	const posters = 4
	// share splits n callbacks between the posters.
	share := func(n, g int) int {
		s := n / posters
		if g == 0 {
			s += n % posters
		}
		return s
	}
	b.Run("baseline=chan", func(b *testing.B) {
		b.ReportAllocs()
		ch := make(chan func(), 1024)
		count := 0
		fn := func() { count++ }
		var wg sync.WaitGroup
		for g := range posters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range share(b.N, g) {
					ch <- fn
				}
			}()
		}
		for range b.N {
			(<-ch)()
		}
		wg.Wait()
	})
	b.Run("loop", func(b *testing.B) {
		b.ReportAllocs()
		l := loop.New()
		defer l.Close()
		count := 0
		fn := func() {
			if count++; count == b.N {
				l.Stop()
			}
		}
		var wg sync.WaitGroup
		for g := range posters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range share(b.N, g) {
					l.CallSoonThreadsafe(fn)
				}
			}()
		}
		l.RunForever()
		wg.Wait()
	})
}
