package aqueue_test

import (
	"sync"
	"testing"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// The shared bench workload "queue": one item through a bounded queue
// (maxsize 100) from 1 producer to 4 consumers, with TaskDone per item and
// Join at the end. One op is one item.
func BenchmarkQueue(b *testing.B) {
	const consumers, maxsize = 4, 100
	b.ReportAllocs()
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		q := aqueue.New[int](maxsize)
		total := 0
		for range consumers {
			task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
				for {
					v, err := q.Get(c)
					if err != nil {
						return struct{}{}, err
					}
					total += v
					q.TaskDone()
				}
			})
		}
		b.ResetTimer()
		for i := range b.N {
			q.Put(c, i)
		}
		q.Join(c)
		b.StopTimer()
		if total != b.N*(b.N-1)/2 {
			b.Errorf("sum %d, want %d", total, b.N*(b.N-1)/2)
		}
		return struct{}{}, nil // the consumers are cancelled by RunOn
	})
}

// The plain-Go baseline: a buffered channel (cap 100), 4 consumer
// goroutines, WaitGroup Add/Done per item for task_done/join.
func BenchmarkQueueChanBaseline(b *testing.B) {
	const consumers, maxsize = 4, 100
	b.ReportAllocs()
	ch := make(chan int, maxsize)
	sums := make(chan int, consumers)
	var pending sync.WaitGroup
	for range consumers {
		go func() {
			s := 0
			for v := range ch {
				s += v
				pending.Done()
			}
			sums <- s
		}()
	}
	b.ResetTimer()
	for i := range b.N {
		pending.Add(1)
		ch <- i
	}
	pending.Wait()
	b.StopTimer()
	close(ch)
	total := 0
	for range consumers {
		total += <-sums
	}
	if total != b.N*(b.N-1)/2 {
		b.Errorf("sum %d, want %d", total, b.N*(b.N-1)/2)
	}
}
