//go:build unix

package stream

import (
	"bytes"
	"net"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// A DatagramTransport is a datagram endpoint as a DatagramProtocol sees it
// (asyncio.DatagramTransport, as loop.create_datagram_endpoint makes it):
// it receives one datagram each time the loop reports the socket
// readable and hands it to the protocol with its sender's address, sends
// a datagram at once when nothing is buffered and buffers it otherwise
// until the socket is writable, and tells the protocol to pause or resume
// writing around its water marks. It ports CPython 3.11's
// _SelectorDatagramTransport with its bases (_SelectorTransport,
// _FlowControlMixin).
//
// DatagramTransports come from CreateDatagramEndpoint; the zero
// DatagramTransport is not usable. A DatagramTransport's methods must be
// called on its loop's goroutine.
type DatagramTransport struct {
	selectorTransport
	proto DatagramProtocol // nil once ConnectionLost has run

	// address is the remote address the endpoint was made with, the only
	// one SendTo accepts (asyncio's _address); nil if none was given.
	address net.Addr

	buf     []datagram // unsent datagrams are buf[head:] (asyncio's deque)
	head    int
	bufSize int // bytes in buf[head:] (asyncio's _buffer_size)
}

// A datagram waiting to be sent, with its destination.
type datagram struct {
	data []byte
	addr net.Addr
}

// newDatagramTransport is _SelectorDatagramTransport.__init__: it
// schedules the protocol's ConnectionMade, then the start of reading, then
// the waking of waiter, each with CallSoon.
func newDatagramTransport(l *loop.Loop, sock *aionet.Socket, p DatagramProtocol, address net.Addr, waiter *future.Future[struct{}]) *DatagramTransport {
	t := &DatagramTransport{proto: p, address: address}
	t.init(l, sock, t, t.readReady, t.sendToReady)
	t.start(func() { p.ConnectionMade(t) }, waiter)
	return t
}

func (t *DatagramTransport) bufferLen() int { return len(t.buf) - t.head }

func (t *DatagramTransport) bufferSize() int { return t.bufSize }

func (t *DatagramTransport) writeFlow() writeFlowProtocol { return t.proto }

// readReady is _read_ready: one datagram per readiness. A panic in the
// protocol goes on to the loop, which reports it as a panic in a callback
// (asyncio does not catch what datagram_received raises).
func (t *DatagramTransport) readReady() {
	if t.connLost > 0 || t.proto == nil {
		return
	}
	buf := readBufKey.Get(t.l)
	if *buf == nil {
		*buf = make([]byte, maxRead)
	}
	n, addr, err := t.sock.TryRecvFromInto(*buf)
	switch {
	case err == aionet.ErrWouldBlock:
	case err != nil:
		t.proto.ErrorReceived(err)
	default:
		t.proto.DatagramReceived((*buf)[:n], addr)
	}
}

// send sends one datagram: with send(2) on a connected socket (asyncio
// looks at its peername), with sendto(2) to addr otherwise.
func (t *DatagramTransport) send(data []byte, addr net.Addr) error {
	if t.remote != nil {
		_, err := t.sock.TrySend(data)
		return err
	}
	return t.sock.TrySendTo(data, addr)
}

// sendTo is sendto once its arguments are checked: send at once if
// nothing is buffered, buffer a copy otherwise (or if the socket would
// block) and wait for writability. A socket error goes to ErrorReceived.
func (t *DatagramTransport) sendTo(data []byte, addr net.Addr) error {
	if t.bufferLen() == 0 {
		// Attempt to send it right away first.
		err := t.send(data, addr)
		switch {
		case err == nil:
			return nil
		case err == aionet.ErrWouldBlock:
			if _, err := t.l.AddWriter(t.fd, t.writeFn); err != nil {
				t.fatalError(err)
				return err
			}
		default:
			t.proto.ErrorReceived(err)
			return nil
		}
	}
	if t.head > 0 && t.head >= len(t.buf)/2 {
		n := copy(t.buf, t.buf[t.head:])
		clear(t.buf[n:])
		t.buf, t.head = t.buf[:n], 0
	}
	t.buf = append(t.buf, datagram{bytes.Clone(data), addr})
	t.bufSize += len(data)
	t.maybePauseProtocol(t.bufSize)
	return nil
}

// sendToReady is _sendto_ready: send the buffered datagrams in order until
// the socket would block.
func (t *DatagramTransport) sendToReady() {
	for t.bufferLen() > 0 {
		d := t.buf[t.head]
		t.buf[t.head] = datagram{}
		t.head++
		t.bufSize -= len(d.data)
		err := t.send(d.data, d.addr)
		if err == aionet.ErrWouldBlock {
			t.head-- // try again later
			t.buf[t.head] = d
			t.bufSize += len(d.data)
			break
		}
		if err != nil {
			t.proto.ErrorReceived(err)
			return
		}
	}
	t.maybeResumeProtocol(t.bufSize) // may append to the buffer
	if t.bufferLen() == 0 {
		t.clearBuffer()
		t.l.RemoveWriter(t.fd)
		if t.closing {
			t.callConnectionLost(nil)
		}
	}
}

func (t *DatagramTransport) clearBuffer() {
	clear(t.buf)
	t.buf, t.head, t.bufSize = t.buf[:0], 0, 0
}

// callConnectionLost is _call_connection_lost: tell the protocol, then
// close the socket, even if ConnectionLost panics (the panic goes on to
// the loop's exception handler).
func (t *DatagramTransport) callConnectionLost(err error) {
	defer t.release()
	if p := t.proto; p != nil {
		p.ConnectionLost(err)
	}
}

func (t *DatagramTransport) release() {
	t.proto = nil
	t.closeSocket()
}
