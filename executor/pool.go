package executor

import (
	"log/slog"
	"runtime"
	"sync"

	"github.com/goasyncio/goasyncio/internal/goid"
	"github.com/goasyncio/goasyncio/loop"
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
	max         int
	initializer func() error

	mu       sync.Mutex
	wake     sync.Cond // idle workers wait here for work or shutdown
	queue    []*node   // queue[head:] is waiting work, FIFO; taken entries are skipped
	head     int
	workers  int                 // workers started and not exited
	idle     int                 // workers waiting and not yet claimed by a Submit
	ids      map[uint64]struct{} // goroutine ids of the live workers
	running  node                // sentinel of the list of running work
	shutdown bool
	broken   *BrokenPoolError // a worker's initializer failed
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
	// fail completes the future of work that will never run with err.
	fail(err error)
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

// WithInitializer makes every worker call fn when it starts, before it
// takes any work (ThreadPoolExecutor's initializer). If fn returns an error,
// panics or calls runtime.Goexit, the pool breaks, as ThreadPoolExecutor's
// does: the failure is logged with log/slog, the work still queued fails
// with a *BrokenPoolError, and Submit returns one from then on. Work
// already running on other workers finishes normally.
func WithInitializer(fn func() error) Option { return func(p *Pool) { p.initializer = fn } }

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
	if p.initializer != nil && !p.initialize() {
		return
	}
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

// initialize calls the initializer on a starting worker and reports
// whether it succeeded. If it failed (an error, a panic or runtime.Goexit),
// the pool is broken by then; after runtime.Goexit the worker goes on
// exiting.
func (p *Pool) initialize() (ok bool) {
	var err error
	returned := false
	defer func() {
		if !returned {
			if r := recover(); r != nil {
				err = loop.NewPanicError(r)
			} else {
				err = ErrGoexit
			}
		}
		if err != nil {
			p.breakDown(err)
		}
	}()
	err = p.initializer()
	returned = true
	return err == nil
}

// breakDown is _initializer_failed, run by a worker whose initializer
// returned err, which then exits: the pool breaks and the queued work fails.
func (p *Pool) breakDown(err error) {
	slog.Error("executor: exception in initializer; the pool is broken", "error", err.Error())
	p.mu.Lock()
	if p.broken == nil {
		p.broken = &BrokenPoolError{Err: err}
	}
	broken := p.broken
	var queued []runner
	for n := p.pop(); n != nil; n = p.pop() {
		queued = append(queued, n.r)
	}
	p.workers--
	p.mu.Unlock()
	for _, r := range queued { // outside the lock: done-callbacks run here
		r.fail(broken)
	}
	p.exited.Done()
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
