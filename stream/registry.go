//go:build unix

package stream

import (
	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/loop"
)

// sockets is a loop's set of sockets owned by transports and servers. If
// the loop closes while some are open (their close callbacks dropped with
// the loop's queue), the loop's close hook closes them: no descriptor
// outlives its loop. (asyncio leaves that to the garbage collector.)
type sockets struct {
	open map[*aionet.Socket]struct{}
}

var socketsKey = loop.NewKey[sockets]("stream sockets")

func track(l *loop.Loop, s *aionet.Socket) {
	r := socketsKey.Get(l)
	if r.open == nil {
		r.open = map[*aionet.Socket]struct{}{}
		l.AtClose(func() {
			for s := range r.open {
				s.Close()
			}
			clear(r.open)
		})
	}
	r.open[s] = struct{}{}
}

func untrack(l *loop.Loop, s *aionet.Socket) {
	if r := socketsKey.Lookup(l); r != nil {
		delete(r.open, s)
	}
}
