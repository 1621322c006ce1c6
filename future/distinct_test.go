package future_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

func TestDistinct(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	a, b, c := future.New[int](l), future.New[int](l), future.New[int](l)
	name := map[future.Awaitable]string{a: "a", b: "b", c: "c"}
	names := func(aws []future.Awaitable) []string {
		out := []string{}
		for _, aw := range aws {
			out = append(out, name[aw])
		}
		return out
	}
	tests := []struct {
		in   []future.Awaitable
		want []string
	}{
		{nil, []string{}},
		{[]future.Awaitable{a}, []string{"a"}},
		{[]future.Awaitable{a, b, c}, []string{"a", "b", "c"}},
		{[]future.Awaitable{b, a, b, b, c, a}, []string{"b", "a", "c"}},
		// Run again over the same futures: the marks of the last call are gone.
		{[]future.Awaitable{c, b, a}, []string{"c", "b", "a"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, names(future.Distinct(tc.in))); diff != "" {
			t.Errorf("Distinct(%v) (-want +got):\n%s", names(tc.in), diff)
		}
	}
}

// The same future seen through two interfaces (as a task is, as an
// Awaitable and as a Typed) is one future.
func TestDistinctByBase(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	f := future.New[int](l)
	var asTyped future.Typed[int] = f
	got := future.Distinct([]future.Awaitable{f, asTyped})
	if len(got) != 1 {
		t.Fatalf("Distinct of one future seen twice = %d futures, want 1", len(got))
	}
}

// A nil awaitable panics, and leaves no mark behind on the futures seen
// before it: a later Distinct still returns them.
func TestDistinctNilLeavesNoMark(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	a := future.New[int](l)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Distinct with a nil awaitable did not panic")
			}
		}()
		future.Distinct([]*future.Future[int]{a, nil})
	}()
	if got := future.Distinct([]*future.Future[int]{a}); len(got) != 1 {
		t.Fatalf("after the panic, Distinct([a]) = %d futures, want 1", len(got))
	}
}
