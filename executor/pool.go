package executor

import (
	"context"
	"runtime"
	"sync"

	"github.com/goasyncio/goasyncio/internal/goid"
)

// A Pool runs functions on a bounded number of worker goroutines
// (concurrent.futures.ThreadPoolExecutor). Workers start lazily, one per
// Submit that finds none idle, up to the maximum; they wait for more work
// until the pool shuts down. Work is queued without limit and taken in FIFO
// order.
//
// Saturation and nested work: Submit never blocks, so work may submit more
// work to its own pool, however busy. When every worker is busy, new work
// waits in the queue. A worker that waits (Result, Err, Wait) for a future
// of its own pool that is still queued runs that work itself, on its own
// goroutine, instead of blocking: a job that submits a sub-job and waits
// for it cannot deadlock a saturated pool, as it can in Python. Waiting for
// anything else that queued work would provide (a channel, a lock) still
// can; prefer done-callbacks there.
//
// A Pool's methods are safe for concurrent use. The zero Pool is ready to
// use, with DefaultMaxWorkers workers.
type Pool struct {
	max int

	mu       sync.Mutex
	wake     sync.Cond // idle workers wait here for work or shutdown
	queue    []*node   // queue[head:] is waiting work, FIFO; taken entries are skipped
	head     int
	workers  int                 // workers started and not exited
	idle     int                 // workers waiting and not yet claimed by a Submit
	ids      map[uint64]struct{} // goroutine ids of the live workers
	running  node                // sentinel of the list of running work
	shutdown bool
	exited   sync.WaitGroup
}

// A node is a Future's place in its pool's bookkeeping. All fields are
// guarded by the pool's mutex.
type node struct {
	r          runner
	queued     bool // in the queue, not yet taken by a worker
	prev, next *node
}

// A runner is a Future as the pool sees it, whatever its result type.
type runner interface {
	// execute runs the work on the calling goroutine unless the future was
	// cancelled, and completes the future.
	execute()
	// Cancel cancels the future (see Future.Cancel).
	Cancel() bool
	// stopWork cancels the context of running work.
	stopWork()
}

// DefaultMaxWorkers returns the number of workers a Pool has when
// WithMaxWorkers is not given: min(32, runtime.NumCPU()+4), CPython's
// default, which suits both blocking I/O and CPU-bound work.
func DefaultMaxWorkers() int { return min(32, runtime.NumCPU()+4) }

// An Option configures a Pool made by New.
type Option func(*Pool)

// WithMaxWorkers sets the maximum number of worker goroutines (max_workers).
// New panics if n is not positive, as ThreadPoolExecutor raises ValueError.
func WithMaxWorkers(n int) Option { return func(p *Pool) { p.max = n } }

// New returns a pool with no workers yet (ThreadPoolExecutor()). It panics
// if WithMaxWorkers gives a number below 1.
func New(opts ...Option) *Pool {
	p := &Pool{max: DefaultMaxWorkers()}
	for _, o := range opts {
		o(p)
	}
	if p.max <= 0 {
		panic("executor: max workers must be greater than 0")
	}
	p.init()
	return p
}

// init prepares p on first use (New, or a zero Pool's first Submit or
// Shutdown). p.mu is held, or p is not shared yet.
func (p *Pool) init() {
	if p.ids != nil {
		return
	}
	if p.max == 0 {
		p.max = DefaultMaxWorkers()
	}
	p.ids = map[uint64]struct{}{}
	p.wake.L = &p.mu
	p.running.next, p.running.prev = &p.running, &p.running
}

// MaxWorkers returns the maximum number of worker goroutines.
func (p *Pool) MaxWorkers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()
	return p.max
}

// A SubmitOption configures one call of Submit, Map, RunInExecutor or
// ToThread.
type SubmitOption func(*submitOptions)

type submitOptions struct {
	ctx context.Context
}

// WithContext makes ctx the parent of the context the work receives: the
// work sees ctx's values, deadline and cancellation, besides its own
// cancellation. (It is how a caller hands request-scoped values to the
// work, the role contextvars play for asyncio.to_thread.) Without it the
// parent is context.Background().
func WithContext(ctx context.Context) SubmitOption {
	return func(o *submitOptions) { o.ctx = ctx }
}

