package loop_test

import (
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

// Cancelling a handle releases its callback at once, as asyncio's
// Handle.cancel drops _callback, although the handle stays queued until
// the loop reaches it: whatever the callback holds can be collected.
func TestCancelReleasesCallback(t *testing.T) {
	schedule := []struct {
		name string
		call func(l *loop.Loop, fn func()) interface{ Cancel() }
	}{
		{"CallSoon", func(l *loop.Loop, fn func()) interface{ Cancel() } { return l.CallSoon(fn) }},
		{"CallLater", func(l *loop.Loop, fn func()) interface{ Cancel() } { return l.CallLater(time.Second, fn) }},
	}
	for _, tc := range schedule {
		t.Run(tc.name, func(t *testing.T) {
			l := looptest.New()
			defer l.Close()
			fn, held := holding()
			h := tc.call(l, fn)
			fn = nil
			h.Cancel()
			runtime.GC()
			if held.Value() != nil {
				t.Fatal("the cancelled callback is still reachable while its handle is queued")
			}
			runtime.KeepAlive(h)
		})
	}
}

// Once a handle's callback ran, a handle the caller keeps no longer holds
// it.
func TestRunHandleReleasesCallback(t *testing.T) {
	l := looptest.New()
	defer l.Close()
	fn, held := holding()
	h := l.CallSoon(fn)
	fn = nil
	l.CallSoon(l.Stop)
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	if held.Value() != nil {
		t.Fatal("the callback is still reachable through its handle after it ran")
	}
	runtime.KeepAlive(h)
}

// holding returns a callback that holds a large object, and a weak pointer
// that tells whether the object is still reachable.
func holding() (func(), weak.Pointer[[1 << 16]byte]) {
	big := new([1 << 16]byte)
	return func() { big[0]++ }, weak.Make(big)
}
