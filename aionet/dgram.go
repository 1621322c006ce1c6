//go:build unix

package aionet

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/task"
)

// The datagram calls of CPython 3.11 (selector_events.py's sock_recvfrom,
// sock_recvfrom_into and sock_sendto), built as ops.go builds the stream
// ones: try the system call at once; only if it would block, register a
// reader or writer whose callback checks the future, retries the call and
// completes the future, and await the future. A datagram is received or
// sent whole by one system call, so a cancelled RecvFrom or SendTo has
// consumed or sent nothing, except in the one iteration described below.

// TryRecvFromInto receives one datagram into buf without waiting and
// returns its length and its sender's address (Python's non-blocking
// sock.recvfrom_into). It returns ErrWouldBlock if no datagram is queued.
//
// A datagram longer than buf is truncated: TryRecvFromInto returns
// len(buf) and no error, and the rest of the datagram is discarded (the
// system's recvfrom(2) semantics, which Python keeps; the next call gets
// the next datagram). Size buf for the largest datagram expected: 65507
// bytes hold any UDP datagram over IPv4. An empty buf takes a datagram and
// discards it whole; an empty datagram is 0 and no error.
//
// The address is a *net.UDPAddr for a UDP socket and a *net.UnixAddr for a
// Unix-domain one; it is nil when the sender is an unnamed (unbound)
// Unix-domain socket, to which no reply can be sent (Python reports
// None). On a stream socket, TryRecvFromInto reads as TryRecvInto does,
// with a nil address.
func (s *Socket) TryRecvFromInto(buf []byte) (int, net.Addr, error) {
	if s.fd < 0 {
		return 0, nil, s.closedError("read")
	}
	if s.sotype == unix.SOCK_STREAM {
		n, err := s.TryRecvInto(buf)
		return n, nil, err
	}
	n, from, err := recvfromNB(s.fd, buf)
	if err != nil {
		if wouldBlock(err) {
			return 0, nil, ErrWouldBlock
		}
		return 0, nil, s.opError("read", "recvfrom", err)
	}
	return n, s.addrOf(from), nil
}

// TrySendTo sends data as one datagram to addr without waiting (Python's
// non-blocking sock.sendto): ErrWouldBlock if the socket has no room for
// it now. addr is a *net.UDPAddr for a UDP socket (an IPv4 address may be
// given to an IPv6 socket) and a *net.UnixAddr for a Unix-domain one: the
// address RecvFrom reports is the one to reply to. A datagram larger than
// the socket can send fails with an error matching syscall.EMSGSIZE; a
// stream socket, with ErrNotDatagram.
func (s *Socket) TrySendTo(data []byte, addr net.Addr) error {
	to, err := s.sendCheck(addr)
	if err != nil {
		return err
	}
	return s.trySendTo(data, to, addr)
}

// sendCheck validates a SendTo before its first attempt.
func (s *Socket) sendCheck(addr net.Addr) (peer, error) {
	if s.fd < 0 {
		return peer{}, s.closedError("write")
	}
	if s.sotype == unix.SOCK_STREAM {
		return peer{}, &net.OpError{Op: "write", Net: s.network, Addr: addr, Err: ErrNotDatagram}
	}
	return s.destination(addr)
}

func (s *Socket) trySendTo(data []byte, to peer, addr net.Addr) error {
	if s.fd < 0 {
		return s.closedError("write") // closed while SendTo waited
	}
	err := sendtoNB(s.fd, data, to)
	switch {
	case err == nil:
		return nil
	case wouldBlock(err):
		return ErrWouldBlock
	}
	e := s.opError("write", "sendto", err)
	if oe, ok := e.(*net.OpError); ok {
		oe.Addr = addr
	}
	return e
}