// Submit queues fn to run on one of p's workers (Executor.submit) and
// returns its future. fn receives a context that is cancelled when the
// future is cancelled (also once running: see Future.Cancel) or when the
// pool shuts down with CancelFutures; a panic in fn becomes the future's
// error, a *loop.PanicError. Submit returns ErrShutdown, and runs nothing,
// once Shutdown was called, and ErrNilFunc for a nil fn. Safe for
// concurrent use, including from work running on p.
func Submit[T any](p *Pool, fn func(ctx context.Context) (T, error), opts ...SubmitOption) (*Future[T], error) {
	if fn == nil {
		return nil, ErrNilFunc
	}
	f := &Future[T]{pool: p, fn: fn, parent: parentContext(opts)}
	f.node.r = f
	if err := p.enqueue(&f.node); err != nil {
		return nil, err
	}
	return f, nil
}

// parentContext applies opts and returns the parent context they set.
func parentContext(opts []SubmitOption) context.Context {
	if len(opts) == 0 {
		return nil // before o is declared: no allocation in the common case
	}
	var o submitOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o.ctx
}

// enqueue queues n and makes sure a worker will take it: it wakes an idle
// worker, or starts one if the pool has room (_adjust_thread_count).
func (p *Pool) enqueue(n *node) error {
	p.mu.Lock()
	p.init()
	if p.shutdown {
		p.mu.Unlock()
		return ErrShutdown
	}
	if p.head > 0 && len(p.queue) == cap(p.queue) {
		// Reuse the consumed front instead of growing.
		k := copy(p.queue, p.queue[p.head:])
		clear(p.queue[k:])
		p.queue = p.queue[:k]
		p.head = 0
	}
	p.queue = append(p.queue, n)
	n.queued = true
	start := false
	switch {
	case p.idle > 0:
		p.idle--
		p.wake.Signal()
	case p.workers < p.max:
		p.workers++
		p.exited.Add(1)
		start = true
	}
	p.mu.Unlock()
	if start {
		go p.worker()
	}
	return nil
}

// pop takes the first queued work, skipping entries that a waiting worker
// took to run itself. It returns nil if there is none. p.mu is held.
func (p *Pool) pop() *node {
	for p.head < len(p.queue) {
		n := p.queue[p.head]
		p.queue[p.head] = nil
		p.head++
		if n.queued {
			n.queued = false
			return n
		}
	}
	p.queue, p.head = p.queue[:0], 0
	return nil
}

// worker is one worker goroutine's life (_worker): run queued work until
// the queue is empty and the pool is shut down.
func (p *Pool) worker() {
	id := goid.Get()
	p.mu.Lock()
	p.ids[id] = struct{}{}
	var cur *node
	defer func() {
		// Normal exit, or runtime.Goexit inside the work (t.FailNow): in
		// that case cur is still tracked, and another worker takes over the
		// queue.
		p.mu.Lock()
		if cur != nil {
			p.untrack(cur)
		}
		delete(p.ids, id)
		p.workers--
		restart := cur != nil && p.head < len(p.queue)
		if restart {
			p.workers++
			p.exited.Add(1)
		}
		p.mu.Unlock()
		if restart {
			go p.worker()
		}
		p.exited.Done()
	}()
	for {
		n := p.pop()
		if n == nil {
			if p.shutdown {
				p.mu.Unlock()
				return
			}
			p.idle++
			p.wake.Wait()
			continue
		}
		cur = n
		p.track(n)
		p.mu.Unlock()
		n.r.execute()
		p.mu.Lock()
		p.untrack(n)
		cur = nil
	}
}

// help runs the queued work n on the calling goroutine if that goroutine is
// one of p's workers, and reports whether it did. A worker that would
// otherwise block waiting for n (perhaps behind itself) runs it instead.
func (p *Pool) help(n *node) bool {
	id := goid.Get()
	p.mu.Lock()
	if _, ok := p.ids[id]; !ok || !n.queued {
		p.mu.Unlock()
		return false
	}
	n.queued = false
	p.track(n)
	p.mu.Unlock()
	defer func() { // deferred: runtime.Goexit in the work unwinds through here
		p.mu.Lock()
		p.untrack(n)
		p.mu.Unlock()
	}()
	n.r.execute()
	return true
}

func (p *Pool) track(n *node) {
	n.prev, n.next = p.running.prev, &p.running
	n.prev.next, p.running.prev = n, n
}

func (p *Pool) untrack(n *node) {
	n.prev.next, n.next.prev = n.next, n.prev
	n.prev, n.next = nil, nil
}

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
