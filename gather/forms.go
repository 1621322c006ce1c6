package gather

import (
	"fmt"
	"reflect"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// A Result is one slot of a settled gathering (asyncio.gather with
// return_exceptions=True): the child's value, or the error it failed with.
// A cancelled child's Err is a fresh *future.CancelledError whose message
// is the one given to the child future's Cancel, or the empty string (as
// asyncio puts CancelledError with an empty string there; a cancelled
// task keeps no message, in asyncio as here).
type Result[T any] struct {
	Value T
	Err   error
}

// All runs aws concurrently and gathers their results in argument order
// (asyncio.gather(*aws)). The first child error, or a cancelled child's
// CancelledError, fails the Gathering at once; the other children keep
// running. An awaitable given twice is waited for once and fills both
// slots. With no awaitables the Gathering is already done, with an empty
// result. A nil awaitable, or one of another loop than l, fails the
// Gathering at once with ErrNil or future.ErrOtherLoop (asyncio raises from
// gather itself).
//
// Must be called on l's goroutine (or before l runs).
func All[T any](l *loop.Loop, aws ...future.Typed[T]) *Gathering[T] {
	return newGathering(l, aws, false, value[T])
}

// AllSettled is All that never fails because of a child
// (asyncio.gather(*aws, return_exceptions=True)): it waits for every child
// and returns each one's value or error in its slot. It still fails with a
// *future.CancelledError if its Cancel cancelled a child.
//
// Must be called on l's goroutine (or before l runs).
func AllSettled[T any](l *loop.Loop, aws ...future.Typed[T]) *Gathering[Result[T]] {
	return newGathering(l, aws, true, settled[T])
}

// AllOf is All for a slice of one concrete awaitable type, such as
// []*task.Task[T], which Go cannot spread into All's ...future.Typed[T]
// parameter.
//
// Must be called on l's goroutine (or before l runs).
func AllOf[T any, A future.Typed[T]](l *loop.Loop, aws []A) *Gathering[T] {
	return newGathering(l, aws, false, value[T])
}

// AllSettledOf is AllSettled for a slice of one concrete awaitable type.
//
// Must be called on l's goroutine (or before l runs).
func AllSettledOf[T any, A future.Typed[T]](l *loop.Loop, aws []A) *Gathering[Result[T]] {
	return newGathering(l, aws, true, settled[T])
}

// Mixed is All for awaitables of different result types
// (asyncio.gather(*aws)): each slot holds the child's result as an any
// (nil for an awaitable without a Result method).
//
// Must be called on l's goroutine (or before l runs).
func Mixed(l *loop.Loop, aws ...future.Awaitable) *Gathering[any] {
	return newGathering(l, aws, false, anyValue)
}

// MixedSettled is AllSettled for awaitables of different result types
// (asyncio.gather(*aws, return_exceptions=True)).
//
// Must be called on l's goroutine (or before l runs).
func MixedSettled(l *loop.Loop, aws ...future.Awaitable) *Gathering[Result[any]] {
	return newGathering(l, aws, true, anySettled)
}

// Spawn spawns one task per body, in argument order, and gathers them as
// All does (asyncio.gather(*coros), which wraps each coroutine in a task).
// A nil body fails the Gathering with ErrNil and spawns nothing.
//
// Must be called on l's goroutine (or before l runs).
func Spawn[T any](l *loop.Loop, bodies ...func(c *task.Coro) (T, error)) *Gathering[T] {
	ts, err := spawnAll(l, bodies)
	if err != nil {
		return failed[T](l, err)
	}
	return All(l, ts...)
}

// SpawnSettled spawns one task per body, in argument order, and gathers
// them as AllSettled does (asyncio.gather(*coros, return_exceptions=True)).
//
// Must be called on l's goroutine (or before l runs).
func SpawnSettled[T any](l *loop.Loop, bodies ...func(c *task.Coro) (T, error)) *Gathering[Result[T]] {
	ts, err := spawnAll(l, bodies)
	if err != nil {
		return failed[Result[T]](l, err)
	}
	return AllSettled(l, ts...)
}

// spawnAll spawns the bodies in order; if one is nil it spawns none.
func spawnAll[T any](l *loop.Loop, bodies []func(*task.Coro) (T, error)) ([]future.Typed[T], error) {
	for i, b := range bodies {
		if b == nil {
			return nil, fmt.Errorf("%w (body %d)", ErrNil, i)
		}
	}
	ts := make([]future.Typed[T], len(bodies))
	for i, b := range bodies {
		ts[i] = task.Spawn(l, b)
	}
	return ts, nil
}

// value is the slot of All: the child's result (zero if it failed, which
// cannot reach the results of a gathering that propagates errors).
func value[T any](child future.Awaitable, err error) T {
	var v T
	if err == nil {
		v, _ = child.(future.Typed[T]).Result()
	}
	return v
}

func settled[T any](child future.Awaitable, err error) Result[T] {
	if err != nil {
		return Result[T]{Err: err}
	}
	v, _ := child.(future.Typed[T]).Result()
	return Result[T]{Value: v}
}

func anyValue(child future.Awaitable, err error) any {
	if err != nil {
		return nil
	}
	return resultOf(child)
}

func anySettled(child future.Awaitable, err error) Result[any] {
	if err != nil {
		return Result[any]{Err: err}
	}
	return Result[any]{Value: resultOf(child)}
}

// resultOf returns the value of a done, successful awaitable of any result
// type. future.Awaitable is deliberately non-generic and has no result
// accessor, so the Result method every future.Typed[T] has is called
// through reflection; Mixed pays for that, All does not.
func resultOf(aw future.Awaitable) any {
	if t, ok := aw.(future.Typed[any]); ok {
		v, _ := t.Result()
		return v
	}
	m := reflect.ValueOf(aw).MethodByName("Result")
	if !m.IsValid() {
		return nil
	}
	mt := m.Type()
	if mt.NumIn() != 0 || mt.NumOut() != 2 {
		return nil
	}
	return m.Call(nil)[0].Interface()
}
