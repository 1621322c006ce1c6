//go:build unix

package aionet

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// ErrWouldBlock is what the Try methods return when the operation would have
// to wait (EAGAIN). errors.Is(ErrWouldBlock, syscall.EAGAIN) holds.
var ErrWouldBlock = fmt.Errorf("aionet: operation would block: %w", syscall.EAGAIN)

// ErrBusy reports a second Recv, RecvInto, RecvFrom, RecvFromInto or
// Accept (or a second SendAll, SendTo or Connect) on a socket that already
// has one of them waiting. asyncio lets the second silently replace the
// first, which then waits forever.
var ErrBusy = errors.New("aionet: another task is already waiting on this socket for the same direction")

// ErrNotDatagram reports SendTo or TrySendTo on a stream socket, where
// sendto(2) ignores the address or may send part of the data; use SendAll.
// (asyncio's sock_sendto passes the call to the socket and returns the
// count sent.)
var ErrNotDatagram = errors.New("aionet: SendTo on a stream socket (use SendAll)")

func wouldBlock(err error) bool {
	return err == syscall.EAGAIN || err == syscall.EWOULDBLOCK || err == syscall.EINTR
}

// opError wraps a system call error as Go's net package does, so that
// errors.Is(err, syscall.ECONNRESET), errors.Is(err, net.ErrClosed) and the
// like work and the message names the operation and the addresses.
func (s *Socket) opError(op, syscallName string, err error) error {
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		err = os.NewSyscallError(syscallName, errno)
	}
	e := &net.OpError{Op: op, Net: s.network, Err: err}
	if s.fd >= 0 {
		e.Source = s.LocalAddr()
		e.Addr = s.RemoteAddr()
	}
	return e
}

func (s *Socket) closedError(op string) error {
	return &net.OpError{Op: op, Net: s.network, Err: net.ErrClosed}
}
