package future_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

// Done-callbacks are scheduled on the loop when the future completes, in
// registration order; SetResult never calls them itself.
func ExampleFuture() {
	l := looptest.New()
	defer l.Close()
	f := future.New[string](l)
	for _, name := range []string{"A", "B"} {
		f.AddDoneCallback(func() {
			v, _ := f.Result()
			fmt.Printf("callback %s sees %q\n", name, v)
		})
	}
	l.CallSoon(func() {
		f.SetResult("hello")
		fmt.Println("SetResult returned")
	})
	v, err := future.RunUntilComplete[string](l, f)
	fmt.Println(v, err)
	// Output:
	// SetResult returned
	// callback A sees "hello"
	// callback B sees "hello"
	// hello <nil>
}

// A cancelled future's error carries the message and satisfies
// errors.Is(err, context.Canceled).
func ExampleFuture_Cancel() {
	l := looptest.New()
	defer l.Close()
	f := future.New[int](l)
	fmt.Println(f.Cancel("no longer needed"), f.Cancelled())
	_, err := f.Result()
	fmt.Println(err, errors.Is(err, context.Canceled))
	// Output:
	// true true
	// cancelled: no longer needed true
}

// Go funcs are not comparable, so a callback is removed by the id that
// AddDoneCallback returned.
func ExampleFuture_RemoveDoneCallback() {
	l := looptest.New()
	defer l.Close()
	f := future.New[int](l)
	id := f.AddDoneCallback(func() { fmt.Println("removed: never runs") })
	f.AddDoneCallback(func() { fmt.Println("kept") })
	fmt.Println("removed", f.RemoveDoneCallback(id))
	f.SetResult(1)
	future.RunUntilComplete[int](l, f)
	// Output:
	// removed 1
	// kept
}

func ExampleRunUntilComplete() {
	l := looptest.New()
	defer l.Close()
	f := future.New[int](l)
	l.CallSoon(func() { f.SetException(errors.New("it failed")) })
	_, err := future.RunUntilComplete[int](l, f)
	fmt.Println("error:", err)
	// Output:
	// error: it failed
}

// Distinct keeps one of each future, in the order of first appearance, as
// gather and wait do with an awaitable given twice.
func ExampleDistinct() {
	l := looptest.New()
	defer l.Close()
	a, b := future.New[int](l), future.New[int](l)
	names := map[*future.Future[int]]string{a: "a", b: "b"}
	for _, f := range future.Distinct([]*future.Future[int]{b, a, b, a}) {
		fmt.Print(names[f], " ")
	}
	fmt.Println()
	// Output: b a
}
