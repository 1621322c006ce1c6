//go:build unix

package stream

import (
	"errors"
	"fmt"
	"net"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/loop"
)

// ErrInvalidAddress reports a DatagramTransport.SendTo to an address the
// endpoint cannot send to: one other than its remote address on an
// endpoint made with WithRemoteAddr (asyncio's ValueError 'Invalid
// address: must be None or ...'), none on an endpoint without a remote
// address, or an address of the wrong type (a *net.UnixAddr for a UDP
// endpoint; asyncio fails the transport with the TypeError).
var ErrInvalidAddress = errors.New("stream: invalid address for the datagram endpoint")

// SendTo sends data as one datagram to addr (asyncio's
// DatagramTransport.sendto): at once if no datagram is buffered, otherwise
// (or if the socket has no room for it now) it buffers a copy, so data may
// be reused when SendTo returns. It never waits; above the high-water mark
// the protocol is told to PauseWriting.
//
// On an endpoint made with WithRemoteAddr, addr is nil or that address
// (asyncio's sendto(data)); otherwise it is a *net.UDPAddr for a UDP
// endpoint, a *net.UnixAddr for a Unix-domain one, typically the address
// DatagramReceived reported. Any other address fails with an error
// matching ErrInvalidAddress. An empty datagram is not sent, as in
// asyncio 3.11.
//
// The socket's errors do not come back from SendTo: they go to the
// protocol's ErrorReceived, as in asyncio, and the datagram is dropped
// (errors.Is(err, syscall.EMSGSIZE) for one too large to send). SendTo
// fails with ErrClosed once the endpoint is closing (asyncio drops the
// datagram, or on an unconnected endpoint still sends it).
func (t *DatagramTransport) SendTo(data []byte, addr net.Addr) error {
	if len(data) == 0 {
		return nil
	}
	if t.address != nil {
		if addr != nil && !sameAddr(addr, t.address) {
			return fmt.Errorf("%w: %v: must be nil or %v", ErrInvalidAddress, addr, t.address)
		}
		addr = t.address
	}
	if t.closing {
		return ErrClosed
	}
	if err := t.checkAddr(addr); err != nil {
		return err
	}
	return t.sendTo(data, addr)
}

// checkAddr refuses a destination that cannot be one for the socket, so
// that no buffered datagram fails for that reason later.
func (t *DatagramTransport) checkAddr(addr net.Addr) error {
	if t.remote != nil {
		return nil // connected: send(2) takes no address
	}
	switch a := addr.(type) {
	case nil:
		return fmt.Errorf("%w: no address, and the endpoint has no remote address", ErrInvalidAddress)
	case *net.UDPAddr:
		if a != nil && t.sock.Network() != "unixgram" {
			return nil
		}
	case *net.UnixAddr:
		if a != nil && t.sock.Network() == "unixgram" {
			return nil
		}
	}
	return fmt.Errorf("%w: %T %v for a %s endpoint", ErrInvalidAddress, addr, addr, t.sock.Network())
}

// sameAddr is asyncio's comparison of a sendto address with _address.
func sameAddr(a, b net.Addr) bool {
	switch a := a.(type) {
	case *net.UDPAddr:
		b, ok := b.(*net.UDPAddr)
		return ok && a != nil && b != nil && a.IP.Equal(b.IP) && a.Port == b.Port && a.Zone == b.Zone
	case *net.UnixAddr:
		b, ok := b.(*net.UnixAddr)
		return ok && a != nil && b != nil && a.Name == b.Name
	}
	return false
}

// Close closes the endpoint once the buffered datagrams are sent
// (asyncio's close): reading stops at once, and the protocol's
// ConnectionLost(nil) runs at a later loop iteration. Closing twice does
// nothing. It returns nil (it has an error result to be an io.Closer).
func (t *DatagramTransport) Close() error {
	t.close()
	return nil
}

