package future

import (
	"slices"

	"github.com/goasyncio/goasyncio/loop"
)

// unretrieved is the per-loop set of futures that failed and whose error
// nobody has retrieved yet, with the order in which they failed.
//
// CPython reports such futures when they are garbage-collected, a moment Go
// cannot make deterministic. goasyncio reports them when the loop closes,
// in the order they failed: a deterministic, documented point. A future
// whose error is retrieved (Result, Err, await) or that is cancelled
// leaves the set.
type unretrieved struct {
	seq     uint64
	futures map[*Base]uint64
}

var unretrievedKey = loop.NewKey[unretrieved]("future: unretrieved errors")

func trackUnretrieved(b *Base) {
	u := unretrievedKey.Get(b.l)
	if u.futures == nil {
		u.futures = map[*Base]uint64{}
		l := b.l
		l.AtClose(func() { reportUnretrieved(l, u) })
	}
	u.seq++
	u.futures[b] = u.seq
}

func untrack(b *Base) {
	if u := unretrievedKey.Lookup(b.l); u != nil {
		delete(u.futures, b)
	}
}

func reportUnretrieved(l *loop.Loop, u *unretrieved) {
	bases := make([]*Base, 0, len(u.futures))
	for b := range u.futures {
		bases = append(bases, b)
	}
	slices.SortFunc(bases, func(a, b *Base) int { return int(u.futures[a] - u.futures[b]) })
	u.futures = nil
	for _, b := range bases {
		ctx := loop.ExceptionContext{Err: b.err}
		if b.isTask {
			ctx.Message = "Task exception was never retrieved"
			ctx.Task = b.owner
		} else {
			ctx.Message = "Future exception was never retrieved"
			ctx.Future = b.owner
		}
		l.CallExceptionHandler(ctx)
	}
}
