package executor

import (
	"context"
	"iter"
)

// Map submits fn(ctx, in) for every input at once and returns an iterator
// over the outcomes in input order, whatever order they finish in
// (Executor.map). The iterator waits for each outcome in turn and stops
// after the first error, which it yields; stopping early (a break, an
// error, ctx done) cancels the calls not yet yielded — queued ones never
// run, running ones see their context cancelled. ctx bounds the waiting
// (Python's timeout: the iterator then yields ctx.Err()) and is the parent
// of every call's context. The iterator is single-use.
//
// Map returns ErrShutdown, with every call it already submitted cancelled,
// if p is shut down, and ErrNilFunc for a nil fn. Safe for concurrent use.
func Map[In, Out any](ctx context.Context, p *Pool, inputs []In, fn func(ctx context.Context, in In) (Out, error)) (iter.Seq2[Out, error], error) {
	if fn == nil {
		return nil, ErrNilFunc
	}
	fs := make([]*Future[Out], 0, len(inputs))
	for _, in := range inputs {
		f, err := Submit(p, func(ctx context.Context) (Out, error) { return fn(ctx, in) }, WithContext(ctx))
		if err != nil {
			for _, f := range fs {
				f.Cancel()
			}
			return nil, err
		}
		fs = append(fs, f)
	}
	return func(yield func(Out, error) bool) {
		next := 0
		defer func() { // result_iterator's finally
			for _, f := range fs[next:] {
				f.Cancel()
			}
		}()
		for next < len(fs) {
			f := fs[next]
			next++
			if err := f.Wait(ctx); err != nil { // _result_or_cancel
				f.Cancel()
				var zero Out
				yield(zero, err)
				return
			}
			v, err := f.Result()
			if !yield(v, err) || err != nil {
				return
			}
		}
	}, nil
}