// Abort closes the endpoint at once, dropping the buffered datagrams
// (asyncio's abort); the protocol's ConnectionLost(nil) runs at the next
// iteration.
func (t *DatagramTransport) Abort() { t.abort() }

// IsClosing reports whether the endpoint is closed or closing (asyncio's
// is_closing).
func (t *DatagramTransport) IsClosing() bool { return t.closing }

// PauseReading stops receiving, so that the protocol gets no
// DatagramReceived until ResumeReading (asyncio's pause_reading, which the
// selector datagram transport has): datagrams queue in the socket, and
// those that do not fit are dropped by the system. It does nothing if
// reading is paused already or the endpoint is closing.
func (t *DatagramTransport) PauseReading() { t.pauseReading() }

// ResumeReading resumes receiving after PauseReading (asyncio's
// resume_reading). It does nothing if reading is not paused or the
// endpoint is closing.
func (t *DatagramTransport) ResumeReading() { t.resumeReading() }

// IsReading reports whether the endpoint receives: neither paused nor
// closing (asyncio's is_reading).
func (t *DatagramTransport) IsReading() bool { return t.isReading() }

// SetWriteBufferLimits sets the water marks of write flow control, in
// bytes of buffered datagrams (asyncio's set_write_buffer_limits): the
// protocol gets PauseWriting when the buffer goes above high,
// ResumeWriting when it is back down to low. A negative value stands for
// Python's None: high defaults to 4*low, or 64 KiB if low is negative too;
// low defaults to high/4. It fails unless high >= low >= 0. A buffer
// already above the new high pauses the protocol at once.
func (t *DatagramTransport) SetWriteBufferLimits(high, low int) error {
	return t.setWriteBufferLimitsAndPause(high, low)
}

// WriteBufferSize returns the number of bytes in the datagrams buffered
// and not yet sent (asyncio's get_write_buffer_size).
func (t *DatagramTransport) WriteBufferSize() int { return t.bufSize }

// WriteBufferLimits returns the low- and high-water marks (asyncio's
// get_write_buffer_limits).
func (t *DatagramTransport) WriteBufferLimits() (low, high int) { return t.low, t.high }

// LocalAddr returns the address the endpoint is bound to (asyncio's
// get_extra_info('sockname')): a *net.UDPAddr, or a *net.UnixAddr, nil for
// an unbound Unix-domain endpoint. It stays valid after the endpoint is
// closed.
func (t *DatagramTransport) LocalAddr() net.Addr { return t.local }

// RemoteAddr returns the address the endpoint's socket is connected to
// (asyncio's get_extra_info('peername')): the address given with
// WithRemoteAddr, or nil if there was none or WithAllowBroadcast kept the
// socket unconnected. It stays valid after the endpoint is closed.
func (t *DatagramTransport) RemoteAddr() net.Addr { return t.remote }

// Socket returns the endpoint's socket (asyncio's
// get_extra_info('socket')), for socket options through its FD (joining
// a multicast group, for instance). Reading, writing or closing it behind
// the transport's back breaks the transport, as it does in asyncio; the
// transport closes it when the endpoint is closed.
func (t *DatagramTransport) Socket() *aionet.Socket { return t.sock }

// Loop returns the loop the transport runs on (asyncio's transport._loop,
// which protocols reach through asyncio.get_running_loop()).
func (t *DatagramTransport) Loop() *loop.Loop { return t.l }

// Protocol returns the transport's protocol (asyncio's get_protocol); nil
// once ConnectionLost has run.
func (t *DatagramTransport) Protocol() DatagramProtocol { return t.proto }

// SetProtocol makes p receive the transport's events from now on, in place
// of the current protocol (asyncio's set_protocol); p's ConnectionMade is
// not called. It panics if p is nil, and does nothing once ConnectionLost
// has run.
func (t *DatagramTransport) SetProtocol(p DatagramProtocol) {
	if p == nil {
		panic("stream: SetProtocol(nil)")
	}
	if t.proto != nil {
		t.proto = p
	}
}
