package executor_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
)

// TestCallSoonThreadsafeStress proves loop.CallSoonThreadsafe under load:
// 16 goroutines post 1,000,000 callbacks in total (16,000 with -short)
// while the loop runs, first busy with callbacks of its own, then idle
// between posts.
// Every callback runs exactly once, on the loop, and each goroutine's
// callbacks run in the order it posted them.
func TestCallSoonThreadsafeStress(t *testing.T) {
	leakcheck.Check(t)
	const posters = 16
	perPoster := 1_000_000 / posters
	if testing.Short() {
		perPoster = 1000
	}
	total := posters * perPoster

	l := loop.New()
	defer l.Close()
	// Only the loop's goroutine touches next, ran and busy: no locks, so
	// the race detector would see any callback run elsewhere.
	next := make([]int, posters)
	ran := 0
	var errs []string
	fail := func(format string, args ...any) {
		if len(errs) < 10 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	// The loop's own work interleaves with the posts: a chain of
	// CallSoon callbacks that lasts until half the posts have run. After
	// that the loop idles between posts, and each burst must wake it.
	busy := 0
	var spin func()
	spin = func() {
		busy++
		if ran < total/2 {
			l.CallSoon(spin)
		}
	}
	l.CallSoon(spin)

	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range perPoster {
				err := l.CallSoonThreadsafe(func() {
					if next[g] != i {
						fail("poster %d: callback %d ran when %d was due", g, i, next[g])
					}
					next[g] = i + 1
					ran++
					if ran == total {
						l.Stop()
					}
				})
				if err != nil {
					fail("poster %d: CallSoonThreadsafe: %v", g, err)
					return
				}
			}
		}()
	}
	l.CallSoon(func() { close(start) })
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for _, e := range errs {
		t.Error(e)
	}
	if ran != total {
		t.Errorf("%d callbacks ran, want %d", ran, total)
	}
	for g, n := range next {
		if n != perPoster {
			t.Errorf("poster %d: %d callbacks ran, want %d", g, n, perPoster)
		}
	}
	if busy < 2 {
		t.Errorf("the loop's own callbacks ran %d times; they should interleave with the posts", busy)
	}
}
