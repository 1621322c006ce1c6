//go:build unix

package aionet

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// The coroutines below are selector_events.py's sock_* methods, statement
// for statement: try the system call at once; if it would block, register
// a reader or writer whose callback retries it, complete a future from the
// callback, and unregister in the future's done-callback. The callback
// checks the future first, so a cancelled operation never consumes data
// (a cancelled Recv loses nothing) and a completed one runs once.

// Recv receives up to n bytes (asyncio's loop.sock_recv): what is
// available, waiting until something is. It returns io.EOF once the peer
// has shut down and everything was read (Python returns b"").
//
// If the task is cancelled while Recv waits, nothing is consumed: the data
// stays in the socket for the next read. In the one case where the data
// arrived in the same iteration as the cancellation (asyncio drops it
// then), Recv returns it together with the CancelledError. Must be called
// in a task body on the loop's goroutine.
func (s *Socket) Recv(c *task.Coro, n int) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("aionet: Recv: negative size %d", n)
	}
	buf := make([]byte, n)
	k, err := s.RecvInto(c, buf)
	return buf[:k], err
}

// RecvInto receives into buf and returns how many bytes it wrote (asyncio's
// loop.sock_recv_into), waiting until something is available; io.EOF and
// cancellation as for Recv. buf must not be touched until RecvInto
// returns. Must be called in a task body on the loop's goroutine.
func (s *Socket) RecvInto(c *task.Coro, buf []byte) (int, error) {
	n, err := s.TryRecvInto(buf)
	if err != ErrWouldBlock || len(buf) == 0 {
		return n, err
	}
	l := c.Loop()
	fut := future.New[int](l)
	err = s.waitRead(l, fut, "read", func() {
		if fut.Done() {
			return // cancelled meanwhile: leave the data for the next read
		}
		n, err := s.TryRecvInto(buf)
		switch {
		case err == ErrWouldBlock:
		case err != nil:
			fut.SetException(err)
		default:
			fut.SetResult(n)
		}
	})
	if err != nil {
		return 0, err
	}
	n, err = task.Await(c, fut)
	if err != nil && fut.Done() && !fut.Cancelled() {
		n, _ = fut.Result() // received, but the task was cancelled meanwhile
	}
	return n, err
}

// SendAll sends all of data (asyncio's loop.sock_sendall), waiting for
// room in the socket's buffer as often as needed. If it fails or is
// cancelled, an unknown part of data may have been sent. data must not be
// modified until SendAll returns. Must be called in a task body on the
// loop's goroutine.
func (s *Socket) SendAll(c *task.Coro, data []byte) error {
	n, err := s.TrySend(data)
	if err != nil && err != ErrWouldBlock {
		return err
	}
	if n == len(data) {
		return nil
	}
	l := c.Loop()
	fut := future.New[struct{}](l)
	pos := n
	err = s.waitWrite(l, fut, "write", func() {
		if fut.Done() {
			return // cancelled on a previous iteration
		}
		n, err := s.TrySend(data[pos:])
		switch {
		case err == ErrWouldBlock:
		case err != nil:
			fut.SetException(err)
		default:
			pos += n
			if pos == len(data) {
				fut.SetResult(struct{}{})
			}
		}
	})
	if err != nil {
		return err
	}
	_, err = task.Await(c, fut)
	return err
}

// An accepted connection: what Accept's future carries.
type accepted struct {
	s    *Socket
	addr net.Addr
}

