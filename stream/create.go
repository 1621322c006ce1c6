//go:build unix

package stream

import (
	"fmt"
	"net"
	"strconv"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// CreateConnection connects to address and runs a protocol on the
// connection (asyncio's loop.create_connection, and
// loop.create_unix_connection for network "unix"). network is "tcp",
// "tcp4" or "tcp6" with an address "host:port" (a name is resolved and its
// addresses, of the network's family, tried in turn as OpenConnection
// does; an IPv6 literal is bracketed; an empty host is localhost), or
// "unix" with a socket path.
//
// Once connected, it calls factory for the protocol and makes the
// connection's transport, which schedules the protocol's ConnectionMade
// with CallSoon, then the start of reading; CreateConnection returns the
// transport and the protocol once ConnectionMade has run, at the loop
// iteration where asyncio's returns. If factory panics, the socket is
// closed and the panic goes on; if it returns nil, CreateConnection fails
// with ErrNilProtocol. No Option applies yet. Must be called in a task
// body.
func CreateConnection(c *task.Coro, network, address string, factory func() Protocol, opts ...Option) (*Transport, Protocol, error) {
	if _, err := makeOptions(opts); err != nil {
		return nil, nil, err
	}
	if factory == nil {
		return nil, nil, fmt.Errorf("stream: CreateConnection with a nil factory: %w", ErrNilProtocol)
	}
	var sock *aionet.Socket
	switch network {
	case "tcp", "tcp4", "tcp6":
		host, port, err := splitHostPort(address)
		if err != nil {
			return nil, nil, err
		}
		if sock, err = dialTCP(c, network, host, port); err != nil {
			return nil, nil, err
		}
	case "unix":
		var err error
		if sock, err = dialUnix(c, address); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, unsupportedNetwork(network)
	}
	p, err := callFactory(c.Loop(), sock, factory)
	if err != nil {
		return nil, nil, err
	}
	t, err := startTransport(c, sock, p, nil)
	if err != nil {
		return nil, nil, err
	}
	return t, p, nil
}

// CreateServer starts a server on address that runs a protocol on each
// connection it accepts (asyncio's loop.create_server, and
// loop.create_unix_server for network "unix"). network is "tcp", "tcp4" or
// "tcp6" with an address "host:port", or "unix" with a socket path. An
// empty host listens on all interfaces (of the network's family for "tcp4"
// and "tcp6"); a name is resolved, and the server listens on each of its
// addresses; port 0 picks a free port (see Addrs). The sockets are set up
// as StartServer and StartUnixServer set them up, and WithBacklog,
// WithReusePort and DeferServing apply.
//
// For each connection, a new task calls factory and makes the transport,
// which schedules the protocol's ConnectionMade, as in asyncio. A factory
// that panics or returns nil is reported to the exception handler and the
// connection closed (asyncio reports a failing factory in debug mode
// only). Must be called in a task body.
func CreateServer(c *task.Coro, network, address string, factory func() Protocol, opts ...Option) (*Server, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if factory == nil {
		return nil, fmt.Errorf("stream: CreateServer with a nil factory: %w", ErrNilProtocol)
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
		host, port, err := splitHostPort(address)
		if err != nil {
			return nil, err
		}
		socks, err := listenTCP(c, network, host, port, o)
		if err != nil {
			return nil, err
		}
		return newServer(c, socks, factory, o)
	case "unix":
		return startUnixServer(c, address, factory, o)
	}
	return nil, unsupportedNetwork(network)
}

func unsupportedNetwork(network string) error {
	return fmt.Errorf("stream: unsupported network %q (want tcp, tcp4, tcp6 or unix)", network)
}

// splitHostPort splits "host:port" with a numeric port.
func splitHostPort(address string) (string, int, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return "", 0, fmt.Errorf("stream: %w", err)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("stream: invalid port in address %q", address)
	}
	return host, int(n), nil
}

// callFactory calls factory for the protocol of a connection or endpoint
// on sock. If factory returns nil (ErrNilProtocol) or panics (the panic
// goes on), it closes sock first.
func callFactory[P any](l *loop.Loop, sock *aionet.Socket, factory func() P) (P, error) {
	ok := false
	defer func() {
		if !ok {
			untrack(l, sock)
			sock.Close()
		}
	}()
	p := factory()
	if any(p) == nil {
		var none P
		return none, ErrNilProtocol
	}
	ok = true
	return p, nil
}
