//go:build unix

package aionet

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/loop"
)

// A Socket is a non-blocking stream socket (TCP or Unix-domain) or
// datagram socket (UDP or Unix-domain) whose blocking operations are
// coroutines on an event loop: Python's socket object together with
// asyncio's loop.sock_* methods.
//
// A Socket is not tied to one loop, but an operation in progress is: use
// it from the goroutine of the loop whose tasks await on it. Close may be
// called while an operation waits; the operation then fails with an error
// matching net.ErrClosed.
type Socket struct {
	fd      int // -1 once closed
	family  int
	sotype  int    // unix.SOCK_STREAM or unix.SOCK_DGRAM
	network string // as Network reports it, for error messages and addresses

	// The operation waiting for readability (Recv, RecvInto, RecvFrom,
	// RecvFromInto, Accept) and the one waiting for writability (SendAll,
	// SendTo, Connect), so that Close can fail them instead of leaving
	// them waiting forever.
	rd, wr *pendingOp
}

// A pendingOp is an operation registered with a loop's poller.
type pendingOp struct {
	l    *loop.Loop
	fail func(err error) // completes the operation's future with err
}

// NewSocket returns a new non-blocking socket for network (Python's
// socket.socket followed by setblocking(False)): a stream socket for
// "tcp" or "tcp4" (IPv4), "tcp6" (IPv6) and "unix", a datagram socket for
// "udp" or "udp4" (IPv4), "udp6" (IPv6) and "unixgram". Safe for
// concurrent use.
func NewSocket(network string) (*Socket, error) {
	fam, sotype, err := family(network, netip.Addr{})
	if err != nil {
		return nil, err
	}
	return newSocket(network, fam, sotype)
}

func newSocket(network string, fam, sotype int) (*Socket, error) {
	fd, err := sysSocket(fam, sotype)
	if err != nil {
		return nil, &net.OpError{Op: "socket", Net: network, Err: os.NewSyscallError("socket", err)}
	}
	return &Socket{fd: fd, family: fam, sotype: sotype, network: networkName(fam, sotype)}, nil
}

