//go:build unix

package stream

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/task"
)

// A DatagramOption configures CreateDatagramEndpoint (asyncio's keyword
// arguments of loop.create_datagram_endpoint).
type DatagramOption func(*datagramOptions)

type datagramOptions struct {
	local, remote       string
	hasLocal, hasRemote bool
	broadcast           bool
	reusePort           bool
}

// WithLocalAddr binds the endpoint to address (asyncio's local_addr=):
// "host:port" for a UDP network, where an empty host is all interfaces,
// a name is resolved, and port 0 picks a free port (see
// DatagramTransport.LocalAddr); a socket path for "unixgram", where a
// stale socket file left at the path is removed first, as asyncio does.
func WithLocalAddr(address string) DatagramOption {
	return func(o *datagramOptions) { o.local, o.hasLocal = address, true }
}

// WithRemoteAddr connects the endpoint to address (asyncio's
// remote_addr=), in the form WithLocalAddr takes: the endpoint then sends
// only there (SendTo with a nil address) and receives only from there.
func WithRemoteAddr(address string) DatagramOption {
	return func(o *datagramOptions) { o.remote, o.hasRemote = address, true }
}

// WithAllowBroadcast sets SO_BROADCAST, so that the endpoint may send to
// broadcast addresses (asyncio's allow_broadcast=True). As in asyncio, an
// endpoint with a remote address is then not connected: SendTo still sends
// to the remote address only, but datagrams come from anyone, and
// DatagramTransport.RemoteAddr is nil.
func WithAllowBroadcast() DatagramOption {
	return func(o *datagramOptions) { o.broadcast = true }
}

// WithDatagramReusePort sets SO_REUSEPORT, so that several endpoints may
// bind the same address (asyncio's reuse_port=True; the system spreads
// the datagrams among them). asyncio 3.11 refuses reuse_address=True for
// UDP, where SO_REUSEADDR would let another socket take the datagrams:
// there is no option for it.
func WithDatagramReusePort() DatagramOption {
	return func(o *datagramOptions) { o.reusePort = true }
}

// CreateDatagramEndpoint makes a datagram endpoint and runs a protocol on
// it (asyncio's loop.create_datagram_endpoint). network is "udp", "udp4"
// or "udp6", or "unixgram" (asyncio's family=AF_UNIX); WithLocalAddr binds
// the socket and WithRemoteAddr connects it. "udp" takes its family from
// the addresses, and, as asyncio, wants at least one of them; with names
// that resolve to both families, the families are tried in turn as in
// asyncio, and the first one's error is returned if none works.
//
// Once the socket is set up, it calls factory for the protocol and makes
// the endpoint's transport, which schedules the protocol's ConnectionMade
// with CallSoon, then the start of receiving; CreateDatagramEndpoint
// returns the transport and the protocol once ConnectionMade has run, at
// the loop iteration where asyncio's returns. If factory panics, the
// socket is closed and the panic goes on; if it returns nil,
// CreateDatagramEndpoint fails with ErrNilProtocol. Errors setting up the
// socket are *net.OpError values (errors.Is(err, syscall.EADDRINUSE)).
// Must be called in a task body.
//
//	t, p, err := stream.CreateDatagramEndpoint(c, "udp", factory, stream.WithLocalAddr("127.0.0.1:9999"))
func CreateDatagramEndpoint(c *task.Coro, network string, factory func() DatagramProtocol, opts ...DatagramOption) (*DatagramTransport, DatagramProtocol, error) {
	if factory == nil {
		return nil, nil, fmt.Errorf("stream: CreateDatagramEndpoint with a nil factory: %w", ErrNilProtocol)
	}
	var o datagramOptions
	for _, opt := range opts {
		opt(&o)
	}
	var (
		sock    *aionet.Socket
		address net.Addr // asyncio's r_addr
		err     error
	)
	switch network {
	case "udp", "udp4", "udp6":
		sock, address, err = openUDP(c, network, o)
	case "unixgram":
		sock, address, err = openUnixgram(c, o)
	default:
		err = fmt.Errorf("stream: unsupported datagram network %q (want udp, udp4, udp6 or unixgram)", network)
	}
	if err != nil {
		return nil, nil, err
	}
	l := c.Loop()
	p, err := callFactory(l, sock, factory)
	if err != nil {
		return nil, nil, err
	}
	waiter := future.New[struct{}](l)
	t := newDatagramTransport(l, sock, p, address, waiter)
	if err := c.Await(waiter); err != nil {
		t.close()
		return nil, nil, err
	}
	return t, p, nil
}

// A udpPair is one of asyncio's addr_pairs_info: a family with the local
// and remote address of that family.
type udpPair struct {
	network string // "udp4" or "udp6"
	addr    [2]netip.AddrPort
	has     [2]bool
}

