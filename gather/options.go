package gather

import "time"

// An Option configures Wait, AsCompleted and Completed.
type Option func(*options)

type options struct {
	timeout    time.Duration
	hasTimeout bool
}

// WithTimeout bounds the wait to d on the loop's clock (the timeout=
// argument of asyncio.wait and asyncio.as_completed). Nothing is cancelled
// when it expires: Wait returns what is still pending, AsCompleted and
// Completed report a *future.TimeoutError. A zero or negative d expires on
// the next loop iteration, as a past call_later does. Without this option
// there is no timeout (timeout=None).
func WithTimeout(d time.Duration) Option {
	return func(o *options) { o.timeout, o.hasTimeout = d, true }
}

func collect(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}
