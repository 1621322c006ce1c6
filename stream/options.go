//go:build unix

package stream

import (
	"errors"
	"fmt"
)

// defaultLimit is asyncio's _DEFAULT_LIMIT: a Reader's line limit and half
// its buffer limit.
const defaultLimit = 64 << 10

// An Option configures OpenConnection, StartServer and their Unix
// variants, or NewReader (which takes WithLimit only).
type Option func(*options)

type options struct {
	limit     int
	backlog   int
	reusePort bool
	deferred  bool
}

// WithLimit sets the Reader's limit (asyncio's limit=, default 64 KiB): the
// longest line or chunk ReadLine and ReadUntil return, and half the amount
// buffered before the Reader stops reading from the socket.
func WithLimit(n int) Option { return func(o *options) { o.limit = n } }

// WithBacklog sets how many connections may wait to be accepted (asyncio's
// backlog=, default 100). Servers with many clients connecting at once
// want more.
func WithBacklog(n int) Option { return func(o *options) { o.backlog = n } }

// WithReusePort sets SO_REUSEPORT on a server's sockets (asyncio's
// reuse_port=True), so several servers can listen on the same port.
func WithReusePort() Option { return func(o *options) { o.reusePort = true } }

// DeferServing makes StartServer return a server that does not accept
// connections until StartServing or ServeForever (asyncio's
// start_serving=False).
func DeferServing() Option { return func(o *options) { o.deferred = true } }

func makeOptions(opts []Option) (options, error) {
	o := options{limit: defaultLimit, backlog: 100}
	for _, opt := range opts {
		opt(&o)
	}
	if o.limit <= 0 {
		return o, fmt.Errorf("stream: limit %d cannot be <= 0", o.limit)
	}
	if o.backlog < 0 {
		return o, errors.New("stream: negative backlog")
	}
	return o, nil
}