// RecvFrom receives one datagram of at most n bytes and returns it with
// its sender's address (asyncio's loop.sock_recvfrom), waiting until one
// arrives. A longer datagram is truncated to n bytes, the rest discarded
// (see TryRecvFromInto, which also describes the address).
//
// If the task is cancelled while RecvFrom waits, no datagram is consumed:
// the next RecvFrom gets it. In the one case where the datagram was
// received in the same iteration as the cancellation (asyncio drops it
// then), RecvFrom returns it together with the CancelledError. Must be
// called in a task body on the loop's goroutine.
func (s *Socket) RecvFrom(c *task.Coro, n int) ([]byte, net.Addr, error) {
	if n < 0 {
		return nil, nil, fmt.Errorf("aionet: RecvFrom: negative size %d", n)
	}
	buf := make([]byte, n)
	k, addr, err := s.RecvFromInto(c, buf)
	return buf[:k], addr, err
}

// A received datagram: what RecvFromInto's future carries.
type received struct {
	n    int
	addr net.Addr
}

// RecvFromInto receives one datagram into buf and returns its length and
// its sender's address (asyncio's loop.sock_recvfrom_into; Python's
// nbytes argument is buf[:nbytes] here), waiting until one arrives.
// Truncation and addresses as for TryRecvFromInto, cancellation as for
// RecvFrom. buf must not be touched until RecvFromInto returns. Must be
// called in a task body on the loop's goroutine.
func (s *Socket) RecvFromInto(c *task.Coro, buf []byte) (int, net.Addr, error) {
	n, addr, err := s.TryRecvFromInto(buf)
	if err != ErrWouldBlock {
		return n, addr, err
	}
	l := c.Loop()
	fut := future.New[received](l)
	err = s.waitRead(l, fut, "read", func() { // _sock_recvfrom_into
		if fut.Done() {
			return // cancelled meanwhile: leave the datagram for the next read
		}
		n, addr, err := s.TryRecvFromInto(buf)
		switch {
		case err == ErrWouldBlock:
		case err != nil:
			fut.SetException(err)
		default:
			fut.SetResult(received{n, addr})
		}
	})
	if err != nil {
		return 0, nil, err
	}
	r, err := task.Await(c, fut)
	if err != nil && fut.Done() && !fut.Cancelled() {
		r, _ = fut.Result() // received, but the task was cancelled meanwhile
	}
	return r.n, r.addr, err
}

// SendTo sends data as one datagram to addr (asyncio's loop.sock_sendto),
// waiting until the socket has room for it. Addresses and errors as for
// TrySendTo: a datagram too large for the socket fails at once with an
// error matching syscall.EMSGSIZE. asyncio returns the number of bytes
// sent, which for a datagram is always len(data); SendTo returns only the
// error, and refuses stream sockets (ErrNotDatagram), where sendto could
// send part of data.
//
// If the task is cancelled while SendTo waits, nothing is sent, except in
// the iteration where the datagram went out: then SendTo returns the
// CancelledError although it was sent (asyncio behaves the same). data
// must not be modified until SendTo returns. Must be called in a task body
// on the loop's goroutine.
//
// Linux reports an unconnected Unix-domain datagram socket writable even
// when the receiver's queue is full, so a SendTo waiting on one retries
// at every iteration of the loop until the receiver reads, as asyncio's
// does; a connected one (Connect) waits quietly.
func (s *Socket) SendTo(c *task.Coro, data []byte, addr net.Addr) error {
	to, err := s.sendCheck(addr)
	if err != nil {
		return err
	}
	if err := s.trySendTo(data, to, addr); err != ErrWouldBlock {
		return err
	}
	l := c.Loop()
	fut := future.New[struct{}](l)
	err = s.waitWrite(l, fut, "write", func() { // _sock_sendto
		if fut.Done() {
			return // cancelled on a previous iteration: send nothing
		}
		switch err := s.trySendTo(data, to, addr); err {
		case ErrWouldBlock:
		case nil:
			fut.SetResult(struct{}{})
		default:
			fut.SetException(err)
		}
	})
	if err != nil {
		return err
	}
	_, err = task.Await(c, fut)
	return err
}
