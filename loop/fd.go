package loop

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrFDRegistered reports AddReader (AddWriter) on a file descriptor that
// already has a reader (writer). asyncio silently replaces the first
// callback, leaving whoever waited on it hanging forever; goasyncio refuses.
// Remove the first registration (or cancel its Handle) before adding another.
var ErrFDRegistered = errors.New("loop: file descriptor already registered")

// Interest bits of a registration and of a readiness event.
const (
	evRead  uint8 = 1
	evWrite uint8 = 2
)

// An ioEvent is one ready file descriptor reported by the poller.
type ioEvent struct {
	fd   int
	mask uint8
}

// fdEntry is a registered file descriptor: the selector key and its data
// (reader, writer) in asyncio's selector loop.
type fdEntry struct {
	mask           uint8
	reader, writer *Handle
	// The callbacks, kept apart from the handles because the loop clears
	// a handle's function after running it, and these run many times.
	readFn, writeFn func()
}

// ioState is the loop's I/O half, created by the first AddReader or
// AddWriter. While at least one fd is registered, runOnce waits in the
// poller instead of on the clock; with none, the loop runs exactly as if
// ioState did not exist.
type ioState struct {
	p       *poller
	fds     map[int]*fdEntry
	events  []ioEvent   // from the last wait, queued after the inbox drain
	waiting atomic.Bool // the loop is (about to be) blocked in p.wait
}

// ioState returns the loop's I/O state, creating the poller on first use.
func (l *Loop) ioState() (*ioState, error) {
	if io := l.io.Load(); io != nil {
		return io, nil
	}
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	io := &ioState{p: p, fds: map[int]*fdEntry{}}
	l.io.Store(io)
	l.AtClose(func() {
		io.p.close()
		clear(io.fds)
	})
	return io, nil
}

// AddReader starts watching fd for reading: fn runs on the loop each
// iteration in which fd is readable, until RemoveReader or until the
// returned Handle is cancelled (asyncio's loop.add_reader). fd must be in
// non-blocking mode for fn to be able to read without blocking the loop.
//
// It returns ErrClosed for a closed loop, an error wrapping ErrFDRegistered
// if fd already has a reader, and the poller's error for an fd it cannot
// watch (EBADF, EPERM for a regular file). Remove the registration before
// closing fd. Must be called on the loop's goroutine.
//
// While fds are registered the loop waits in the poller (epoll on Linux,
// poll(2) on other Unix systems) instead of on its clock. On a virtual
// clock (package looptest) time then jumps to the next timer only when no
// registered fd is ready at that moment and no hold is outstanding; a
// manual clock's Advance does not end a wait for I/O.
func (l *Loop) AddReader(fd int, fn func()) (*Handle, error) {
	return l.addFD(fd, evRead, fn, "AddReader")
}

// AddWriter starts watching fd for writing: fn runs on the loop each
// iteration in which fd is writable, until RemoveWriter or until the
// returned Handle is cancelled (asyncio's loop.add_writer). Errors as for
// AddReader. Must be called on the loop's goroutine.
func (l *Loop) AddWriter(fd int, fn func()) (*Handle, error) {
	return l.addFD(fd, evWrite, fn, "AddWriter")
}

// RemoveReader stops watching fd for reading and cancels the reader's
// Handle (asyncio's loop.remove_reader). It reports whether a reader was
// registered. Must be called on the loop's goroutine.
func (l *Loop) RemoveReader(fd int) bool {
	if l.closed.Load() {
		return false
	}
	l.checkGoroutine("RemoveReader")
	return l.removeFD(fd, evRead)
}

// RemoveWriter stops watching fd for writing and cancels the writer's
// Handle (asyncio's loop.remove_writer). It reports whether a writer was
// registered. Must be called on the loop's goroutine.
func (l *Loop) RemoveWriter(fd int) bool {
	if l.closed.Load() {
		return false
	}
	l.checkGoroutine("RemoveWriter")
	return l.removeFD(fd, evWrite)
}

// addFD is asyncio's _add_reader / _add_writer.
func (l *Loop) addFD(fd int, ev uint8, fn func(), method string) (*Handle, error) {
	if l.closed.Load() {
		return nil, ErrClosed
	}
	l.checkGoroutine(method)
	if fd < 0 {
		return nil, fmt.Errorf("loop: %s: invalid file descriptor %d", method, fd)
	}
	io, err := l.ioState()
	if err != nil {
		return nil, fmt.Errorf("loop: %s(%d): %w", method, fd, err)
	}
	e := io.fds[fd]
	if e == nil {
		e = &fdEntry{}
	}
	slot, fnSlot := &e.reader, &e.readFn
	if ev == evWrite {
		slot, fnSlot = &e.writer, &e.writeFn
	}
	if *slot != nil && !(*slot).cancelled {
		what := "reader"
		if ev == evWrite {
			what = "writer"
		}
		return nil, fmt.Errorf("%w: fd %d already has a %s", ErrFDRegistered, fd, what)
	}
	if err := io.p.control(fd, e.mask, e.mask|ev); err != nil {
		return nil, fmt.Errorf("loop: %s(%d): %w", method, fd, err)
	}
	e.mask |= ev
	h := &Handle{fn: fn}
	*slot, *fnSlot = h, fn
	io.fds[fd] = e
	return h, nil
}