// openUDP is create_datagram_endpoint's socket set-up for the UDP
// families: resolve the addresses, pair them by family, and try each pair.
func openUDP(c *task.Coro, network string, o datagramOptions) (*aionet.Socket, net.Addr, error) {
	if !o.hasLocal && !o.hasRemote {
		if network == "udp" {
			// asyncio's ValueError('unexpected address family').
			return nil, nil, errors.New(`stream: CreateDatagramEndpoint on "udp" without WithLocalAddr or WithRemoteAddr (use "udp4" or "udp6" for an unbound endpoint)`)
		}
		return openUDPPair(c, udpPair{network: network}, o)
	}
	var pairs []*udpPair
	for idx, address := range [2]string{o.local, o.remote} {
		if (idx == 0 && !o.hasLocal) || (idx == 1 && !o.hasRemote) {
			continue
		}
		host, port, err := splitHostPort(address)
		if err != nil {
			return nil, nil, err
		}
		addrs, err := aionet.Resolve(c, network, host, uint16(port))
		if err != nil {
			return nil, nil, err
		}
		found := false
		for _, a := range addrs {
			fam := "udp6"
			if a.Addr().Unmap().Is4() {
				fam, a = "udp4", netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
			}
			if network != "udp" && fam != network {
				continue
			}
			found = true
			var p *udpPair
			for _, q := range pairs {
				if q.network == fam {
					p = q
				}
			}
			if p == nil {
				p = &udpPair{network: fam}
				pairs = append(pairs, p)
			}
			p.addr[idx], p.has[idx] = a, true // the last address of a family wins, as in asyncio
		}
		if !found {
			return nil, nil, fmt.Errorf("stream: no %s address for %q", network, address)
		}
	}
	var errs []error
	for _, p := range pairs {
		if (o.hasLocal && !p.has[0]) || (o.hasRemote && !p.has[1]) {
			continue // each address needs one of the family
		}
		sock, address, err := openUDPPair(c, *p, o)
		if err == nil {
			return sock, address, nil
		}
		if future.IsCancelled(err) {
			return nil, nil, err
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		// asyncio's ValueError('can not get address information').
		return nil, nil, fmt.Errorf("stream: no address family has both %q and %q", o.local, o.remote)
	}
	return nil, nil, errs[0]
}

// openUDPPair makes, configures, binds and connects the socket of one pair.
func openUDPPair(c *task.Coro, p udpPair, o datagramOptions) (*aionet.Socket, net.Addr, error) {
	var local, remote string
	if p.has[0] {
		local = p.addr[0].String()
	}
	if p.has[1] {
		remote = p.addr[1].String()
	}
	sock, err := openDatagramSocket(c, p.network, local, remote, o)
	if err != nil || !p.has[1] {
		return sock, nil, err
	}
	return sock, net.UDPAddrFromAddrPort(p.addr[1]), nil
}

// openUnixgram is create_datagram_endpoint's socket set-up for AF_UNIX.
// An empty path is no address, as in asyncio.
func openUnixgram(c *task.Coro, o datagramOptions) (*aionet.Socket, net.Addr, error) {
	if o.local != "" && o.local[0] != 0 && o.local[0] != '@' {
		// Remove a stale socket file; asyncio logs any other error, and
		// Bind reports it here.
		if fi, err := os.Stat(o.local); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(o.local)
		}
	}
	sock, err := openDatagramSocket(c, "unixgram", o.local, o.remote, o)
	if err != nil || o.remote == "" {
		return sock, nil, err
	}
	return sock, &net.UnixAddr{Name: o.remote, Net: "unixgram"}, nil
}

// openDatagramSocket is the body of create_datagram_endpoint's loop over
// the address pairs: socket, SO_REUSEPORT, SO_BROADCAST, bind, and connect
// unless broadcasting. On failure the socket is closed.
func openDatagramSocket(c *task.Coro, network, local, remote string, o datagramOptions) (_ *aionet.Socket, err error) {
	sock, err := aionet.NewSocket(network)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			sock.Close()
		}
	}()
	if o.reusePort {
		if err := setsockopt(sock, unix.SO_REUSEPORT); err != nil {
			return nil, err
		}
	}
	if o.broadcast {
		if err := setsockopt(sock, unix.SO_BROADCAST); err != nil {
			return nil, err
		}
	}
	if local != "" {
		if err := sock.Bind(local); err != nil {
			return nil, err
		}
	}
	if remote != "" && !o.broadcast {
		if err := sock.Connect(c, remote); err != nil {
			return nil, err
		}
	}
	return sock, nil
}

// setsockopt turns a SOL_SOCKET option on (aionet has no call for
// SO_REUSEPORT and SO_BROADCAST on datagram sockets).
func setsockopt(sock *aionet.Socket, opt int) error {
	if err := unix.SetsockoptInt(sock.FD(), unix.SOL_SOCKET, opt, 1); err != nil {
		return &net.OpError{Op: "setsockopt", Net: sock.Network(), Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}
