package executor

import "github.com/goasyncio/goasyncio/internal/goid"

// A ShutdownOption configures Shutdown.
type ShutdownOption func(*shutdownOptions)

type shutdownOptions struct {
	noWait, cancelFutures bool
}

// NoWait makes Shutdown return at once instead of waiting for the queued
// and running work to finish (shutdown(wait=False)). The workers still
// finish it, then exit.
func NoWait() ShutdownOption { return func(o *shutdownOptions) { o.noWait = true } }

// CancelFutures makes Shutdown cancel the work still queued
// (shutdown(cancel_futures=True)): it never runs, and its futures are
// cancelled. Unlike Python, it also cancels the contexts of the work
// running now, asking it to stop early.
func CancelFutures() ShutdownOption { return func(o *shutdownOptions) { o.cancelFutures = true } }

// Shutdown stops p accepting work (Executor.shutdown): Submit returns
// ErrShutdown from now on. By default the work already queued still runs
// and Shutdown returns once it has finished and every worker has exited;
// NoWait and CancelFutures change that. Calling it again is harmless.
//
// Shutdown must not wait from inside p's own work or done-callbacks (a
// worker cannot wait for itself; Python raises RuntimeError): it shuts p
// down and then panics with ErrWaitInWorker. Pass NoWait there. Safe for
// concurrent use.
func (p *Pool) Shutdown(opts ...ShutdownOption) {
	var o shutdownOptions
	for _, opt := range opts {
		opt(&o)
	}
	p.mu.Lock()
	p.init()
	p.shutdown = true
	var cancel, stop []runner
	if o.cancelFutures {
		for n := p.pop(); n != nil; n = p.pop() {
			cancel = append(cancel, n.r)
		}
		for n := p.running.next; n != &p.running; n = n.next {
			stop = append(stop, n.r)
		}
	}
	// Wake every idle worker: each finds the queue empty and exits.
	p.idle = 0
	p.wake.Broadcast()
	inWorker := false
	if !o.noWait && p.workers > 0 {
		_, inWorker = p.ids[goid.Get()]
	}
	p.mu.Unlock()
	// Cancel outside the lock: done-callbacks run here and may call p.
	for _, r := range cancel {
		r.Cancel()
	}
	for _, r := range stop {
		r.stopWork()
	}
	if o.noWait {
		return
	}
	if inWorker {
		panic(ErrWaitInWorker)
	}
	p.exited.Wait()
}