// Listen returns a socket bound to address and listening with the system's
// maximum backlog, as net.Listen does. For "tcp", "tcp4" and "tcp6",
// address is "host:port" where host is an IP literal or empty (all
// interfaces) and port 0 picks a free port (see LocalAddr); SO_REUSEADDR is
// set, as asyncio's create_server does on Unix. For "unix" it is a path.
// Binding an address in use fails with an error matching
// syscall.EADDRINUSE. Datagram networks take ListenPacket. Safe for
// concurrent use.
func Listen(network, address string) (*Socket, error) {
	if isDatagram(network) {
		return nil, fmt.Errorf("aionet: Listen on datagram network %q (use ListenPacket)", network)
	}
	s, err := newBound(network, address)
	if err != nil {
		return nil, err
	}
	if err := s.Listen(unix.SOMAXCONN); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ListenPacket returns a datagram socket bound to address, as
// net.ListenPacket does (Python's socket.socket(family, SOCK_DGRAM),
// setblocking(False) and bind). For "udp", "udp4" and "udp6", address is
// "host:port" as for Listen; for "unixgram" it is a path. SO_REUSEADDR is
// not set: on a UDP socket it would let another socket bind the same port
// and take its datagrams, which is why asyncio's create_datagram_endpoint
// no longer sets it. Binding an address in use fails with an error
// matching syscall.EADDRINUSE. Safe for concurrent use.
func ListenPacket(network, address string) (*Socket, error) {
	if !isDatagram(network) {
		return nil, fmt.Errorf("aionet: ListenPacket on stream network %q (use Listen)", network)
	}
	return newBound(network, address)
}

func newBound(network, address string) (*Socket, error) {
	var ap netip.AddrPort
	if !isUnix(network) {
		var err error
		if ap, err = parseAddrPort(network, address); err != nil {
			return nil, err
		}
	}
	fam, sotype, err := family(network, ap.Addr())
	if err != nil {
		return nil, err
	}
	s, err := newSocket(network, fam, sotype)
	if err != nil {
		return nil, err
	}
	if fam != unix.AF_UNIX && sotype == unix.SOCK_STREAM {
		unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	}
	if err := s.Bind(address); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// FD returns the socket's file descriptor, or -1 once it is closed.
func (s *Socket) FD() int { return s.fd }

// Network returns "tcp", "tcp6", "unix", "udp", "udp6" or "unixgram" (an
// IPv4 socket is "tcp" or "udp", whatever name made it).
func (s *Socket) Network() string { return s.network }

// Bind binds the socket to address, in the form Listen (for a datagram
// socket, ListenPacket) takes.
func (s *Socket) Bind(address string) error {
	if s.fd < 0 {
		return s.closedError("bind")
	}
	var sa unix.Sockaddr
	if s.family == unix.AF_UNIX {
		sa = &unix.SockaddrUnix{Name: address}
	} else {
		ap, err := parseAddrPort(s.network, address)
		if err != nil {
			return err
		}
		if sa, err = sockaddr(s.family, ap); err != nil {
			return err
		}
	}
	if err := unix.Bind(s.fd, sa); err != nil {
		return &net.OpError{Op: "listen", Net: s.network, Addr: s.netAddr(sa), Err: os.NewSyscallError("bind", err)}
	}
	return nil
}

// Listen makes a bound socket accept connections, with at most backlog of
// them waiting to be accepted.
func (s *Socket) Listen(backlog int) error {
	if s.fd < 0 {
		return s.closedError("listen")
	}
	if err := unix.Listen(s.fd, backlog); err != nil {
		return s.opError("listen", "listen", err)
	}
	return nil
}

// LocalAddr returns the address the socket is bound to (a *net.TCPAddr,
// *net.UDPAddr or *net.UnixAddr), or nil (also for an unnamed Unix-domain
// socket).
func (s *Socket) LocalAddr() net.Addr {
	if s.fd < 0 {
		return nil
	}
	sa, err := unix.Getsockname(s.fd)
	if err != nil {
		return nil
	}
	return s.netAddr(sa)
}

// RemoteAddr returns the address of the peer of a connected socket, or nil.
func (s *Socket) RemoteAddr() net.Addr {
	if s.fd < 0 {
		return nil
	}
	sa, err := unix.Getpeername(s.fd)
	if err != nil {
		return nil
	}
	return s.netAddr(sa)
}

// SetNoDelay turns Nagle's algorithm off (on) for a TCP socket; asyncio's
// transports turn it off. It does nothing for a Unix-domain or datagram
// socket.
func (s *Socket) SetNoDelay(noDelay bool) error {
	if s.fd < 0 {
		return s.closedError("setsockopt")
	}
	if s.family == unix.AF_UNIX || s.sotype != unix.SOCK_STREAM {
		return nil
	}
	v := 0
	if noDelay {
		v = 1
	}
	if err := unix.SetsockoptInt(s.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, v); err != nil {
		return s.opError("setsockopt", "setsockopt", err)
	}
	return nil
}

// CloseWrite shuts down the sending side (shutdown(SHUT_WR)): the peer
// reads EOF once it has read what was sent.
func (s *Socket) CloseWrite() error {
	if s.fd < 0 {
		return s.closedError("shutdown")
	}
	if err := unix.Shutdown(s.fd, unix.SHUT_WR); err != nil {
		return s.opError("shutdown", "shutdown", err)
	}
	return nil
}

// Close closes the socket. An operation waiting on it is unregistered from
// its loop and fails with an error matching net.ErrClosed (asyncio leaves it
// waiting forever). Closing a closed socket does nothing, as in Python.
// With an operation waiting, Close must be called on that loop's goroutine.
func (s *Socket) Close() error {
	if s.fd < 0 {
		return nil
	}
	if op := s.rd; op != nil {
		s.rd = nil
		op.l.RemoveReader(s.fd)
		op.fail(s.closedError("read"))
	}
	if op := s.wr; op != nil {
		s.wr = nil
		op.l.RemoveWriter(s.fd)
		op.fail(s.closedError("write"))
	}
	fd := s.fd
	s.fd = -1
	if err := unix.Close(fd); err != nil {
		return &net.OpError{Op: "close", Net: s.network, Err: os.NewSyscallError("close", err)}
	}
	return nil
}

// TryRecvInto reads what is available into buf without waiting: it
// returns ErrWouldBlock if nothing is, and on a stream socket io.EOF once
// the peer has shut down its side and everything was read. On a datagram
// socket it reads one datagram (an empty one is 0 and no error; what does
// not fit in buf is discarded, as TryRecvFromInto describes). An empty buf
// returns 0 at once without reading, as Python's sock.recv(0) does.
func (s *Socket) TryRecvInto(buf []byte) (int, error) {
	if s.fd < 0 {
		return 0, s.closedError("read")
	}
	if len(buf) == 0 {
		return 0, nil
	}
	n, err := readNB(s.fd, buf)
	return s.recvResult(buf, n, err)
}

// TrySend writes as much of p as the socket takes without waiting and
// returns how much that was; ErrWouldBlock if it took nothing.
func (s *Socket) TrySend(p []byte) (int, error) {
	if s.fd < 0 {
		return 0, s.closedError("write")
	}
	n, err := writeNB(s.fd, p)
	if err != nil {
		if wouldBlock(err) {
			return 0, ErrWouldBlock
		}
		return 0, s.opError("write", "send", err)
	}
	return n, nil
}

// TryAccept accepts a waiting connection without waiting: ErrWouldBlock if
// there is none. The new socket is non-blocking.
func (s *Socket) TryAccept() (*Socket, net.Addr, error) {
	if s.fd < 0 {
		return nil, nil, s.closedError("accept")
	}
	fd, sa, err := sysAccept(s.fd)
	if err != nil {
		if wouldBlock(err) || err == unix.ECONNABORTED {
			return nil, nil, ErrWouldBlock
		}
		return nil, nil, s.opError("accept", "accept", err)
	}
	return &Socket{fd: fd, family: s.family, sotype: s.sotype, network: s.network}, s.netAddr(sa), nil
}

func (s *Socket) recvResult(buf []byte, n int, err error) (int, error) {
	switch {
	case err == nil && n == 0 && s.sotype == unix.SOCK_STREAM:
		return 0, io.EOF // len(buf) > 0: a datagram socket's 0 is an empty datagram
	case err == nil:
		return n, nil
	case wouldBlock(err):
		return 0, ErrWouldBlock
	}
	return 0, s.opError("read", "recv", err)
}
