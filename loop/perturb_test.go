package loop_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

// timerOrder schedules timers with the given delays (in seconds), in
// order, and returns the order in which they run.
func timerOrder(t *testing.T, delays []int, opts ...loop.Option) []int {
	t.Helper()
	l := looptest.New(opts...)
	defer l.Close()
	var got []int
	for i, d := range delays {
		l.CallLater(time.Duration(d)*time.Second, func() { got = append(got, i) })
	}
	l.CallLater(time.Hour, l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestPerturbTimerTies(t *testing.T) {
	// Six timers due at 5s, one at 1s, one at 9s.
	delays := []int{5, 5, 5, 5, 5, 5, 1, 9}

	// Without perturbation: CPython's heapq order, computed with Python:
	// heappush the eight and the stop timer (3600), heappop until empty.
	if diff := cmp.Diff([]int{6, 0, 2, 5, 1, 4, 3, 7}, timerOrder(t, delays)); diff != "" {
		t.Fatalf("default order is not CPython's (-want +got):\n%s", diff)
	}

	orders := map[string]bool{}
	for seed := range uint64(50) {
		got := timerOrder(t, delays, loop.WithPerturbation(seed))
		if again := timerOrder(t, delays, loop.WithPerturbation(seed)); !slices.Equal(got, again) {
			t.Fatalf("seed %d: order %v, then %v on replay", seed, got, again)
		}
		// Deadline order is a promise: 1s first, 9s last, the ties between.
		if got[0] != 6 || got[7] != 7 {
			t.Fatalf("seed %d: %v breaks deadline order", seed, got)
		}
		ties := slices.Clone(got[1:7])
		slices.Sort(ties)
		if !slices.Equal(ties, []int{0, 1, 2, 3, 4, 5}) {
			t.Fatalf("seed %d: %v is not a permutation of the ties", seed, got)
		}
		orders[fmt.Sprint(got)] = true
	}
	if len(orders) < 10 {
		t.Errorf("50 seeds gave only %d orders of 6 tied timers: %v", len(orders), orders)
	}
}

// inboxOrder lets two goroutines post n callbacks each, one goroutine after
// the other, then runs one iteration and returns the order they ran in.
func inboxOrder(t *testing.T, n int, opts ...loop.Option) []string {
	t.Helper()
	l := looptest.New(opts...)
	defer l.Close()
	var got []string
	for _, g := range []string{"a", "b"} {
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range n {
				if err := l.CallSoonThreadsafe(func() { got = append(got, fmt.Sprint(g, i)) }); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Wait()
	}
	l.CallSoon(l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestPerturbInbox(t *testing.T) {
	const n = 4
	posted := []string{"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"}
	if diff := cmp.Diff(posted, inboxOrder(t, n)); diff != "" {
		t.Fatalf("without perturbation the posted order changed (-want +got):\n%s", diff)
	}
	orders := map[string]bool{}
	for seed := range uint64(30) {
		got := inboxOrder(t, n, loop.WithPerturbation(seed))
		if again := inboxOrder(t, n, loop.WithPerturbation(seed)); !slices.Equal(got, again) {
			t.Fatalf("seed %d: order %v, then %v on replay", seed, got, again)
		}
		// Each goroutine's posts keep their order.
		var as, bs []string
		for _, s := range got {
			if s[0] == 'a' {
				as = append(as, s)
			} else {
				bs = append(bs, s)
			}
		}
		if !slices.Equal(as, posted[:n]) || !slices.Equal(bs, posted[n:]) {
			t.Fatalf("seed %d: %v reorders one goroutine's posts", seed, got)
		}
		orders[fmt.Sprint(got)] = true
	}
	if len(orders) < 5 {
		t.Errorf("30 seeds gave only %d interleavings: %v", len(orders), orders)
	}
}

// TestPerturbInboxOnePoster: posts of a single goroutine are never
// reordered, whatever the seed.
func TestPerturbInboxOnePoster(t *testing.T) {
	for seed := range uint64(20) {
		l := looptest.New(loop.WithPerturbation(seed))
		var got []int
		for i := range 10 {
			l.CallSoonThreadsafe(func() { got = append(got, i) })
		}
		l.CallSoon(l.Stop)
		l.RunForever()
		l.Close()
		if !slices.IsSorted(got) || len(got) != 10 {
			t.Fatalf("seed %d: one goroutine's posts ran as %v", seed, got)
		}
	}
}

func TestShuffleSet(t *testing.T) {
	in := []int{0, 1, 2, 3, 4, 5, 6, 7}
	s := slices.Clone(in)
	loop.ShuffleSet(looptest.New(), s)
	if !slices.Equal(s, in) {
		t.Fatalf("ShuffleSet without perturbation changed %v to %v", in, s)
	}
	orders := map[string]bool{}
	for seed := range uint64(20) {
		s := slices.Clone(in)
		loop.ShuffleSet(looptest.New(loop.WithPerturbation(seed)), s)
		again := slices.Clone(in)
		loop.ShuffleSet(looptest.New(loop.WithPerturbation(seed)), again)
		if !slices.Equal(s, again) {
			t.Fatalf("seed %d: %v, then %v", seed, s, again)
		}
		sorted := slices.Sorted(slices.Values(s))
		if !slices.Equal(sorted, in) {
			t.Fatalf("seed %d: %v is not a permutation", seed, s)
		}
		orders[fmt.Sprint(s)] = true
	}
	if len(orders) < 10 {
		t.Errorf("20 seeds gave only %d orders", len(orders))
	}
}

func TestPerturbationSeed(t *testing.T) {
	if _, ok := looptest.New().PerturbationSeed(); ok {
		t.Error("a loop without WithPerturbation reports a seed")
	}
	if seed, ok := looptest.New(loop.WithPerturbation(42)).PerturbationSeed(); !ok || seed != 42 {
		t.Errorf("PerturbationSeed() = %d, %v; want 42, true", seed, ok)
	}
}

// BenchmarkCallSoonThreadsafe shows what perturbation costs a post (it
// records the poster's goroutine), beside a plain mutex-guarded append.
func BenchmarkCallSoonThreadsafe(b *testing.B) {
	fn := func() {}
	b.Run("baseline=mutex-append", func(b *testing.B) {
		b.ReportAllocs()
		var mu sync.Mutex
		var q []func()
		for b.Loop() {
			mu.Lock()
			q = append(q, fn)
			if len(q) == 1024 {
				q = q[:0]
			}
			mu.Unlock()
		}
	})
	for _, tc := range []struct {
		name string
		opts []loop.Option
	}{
		{"perturbation=off", nil},
		{"perturbation=on", []loop.Option{loop.WithPerturbation(1)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			l := loop.New(tc.opts...)
			defer l.Close()
			i := 0
			for b.Loop() {
				l.CallSoonThreadsafe(fn)
				if i++; i == 1024 { // drain now and then
					i = 0
					l.CallSoon(l.Stop)
					l.RunForever()
				}
			}
		})
	}
}