// Accept waits for a connection and returns a non-blocking socket for it
// and the peer's address (asyncio's loop.sock_accept). A cancelled Accept
// leaves the connection for the next one (except in the iteration where it
// was accepted: then the connection is closed). Must be called in a task
// body on the loop's goroutine.
func (s *Socket) Accept(c *task.Coro) (*Socket, net.Addr, error) {
	conn, addr, err := s.TryAccept()
	if err != ErrWouldBlock {
		return conn, addr, err
	}
	l := c.Loop()
	fut := future.New[accepted](l)
	err = s.waitRead(l, fut, "accept", func() {
		if fut.Done() {
			return
		}
		conn, addr, err := s.TryAccept()
		switch {
		case err == ErrWouldBlock:
		case err != nil:
			fut.SetException(err)
		default:
			fut.SetResult(accepted{conn, addr})
		}
	})
	if err != nil {
		return nil, nil, err
	}
	a, err := task.Await(c, fut)
	if err != nil && fut.Done() && !fut.Cancelled() {
		if a, ferr := fut.Result(); ferr == nil { // accepted, but the task was cancelled
			a.s.Close()
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return a.s, a.addr, nil
}

// Connect connects the socket to address (asyncio's loop.sock_connect),
// waiting until the connection is established or refused. For TCP,
// address is "host:port"; a host name is resolved first (Resolve), and the
// first address of the socket's family is used. For a Unix-domain socket
// it is a path. A refused connection fails with an error matching
// syscall.ECONNREFUSED. Must be called in a task body on the loop's
// goroutine.
func (s *Socket) Connect(c *task.Coro, address string) error {
	if s.fd < 0 {
		return s.closedError("connect")
	}
	var sa unix.Sockaddr
	if s.family == unix.AF_UNIX {
		sa = &unix.SockaddrUnix{Name: address}
	} else {
		ap, err := s.resolveOne(c, address)
		if err != nil {
			return err
		}
		if sa, err = sockaddr(s.family, ap); err != nil {
			return err
		}
	}
	return s.connect(c, sa)
}

// resolveOne is _ensure_resolved for a socket of s's family.
func (s *Socket) resolveOne(c *task.Coro, address string) (netip.AddrPort, error) {
	if ap, err := netip.ParseAddrPort(address); err == nil {
		return ap, nil
	}
	host, port, err := splitHostPort(address)
	if err != nil {
		return netip.AddrPort{}, err
	}
	addrs, err := Resolve(c, s.network, host, port)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrs[0], nil
}

// connect is _sock_connect and _sock_connect_cb.
func (s *Socket) connect(c *task.Coro, sa unix.Sockaddr) error {
	if s.fd < 0 {
		return s.closedError("connect")
	}
	err := unix.Connect(s.fd, sa)
	if err == nil {
		return nil
	}
	if err != unix.EINPROGRESS && !wouldBlock(err) {
		return s.connectError(sa, err)
	}
	// The connection proceeds in the background: wait until the socket is
	// writable, then read the outcome from SO_ERROR.
	l := c.Loop()
	fut := future.New[struct{}](l)
	err = s.waitWrite(l, fut, "connect", func() {
		if fut.Done() {
			return
		}
		errno, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR)
		switch {
		case err != nil && wouldBlock(err):
		case err != nil:
			fut.SetException(s.connectError(sa, err))
		case errno != 0:
			fut.SetException(s.connectError(sa, unix.Errno(errno)))
		default:
			fut.SetResult(struct{}{})
		}
	})
	if err != nil {
		return err
	}
	_, err = task.Await(c, fut)
	return err
}

func (s *Socket) connectError(sa unix.Sockaddr, err error) error {
	e := s.opError("connect", "connect", err)
	var oe *net.OpError
	if errors.As(e, &oe) {
		oe.Addr = s.netAddr(sa)
	}
	return e
}

// waitRead registers fn as the socket's reader on l until fut is done
// (_add_reader plus the _sock_read_done callback).
func (s *Socket) waitRead(l *loop.Loop, fut future.Awaitable, op string, fn func()) error {
	if s.rd != nil {
		return s.opError(op, op, ErrBusy)
	}
	h, err := l.AddReader(s.fd, fn)
	if err != nil {
		return s.opError(op, op, err)
	}
	p := &pendingOp{l: l, fail: func(err error) { failFuture(fut, err) }}
	s.rd = p
	fut.AddDoneCallback(func() {
		if s.rd == p {
			s.rd = nil
		}
		if !h.Cancelled() {
			l.RemoveReader(s.fd)
		}
	})
	return nil
}

// waitWrite is waitRead for writability (_add_writer, _sock_write_done).
func (s *Socket) waitWrite(l *loop.Loop, fut future.Awaitable, op string, fn func()) error {
	if s.wr != nil {
		return s.opError(op, op, ErrBusy)
	}
	h, err := l.AddWriter(s.fd, fn)
	if err != nil {
		return s.opError(op, op, err)
	}
	p := &pendingOp{l: l, fail: func(err error) { failFuture(fut, err) }}
	s.wr = p
	fut.AddDoneCallback(func() {
		if s.wr == p {
			s.wr = nil
		}
		if !h.Cancelled() {
			l.RemoveWriter(s.fd)
		}
	})
	return nil
}

// failFuture completes a pending future of any type with err.
func failFuture(fut future.Awaitable, err error) {
	if f, ok := fut.(interface{ SetException(error) error }); ok && !fut.Done() {
		f.SetException(err)
	}
}
