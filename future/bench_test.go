package future_test

import (
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// BenchmarkDoneCallback measures the life of a future with one
// done-callback: create it, add the callback, set the result, run the
// callback on the loop (each callback starts the next round). The plain-Go
// baseline completes a one-shot buffered channel and calls the function
// after receiving from it.
func BenchmarkDoneCallback(b *testing.B) {
	b.Run("baseline=chan", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		fn := func() { n++ }
		for b.Loop() {
			ch := make(chan int, 1)
			ch <- 1
			<-ch
			fn()
		}
	})
	b.Run("future", func(b *testing.B) {
		b.ReportAllocs()
		l := loop.New()
		defer l.Close()
		var round func()
		round = func() {
			if !b.Loop() {
				l.Stop()
				return
			}
			f := future.New[int](l)
			f.AddDoneCallback(round)
			f.SetResult(1)
		}
		l.CallSoon(round)
		l.RunForever()
	})
}
