package loop

import (
	"fmt"
	"os"
	"os/signal"
)

// signals is a loop's signal-handling state: one watcher per signal.
type signals struct {
	watchers map[os.Signal]*sigWatcher
}

// A sigWatcher is the handler of one signal and the goroutine that forwards
// that signal's os/signal notifications to the loop. Each signal has its
// own channel so that removing one handler (signal.Stop) leaves the others
// and other packages' registrations alone.
type sigWatcher struct {
	h    *Handle
	ch   chan os.Signal
	done chan struct{} // closed to stop the goroutine
}

var signalsKey = NewKey[signals]("signals")

// AddSignalHandler makes fn run on the loop whenever the process receives
// sig (asyncio's loop.add_signal_handler); a handler already set for sig is
// replaced (and its Handle cancelled). Cancelling the returned Handle
// removes the handler when the signal next arrives; RemoveSignalHandler
// removes it at once. Delivery goes through os/signal and CallSoonThreadsafe, so fn
// runs as an ordinary callback, never inside the signal itself, and a burst
// of signals may run it fewer times than they arrived (as with asyncio's
// wake-up fd). While a handler is set, sig no longer has its default effect
// (SIGINT no longer ends the program).
//
// It returns ErrClosed for a closed loop and an error for signals that
// cannot be caught (SIGKILL, SIGSTOP). Must be called on the loop's
// goroutine.
func (l *Loop) AddSignalHandler(sig os.Signal, fn func()) (*Handle, error) {
	if l.closed.Load() {
		return nil, ErrClosed
	}
	l.checkGoroutine("AddSignalHandler")
	if uncatchable(sig) {
		return nil, fmt.Errorf("loop: AddSignalHandler: signal %v cannot be caught", sig)
	}
	s := signalsKey.Get(l)
	if s.watchers == nil {
		s.watchers = map[os.Signal]*sigWatcher{}
		l.AtClose(func() {
			for sig := range s.watchers {
				s.remove(sig)
			}
		})
	}
	h := &Handle{fn: fn}
	if w := s.watchers[sig]; w != nil {
		w.h.Cancel()
		w.h = h
		return h, nil
	}
	w := &sigWatcher{h: h, ch: make(chan os.Signal, 1), done: make(chan struct{})}
	s.watchers[sig] = w
	signal.Notify(w.ch, sig)
	go w.forward(l, sig)
	return h, nil
}

// forward posts a callback to the loop for each notification until done.
// The channel holds one pending notification: signals that arrive while
// one is pending coalesce, as bytes on asyncio's wake-up fd do.
func (w *sigWatcher) forward(l *Loop, sig os.Signal) {
	for {
		select {
		case <-w.ch:
			l.CallSoonThreadsafe(func() { l.handleSignal(sig) })
		case <-w.done:
			return
		}
	}
}

// RemoveSignalHandler removes the handler for sig, restoring the signal's
// default behaviour, and reports whether there was one (asyncio's
// loop.remove_signal_handler). Must be called on the loop's goroutine.
func (l *Loop) RemoveSignalHandler(sig os.Signal) bool {
	l.checkGoroutine("RemoveSignalHandler")
	s := signalsKey.Lookup(l)
	if s == nil || s.watchers[sig] == nil {
		return false
	}
	s.remove(sig)
	return true
}

func (s *signals) remove(sig os.Signal) {
	w := s.watchers[sig]
	signal.Stop(w.ch) // the default action returns if nobody else listens
	close(w.done)
	w.h.Cancel()
	delete(s.watchers, sig)
}

// handleSignal is asyncio's _handle_signal: run the current handler of sig,
// or drop a cancelled one.
func (l *Loop) handleSignal(sig os.Signal) {
	s := signalsKey.Lookup(l)
	if s == nil {
		return
	}
	w := s.watchers[sig]
	switch {
	case w == nil: // removed since the signal arrived
	case w.h.cancelled:
		s.remove(sig)
	default:
		w.h.fn()
	}
}
