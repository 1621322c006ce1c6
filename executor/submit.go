package executor

import "context"

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
// once Shutdown was called, a *BrokenPoolError once a worker's initializer
// failed (see WithInitializer), and ErrNilFunc for a nil fn. Safe for
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
	if p.broken != nil {
		p.mu.Unlock()
		return p.broken
	}
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
