package loop

import (
	"container/heap"
	"testing"
)

// timerHandles returns n timers with the anchors' scattered deadlines.
func timerHandles(n int) []*TimerHandle {
	hs := make([]*TimerHandle, n)
	for i := range hs {
		hs[i] = &TimerHandle{when: int64(i*48271%n) * 1000, seq: uint64(i)}
	}
	return hs
}

// BenchmarkTimerHeap pushes 100k timers with scattered deadlines (the
// anchors' timers workload) and pops them all.
func BenchmarkTimerHeap(b *testing.B) {
	hs := timerHandles(100_000)
	b.ReportAllocs()
	var t timerHeap
	for b.Loop() {
		for _, h := range hs {
			t.push(h)
		}
		for t.len() > 0 {
			t.pop()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hs)), "ns/timer")
}

// pointerHeap is what plain Go would write: container/heap over pointers.
type pointerHeap []*TimerHandle

func (h pointerHeap) Len() int           { return len(h) }
func (h pointerHeap) Less(i, j int) bool { return h[i].when < h[j].when }
func (h pointerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pointerHeap) Push(x any)        { *h = append(*h, x.(*TimerHandle)) }
func (h *pointerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// BenchmarkTimerHeapBaseline is BenchmarkTimerHeap on container/heap.
func BenchmarkTimerHeapBaseline(b *testing.B) {
	hs := timerHandles(100_000)
	b.ReportAllocs()
	var t pointerHeap
	for b.Loop() {
		for _, h := range hs {
			heap.Push(&t, h)
		}
		for t.Len() > 0 {
			heap.Pop(&t)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hs)), "ns/timer")
}
