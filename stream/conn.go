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
	sock, err := dialTCP(c, "tcp", host, port)
	if err != nil {
		return nil, nil, err
	}
	return openOn(c, sock, o)
}

// dialTCP is create_connection's first half for network "tcp", "tcp4" or
// "tcp6": resolve host, then try each address in turn until one accepts.
func dialTCP(c *task.Coro, network, host string, port int) (*aionet.Socket, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("stream: invalid port %d", port)
	}
	if host == "" {
		host = "localhost"
	}
	addrs, err := resolve(c, network, host, port)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, a := range addrs {
		sock, err := connect(c, a)
		if err == nil {
			return sock, nil
		}
		if future.IsCancelled(err) {
			return nil, err
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	return nil, fmt.Errorf("stream: multiple errors connecting to %s: %w", host, errors.Join(errs...))
}

// resolve returns the addresses of host for network, keeping only those of
// the family a "tcp4" or "tcp6" network names.
func resolve(c *task.Coro, network, host string, port int) ([]netip.AddrPort, error) {
	addrs, err := aionet.Resolve(c, network, host, uint16(port))
	if err != nil || network == "tcp" {
		return addrs, err
	}
	kept := addrs[:0]
	for _, a := range addrs {
		if a.Addr().Is4() == (network == "tcp4") {
			kept = append(kept, a)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("stream: no %s address for %q", network, host)
	}
	return kept, nil
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
	sock, err := dialUnix(c, path)
	if err != nil {
		return nil, nil, err
	}
	return openOn(c, sock, o)
}

// dialUnix is create_unix_connection's first half.
func dialUnix(c *task.Coro, path string) (*aionet.Socket, error) {
	sock, err := aionet.NewSocket("unix")
	if err != nil {
		return nil, err
	}
	if err := sock.Connect(c, path); err != nil {
		sock.Close()
		return nil, err
	}
	return sock, nil
}

// openOn is _create_connection_transport with a StreamReaderProtocol,
// followed by open_connection's wrapping in a Reader and a Writer.
func openOn(c *task.Coro, sock *aionet.Socket, o options) (*Reader, *Writer, error) {
	l := c.Loop()
	r := newReader(l, o.limit)
	p := newProtocol(l, r, nil)
	t, err := startTransport(c, sock, p, nil)
	if err != nil {
		return nil, nil, err
	}
	return r, newWriter(t, p, r), nil
}

// startTransport is _create_connection_transport once the protocol is
// made: make the transport over sock, and wait until the protocol knows of
// it (ConnectionMade has run). If the wait is cancelled, the transport is
// closed.
func startTransport(c *task.Coro, sock *aionet.Socket, p Protocol, server *Server) (*Transport, error) {
	l := c.Loop()
	waiter := future.New[struct{}](l)
	t := newTransport(l, sock, p, waiter, server)
	if err := c.Await(waiter); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}
