//go:build unix

package stream

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/task"
)

// OpenConnection connects to host and port and returns the connection's
// Reader and Writer (asyncio's open_connection). A name is resolved first
// and its addresses are tried in order until one accepts; if none does,
// the error says why for each (a refused connection matches
// syscall.ECONNREFUSED). Only WithLimit applies. Must be called in a task
// body.
func OpenConnection(c *task.Coro, host string, port int, opts ...Option) (*Reader, *Writer, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	if port < 0 || port > 65535 {
		return nil, nil, fmt.Errorf("stream: invalid port %d", port)
	}
	if host == "" {
		host = "localhost"
	}
	addrs, err := aionet.Resolve(c, "tcp", host, uint16(port))
	if err != nil {
		return nil, nil, err
	}
	// asyncio's create_connection: try each address in turn.
	var errs []error
	for _, a := range addrs {
		sock, err := connect(c, a)
		if err == nil {
			return openOn(c, sock, o)
		}
		if future.IsCancelled(err) {
			return nil, nil, err
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return nil, nil, errs[0]
	}
	return nil, nil, fmt.Errorf("stream: multiple errors connecting to %s: %w", host, errors.Join(errs...))
}

func connect(c *task.Coro, a netip.AddrPort) (*aionet.Socket, error) {
	network := "tcp4"
	if a.Addr().Is6() {
		network = "tcp6"
	}
	sock, err := aionet.NewSocket(network)
	if err != nil {
		return nil, err
	}
	if err := sock.Connect(c, a.String()); err != nil {
		sock.Close()
		return nil, err
	}
	return sock, nil
}

// OpenUnixConnection connects to the Unix-domain socket path (asyncio's
// open_unix_connection). Must be called in a task body.
func OpenUnixConnection(c *task.Coro, path string, opts ...Option) (*Reader, *Writer, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	sock, err := aionet.NewSocket("unix")
	if err != nil {
		return nil, nil, err
	}
	if err := sock.Connect(c, path); err != nil {
		sock.Close()
		return nil, nil, err
	}
	return openOn(c, sock, o)
}

// openOn is _create_connection_transport followed by open_connection's
// wrapping: make the transport, wait until the protocol knows of it.
func openOn(c *task.Coro, sock *aionet.Socket, o options) (*Reader, *Writer, error) {
	l := c.Loop()
	r := newReader(l, o.limit)
	p := newProtocol(l, r, nil)
	waiter := future.New[struct{}](l)
	t := newTransport(l, sock, p, waiter, nil)
	if err := c.Await(waiter); err != nil {
		t.close()
		return nil, nil, err
	}
	return r, newWriter(t, p, r), nil
}