// removeFD is asyncio's _remove_reader / _remove_writer.
func (l *Loop) removeFD(fd int, ev uint8) bool {
	io := l.io.Load()
	if io == nil {
		return false
	}
	e := io.fds[fd]
	if e == nil {
		return false
	}
	mask := e.mask &^ ev
	if err := io.p.control(fd, e.mask, mask); err != nil {
		// The fd was closed (and the kernel dropped it) or replaced by
		// another file: forget it entirely, as the selector would.
		io.p.control(fd, e.mask, 0)
		mask = 0
	}
	slot, fnSlot := &e.reader, &e.readFn
	if ev == evWrite {
		slot, fnSlot = &e.writer, &e.writeFn
	}
	h := *slot
	*slot, *fnSlot = nil, nil
	if mask == 0 {
		// After a failed control the other direction is gone too.
		if other := e.reader; other != nil {
			other.Cancel()
		}
		if other := e.writer; other != nil {
			other.Cancel()
		}
		delete(io.fds, fd)
	} else {
		e.mask = mask
	}
	if h == nil {
		return false
	}
	h.Cancel()
	return true
}

// pollIO is the selector's select(timeout) in runOnce: it waits until an fd
// is ready, a callback is posted, a hold is released, or the next timer is
// due, and keeps the ready fds for dispatchIO.
func (l *Loop) pollIO(io *ioState) {
	// Set waiting before looking at the inbox and the holds: a goroutine
	// that posts (or releases) after that look sees waiting and writes the
	// wake-up fd; one that posted before it is seen by the look.
	io.waiting.Store(true)
	defer io.waiting.Store(false)
	select {
	case <-l.wake: // a stale channel token: the inbox check below decides
	default:
	}
	timeout := time.Duration(-1)
	switch {
	case l.ready.len() > 0 || l.stopping || l.inboxPending():
		timeout = 0
	case l.timers.len() > 0:
		deadline := l.epoch.Add(time.Duration(l.timers.top().when))
		if _, ok := l.clock.(*systemClock); ok {
			timeout = max(0, min(deadline.Sub(l.clock.Now()), maxSleep))
			break
		}
		if l.holds.Load() > 0 {
			break // virtual time stands still: wait for I/O or the hold
		}
		// Virtual time: take what I/O is ready now; if there is none, let
		// the clock decide (an auto-jumping clock jumps to the timer).
		io.waiting.Store(false)
		io.poll(l, 0)
		if len(io.events) == 0 && !l.inboxPending() {
			l.clock.Sleep(deadline, l.wake, false)
		}
		return
	}
	io.poll(l, timeout)
}

func (io *ioState) poll(l *Loop, timeout time.Duration) {
	evs, err := io.p.wait(timeout)
	if err != nil {
		// The poller itself failed: nothing the loop can do but report it
		// and not spin (asyncio would raise out of run_forever).
		l.CallExceptionHandler(ExceptionContext{Message: "loop: polling for I/O failed", Err: err})
		evs = nil
	}
	io.events = evs
}

// inboxPending reports whether callbacks were posted since the last drain.
func (l *Loop) inboxPending() bool { return l.posted.Load() > 0 }

// dispatchIO is asyncio's _process_events: it queues the reader and writer
// callbacks of the fds found ready, dropping registrations whose Handle was
// cancelled.
func (l *Loop) dispatchIO(io *ioState) {
	for _, ev := range io.events {
		e := io.fds[ev.fd]
		if e == nil {
			continue
		}
		if ev.mask&evRead != 0 && e.reader != nil {
			if e.reader.cancelled {
				l.removeFD(ev.fd, evRead)
			} else {
				l.ready.push(entry{fn: e.readFn, h: e.reader})
			}
		}
		if ev.mask&evWrite != 0 && e.writer != nil {
			if e.writer.cancelled {
				l.removeFD(ev.fd, evWrite)
			} else {
				l.ready.push(entry{fn: e.writeFn, h: e.writer})
			}
		}
	}
	io.events = io.events[:0]
}
